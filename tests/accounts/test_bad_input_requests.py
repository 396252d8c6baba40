"""Malformed requests get a plain answer, never a server error: a NUL character, a strange ``next``."""

import pytest
from django.conf import settings

from accounts.models import AuthenticatorApp
from cases.models import Case
from tests.admin_forms import case_form

REFUSAL = "Bad request: the address or the form contains a character that is not allowed."


# On PostgreSQL each of these was a server error: the database refuses text holding NUL.
@pytest.mark.parametrize(
    "url",
    [
        "/admin/cases/case/?q=a%00b",
        "/admin/cases/person/?q=a%00b",
        "/admin/cases/case/?region=a%00b",
        "/admin/autocomplete/?app_label=cases&model_name=statuschange&field_name=person&term=a%00",
        "/admin/cases/case/?a%00b=1",
        "/cases/a%00b/",
    ],
)
def test_nul_character_in_the_address_is_refused_without_echoing_it(alice_client, case, url):
    response = alice_client.get(url)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == REFUSAL


def test_nul_character_in_a_form_is_refused_and_nothing_is_saved(alice_client, alice, case):
    data = case_form(team=[alice])
    data["title"] = "Two men\x00 seized"

    response = alice_client.post("/admin/cases/case/add/", data)

    assert response.status_code == 400
    assert response.content.decode() == REFUSAL
    assert list(Case.objects.values_list("title", flat=True)) == [case.title]


def test_nul_character_in_a_cookie_is_refused(client):
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijklmnop"

    response = client.get("/cases/")

    assert response.status_code == 400
    assert response.content.decode() == REFUSAL


def test_search_without_nul_characters_still_works(alice_client, case):
    response = alice_client.get("/admin/cases/case/?q=Seized")

    assert response.status_code == 200
    assert case.reference in response.content.decode()


@pytest.mark.parametrize(
    "next_page", ["foo", "front:case_list", "https://evil.example/cases/", "//evil.example/cases/", "/\\evil.example/"]
)
def test_second_factor_leads_to_the_start_page_when_next_is_not_a_path_here(client, alice, next_page):
    device = AuthenticatorApp.objects.create(user=alice, name="phone", confirmed=True)
    client.force_login_password_only(alice)

    form = client.get("/accounts/2fa/", {"next": next_page})
    verified = client.post("/accounts/2fa/", {"token": device.current_code(), "next": next_page})

    assert form.status_code == 200
    assert form.context["next"] == "/cases/"
    assert verified["Location"] == "/cases/"


def test_second_factor_leads_to_the_page_asked_for(client, alice, case):
    device = AuthenticatorApp.objects.create(user=alice, name="phone", confirmed=True)
    client.force_login_password_only(alice)

    verified = client.post("/accounts/2fa/", {"token": device.current_code(), "next": f"/cases/{case.pk}/"})

    assert verified["Location"] == f"/cases/{case.pk}/"


def test_enrolment_leads_to_the_start_page_when_next_is_not_a_path_here(client, alice):
    client.force_login_password_only(alice)

    form = client.get("/accounts/2fa/setup/", {"next": "foo"})
    device = AuthenticatorApp.objects.get(user=alice, confirmed=False)
    done = client.post("/accounts/2fa/setup/", {"token": device.current_code(), "next": "foo"})

    assert form.status_code == 200
    assert form.context["next"] == "/cases/"
    assert len(done.context["codes"]) == 10
    assert '<a href="/cases/">' in done.content.decode()


def test_the_refusal_speaks_the_browsers_language_not_the_last_request_served(alice_client, case):
    russian = alice_client.get("/cases/a%00b/", headers={"accept-language": "ru"})
    after_it = alice_client.get("/cases/a%00b/", headers={"accept-language": "en"})

    assert russian.content.decode() == "Неверный запрос: в адресе или в форме есть недопустимый символ."
    assert after_it.content.decode() == REFUSAL
