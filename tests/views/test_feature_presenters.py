"""The small flet-free presenters of observations, crisis, U18 and settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fieldapp.domain import Consent, CrisisContact, Observation
from fieldapp.domain.consent_status import ConsentStatus
from fieldapp.repositories import ServedMunicipality
from views import strings
from views.crisis import presenter as crisis
from views.observations import presenter as observations
from views.settings import presenter as settings
from views.u18 import presenter as u18

NOW = datetime(2027, 3, 10, 12, tzinfo=UTC)


def test_observation_detail_line_and_order():
    t = lambda key, **kw: strings.text(key, "nb", **kw)  # noqa: E731
    early = Observation(place="Torget", observed_at=NOW - timedelta(hours=2), youth_count=1)
    late = Observation(place="Parken", observed_at=NOW)
    assert observations.newest_first([early, late]) == [late, early]
    assert observations.detail_line(late, "nb", t) == ""
    assert observations.detail_line(early, "nb", t) == t("obs.count_line", count=1)


def test_crisis_contacts_match_by_name_role_or_organisation():
    contact = CrisisContact(name="Kari Nordmann", role="kommuneoverlege", organisation="Gjesdal")
    assert crisis.matches(contact, "", "nb") and crisis.matches(contact, " kari ", "nb")
    assert crisis.matches(contact, "gjesdal", "nb") and not crisis.matches(contact, "Ola", "nb")
    assert crisis.role_line(contact, "nb").endswith(" · Gjesdal")


def test_a_consent_not_yet_in_force_is_withdrawn_from_its_start():
    consent = Consent(given_at=NOW + timedelta(days=2))
    assert u18.withdrawal_moment(consent, NOW) == consent.given_at
    assert u18.can_withdraw(consent, ConsentStatus.FUTURE)
    assert not u18.can_withdraw(consent, ConsentStatus.EXPIRED)


def test_served_municipalities_add_replace_and_remove():
    served = [ServedMunicipality("1122", "Gjesdal", ())]
    assert settings.has_gjesdal(served) and not settings.has_gjesdal([])
    added = settings.with_municipality(served, "Stjørdal", "5035", "A skole, , B skole")
    assert added[-1] == ServedMunicipality("5035", "Stjørdal", ("A skole", "B skole"))
    replaced = settings.with_municipality(added, "Gjesdal kommune", "1122", "")
    assert [m.code for m in replaced] == ["5035", "1122"]
    assert settings.without(replaced, "5035") == [replaced[-1]]
