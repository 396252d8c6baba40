"""Files at rest are the server account's alone: the database and its journal, attached files, export ZIPs.

Another account on the server (a shared host, a compromised service, a backup agent) must not read them,
whatever umask the service was started with.
"""

import os
import stat
import time

import pytest

from tests.conftest import run_python

# A process of the application: it attaches evidence, exports the case in bulk and re-encrypts the stored
# files (key rotation writes them anew), then holds the database open, its journal in place, while the files
# are looked at.
APPLICATION = """
import sys, time
from pathlib import Path
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from cases.services import add_source, open_case
from exports.services import start_bulk_export
from tests.evidence import pdf_naming
from tests.factories import UserFactory

signals = Path(sys.argv[1])
alice = UserFactory(username="alice")
with transaction.atomic():
    case = open_case(by=alice, reason="New case", title="Seized at a safe house")
    pdf = SimpleUploadedFile("letter.pdf", pdf_naming("Letter"))
    add_source(by=alice, reason="Letter", case=case, source_type="court_document", title="Letter", file=pdf)
    start_bulk_export(case_ids=[case.pk], user=alice, level="internal", fmt="json", purpose="Archive")
call_command("rotate_encryption_keys", verbosity=0)
(signals / "ready").touch()
while not (signals / "done").exists():
    time.sleep(0.05)
"""


@pytest.fixture
def usual_umask():
    """The umask most services start with, 022 (new files readable by every account), whatever this run's is."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _modes(folder) -> dict[str, int]:
    return {
        str(path.relative_to(folder)): stat.S_IMODE(path.stat().st_mode)
        for path in [
            folder / "media",
            *folder.glob("db.sqlite3*"),
            *folder.glob("keys.sqlite3*"),
            *folder.rglob("media/**/*"),
        ]
    }


def _wait_for(path, process, seconds=60):
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, "the application did not get ready"
        time.sleep(0.05)


def test_database_journal_attachments_and_exports_are_readable_by_the_server_account_only(
    usual_umask, sqlite_file, tmp_path
):
    signals = tmp_path / "signals"
    signals.mkdir()
    application = run_python(
        {**sqlite_file, "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}, APPLICATION, str(signals)
    )
    try:
        _wait_for(signals / "ready", application)
        modes = _modes(tmp_path)
    finally:
        (signals / "done").touch()
        application.communicate(timeout=60)

    folders = {name for name in modes if (tmp_path / name).is_dir()}
    assert {"db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm", "media"} <= set(modes)
    # The original as uploaded and the copy served without its metadata.
    assert len([name for name in modes if name.startswith("media/sources/")]) == 2
    assert len([name for name in modes if name.startswith("media/exports/") and name.endswith(".zip.enc")]) == 1
    assert {name: oct(mode) for name, mode in modes.items() if name in folders} == {
        name: oct(0o700) for name in folders
    }
    assert {name: oct(mode) for name, mode in modes.items() if name not in folders} == {
        name: oct(0o600) for name in modes if name not in folders
    }


def test_a_database_an_earlier_version_left_readable_to_others_is_narrowed_when_opened(
    usual_umask, sqlite_file, tmp_path
):
    database = tmp_path / "db.sqlite3"
    database.chmod(0o644)

    opened = run_python(sqlite_file, "from django.db import connection\nconnection.ensure_connection()")
    _output, errors = opened.communicate(timeout=60)

    assert (opened.returncode, errors) == (0, "")
    assert oct(stat.S_IMODE(database.stat().st_mode)) == oct(0o600)
