"""The name index again, under the skeleton that gives Дж ("dzh", "dj", and a Latin "j" read as either sound) a
mark of its own (cases/search.py): keys written before it would leave Джабраилов unfound by "Jabrailov".

Rebuilt the same way in either direction, with the skeleton of the code that runs the migration (after going
back to older code, run ``manage.py rebuild_name_index``). Names are read as stored and opened with their
person's key: a name that cannot be opened, of someone not erased, means the key store is missing or another
one, and the migration stops before changing anything rather than leave nobody findable by name.
"""

from django.db import migrations

from cases.search import rebuild_index


def rebuild_name_keys(apps, schema_editor):
    rebuild_index(*(apps.get_model("cases", name) for name in ("NameVariant", "PersonIdentity", "NameKey")))


class Migration(migrations.Migration):
    dependencies = [("cases", "0024_case_title_and_summary_are_exported")]

    operations = [migrations.RunPython(rebuild_name_keys, rebuild_name_keys, elidable=False)]
