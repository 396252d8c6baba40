"""The name index again, under the skeleton that gives Дж ("dzh", "dj", and a Latin "j" read as either sound) a
mark of its own (cases/search.py): keys written before it would leave Джабраилов unfound by "Jabrailov".

Rebuilt the same way in either direction, with the skeleton of the code that runs the migration (after going
back to older code, run ``manage.py rebuild_name_index``). Names are read as stored and opened with their
person's key: a name that cannot be opened, of someone not erased, means the key store is missing or another
one, and the migration stops before changing anything rather than leave nobody findable by name.
"""

from collections import defaultdict

from django.db import migrations
from django.db.models import TextField
from django.db.models.functions import Cast

from cases import keystore
from cases.crypto import unseal
from cases.search import name_digests


def _stored_names(model, columns, erased) -> list:
    """(person id, name) for every name of ``columns`` in ``model``, opened with the person's key."""
    stored = {f"stored_{column}": Cast(column, output_field=TextField()) for column in columns}
    names = []
    for person_id, *values in model.objects.annotate(**stored).values_list("person_id", *stored).iterator():
        for value in filter(None, values):
            name = unseal(value)
            if name is None and str(person_id) not in erased:
                raise RuntimeError(
                    f"A name of person {person_id} cannot be opened with the key store at KEY_STORE_PATH: "
                    "check that it is the deployment's key store, then migrate again. Nothing was changed."
                )
            if name:
                names.append((person_id, name))
    return names


def rebuild_name_keys(apps, schema_editor):
    NameKey = apps.get_model("cases", "NameKey")
    erased = keystore.erased_people()
    names = defaultdict(list)
    for model, columns in (
        (apps.get_model("cases", "NameVariant"), ["name"]),
        (apps.get_model("cases", "PersonIdentity"), ["legal_name", "name_original_script"]),
    ):
        for person_id, name in _stored_names(model, columns, erased):
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
