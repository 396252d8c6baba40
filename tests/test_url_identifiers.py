"""No address leads to a person or a case by a number one could count up: their ids are random UUIDs.

Sequential numbers appear only on administrators' pages (the history rows of deleted records, the
access log, erasure records, second-factor devices), which refuse everyone else.
"""

import uuid

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from cases.models import AccessRecord, Case
from cases.services import delete_record

OUR_APPS = {"accounts", "cases", "appeals", "exports", "reminders", "front"}
# Administrators' pages and never-shown derived rows, with why a number is harmless there.
COUNTED_FOR_ADMINISTRATORS_ONLY = {
    "deleted/<int:history_id>/restore/",  # a deleted record's history row, restored by administrators
}
NOT_UUID_MODELS = {
    "cases.PersonIdentity": "its key is the person's UUID",
    "cases.NameKey": "derived search keys, never in an address",
    "cases.VisiblePerson": "derived: who may see whom, keyed by user and person, never in an address",
    "cases.AccessRecord": "the access log, read by administrators only",
    "cases.IdentityErasure": "erasure records, read by administrators only",
    "accounts.AuthenticatorApp": "a second-factor device: django-otp keeps it in the session by a whole-number id",
    "accounts.RecoveryCodes": "a second-factor device: django-otp keeps it in the session by a whole-number id",
    "accounts.RecoveryCode": "a digest inside a set of recovery codes, never in an address",
    "exports.Worker": "a background worker, by the id django-tasks-db gives it; never in an address",
    "accounts.LanguagePreference": "its key is the user's; a person's language choice is never in an address",
    "reminders.ReminderSettings": "a user's own settings, found by their session or their calendar key, never by id",
    "reminders.DigestDelivery": "a record that a digest went out, never in an address",
    "exports.RecordsChange": "a note that records were written, by the database's triggers; never in an address",
    "exports.CountedFigures": "counts kept for a figures page, found by their scope; never in an address",
}


def _routes(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def test_sequential_numbers_in_addresses_are_only_on_administrators_pages():
    counted = [route for route in _routes(get_resolver()) if "<int:" in route]

    assert counted
    assert [r for r in counted if not any(allowed in r for allowed in COUNTED_FOR_ADMINISTRATORS_ONLY)] == []


def test_records_of_people_and_cases_have_random_uuids():
    others = {
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and not model.__name__.startswith("Historical")
        and not (model._meta.pk.get_internal_type() == "UUIDField" and model._meta.pk.default is uuid.uuid4)
    }

    assert others == set(NOT_UUID_MODELS)


def test_counted_pages_refuse_everyone_but_administrators(alice_client, alice, administrator, case):
    record = AccessRecord.objects.create(user=alice, username="alice", action="view_case")
    case_id = case.pk
    delete_record(case, by=administrator, reason="Opened by mistake")
    deletion = Case.history.get(id=case_id, history_type="-")

    restore = alice_client.get(f"/admin/cases/case/deleted/{deletion.history_id}/restore/")
    access_record = alice_client.get(f"/admin/cases/accessrecord/{record.pk}/change/")

    assert (restore.status_code, access_record.status_code) == (403, 403)
