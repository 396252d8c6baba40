from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_encrypt_stored_files")]

    operations = [
        migrations.RenameField("person", "consent_recorded_on", "consent_recorded_start"),
        migrations.RenameField("historicalperson", "consent_recorded_on", "consent_recorded_start"),
        migrations.RenameField("source", "published_on", "published_start"),
        migrations.RenameField("historicalsource", "published_on", "published_start"),
    ]
