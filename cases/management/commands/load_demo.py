from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases import demo


class Command(BaseCommand):
    help = "Load the demo cases and demo accounts (development only). Running it again changes nothing."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo accounts have published passwords; load_demo refuses to run in production.")
        created = demo.load()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Loaded demo cases: {', '.join(created)}"))
        else:
            self.stdout.write("Demo data already present; nothing changed.")
        self.stdout.write("Demo logins (development only):")
        for username, password, role, _staff, _refs in demo.DEMO_USERS:
            self.stdout.write(f"  {username:<9} {password:<24} {role}")
