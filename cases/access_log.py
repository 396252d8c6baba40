"""The access log: one record per read of sensitive data, naming identifiers only."""

from cases.enums import AccessAction
from cases.models import AccessRecord


def record_access(
    request, action: AccessAction, *, case=None, person=None, obj=None, detail: str = "", user=None
) -> None:
    """``user``, for a read that a secret key authorises rather than a session (a calendar feed)."""
    user = user or request.user
    AccessRecord.objects.create(
        user=user if user.is_authenticated else None,
        username=user.get_username() if user.is_authenticated else "",
        action=action,
        case_id=case.pk if case else None,
        case_reference=case.reference if case else "",
        person_id=person.pk if person else None,
        person_codename=person.codename if person else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail[:200],
    )
