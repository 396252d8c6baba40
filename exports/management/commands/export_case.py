import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cases.enums import Level
from cases.models import Case
from exports.document import ExportRefused
from exports.enums import Format
from exports.render import RENDERERS
from exports.services import export_case


class Command(BaseCommand):
    help = "Export one case summary to a file, recorded like any export."

    def add_arguments(self, parser):
        parser.add_argument("case", help="The case id (UUID) or reference, e.g. C-DEMO01.")
        parser.add_argument("--format", choices=[f for f in Format.values if f in RENDERERS], default=Format.PDF)
        parser.add_argument("--level", choices=Level.values, required=True)
        parser.add_argument("--purpose", required=True, help="Recipient or purpose, kept with the record.")
        parser.add_argument("--output", required=True)
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the document's headings, dates and vocabularies (default: %(default)s).",
        )
        parser.add_argument("--user", required=True, help="Username the export is made as and recorded under.")

    def handle(self, *args, case, format, level, purpose, output, user, language, **options):
        account = get_user_model().objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(_("No active user “%(user)s”.") % {"user": user})
        found = Case.objects.visible_to(account).filter(reference=case).first()
        if found is None:
            try:
                found = Case.objects.visible_to(account).filter(pk=case).first()
            except Exception:  # not a UUID either
                found = None
        if found is None:
            raise CommandError(_("%(user)s may see no case “%(case)s”.") % {"user": user, "case": case})
        target = Path(output)
        if target.exists():
            raise CommandError(_("%(file)s exists; choose a new file name.") % {"file": target})
        try:
            result = export_case(
                case_id=found.pk, user=account, level=level, fmt=format, purpose=purpose, language=language
            )
        except ExportRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        try:
            # The requester's alone from its first byte, whatever the umask: the document may name people.
            with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
                file.write(result.content)
        except FileExistsError:
            raise CommandError(_("%(file)s exists; choose a new file name.") % {"file": target}) from None
        self.stdout.write(
            _("Wrote %(file)s (%(size)d bytes), SHA-256 %(sha256)s")
            % {"file": target, "size": len(result.content), "sha256": result.record.sha256}
        )
