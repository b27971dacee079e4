"""The UI's own texts, one catalog per language (``nb`` first, ``en`` switchable).

Field labels, code labels and validation messages come from ``fieldapp.domain.messages``;
they are not repeated here. A key with a ``.one`` variant is used when the count is 1.

    text("pin.wrong_attempts", "nb", count=4)  -> "Feil PIN. 4 forsøk igjen."
"""

from __future__ import annotations

from collections.abc import Callable

from fieldapp.domain.messages import code_label, error_message, field_label

from . import en, nb

LANGUAGES = ("nb", "en")
CATALOGS: dict[str, dict[str, str]] = {"nb": nb.STRINGS, "en": en.STRINGS}
PLURAL_PARAMS = ("count", "seconds", "days", "minutes")

__all__ = ["CATALOGS", "LANGUAGES", "Translate", "code_label", "error_message", "field_label",
           "text"]

Translate = Callable[..., str]  # text() with the language bound: t(key, **params)


def text(key: str, lang: str = "nb", **params: object) -> str:
    """The sentence for ``key`` in ``lang`` (bokmål when a key or language is missing)."""
    catalog = CATALOGS.get(lang, CATALOGS["nb"])
    if any(params.get(p) == 1 for p in PLURAL_PARAMS) and key + ".one" in catalog:
        key = key + ".one"
    template = catalog.get(key) or CATALOGS["nb"].get(key) or key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
