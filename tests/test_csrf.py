"""Every state change needs the CSRF token; a forged form changes nothing."""

import pytest

from cases.models import Case
from tests.conftest import VerifiedClient


@pytest.fixture
def forging_client(alice):
    client = VerifiedClient(enforce_csrf_checks=True)
    client.force_login(alice)
    return client


@pytest.mark.parametrize(
    "url",
    ["/admin/cases/case/add/", "/accounts/logout/", "/accounts/2fa/", "/accounts/login/"],
)
def test_post_without_csrf_token_is_refused(forging_client, url):
    response = forging_client.post(url, {"title": "Forged", "change_reason": "forged"})

    assert response.status_code == 403
    assert not Case.objects.filter(title="Forged").exists()


def test_logging_out_takes_a_post(client, alice):
    client.force_login(alice)

    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/cases/").status_code == 200
