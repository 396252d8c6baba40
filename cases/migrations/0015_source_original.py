"""Each source keeps its original as uploaded beside the copy served, with the SHA-256 of each."""

import cases.models
from django.db import migrations, models
from django.db.models import F


def keep_stored_file_as_original(apps, schema_editor):
    """Sources attached before: their one stored file becomes their original too, and its hash the served one's.

    Honestly, that is not the original for every one of them. Images were stored re-encoded without their
    metadata, and the bytes as uploaded were not kept: what is called their original here is that stripped
    copy, and its SHA-256 is of it. Other files were stored as uploaded, so for them it is the original; but
    they are still served as they were, PDFs and Word documents with their metadata (docs/security.md).
    History rows too, so that a deleted source comes back with its original.
    """
    for name in ("Source", "HistoricalSource"):
        model = apps.get_model("cases", name)
        model._base_manager.exclude(file="").filter(original="").update(original=F("file"), served_sha256=F("sha256"))


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0014_identity_version'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalsource',
            name='original',
            field=models.TextField(blank=True, editable=False, max_length=100, verbose_name='original as uploaded'),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='served_sha256',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='SHA-256 of the copy served'),
        ),
        migrations.AddField(
            model_name='source',
            name='original',
            field=models.FileField(blank=True, editable=False, upload_to=cases.models._source_upload_path, verbose_name='original as uploaded'),
        ),
        migrations.AddField(
            model_name='source',
            name='served_sha256',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='SHA-256 of the copy served'),
        ),
        migrations.AlterField(
            model_name='accessrecord',
            name='action',
            field=models.CharField(choices=[('view_case', 'Opened a case'), ('view_timeline', 'Read a case timeline'), ('view_person', "Opened a person's page"), ('view_identity', "Saw a person's identity"), ('view_attachment', 'Downloaded an attachment'), ('view_original', 'Downloaded an original as uploaded'), ('export', 'Exported')], db_index=True, max_length=20, verbose_name='action'),
        ),
        migrations.AlterField(
            model_name='historicalsource',
            name='sha256',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='SHA-256 of the file as uploaded'),
        ),
        migrations.AlterField(
            model_name='source',
            name='sha256',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='SHA-256 of the file as uploaded'),
        ),
        migrations.RunPython(keep_stored_file_as_original, migrations.RunPython.noop),
    ]
