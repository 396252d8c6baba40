from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("appeals", "0005_appeal_title_help")]

    operations = [
        migrations.RenameField("appeal", "filed_on", "filed_start"),
        migrations.RenameField("historicalappeal", "filed_on", "filed_start"),
    ]
