"""Vocabularies of imports and merges."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class JobStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded: columns to check")
    CHECKING = "checking", _("Checking every row (nothing is written)")
    CHECKED = "checked", _("Checked: waiting for your confirmation")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    REFUSED = "refused", _("Refused: nothing was written")
    STOPPED = "stopped", _("Stopped: nothing was written")
    CANCELLED = "cancelled", _("Cancelled")


class Outcome(models.TextChoices):
    CREATE = "create", _("will create")
    UPDATE = "update", _("will update")
    UNCHANGED = "unchanged", _("unchanged")
    ERROR = "error", _("error")
    BLOCKED = "blocked", _("waits for a row with an error")


# A row's outcome once the import is done: what was, not what will be.
_DONE = {Outcome.CREATE: _("created"), Outcome.UPDATE: _("updated")}


def outcome_label(outcome: str, *, done: bool) -> str:
    outcome = Outcome(outcome)
    return str(_DONE.get(outcome, outcome.label) if done else outcome.label)


def outcome_count(outcome: str, number: int, *, done: bool) -> str:
    """How many rows had this outcome, in words that agree with the number in every language."""
    outcome = Outcome(outcome)
    if outcome == Outcome.CREATE:
        text = (
            ngettext("%(count)d created", "%(count)d created", number)
            if done
            else ngettext("%(count)d to create", "%(count)d to create", number)
        )
    elif outcome == Outcome.UPDATE:
        text = (
            ngettext("%(count)d updated", "%(count)d updated", number)
            if done
            else ngettext("%(count)d to update", "%(count)d to update", number)
        )
    elif outcome == Outcome.UNCHANGED:
        text = ngettext("%(count)d unchanged", "%(count)d unchanged", number)
    elif outcome == Outcome.ERROR:
        text = ngettext("%(count)d error", "%(count)d errors", number)
    else:
        text = ngettext("%(count)d waits for a row with an error", "%(count)d wait for a row with an error", number)
    return text % {"count": number}
