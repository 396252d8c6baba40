"""Names found in any script: Исаев, Isaev and Isayev are the same person."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from cases.enums import Script
from cases.models import SYSTEM, NameKey, Person
from cases.services import save_record
from tests.factories import MembershipFactory, NameVariantFactory, PersonIdentityFactory


@pytest.fixture
def isaev(db):
    variant = NameVariantFactory(name="Исмаил Исаев", script=Script.CYRILLIC)
    return variant.person


@pytest.mark.parametrize("typed", ["Isayev", "Isaev", "ISAEV", "Исаев", "isaev ismail", "Ismail Isayev"])
def test_person_is_found_by_any_spelling_of_a_cyrillic_name(isaev, typed):
    assert list(Person.objects.matching(typed, SYSTEM)) == [isaev]


@pytest.mark.parametrize("typed", ["Jabrailov", "Djabrailov", "Dzhabrailov", "Джабраилов", "Dzhokhar Jabrailov"])
def test_dzh_is_found_however_the_press_spells_it(db, typed):
    # Дж: "Dzh" in the standard schemes, "Dj" or "J" in the press and in passports issued abroad.
    person = NameVariantFactory(name="Джохар Джабраилов", script=Script.CYRILLIC).person

    assert list(Person.objects.matching(typed, SYSTEM)) == [person]


@pytest.mark.parametrize(
    ("recorded", "typed"),
    [("Абраилов", "Dzhabrailov"), ("Ябраилов", "Djabrailov"), ("Хаиев", "Khadzhiev"), ("Хаджиев", "Khaiev")],
)
def test_dzh_is_not_folded_away_into_another_name(db, recorded, typed):
    NameVariantFactory(name=recorded, script=Script.CYRILLIC)

    assert list(Person.objects.matching(typed, SYSTEM)) == []


def test_name_index_rebuilds_change_nothing_when_the_key_store_cannot_open_the_names(db, settings, tmp_path):
    from importlib import import_module

    from django.apps import apps

    rebuild = import_module("cases.migrations.0025_name_keys_fold_dzh").rebuild_name_keys
    person = NameVariantFactory(name="Джабраилов", script=Script.CYRILLIC).person
    keys_before = set(NameKey.objects.values_list("person_id", "digest"))
    settings.KEY_STORE_PATH = str(tmp_path / "another-key-store.sqlite3")

    with pytest.raises(ImproperlyConfigured, match="cannot be opened with the key store"):
        rebuild(apps, None)
    with pytest.raises(CommandError, match="cannot be opened with the key store"):
        call_command("rebuild_name_index", stdout=io.StringIO())

    assert set(NameKey.objects.values_list("person_id", "digest")) == keys_before
    assert NameKey.objects.filter(person=person).exists()


def test_the_dzh_migration_passes_over_names_whose_key_was_destroyed(db):
    from importlib import import_module

    from django.apps import apps

    from cases import keystore

    rebuild = import_module("cases.migrations.0025_name_keys_fold_dzh").rebuild_name_keys
    kept = NameVariantFactory(name="Джабраилов", script=Script.CYRILLIC).person
    destroyed = NameVariantFactory(name="Исаев", script=Script.CYRILLIC).person
    keystore.destroy(destroyed.pk)

    rebuild(apps, None)

    assert list(Person.objects.matching("Jabrailov", SYSTEM)) == [kept]
    assert not NameKey.objects.filter(person=destroyed).exists()


def test_the_migration_that_brought_the_dzh_fold_rebuilds_keys_written_before_it(db):
    from importlib import import_module

    from django.apps import apps

    rebuild = import_module("cases.migrations.0025_name_keys_fold_dzh").rebuild_name_keys
    identity = PersonIdentityFactory(legal_name="Jokhar Jabrailov", name_original_script="")
    person = NameVariantFactory(name="Джабраилов", script=Script.CYRILLIC, person=identity.person).person
    NameVariantFactory(name="Исаев", script=Script.CYRILLIC)
    NameKey.objects.filter(person=person).delete()
    NameKey.objects.create(person=person, digest="written-under-an-older-skeleton")

    rebuild(apps, None)

    assert list(Person.objects.matching("Dzhabrailov", SYSTEM)) == [person]
    assert list(Person.objects.matching("Dzhokhar", SYSTEM)) == [person]
    assert not NameKey.objects.filter(digest="written-under-an-older-skeleton").exists()
    assert Person.objects.matching("Isayev", SYSTEM).count() == 1


@pytest.mark.parametrize("typed", ["Ivanov", "Isa", "Ismail Magamadov"])
def test_person_is_not_found_by_other_names(isaev, typed):
    assert list(Person.objects.matching(typed, SYSTEM)) == []


def test_person_is_found_by_codename(isaev):
    assert list(Person.objects.matching(isaev.codename.lower(), SYSTEM)) == [isaev]


def test_cyrillic_spelling_variants_are_found_when_recorded(isaev):
    NameVariantFactory(person=isaev, name="Салех Магомадов")

    assert list(Person.objects.matching("Magomadov", SYSTEM)) == [isaev]
    assert list(Person.objects.matching("Магомадов", SYSTEM)) == [isaev]


def test_identity_names_are_searchable_and_keys_follow_edits(db):
    identity = PersonIdentityFactory(legal_name="Maxim Lapunov")
    person = identity.person
    assert list(Person.objects.matching("Lapunov", SYSTEM)) == [person]

    identity.legal_name = "Maksim Lapunov"
    save_record(identity, by=None, reason="Spelling as in the judgment")

    assert list(Person.objects.matching("Maksim", SYSTEM)) == [person]
    assert list(Person.objects.matching("Maxim", SYSTEM)) == []


def test_search_index_stores_no_name_in_clear(isaev):
    stored = " ".join(NameKey.objects.values_list("digest", flat=True)).lower()

    assert stored
    for fragment in ("isaev", "isayev", "исаев", "ismail"):
        assert fragment not in stored
    with connection.cursor() as cursor:
        cursor.execute("SELECT digest FROM cases_namekey")
        assert all(len(row[0]) == 40 for row in cursor.fetchall())


def test_admin_search_finds_the_case_by_a_name_variant(client, alice, case):
    MembershipFactory(case=case, person=NameVariantFactory(name="Исмаил Исаев").person)
    client.force_login(alice)

    found = client.get("/admin/cases/case/", {"q": "Isayev"}).context["cl"].result_list
    not_found = client.get("/admin/cases/case/", {"q": "Lapunov"}).context["cl"].result_list

    assert list(found) == [case]
    assert list(not_found) == []


def test_name_index_is_rebuilt_under_a_new_search_key(isaev, settings):
    settings.NAME_SEARCH_KEY = "a-new-name-search-key-of-enough-length"
    assert list(Person.objects.matching("Isayev", SYSTEM)) == []

    call_command("rebuild_name_index", stdout=io.StringIO())

    assert list(Person.objects.matching("Isayev", SYSTEM)) == [isaev]


@pytest.mark.parametrize("read_once", [500, 2])
def test_a_search_lists_and_counts_the_same_matches_whether_read_once_or_not(
    client, alice, charlie, monkeypatch, read_once
):
    from cases import models
    from tests.factories import CaseFactory

    # Below the limit the matches are read once and listed by id; above it, the list keeps the search itself.
    monkeypatch.setattr(models, "MATCHES_READ_ONCE", read_once)
    ours = [CaseFactory(title=f"Raid on the Grozny flat {n}", team=[alice]) for n in range(3)]
    CaseFactory(title="Raid on the Grozny flat of another team", team=[charlie])
    CaseFactory(title="Nothing alike", team=[alice])
    client.force_login(alice)

    changelist = client.get("/admin/cases/case/", {"q": "Grozny flat"}).context["cl"]

    assert changelist.result_count == 3
    assert sorted(c.pk for c in changelist.result_list) == sorted(c.pk for c in ours)


def test_an_editors_person_search_lists_the_people_of_their_cases_only(client, alice, charlie, case, isaev):
    from tests.factories import CaseFactory

    MembershipFactory(case=case, person=isaev)
    elsewhere = NameVariantFactory(name="Ахмед Исаев", script=Script.CYRILLIC).person
    MembershipFactory(case=CaseFactory(team=[charlie]), person=elsewhere)
    client.force_login(alice)

    changelist = client.get("/admin/cases/person/", {"q": "Isayev"}).context["cl"]

    assert (changelist.result_count, list(changelist.result_list)) == (1, [isaev])
