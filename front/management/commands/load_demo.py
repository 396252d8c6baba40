import io

import segno
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from front import demo


class Command(BaseCommand):
    help = "Load the demo cases and demo accounts (development only). Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--no-qr", action="store_true", help="Print the authenticator links without QR codes.")

    def handle(self, *args, no_qr, **options):
        if settings.PRODUCTION:
            raise CommandError(_("Demo accounts have published passwords; load_demo refuses to run in production."))
        created = demo.load()
        if created:
            self.stdout.write(
                self.style.SUCCESS(_("Loaded demo cases: %(references)s") % {"references": ", ".join(created)})
            )
        else:
            self.stdout.write(_("Demo data already present; nothing changed."))
        self.stdout.write(
            _(
                "Demo logins (development only). Every account needs a second factor: scan its QR code with an "
                "authenticator app, or run `manage.py demo_code USER` for the current code."
            )
        )
        for username, password, role, _staff, _refs in demo.DEMO_USERS:
            line = f"\n  {username:<9} {password:<24} {role}"
            if username in demo.DEMO_LANGUAGES:
                language = get_language_info(demo.DEMO_LANGUAGES[username])["name_translated"]
                line += " · " + _("interface in %(language)s") % {"language": language}
            self.stdout.write(line)
            uri = demo.authenticator(username).config_url
            self.stdout.write(f"  {uri}")
            if not no_qr:
                drawing = io.StringIO()
                segno.make(uri).terminal(out=drawing, compact=True)
                self.stdout.write(drawing.getvalue(), ending="")
