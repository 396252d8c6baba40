import pytest

from cases.models import ADMINISTRATORS, ADVOCATES, STAFF_EDITORS
from tests.factories import CaseFactory, UserFactory


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Hashing strength is not under test here; a fast hasher keeps user fixtures cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db):
    """A staff editor on the case team."""
    return UserFactory(username="alice", role=STAFF_EDITORS)


@pytest.fixture
def bob(db):
    """Another staff editor on alice's case team."""
    return UserFactory(username="bob", role=STAFF_EDITORS)


@pytest.fixture
def charlie(db):
    """A staff editor on no team: must see nothing of the case."""
    return UserFactory(username="charlie", role=STAFF_EDITORS)


@pytest.fixture
def administrator(db):
    return UserFactory(username="root", role=ADMINISTRATORS)


@pytest.fixture
def advocate(db):
    return UserFactory(username="dana", role=ADVOCATES, is_staff=False)


@pytest.fixture
def case(alice, bob):
    return CaseFactory(title="Seized at a safe house", team=[alice, bob])


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client
