"""Who may see whom, as a table (cases.visibility): created, then filled from the rule as it stands."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Exists, OuterRef


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Person = apps.get_model("cases", "Person")
    HistoricalCaseMembership = apps.get_model("cases", "HistoricalCaseMembership")
    team = Case._meta.get_field("team").remote_field.through
    on_a_team = team.objects.filter(case__memberships__isnull=False).values_list(
        "user_id", "case__memberships__person_id"
    )
    recorded_by = (
        Person.objects.filter(created_by__isnull=False)
        .exclude(Exists(HistoricalCaseMembership.objects.filter(person_id=OuterRef("pk"))))
        .values_list("created_by_id", "pk")
        .order_by()
    )
    connection = schema_editor.connection
    select, params = on_a_team.union(recorded_by).query.get_compiler(connection=connection).as_sql()
    schema_editor.execute(f"INSERT INTO cases_visibleperson (user_id, person_id) {select}", params)  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0019_history_latest_by_record_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="VisiblePerson",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "user", "person", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="cases.person"),
                ),
                (
                    "user",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
