import io

import segno
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from front import demo


class Command(BaseCommand):
    help = "Load the demo cases and demo accounts (development only). Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--no-qr", action="store_true", help="Print the authenticator links without QR codes.")

    def handle(self, *args, no_qr, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo accounts have published passwords; load_demo refuses to run in production.")
        created = demo.load()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Loaded demo cases: {', '.join(created)}"))
        else:
            self.stdout.write("Demo data already present; nothing changed.")
        self.stdout.write(
            "Demo logins (development only). Every account needs a second factor: scan its QR code with an "
            "authenticator app, or run `manage.py demo_code USER` for the current code."
        )
        for username, password, role, _staff, _refs in demo.DEMO_USERS:
            self.stdout.write(f"\n  {username:<9} {password:<24} {role}")
            uri = demo.authenticator(username).config_url
            self.stdout.write(f"  {uri}")
            if not no_qr:
                drawing = io.StringIO()
                segno.make(uri).terminal(out=drawing, compact=True)
                self.stdout.write(drawing.getvalue(), ending="")
