"""Each deadline keeps its appeal's case, from which who may see it is read (appeals.models.Deadline.case)."""

import django.db.models.deletion
from django.db import migrations, models


def take_the_case_of_each_appeal(apps, schema_editor):
    Appeal = apps.get_model("appeals", "Appeal")
    Deadline = apps.get_model("appeals", "Deadline")
    Deadline._base_manager.update(
        case_id=models.Subquery(Appeal._base_manager.filter(pk=models.OuterRef("appeal_id")).values("case_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0013_dates_counted_by_year_and_month"),
        ("cases", "0023_status_reports_counted_by_year_and_month"),
    ]

    operations = [
        migrations.AddField(
            model_name="deadline",
            name="case",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cases.case",
                verbose_name="case",
            ),
        ),
        migrations.RunPython(take_the_case_of_each_appeal, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="deadline",
            name="case",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cases.case",
                verbose_name="case",
            ),
        ),
    ]
