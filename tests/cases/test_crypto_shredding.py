"""Erasure reaches every copy: each person's identity is under a key of their own, and erasure destroys it."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast

from cases import keystore
from cases.crypto import unseal
from cases.enums import Consent, Level
from cases.models import SYSTEM, Case, NameKey, NameVariant, Person, PersonIdentity
from cases.services import erase_identity, mentions_of, save_record
from exports.enums import JobStatus
from exports.models import ExportJob
from exports.services import export_case, start_bulk_export
from tests.factories import (
    CaseFactory,
    MembershipFactory,
    NameVariantFactory,
    PersonIdentityFactory,
    StatusChangeFactory,
)

ERASED = {"legal_name": "Zaremaerasedname", "contacts": "erased-contact-0177", "current_whereabouts": "erased-hideout"}
KEPT = {"legal_name": "Keptlegalname", "contacts": "kept-contact-0188"}


def _stored(model, person):
    """The identity columns as they are in the database: tokens, not the names."""
    return list(
        model._base_manager.filter(person_id=person.pk)
        .annotate(stored=Cast("legal_name" if model is PersonIdentity else "name", output_field=TextField()))
        .values_list("stored", flat=True)
    )


@pytest.fixture
def two_people(alice, case):
    erased = PersonIdentityFactory(**ERASED).person
    NameVariantFactory(person=erased, name="Зарема Стертая")
    kept = PersonIdentityFactory(**KEPT).person
    for person in (erased, kept):
        person.consent_partner_sharing = Consent.GIVEN
        save_record(person, by=alice, reason="Consent")
        MembershipFactory(case=case, person=person)
    return erased, kept


def test_each_identity_is_under_its_own_person_s_key(two_people):
    erased, kept = two_people

    (stored,) = _stored(PersonIdentity, erased)

    assert stored.startswith(f"p:{erased.pk}:")
    assert unseal(stored) == ERASED["legal_name"]
    assert unseal(_stored(PersonIdentity, kept)[0]) == KEPT["legal_name"]


def test_erasure_makes_copies_it_cannot_reach_unreadable_at_once(administrator, two_people):
    erased, kept = two_people
    copies = _stored(PersonIdentity, erased) + _stored(NameVariant, erased)  # as in a backup, a dead row, the WAL
    assert [unseal(copy) for copy in copies] == [ERASED["legal_name"], "Зарема Стертая"]

    erase_identity(erased, by=administrator, reason="Asked to be forgotten")

    assert [unseal(copy) for copy in copies] == [None, None]
    assert keystore.is_erased(erased.pk)
    assert PersonIdentity.objects.get(person=kept).legal_name == KEPT["legal_name"]


def test_rotation_rewraps_person_keys_without_touching_the_rows(two_people, settings):
    from cryptography.fernet import Fernet

    erased, _kept = two_people
    before = _stored(PersonIdentity, erased)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.FIELD_ENCRYPTION_KEYS]

    call_command("rotate_encryption_keys")
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    keystore._cache.clear()

    assert _stored(PersonIdentity, erased) == before
    assert PersonIdentity.objects.get(person=erased).legal_name == ERASED["legal_name"]


def test_nothing_more_is_recorded_under_an_erased_identity(administrator, two_people):
    erased, _kept = two_people
    erase_identity(erased, by=administrator, reason="Asked to be forgotten")

    with pytest.raises(Exception, match="identity was erased"):
        PersonIdentityFactory(person=erased, legal_name="Again")


def test_erasure_deletes_bulk_exports_holding_the_person_s_cases(alice, administrator, two_people, case, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    erased, _kept = two_people
    other = CaseFactory(title="Unrelated", team=[alice])
    holding = start_bulk_export(case_ids=[case.pk], user=alice, level=Level.INTERNAL, fmt="pdf", purpose="Lawyer")
    unrelated = start_bulk_export(case_ids=[other.pk], user=alice, level=Level.INTERNAL, fmt="pdf", purpose="Lawyer")
    erase_identity(erased, by=administrator, reason="Asked to be forgotten")

    holding, unrelated = ExportJob.objects.get(pk=holding.pk), ExportJob.objects.get(pk=unrelated.pk)
    assert (holding.status, bool(holding.file)) == (JobStatus.EXPIRED, False)
    assert (unrelated.status, bool(unrelated.file)) == (JobStatus.DONE, True)


def test_mentions_in_free_text_are_listed_for_review(alice, two_people, case):
    erased, _kept = two_people
    report = StatusChangeFactory(case=case, person=erased, description="Zaremaerasedname was seen in Grozny")
    StatusChangeFactory(case=case, person=erased, description="Seen at the station")

    found = mentions_of(erased)

    assert [(type(m.record).__name__, m.field, m.record.pk) for m in found] == [
        ("StatusChange", "description", report.pk)
    ]


@pytest.mark.django_db(transaction=True)
def test_an_old_backup_restored_beside_the_key_store_holds_nothing_of_the_erased(
    tmp_path, administrator, alice, settings
):
    """Backed up, erased, then the old backup restored: the erased person is gone, everyone else is back."""
    case = CaseFactory(title="Restored case", team=[alice])
    erased = PersonIdentityFactory(**ERASED).person
    NameVariantFactory(person=erased, name="Зарема Стертая")
    kept = PersonIdentityFactory(**KEPT).person
    for person in (erased, kept):
        person.consent_partner_sharing = Consent.GIVEN
        save_record(person, by=alice, reason="Consent")
        MembershipFactory(case=case, person=person)
    backup = tmp_path / ("backup.sqlite3" if connection.vendor == "sqlite" else "backup.dump")
    call_command("backup_database", output=str(backup))

    erase_identity(erased, by=administrator, reason="Asked to be forgotten")
    call_command("restore_database", str(backup), yes=True)

    assert PersonIdentity.objects.filter(person=erased).count() == 0
    assert NameKey.objects.filter(person=erased).count() == 0
    assert Person.objects.matching("Zaremaerasedname", SYSTEM).count() == 0
    assert Person.objects.matching("Keptlegalname", SYSTEM).get() == kept
    assert [row.legal_name for row in PersonIdentity.history.filter(person_id=erased.pk)] == [""] * len(
        PersonIdentity.history.filter(person_id=erased.pk)
    )
    document = json.loads(
        export_case(
            case_id=Case.objects.get(pk=case.pk).pk, user=administrator, level="internal", fmt="json", purpose="Check"
        ).content
    )
    text = json.dumps(document, ensure_ascii=False)
    assert "Zaremaerasedname" not in text and "erased-contact" not in text and "Стертая" not in text
    assert KEPT["legal_name"] in text
