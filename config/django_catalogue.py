"""Strings of Django's own that its Russian catalogue does not translate yet.

Django 6.1 added them; its catalogues catch up in later releases. Marking them here has `make messages` put them
in our catalogue, which Django reads before its own (LOCALE_PATHS), so a Russian page never shows them in
English. Drop one once Django's catalogue translates it (tests/browser/test_russian_interface.py would tell).
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    gettext_noop("- Select an option -"),  # django.db.models.fields.BLANK_CHOICE_LABEL: a select left empty
]
