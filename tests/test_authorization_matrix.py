"""Every URL, for every role: a case reaches only its team and administrators.

The URLs come from the URL configuration itself, so a new URL without a rule
here fails the suite instead of going unchecked.
"""

import contextlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

from accounts.roles import ADVOCATES
from cases.models import Case
from cases.services import delete_record
from exports.models import ExportJob
from imports.models import ImportJob, PersonMerge
from tests.evidence import pdf_naming
from tests.factories import (
    AppealFactory,
    AppealStepFactory,
    CaseFactory,
    DeadlineFactory,
    MembershipFactory,
    NameVariantFactory,
    OfficialResponseFactory,
    PersonIdentityFactory,
    SourceFactory,
    StatusChangeFactory,
    UserFactory,
)

SECRET_TITLE = "Canary title of a secret case"

# Admin URL names end in an action; each action has one rule below.
ADMIN_ACTIONS = ("changelist", "add", "change", "history", "delete", "deleted", "restore", "erase", "search")
ADMIN_MODEL_URL = re.compile(rf"^admin:[a-z_]+_(?P<model>[a-z]+)_(?P<action>{'|'.join(ADMIN_ACTIONS)})$")
# URLs that hold no case data, or only the user's own.
NO_CASE_DATA = {
    "login",
    "logout",
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:jsi18n",
    "admin:index",
    "admin:app_list",
    "admin:view_on_site",
    "front:home",
    "health",
    "two_factor_verify",
    "two_factor_setup",
    "set_language",
    "reminders:settings",
    "admin:imports_importjob_template",
}
# Opened by a secret key in the address, never by a session: without the key it is a 404 for everyone, signed
# in or not (tests/reminders/test_calendar_feed.py opens it with a key).
KEY_ONLY = {"reminders:calendar_feed"}
# Reachable without logging in. The language switcher is on the sign-in pages too (POST only: a GET is refused).
PUBLIC = {"login", "admin:login", "health", "logout", "admin:logout", "set_language"}
# Pages that list or search cases: an outsider gets the page, without the secret case.
LISTS = {"front:case_list", "front:deadlines", "front:figures", "front:figure_records", "admin:autocomplete"}
# What a list is asked for, where it needs asking: the records behind the count of appeals name their cases.
LIST_QUERIES = {
    "admin:autocomplete": "?app_label=cases&model_name=statuschange&field_name=person&term=",
    "front:figure_records": "?figure=appeals",
}
# Pages about one record of a case (or one user's export job).
RECORD_PAGES = {
    "front:case_timeline": "case",
    "front:person_detail": "person",
    "front:source_file": "source",
    "front:source_original": "source",
    "exports:job_status": "job",
    "exports:job_download": "job",
    # Imports are their uploader's alone; merges are for administrators.
    "admin:imports_importjob_job": "import",
    "admin:imports_personmerge_undo": "merge",
}
# Of those, pages that may name people (an original as uploaded, its metadata intact): the team's staff
# allowed identities and administrators get them; an advocate of the team is refused.
IDENTITY_PAGES = {"front:source_original"}
# State changes: a GET is refused outright (tests/exports checks the POST).
POST_ONLY = {"exports:case_export": "case", "exports:job_retry": "job", "front:figures_export": None}


def _url_names():
    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                yield from walk(pattern.url_patterns, inner)
            elif pattern.name:
                yield ":".join(filter(None, [namespace, pattern.name]))

    return sorted(set(walk(get_resolver().url_patterns, "")))


def test_every_url_has_an_access_rule():
    unruled = [
        name
        for name in _url_names()
        if name not in NO_CASE_DATA | KEY_ONLY | LISTS | set(RECORD_PAGES) | set(POST_ONLY)
        and not ADMIN_MODEL_URL.match(name)
    ]

    assert unruled == [], "Add an access rule for these URLs in tests/test_authorization_matrix.py"


@pytest.fixture
def world(alice, charlie, administrator):
    advocate = UserFactory(username="dana", role=ADVOCATES, is_staff=False)
    outsider_advocate = UserFactory(username="eve", role=ADVOCATES, is_staff=False)
    case = CaseFactory(title=SECRET_TITLE, team=[alice, advocate])
    identity = PersonIdentityFactory(legal_name="Canary Legalname")
    person = MembershipFactory(case=case, person=identity.person).person
    appeal = AppealFactory(case=case, title="Canary appeal title")
    records = {
        "case": case,
        "person": person,
        "personidentity": identity,
        "namevariant": NameVariantFactory(person=person, name="Канарейкин"),
        "casemembership": person.memberships.get(),
        "source": SourceFactory(
            case=case, title="Canary source title", file=SimpleUploadedFile("x.pdf", pdf_naming("Canary Author"))
        ),
        "statuschange": StatusChangeFactory(case=case, person=person, description="Canary description"),
        "appeal": appeal,
        "appealstep": AppealStepFactory(appeal=appeal),
        "deadline": DeadlineFactory(appeal=appeal, description="Canary deadline"),
        "officialresponse": OfficialResponseFactory(case=case, summary="Canary response"),
    }
    records["job"] = ExportJob.objects.create(
        user=alice, case_ids=[str(case.pk)], level="internal", format="pdf", purpose="Canary purpose", total=1
    )
    records["import"] = ImportJob.objects.create(
        user=alice, file_name="Canary list.xlsx", sha256="0" * 64, size=1, report={"errors": [], "notes": ["Canary"]}
    )
    records["merge"] = PersonMerge.objects.create(
        reason="Canary merge", survivor=person, survivor_codename=person.codename, absorbed_id=person.pk,
        absorbed_codename="CANARY-MERGED",
    )  # fmt: skip
    doomed = CaseFactory(title="Deleted canary case", team=[alice])
    doomed_id = doomed.pk
    delete_record(doomed, by=administrator, reason="test")
    users = {
        "password only": alice,
        "anonymous": None,
        "administrator": administrator,
        "member editor": alice,
        "outsider editor": charlie,
        "member advocate": advocate,
        "outsider advocate": outsider_advocate,
    }
    secrets = [SECRET_TITLE, case.reference, person.codename, "Canary", "Канарейкин"]
    return {
        "records": records,
        "users": users,
        "secrets": secrets,
        "deleted_history_id": Case.history.get(id=doomed_id, history_type="-").history_id,
    }


