from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from front import demo


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo account (development only)."

    def add_arguments(self, parser):
        parser.add_argument("username", choices=[user[0] for user in demo.DEMO_USERS])

    def handle(self, *args, username, **options):
        if settings.PRODUCTION:
            raise CommandError(_("demo_code exists for the demo only and refuses to run in production."))
        self.stdout.write(demo.current_code(username))
