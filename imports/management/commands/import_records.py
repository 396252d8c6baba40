"""Import a CSV or XLSX file of records, as a given staff user, after a check of every row."""

import hashlib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cases.models import may_see_identities
from imports import layout
from imports.engine import error_text
from imports.enums import JobStatus
from imports.models import ImportJob
from imports.reading import Refused, open_book
from imports.services import execute, mapping_problems, read_sheets, refuse_if_imported


class Command(BaseCommand):
    help = (
        "Import people, cases, status changes, appeals, responses and sources from a CSV or XLSX file laid out as "
        "docs/import.md describes. Every row is checked first; nothing is written unless every row passes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="The staff user the history names as importing.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and write nothing.")
        parser.add_argument(
            "--type", choices=[t.key for t in layout.RECORD_TYPES], default="", help="What a CSV file holds."
        )
        parser.add_argument(
            "--encoding", default="", help="A CSV file's encoding, e.g. cp1251 (detected if not given)."
        )

    def handle(self, *args, file: Path, user: str, dry_run: bool, type: str, encoding: str, **options):
        importer = get_user_model().objects.filter(username=user, is_active=True).first()
        if importer is None or not may_see_identities(importer):
            raise CommandError(_("Import as an active staff user allowed to read identities."))
        if not file.is_file():
            raise CommandError(_("No file %(file)s.") % {"file": file})
        digest = hashlib.sha256()
        with file.open("rb") as stream:
            while chunk := stream.read(1024 * 1024):
                digest.update(chunk)
        try:
            refuse_if_imported(digest.hexdigest())
            book = open_book(lambda: file.open("rb"), name=file.name, encoding=encoding)
            job = ImportJob(
                user=importer, file_name=file.name[:200], sha256=digest.hexdigest(), size=file.stat().st_size
            )
            read_sheets(job, book, type)
        except Refused as refusal:
            raise CommandError(str(refusal)) from refusal
        problems = mapping_problems(job)
        if problems:
            job.delete()
            raise CommandError("\n".join(problems))
        status = JobStatus.CHECKING if dry_run else JobStatus.IMPORTING
        ImportJob.objects.filter(pk=job.pk).update(status=status)
        job.refresh_from_db()
        report = execute(job, book=book, write=not dry_run)
        self._print(job, report)
        job.refresh_from_db()
        if job.status not in {JobStatus.DONE, JobStatus.CHECKED}:
            raise CommandError(job.message)
        if report.error_total:
            raise CommandError(_("%(count)d rows have errors.") % {"count": report.error_total})

    def _print(self, job, report):
        for sheet in job.sheets:
            part = job.mapping.get(sheet["name"], {})
            kind = layout.BY_KEY.get(part.get("type"))
            label = kind.label if kind else _("not imported")
            self.stdout.write(
                _("%(sheet)s: %(label)s, %(rows)d rows")
                % {"sheet": sheet["name"], "label": label, "rows": sheet["rows"]}
            )
        for key, counts in report.counts.items():
            shown = ", ".join(f"{counts[outcome]} {outcome}" for outcome in sorted(counts))
            self.stdout.write(f"  {layout.BY_KEY[key].label}: {shown}")
        for duplicate in report.duplicates:
            self.stdout.write(_("%(sheet)s, row %(row)d (%(id)s): possible duplicate of %(of)s (%(why)s)") % duplicate)
        for error in report.errors:
            self.stderr.write(error_text(error["sheet"], error["row"], error["column"], error["message"]))
        if report.error_total > len(report.errors):
            self.stderr.write(_("… and %(count)d more errors.") % {"count": report.error_total - len(report.errors)})
