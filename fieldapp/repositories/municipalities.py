"""The municipalities this police contact serves, with the schools of each (check-in offers
them): ``lb.served``.

    lb.served.all()                       # [ServedMunicipality(code, name, schools), ...]
    lb.served.codes(); lb.served.schools()
    lb.served.replace([ServedMunicipality("1122", "Gjesdal", ("Gjesdal ungdomsskole",))])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .settings import SettingsDocument

KEY = "municipalities"  # [{"code", "name", "schools": [...]}, ...]


@dataclass(frozen=True)
class ServedMunicipality:
    code: str
    name: str
    schools: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "schools": list(self.schools)}

    @classmethod
    def from_json(cls, raw: Any) -> ServedMunicipality | None:
        if not isinstance(raw, Mapping):
            return None
        schools = raw.get("schools") or []
        return cls(code=str(raw.get("code") or ""), name=str(raw.get("name") or ""),
                   schools=tuple(str(s) for s in schools if isinstance(s, str)))

    def with_schools(self, names: Iterable[str]) -> ServedMunicipality:
        """The same municipality with ``names`` added to its schools (none removed; case is
        ignored when comparing)."""
        schools = list(self.schools)
        known = {s.casefold() for s in schools}
        for name in names:
            if name.casefold() not in known:
                schools.append(name)
                known.add(name.casefold())
        return ServedMunicipality(self.code, self.name, tuple(schools))


class ServedMunicipalities:
    def __init__(self, settings: SettingsDocument) -> None:
        self._settings = settings

    def all(self) -> list[ServedMunicipality]:
        raw = self._settings.get(KEY, [])
        found = (ServedMunicipality.from_json(m) for m in (raw if isinstance(raw, list) else []))
        return [m for m in found if m is not None]

    def codes(self) -> list[str]:
        return [m.code for m in self.all() if m.code]

    def get(self, code: str) -> ServedMunicipality | None:
        return next((m for m in self.all() if m.code == code), None)

    def schools(self) -> list[str]:
        """Every school of the municipalities served, in the configured order."""
        return [s for m in self.all() for s in m.schools]

    def replace(self, municipalities: Iterable[ServedMunicipality | Mapping[str, Any]]) -> None:
        """Serve exactly these (each a ServedMunicipality or its JSON form), in this order."""
        self._settings.write(self.changes_for(municipalities))

    def changes_for(self, municipalities: Iterable[ServedMunicipality | Mapping[str, Any]],
                    ) -> dict[str, Any]:
        """The settings change that ``replace`` would write (to write it with others)."""
        typed = (m if isinstance(m, ServedMunicipality) else ServedMunicipality.from_json(m)
                 for m in municipalities)
        return {KEY: [m.as_json() for m in typed if m is not None]}

    def add(self, code: str, name: str) -> bool:
        """Serve one more municipality (no schools yet); False when it is served already."""
        current = self.all()
        if any(m.code == code for m in current):
            return False
        self.replace([*current, ServedMunicipality(code, name)])
        return True