def _urls(world):
    records = world["records"]
    urls = []
    for name in _url_names():
        match = ADMIN_MODEL_URL.match(name)
        if name in RECORD_PAGES or name in POST_ONLY:
            kind = RECORD_PAGES.get(name) or POST_ONLY[name]
            urls.append((name, reverse(name, kwargs={f"{kind}_id": records[kind].pk} if kind else None)))
        elif name in LISTS:
            urls.append((name, reverse(name) + LIST_QUERIES.get(name, "")))
        elif name in NO_CASE_DATA | KEY_ONLY:
            with contextlib.suppress(NoReverseMatch):  # those that need arguments hold no case data either
                urls.append((name, reverse(name)))
        elif match and match["model"] in records:
            record = records[match["model"]]
            action = match["action"]
            if action in {"change", "history", "delete", "erase"}:
                urls.append((name, reverse(name, args=[record.pk])))
            elif action == "restore":
                urls.append((name, reverse(name, args=[world["deleted_history_id"]])))
            else:
                urls.append((name, reverse(name)))
    return urls


def _get(client, user, url, *, second_factor=True):
    client.logout()
    if user is not None and second_factor:
        client.force_login(user)
    elif user is not None:
        client.force_login_password_only(user)
    response = client.get(url)
    # Reading a stream to its end lets the test client close the response itself.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body.decode(errors="replace"), response.get("Location", "")


ROLE_NAMES = [
    "password only",
    "anonymous",
    "administrator",
    "member editor",
    "outsider editor",
    "member advocate",
    "outsider advocate",
]


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_case_data_reaches_only_the_team_and_administrators(client, world, role):
    user = world["users"][role]
    may_see = role in {"administrator", "member editor", "member advocate"}
    seen = []

    for name, url in _urls(world):
        status, body, location = _get(client, user, url, second_factor=role != "password only")
        assert status != 500, f"{role} {url}"
        if name in KEY_ONLY and role != "password only":
            assert (status, [s for s in world["secrets"] if s in body]) == (404, []), f"{role} {url}: {status}"
            continue
        if role == "password only":
            assert [s for s in world["secrets"] if s in body] == [], url
            if name not in PUBLIC | {"two_factor_verify", "two_factor_setup"}:
                assert status == 302 and location.startswith("/accounts/2fa/"), f"password-only reached {url}"
            continue
        if user is None:
            assert [s for s in world["secrets"] if s in body] == [], url
            if name not in PUBLIC:
                assert status == 302 and "login" in location, f"anonymous reached {url}: {status}"
            continue
        leaks = [s for s in world["secrets"] if s in body]
        if not may_see:
            assert leaks == [], f"{role} saw {leaks} at {url}"
            if name in RECORD_PAGES:
                # The admin sends those who are not staff to its login, whatever the address.
                expected = {404, 302} if name.startswith("admin:") and not user.is_staff else {404}
                assert status in expected, f"{role} {url}: {status}"
            if name in POST_ONLY:
                assert status == 405, f"{role} {url}: {status}"
        elif name in IDENTITY_PAGES and role == "member advocate":
            assert (status, leaks) == (403, []), f"{role} {url}: {status} {leaks}"
        elif status == 200 and leaks:
            seen.append(name)

    if role in {"administrator", "member editor"}:
        assert {"admin:cases_case_change", "admin:cases_statuschange_change", "front:case_timeline"} <= set(seen)
        assert set(seen) >= IDENTITY_PAGES
    if role == "member advocate":
        assert {"front:case_timeline", "front:case_list", "front:person_detail", "front:figure_records"} <= set(seen)


@pytest.mark.parametrize("role", ["outsider editor", "outsider advocate"])
def test_hidden_record_answers_exactly_like_a_missing_one(client, world, role):
    user = world["users"][role]
    for name, url in _urls(world):
        if not (name in RECORD_PAGES or (ADMIN_MODEL_URL.match(name) and name.endswith(("_change", "_history")))):
            continue
        record_id = str(next(v.pk for v in world["records"].values() if str(v.pk) in url))
        missing_url = url.replace(record_id, "00000000-0000-0000-0000-000000000000")

        hidden_status, _body, hidden_location = _get(client, user, url)
        missing_status, _body, missing_location = _get(client, user, missing_url)

        assert (hidden_status, bool(hidden_location)) == (missing_status, bool(missing_location)), url
