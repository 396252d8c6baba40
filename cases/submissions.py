"""One-time submission keys: a create form sent twice creates one record.

Every admin add form carries a fresh random key (cases.forms.ReasonForm). The record and its key are saved in one
transaction, so the key is kept exactly when the record is. When the same form comes again — the answer to the
first was lost (a worker died, the connection broke) and the user sent it again, or pressed Save twice — the key is
found and nothing is created; the user is told it was saved the first time. Two copies arriving at once both get
past the first look, but the key is the primary key: the second's insert waits for the first's transaction and
fails, rolling back its record.
"""

import uuid
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from cases.models import SubmissionKey

# How long a key is kept: long past any resubmission of the same form.
KEPT_FOR = timedelta(days=30)


def parse_key(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def earlier_submission(key, user) -> SubmissionKey | None:
    key = parse_key(key)
    if key is None:
        return None
    return SubmissionKey.objects.filter(key=key, user=user).select_related("content_type").first()


def remember_submission(key, user, record) -> None:
    """Keep the key with the record it created; call inside the transaction that saves the record."""
    key = parse_key(key)
    if key is None:
        return
    SubmissionKey.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    SubmissionKey.objects.create(
        key=key, user=user, content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk)
    )
