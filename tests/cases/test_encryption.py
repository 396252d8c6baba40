"""Identity at rest: encrypted in the main and history tables, erasable for good."""

import shutil
import subprocess
from datetime import date

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from cases.management.commands.backup_database import pg_environment
from cases.models import SYSTEM, IdentityErasure, NameVariant, Person, PersonIdentity
from cases.services import erase_identity, save_record
from tests.conftest import run_python
from tests.factories import MembershipFactory, NameVariantFactory, PersonIdentityFactory, StatusChangeFactory

CANARIES = {
    "legal_name": "Canarylegalname",
    "name_original_script": "Канареечный",
    "contacts": "canary-contact-5550199",
    "current_whereabouts": "canary-whereabouts-safehouse",
}


def _every_stored_text() -> str:
    """Every value of every column of every table, read with raw SQL."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names come from the schema itself
            chunks.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(chunks)


@pytest.fixture
def canary_person(db):
    identity = PersonIdentityFactory(**CANARIES, birth_date=date(2001, 7, 19), birth_year=2001)
    NameVariantFactory(person=identity.person, name="Канареечный Вариант")
    identity.contacts = CANARIES["contacts"] + " (updated)"
    save_record(identity, by=None, reason="New phone")
    return identity.person


def test_identity_reads_back_in_clear_through_the_orm(canary_person):
    identity = PersonIdentity.objects.get(person=canary_person)

    assert (identity.legal_name, identity.birth_date, identity.birth_year) == (
        "Canarylegalname",
        date(2001, 7, 19),
        2001,
    )
    assert [v.name for v in NameVariant.objects.filter(person=canary_person)] == ["Канареечный Вариант"]


def test_raw_sql_over_every_table_finds_no_identity_canary(canary_person):
    stored = _every_stored_text()

    for canary in [*CANARIES.values(), "Вариант", "2001-07-19"]:
        assert canary not in stored
    assert PersonIdentity.history.filter(person_id=canary_person.pk).count() == 2


def test_sqlite_file_holds_no_identity_canary(transactional_db, canary_person, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the file check is for the embedded SQLite database; PostgreSQL is covered by raw SQL")
    copy = tmp_path / "copy.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(copy)])

    raw = copy.read_bytes()

    assert canary_person.codename.encode() in raw  # the copy does hold the records
    for canary in CANARIES.values():
        assert canary.encode() not in raw


def test_values_written_with_an_old_key_still_read_after_rotation(canary_person, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert PersonIdentity.objects.get(person=canary_person).legal_name == "Canarylegalname"

    call_command("rotate_encryption_keys")
    settings.FIELD_ENCRYPTION_KEYS = [new_key]

    assert PersonIdentity.objects.get(person=canary_person).legal_name == "Canarylegalname"
    assert PersonIdentity.history.filter(person_id=canary_person.pk).first().legal_name == "Canarylegalname"


def test_erasure_removes_identity_from_live_and_history_tables(administrator, canary_person):
    encrypted_before = PersonIdentity.history.filter(person_id=canary_person.pk).count()

    erasure = erase_identity(canary_person, by=administrator, reason="The person asked us to forget them")

    assert not PersonIdentity.objects.filter(person=canary_person).exists()
    assert not NameVariant.objects.filter(person=canary_person).exists()
    leftovers = {
        (row.legal_name, row.contacts, row.current_whereabouts, row.birth_date)
        for row in PersonIdentity.history.filter(person_id=canary_person.pk)
    }
    assert leftovers == {("", "", "", None)}
    assert {row.name for row in NameVariant.history.filter(person_id=canary_person.pk)} == {""}
    assert list(Person.objects.matching("Canarylegalname", SYSTEM)) == []
    assert (erasure.person_codename, erasure.erased_by, erasure.history_rows_redacted) == (
        canary_person.codename,
        administrator,
        encrypted_before + 1 + 2,
    )


def test_erasure_keeps_the_case_facts_under_the_codename(administrator, case):
    person = MembershipFactory(case=case, person=PersonIdentityFactory().person).person
    change = StatusChangeFactory(case=case, person=person)

    erase_identity(person, by=administrator, reason="Consent withdrawn")

    assert change.__class__.objects.get(pk=change.pk).person.codename == person.codename
    assert IdentityErasure.objects.get().reason == "Consent withdrawn"


def test_access_and_erasure_records_are_append_only(administrator, canary_person):
    erasure = erase_identity(canary_person, by=administrator, reason="Asked to be forgotten")

    with pytest.raises(TypeError):
        erasure.save()
    with pytest.raises(TypeError):
        IdentityErasure.objects.all().delete()
    with pytest.raises(TypeError):
        IdentityErasure.objects.update(reason="changed")


def test_every_identity_column_is_encrypted():
    identity_fields = {
        "legal_name",
        "name_original_script",
        "birth_date",
        "birth_year",
        "contacts",
        "current_whereabouts",
    }
    model = apps.get_model("cases", "PersonIdentity")

    kinds = {f.name: type(f).__name__ for f in model._meta.fields if f.name in identity_fields}

    assert all(kind.startswith("Encrypted") for kind in kinds.values()), kinds
    assert type(NameVariant._meta.get_field("name")).__name__ == "EncryptedTextField"


def test_postgresql_dump_holds_no_identity_canary(transactional_db, canary_person):
    if connection.vendor != "postgresql":
        pytest.skip("the dump check is for PostgreSQL; SQLite is covered by the file check")
    settings_dict = connection.settings_dict
    dump = subprocess.run(  # noqa: S603 - pg_dump with fixed arguments, on the test database
        [shutil.which("pg_dump"), "--format=plain", "--data-only", settings_dict["NAME"]],
        env=pg_environment(settings_dict),
        capture_output=True,
        check=True,
    ).stdout

    assert canary_person.codename.encode() in dump  # the dump does hold the records
    for canary in CANARIES.values():
        assert canary.encode() not in dump


# Records someone, makes sure they reached the database file itself (as they have in a register in use
# for a while), erases them, and prints what each file holds of the encrypted values afterwards.
ERASE_AND_LOOK = """
from pathlib import Path
from django.db import connection
from cases.services import add_person, erase_identity

person = add_person(by=None, reason="New person", identity={"legal_name": "Canary Erasedname"},
                    names=[("Канареечный Стёртый", "cyrillic", "original")])
with connection.cursor() as cursor:
    cursor.execute("SELECT legal_name FROM cases_personidentity UNION ALL SELECT name FROM cases_namevariant")
    encrypted = [row[0].encode() for row in cursor.fetchall()]
    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
erase_identity(person, by=None, reason="The person asked us to forget them")
for file in sorted(Path(connection.settings_dict["NAME"]).parent.glob("db.sqlite3*")):
    content = file.read_bytes()
    print(file.name, sum(value in content for value in encrypted))
"""


def test_erased_identity_is_gone_from_the_sqlite_file_and_its_write_ahead_log(sqlite_file):
    output, errors = run_python(sqlite_file, ERASE_AND_LOOK).communicate(timeout=60)

    found = dict(line.split() for line in output.splitlines())
    assert errors == ""
    assert found["db.sqlite3"] == "0"
    assert found.get("db.sqlite3-wal", "0") == "0"
