"""The deadlines' status indexed with the due day beside it (appeals.models.Deadline.Meta.indexes)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('appeals', '0014_deadline_case'),
        ('cases', '0024_case_title_and_summary_are_exported'),
    ]

    operations = [
        migrations.AlterField(
            model_name='deadline',
            name='status',
            field=models.CharField(choices=[('open', 'Open'), ('met', 'Met'), ('missed', 'Missed'), ('ended', 'Ended')], default='open', max_length=8, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='historicaldeadline',
            name='status',
            field=models.CharField(choices=[('open', 'Open'), ('met', 'Met'), ('missed', 'Missed'), ('ended', 'Ended')], default='open', max_length=8, verbose_name='status'),
        ),
        migrations.AddIndex(
            model_name='deadline',
            index=models.Index(fields=['status', 'next_due_on'], name='deadlines_by_status_and_due'),
        ),
    ]
