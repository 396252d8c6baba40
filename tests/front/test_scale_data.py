"""The scale-data generator writes what the services would: history rows, search keys, derived state."""

from django.core.management import call_command

from appeals.models import Appeal
from cases.models import SYSTEM, Person, StatusChange
from cases.services import refresh_current_status


def test_generated_data_has_history_search_keys_and_the_services_current_status(db):
    call_command("generate_scale_data", people=30, status_changes=200, appeals=20, verbosity=0)

    assert StatusChange.objects.count() == 200
    assert StatusChange.history.filter(history_type="+").count() == 200
    assert {h.history_change_reason for h in StatusChange.history.all()} == {"Synthetic scale data"}
    assert Appeal.history.count() == 20
    sample = Person.objects.filter(latest_status_change__isnull=False).order_by("codename")[:10]
    derived = {p.pk: (p.current_status, p.latest_status_change_id) for p in sample}
    for person in sample:
        refresh_current_status(person.pk)
    recomputed = {p.pk: (p.current_status, p.latest_status_change_id) for p in Person.objects.filter(pk__in=derived)}
    assert recomputed == derived
    name = Person.objects.first().identity.legal_name
    assert Person.objects.matching(name.split()[-1], SYSTEM).exists()
