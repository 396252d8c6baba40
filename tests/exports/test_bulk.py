"""Bulk export: only cases the requester may see, only the requester downloads, and the log matches the ZIP."""

import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.roles import ADVOCATES
from cases.models import AccessRecord, Case
from exports.models import ExportJob, ExportRecord
from exports.services import start_bulk_export
from tests.factories import CaseFactory


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _zip_of(client, job) -> bytes:
    return b"".join(client.get(f"/exports/jobs/{job.pk}/download/").streaming_content)


def test_bulk_export_from_the_admin_runs_in_the_background_and_gives_one_zip(
    client, alice, case, immediate_tasks, django_capture_on_commit_callbacks
):
    other = Case.objects.create(title="Another", reference="C-OTHER1")
    other.team.add(alice)
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/cases/case/",
            {
                "action": "export_selected",
                "_selected_action": [str(case.pk), str(other.pk)],
                "apply": "1",
                "level": "internal",
                "format": "docx",
                "purpose": "Archive for the lawyer",
            },
        )
    response = client.get(f"/exports/jobs/{ExportJob.objects.get().pk}/")

    job = ExportJob.objects.get()
    assert (job.status, job.done, job.total) == ("done", 2, 2)
    assert "Download the ZIP" in response.content.decode()
    archive = _zip_of(client, job)
    names = sorted(zipfile.ZipFile(io.BytesIO(archive)).namelist())
    assert names == sorted(f"{c.reference}-internal-{job.pk.hex[:8]}.docx" for c in (case, other))
    assert job.record.sha256 == hashlib.sha256(archive).hexdigest()
    assert ExportRecord.objects.get().case_references == sorted([case.reference, other.reference])


def test_bulk_export_leaves_out_a_case_of_another_team(
    alice, charlie, case, immediate_tasks, django_capture_on_commit_callbacks, client
):
    theirs = CaseFactory(title="Charlie's case", team=[charlie])
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        job = start_bulk_export(
            case_ids=[case.pk, theirs.pk], user=alice, level="internal", fmt="json", purpose="Archive"
        )
    archive = _zip_of(client, job)

    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert [name for name in names if theirs.reference in name] == []
    assert any(case.reference in name for name in names)
    job.refresh_from_db()
    assert job.record.sha256 == hashlib.sha256(archive).hexdigest()


def test_bulk_export_download_is_refused_to_another_user(
    alice, bob, case, immediate_tasks, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_bulk_export(case_ids=[case.pk], user=alice, level="internal", fmt="csv", purpose="Archive")
    client.force_login(bob)

    assert ExportJob.objects.get().status == "done"
    assert client.get(f"/exports/jobs/{job.pk}/download/").status_code == 404


def test_bulk_export_progress_page_is_only_for_the_user_who_asked(client, alice, bob, case):
    job = ExportJob.objects.create(
        user=alice, case_ids=[str(case.pk)], level="internal", format="pdf", purpose="x", total=1
    )
    client.force_login(bob)

    assert client.get(f"/exports/jobs/{job.pk}/").status_code == 404


def test_bulk_export_left_on_the_server_reveals_no_identity(
    alice, case, public_person, immediate_tasks, django_capture_on_commit_callbacks, client, settings
):
    # Identities are encrypted at rest in the database; a ZIP of them in plain files would undo that.
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_bulk_export(case_ids=[case.pk], user=alice, level="internal", fmt="json", purpose="Archive")
    assert "Canaryname" in _zip_text(_zip_of(client, job))

    stored = [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]

    assert [path.name for path in stored if "Canaryname" in _zip_text(path.read_bytes())] == []


def _stored_files(settings) -> list:
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def test_bulk_export_zip_is_deleted_when_its_download_window_ends(
    alice, case, immediate_tasks, django_capture_on_commit_callbacks, client, settings
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_bulk_export(case_ids=[case.pk], user=alice, level="internal", fmt="json", purpose="Archive")
    assert "deleted from the server on" in client.get(f"/exports/jobs/{job.pk}/").content.decode()
    assert len(_stored_files(settings)) == 1

    ExportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - timedelta(hours=24, minutes=1))
    page = client.get(f"/exports/jobs/{job.pk}/").content.decode()

    assert "The ZIP was deleted when its download window ended" in page
    assert client.get(f"/exports/jobs/{job.pk}/download/").status_code == 404
    assert _stored_files(settings) == []
    job.refresh_from_db()
    assert (job.status, ExportRecord.objects.filter(pk=job.record_id).count()) == ("expired", 1)


def test_expired_exports_command_deletes_only_what_is_past_its_window(
    alice, case, immediate_tasks, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        old = start_bulk_export(case_ids=[case.pk], user=alice, level="internal", fmt="csv", purpose="Old")
        fresh = start_bulk_export(case_ids=[case.pk], user=alice, level="internal", fmt="csv", purpose="Fresh")
    ExportJob.objects.filter(pk=old.pk).update(created_at=old.created_at - timedelta(hours=25))

    call_command("delete_expired_exports", stdout=io.StringIO())

    assert {job.purpose: job.status for job in ExportJob.objects.all()} == {"Old": "expired", "Fresh": "done"}
    fresh_file = ExportJob.objects.get(pk=fresh.pk).file.name
    assert [path.name for path in _stored_files(settings)] == [fresh_file.split("/")[-1]]


def test_bulk_export_still_downloads_after_key_rotation(
    alice, case, immediate_tasks, django_capture_on_commit_callbacks, client, settings
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_bulk_export(case_ids=[case.pk], user=alice, level="internal", fmt="json", purpose="Archive")
    old_key, new_key = settings.FIELD_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

    call_command("rotate_encryption_keys", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]

    job.refresh_from_db()
    archive = _zip_of(client, job)
    assert hashlib.sha256(archive).hexdigest() == job.record.sha256
    assert len(_stored_files(settings)) == 1


def _zip_text(content: bytes) -> str:
    if not zipfile.is_zipfile(io.BytesIO(content)):
        return ""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def test_a_zip_is_not_handed_to_someone_taken_off_a_case_s_team_since(
    alice, case, immediate_tasks, django_capture_on_commit_callbacks, client
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_bulk_export(case_ids=[case.pk], user=alice, level="internal", fmt="json", purpose="Archive")
    case.team.remove(alice)

    response = client.get(f"/exports/jobs/{job.pk}/download/", follow=True)

    assert "holds what you may no longer see" in response.content.decode()
    assert response.get("Content-Type", "").startswith("text/html")


def test_each_download_of_a_zip_is_logged(alice, case, immediate_tasks, django_capture_on_commit_callbacks, client):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_bulk_export(case_ids=[case.pk], user=alice, level="internal", fmt="json", purpose="Archive")
    job.refresh_from_db()
    before = AccessRecord.objects.filter(detail__startswith="bulk download").count()

    _zip_of(client, job)
    _zip_of(client, job)

    downloads = AccessRecord.objects.filter(detail__startswith="bulk download")
    assert downloads.count() - before == 2
    assert {(r.username, r.object_id) for r in downloads} == {("alice", str(job.record_id))}


def test_an_internal_zip_is_not_handed_to_someone_who_may_no_longer_see_identities(
    alice, case, immediate_tasks, django_capture_on_commit_callbacks, client
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_bulk_export(case_ids=[case.pk], user=alice, level="internal", fmt="json", purpose="Archive")
    alice.groups.set([Group.objects.get(name=ADVOCATES)])  # still on the team, now an advocate

    response = client.get(f"/exports/jobs/{job.pk}/download/", follow=True)

    assert "holds what you may no longer see" in response.content.decode()
