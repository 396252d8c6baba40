"""Who changed a record and why, attached to every history row.

django-simple-history takes the user from the request and the reason from the
instance. Records changed as a side effect (cascaded deletes, derived rows,
records saved by a command) have neither, so the services also put the user and
reason of the whole operation in a context that every history row falls back on.
"""

import contextvars
from contextlib import contextmanager

from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_field_name

_attribution: contextvars.ContextVar = contextvars.ContextVar("history_attribution", default=None)


@contextmanager
def attributed(user, reason: str):
    token = _attribution.set((user, reason))
    try:
        yield
    finally:
        _attribution.reset(token)


class AuditedHistory(HistoricalRecords):
    def get_change_reason_for_object(self, instance, history_type, using):
        reason = super().get_change_reason_for_object(instance, history_type, using)
        if reason:
            return reason
        context = _attribution.get()
        return context[1] if context else None

    def get_history_user(self, instance):
        context = _attribution.get()
        if context and not hasattr(instance, "_history_user"):
            return context[0]
        return super().get_history_user(instance)

    def create_historical_record_m2ms(self, history_instance, instance):
        # simple-history reads each link joined to both of its related rows; the snapshot needs only the keys.
        for field in history_instance._history_m2m_fields:
            m2m_history_model = self.m2m_models[field]
            through_model = getattr(instance, field.name).through
            attnames = [f.attname for f in through_model._meta.fields]
            links = through_model.objects.filter(**{get_m2m_field_name(field): instance}).values_list(*attnames)
            m2m_history_model.objects.bulk_create(
                m2m_history_model(history=history_instance, **dict(zip(attnames, link, strict=True))) for link in links
            )
