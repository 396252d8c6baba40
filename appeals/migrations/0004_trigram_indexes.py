from django.db import migrations

from cases.pg_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0003_indexes"),
        ("cases", "0006_trigram_indexes"),
    ]

    operations = [
        trigram_indexes(("appeal_reference_trgm", "appeals_appeal", "reference")),
    ]
