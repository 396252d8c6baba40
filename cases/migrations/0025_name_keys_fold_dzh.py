"""The name index again, under the skeleton that gives Дж ("dzh", "dj", and a Latin "j" read as either sound) a
mark of its own (cases/search.py): keys written before it would leave Джабраилов unfound by "Jabrailov".

Rebuilt the same way in either direction, with the skeleton of the code that runs the migration (after going
back to older code, run ``manage.py rebuild_name_index``). Names are read as stored and opened with their
person's key: a name that cannot be opened, of someone not erased, means the key store is missing or another
one, and the migration stops before changing anything rather than leave nobody findable by name.
"""

from collections import defaultdict

from django.db import migrations

from cases.crypto import opened_person_values
from cases.search import name_digests


def rebuild_name_keys(apps, schema_editor):
    NameKey = apps.get_model("cases", "NameKey")
    names = defaultdict(list)
    for model, columns in (
        (apps.get_model("cases", "NameVariant"), ["name"]),
        (apps.get_model("cases", "PersonIdentity"), ["legal_name", "name_original_script"]),
    ):
        for person_id, name in opened_person_values(model, columns):
            names[person_id].append(name)
    NameKey.objects.all().delete()
    batch = []
    for person_id, spelled in names.items():
        batch += [NameKey(person_id=person_id, digest=d) for d in sorted(name_digests(*spelled))]
        if len(batch) >= 2000:
            NameKey.objects.bulk_create(batch)
            batch = []
    NameKey.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("cases", "0024_case_title_and_summary_are_exported")]

    operations = [migrations.RunPython(rebuild_name_keys, rebuild_name_keys, elidable=False)]
