from django.db import migrations

from cases.pg_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_indexes"),
    ]

    operations = [
        trigram_indexes(
            ("person_codename_trgm", "cases_person", "codename"),
            ("case_title_trgm", "cases_case", "title"),
            ("case_reference_trgm", "cases_case", "reference"),
        ),
    ]
