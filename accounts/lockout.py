"""What the lockout (django-axes) keeps of a failed login: who, from which address, on which page, when.

django-axes also stores each failed request's parameters (``get_data``, ``post_data``). Here those hold
what was typed: the page asked for in ``next`` (a search by a person's name, ``/cases/?q=…``), the wrong
second-factor code, sometimes a password typed into the wrong box. The lockout counts failures without
them, so they are emptied before every save, whichever path of django-axes writes the row.
"""

from axes.models import AccessAttempt
from django.db.models.signals import pre_save
from django.dispatch import receiver


@receiver(pre_save, sender=AccessAttempt, dispatch_uid="accounts.lockout.no_request_data")
def _store_no_request_data(sender, instance, **kwargs):
    instance.get_data = ""
    instance.post_data = ""
