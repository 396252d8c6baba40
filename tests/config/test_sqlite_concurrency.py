"""The embedded SQLite default holds a few people saving at once: each waits its turn, none gets an error.

Writers are separate processes on one database file, as gunicorn workers and the export worker are, and
each saves through the services staff use.
"""

import time

from tests.conftest import run_python

WRITERS = 5
PEOPLE_PER_WRITER = 10

# Each writer says it is ready, waits for the others, then records people with their identities.
WRITER = """
import sys, time
from pathlib import Path
from cases.services import add_person

writer, count, folder = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
(folder / f"ready-{writer}").touch()
while not (folder / "go").exists():
    time.sleep(0.01)
for number in range(count):
    add_person(by=None, reason="Concurrent writer", identity={"legal_name": f"Writer {writer} person {number}"})
"""

COUNT = """
from cases.models import Person, PersonIdentity
print(Person.objects.count(), PersonIdentity.objects.count())
"""


def _wait_for(paths, seconds=60):
    deadline = time.monotonic() + seconds
    while not all(path.exists() for path in paths):
        assert time.monotonic() < deadline, "the writers did not start"
        time.sleep(0.05)


def test_concurrent_writers_all_land_without_database_is_locked(sqlite_file, tmp_path):
    writers = [
        run_python(sqlite_file, WRITER, str(number), str(PEOPLE_PER_WRITER), str(tmp_path)) for number in range(WRITERS)
    ]
    _wait_for([tmp_path / f"ready-{number}" for number in range(WRITERS)])
    (tmp_path / "go").touch()
    outcomes = [(writer.communicate(timeout=120)[1], writer.returncode) for writer in writers]

    # The last line of a traceback says what went wrong ("database is locked"), without the whole trace.
    errors = [(stderr.strip().splitlines() or [""])[-1] for stderr, status in outcomes if status != 0]
    assert errors == []
    counted, _errors = run_python(sqlite_file, COUNT).communicate(timeout=60)
    assert counted.split() == [str(WRITERS * PEOPLE_PER_WRITER)] * 2
