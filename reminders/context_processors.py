from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from reminders.deadlines import DUE_SOON_DAYS, due_counts


def deadlines_due(request):
    """The counts the navigation shows, computed only when a page draws them (never on the sign-in pages)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def counts():
        return due_counts(user, today=timezone.localdate(), days_ahead=DUE_SOON_DAYS)

    return {"deadlines_due": SimpleLazyObject(counts)}
