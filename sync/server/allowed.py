"""What of a pushed item may be kept beside the gate's decision (the intake's helpers).

``within`` refuses an item that carries any key the consent gate would not let go (also
inside nested items), with the gate's reason for that field; ``without_name`` takes the
giver's name off an older consent revision arriving late.
"""

from __future__ import annotations

from fieldapp.domain.consent import Decision

from .checks import Refused


def without_name(decision: Decision) -> Decision:
    """An older revision of a consent arriving late never carries the giver's name."""
    if decision.payload is None or "given_by" not in decision.payload:
        return decision
    payload = {k: v for k, v in decision.payload.items() if k != "given_by"}
    return Decision(decision.record_id, decision.kind, decision.recipient, True, payload,
                    decision.shared, decision.withheld, decision.basis, decision.consent_ids,
                    decision.reason, decision.personal_shared)


def within(received: object, allowed: object, decision: Decision, path: str) -> None:
    """Every key the phone sent must be one the gate lets go (also inside nested items)."""
    if isinstance(received, dict):
        if isinstance(allowed, dict) and received.keys() <= allowed.keys():
            # every key may go: only what is nested inside needs a look
            for key, value in received.items():
                if isinstance(value, dict | list):
                    within(value, allowed[key], decision, path + key)
            return
        for key, value in received.items():
            name = path + key
            if not isinstance(allowed, dict) or key not in allowed:
                reason = next((w.reason for w in decision.withheld if w.field == name),
                              "field_not_allowed")
                raise Refused(reason)
            within(value, allowed[key], decision, name)
    elif isinstance(received, list) and isinstance(allowed, list):
        for i, value in enumerate(received):
            if isinstance(value, dict):
                if i >= len(allowed):
                    raise Refused("field_not_allowed")
                within(value, allowed[i], decision, f"{path}[{i}].")
