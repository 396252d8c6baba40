"""The name index again, under the skeleton that folds "dzh" and "dj" to "j" (cases/search.py): keys written
before it would leave Джабраилов unfound by "Jabrailov". Rebuilt the same way in either direction, with the
skeleton of the code that runs the migration."""

from collections import defaultdict

from django.db import migrations

from cases.search import name_digests


def rebuild_name_keys(apps, schema_editor):
    NameKey = apps.get_model("cases", "NameKey")
    NameVariant = apps.get_model("cases", "NameVariant")
    PersonIdentity = apps.get_model("cases", "PersonIdentity")
    names = defaultdict(list)
    for person_id, name in NameVariant.objects.values_list("person_id", "name").iterator():
        names[person_id].append(name)
    identities = PersonIdentity.objects.values_list("person_id", "legal_name", "name_original_script")
    for person_id, legal_name, original in identities.iterator():
        names[person_id] += [legal_name, original]
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
