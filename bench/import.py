"""Importing a large workbook: people with many status changes each, checked and then imported through the
services, as the admin's import does. Prints the time of each pass and the peak memory of the process; each size
runs in a process of its own, so that the peaks compare. Asserts nothing.

    .venv/bin/python bench/import.py                       # 1,000/10,000 and 10,000/100,000
    .venv/bin/python bench/import.py --sizes 10000:100000  # one size
    DATABASE_URL=postgres://… .venv/bin/python bench/import.py

Runs in a throw-away test database of whatever DATABASE_URL names (SQLite by default).
"""

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

STATUSES = ["detained", "released", "in_hiding", "disappeared", "charged", "convicted", "transferred", "unknown"]
DATES = ["c. 2017", "февраль 2019", "ок. 17 авг. 2017", "Feb 2023", "early 2022", "2019-03", "16–28 Mar 2017"]
# Names as a register holds them: 10,000 people are 10,000 different names (given name, patronymic and surname
# drawn together), most written in Cyrillic and Latin. Many people sharing one full name would make each a
# "possible duplicate" of all the others, which no real register looks like.
GIVEN = ["Ахмед", "Ислам", "Рамзан", "Магомед", "Идрис", "Салех", "Максим", "Исмаил", "Зелимхан", "Адам", "Умар",
         "Руслан", "Аслан", "Хасан", "Мовсар", "Алихан", "Ибрагим", "Шамиль", "Тимур", "Юсуп", "Анзор", "Беслан",
         "Вахид", "Дауд", "Заур", "Казбек", "Лема", "Муса", "Нохчо", "Султан"]  # fmt: skip
SURNAMES = ["Исаев", "Магамадов", "Арсамиков", "Лапунов", "Хасанов", "Умаров", "Дудаев", "Садулаев", "Бисултанов",
            "Гайрбеков", "Джабраилов", "Эльмурзаев", "Кадыров", "Латыпов", "Мусаев", "Нурадилов", "Оздоев",
            "Пашаев", "Рашидов", "Сайдулаев", "Тасуев", "Угуров", "Хадашев", "Цуров", "Чабаев", "Шамсудинов",
            "Юсупов", "Ясаев", "Абдурахманов", "Бачаев"]  # fmt: skip


def person_name(n: int) -> str:
    given, father, surname = GIVEN[n % 30], GIVEN[(n // 30) % 30], SURNAMES[(n // 900) % 30]
    return f"{given} {father}ович {surname}"


def build_workbook(path: Path, people: int, changes: int) -> None:
    import iuliia
    import openpyxl

    from imports.layout import CASE_PEOPLE, CASES, PEOPLE, STATUS_CHANGES

    workbook = openpyxl.Workbook(write_only=True)
    cases = max(1, people // 100)
    sheet = workbook.create_sheet(CASES.sheet)
    sheet.append(["case_id", "title", "region"])
    for n in range(cases):
        sheet.append([f"K-{n}", f"Bench case {n}", "Chechnya"])
    sheet = workbook.create_sheet(PEOPLE.sheet)
    sheet.append(["person_id", "name_original_script", "legal_name", "birth_year"])
    for n in range(people):
        name = person_name(n)
        sheet.append([f"P-{n}", name, iuliia.ICAO_DOC_9303.translate(name), 1970 + n % 40])
    sheet = workbook.create_sheet(CASE_PEOPLE.sheet)
    sheet.append(["case_id", "person_id", "role"])
    for n in range(people):
        sheet.append([f"K-{n % cases}", f"P-{n}", "victim"])
    sheet = workbook.create_sheet(STATUS_CHANGES.sheet)
    sheet.append(["event_id", "case_id", "person_id", "status", "when", "place", "verification"])
    for n in range(changes):
        person = n % people
        sheet.append(
            [f"E-{n}", f"K-{person % cases}", f"P-{person}", STATUSES[n % len(STATUSES)], DATES[n % len(DATES)], "",
             "credible"]
        )  # fmt: skip
    workbook.save(path)


def run_one(people: int, changes: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    # As in production: DEBUG keeps the text of every query, and a batch's insert holds thousands of values.
    settings.DEBUG = False

    from bench.support import throwaway_database

    with tempfile.TemporaryDirectory() as folder:
        settings.KEY_STORE_PATH = Path(folder) / "keys.sqlite3"
        settings.MEDIA_ROOT = Path(folder) / "media"
        path = Path(folder) / "bench.xlsx"
        started = time.perf_counter()
        build_workbook(path, people, changes)
        built = time.perf_counter() - started
        with throwaway_database():
            from accounts.roles import ADMINISTRATORS
            from cases.models import Person, StatusChange
            from imports.enums import JobStatus
            from imports.models import ImportJob
            from imports.reading import open_book
            from imports.services import execute, read_sheets
            from tests.factories import UserFactory

            user = UserFactory(username="bench", role=ADMINISTRATORS, is_superuser=True)
            content = path.read_bytes()
            book = open_book(lambda: io.BytesIO(content), name=path.name)
            job = ImportJob(user=user, file_name=path.name, sha256="0" * 64, size=len(content))
            started = time.perf_counter()
            read_sheets(job, book)
            inspected = time.perf_counter() - started
            timings, cpu_times = {}, {}
            for write in (False, True):
                ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.IMPORTING if write else JobStatus.CHECKING)
                job.refresh_from_db()
                started, cpu = time.perf_counter(), time.process_time()
                report = execute(job, book=book, write=write)
                timings[write] = time.perf_counter() - started
                # This process's own CPU time: what a shared machine's other jobs do not inflate (the PostgreSQL
                # server's work is not in it).
                cpu_times[write] = time.process_time() - cpu
                assert report.error_total == 0, report.errors[:3]
                duplicates = report.duplicate_total
            counts = (Person.objects.count(), StatusChange.objects.count())
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{connection.vendor:10} {people:>7,} people {changes:>8,} status changes | workbook "
            f"{len(content) / 1e6:5.1f} MB built in {built:5.1f} s | read {inspected:5.1f} s"
            f" | check {timings[False]:6.1f} s (CPU {cpu_times[False]:5.1f} s)"
            f" | import {timings[True]:6.1f} s (CPU {cpu_times[True]:5.1f} s)"
            f" | {counts[0]:,} people, {counts[1]:,} changes in the database, {duplicates:,} possible duplicates | "
            f"peak memory {peak:6.0f} MB"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000:10000,10000:100000", help="people:status changes, comma-separated")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one:
        people, changes = map(int, arguments.one.split(":"))
        run_one(people, changes)
        return
    for size in arguments.sizes.split(","):
        # A process per size: the peak memory of one says nothing about the next.
        subprocess.run([sys.executable, __file__, "--one", size], check=True)  # noqa: S603 - our own script


if __name__ == "__main__":
    main()
