"""Identities written before each person had a key of their own move under that key (cases/keystore.py),
so that erasing a person makes every later copy of these rows unreadable."""

from django.db import migrations

from cases.crypto import move_older_values


def identities_under_person_keys(apps, schema_editor):
    for name in ("PersonIdentity", "HistoricalPersonIdentity", "NameVariant", "HistoricalNameVariant"):
        move_older_values(apps.get_model("cases", name))


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_intergovernmental_sources")]

    operations = [migrations.RunPython(identities_under_person_keys, migrations.RunPython.noop)]
