"""Two factors for every account, and no way to guess either of them."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts.models import AuthenticatorApp, RecoveryCode, RecoveryCodes
from accounts.twofactor import issue_recovery_codes

PASSWORD = "correct horse battery staple"


def _password_login(client, user, password=PASSWORD, ip="192.0.2.1"):
    return client.post("/accounts/login/", {"username": user.username, "password": password}, REMOTE_ADDR=ip)


def test_first_login_enrols_an_authenticator_then_shows_recovery_codes(client, alice, case):
    response = _password_login(client, alice)
    assert response["Location"] == "/cases/"
    assert client.get("/cases/")["Location"] == "/accounts/2fa/setup/?next=/cases/"

    setup = client.get("/accounts/2fa/setup/?next=/cases/")
    device = AuthenticatorApp.objects.get(user=alice, confirmed=False)
    assert setup.context["secret"]
    done = client.post("/accounts/2fa/setup/", {"token": device.current_code(), "next": "/cases/"})

    assert len(done.context["codes"]) == 10
    assert client.get("/cases/").status_code == 200
    assert AuthenticatorApp.objects.get(user=alice).confirmed


def test_each_enrolment_session_gets_its_own_secret_and_only_the_last_can_confirm(alice):
    # Someone who knew the password before its owner enrolled starts enrolling, then the owner does.
    early, late = Client(), Client()
    _password_login(early, alice, ip="203.0.113.9")
    first = early.get("/accounts/2fa/setup/")
    code_of_the_first_secret = AuthenticatorApp.objects.get(user=alice).current_code()
    _password_login(late, alice)
    second = late.get("/accounts/2fa/setup/")
    device = AuthenticatorApp.objects.get(user=alice)

    assert second.context["secret"] != first.context["secret"]
    for code in [code_of_the_first_secret, device.current_code()]:
        refused = early.post("/accounts/2fa/setup/", {"token": code, "next": "/cases/"})
        assert refused["Location"] == "/accounts/2fa/setup/?next=/cases/"
    done = late.post("/accounts/2fa/setup/", {"token": device.current_code(), "next": "/cases/"})

    assert len(done.context["codes"]) == 10
    assert late.get("/cases/").status_code == 200
    assert early.get("/cases/")["Location"].startswith("/accounts/2fa/")
    assert list(AuthenticatorApp.objects.filter(user=alice).values_list("pk", "confirmed")) == [(device.pk, True)]


def test_the_early_session_is_told_someone_else_started_enrolling(alice):
    early, late = Client(), Client()
    _password_login(early, alice, ip="203.0.113.9")
    early.get("/accounts/2fa/setup/")
    _password_login(late, alice)
    late.get("/accounts/2fa/setup/")

    refused = early.post("/accounts/2fa/setup/", {"token": "123456", "next": "/cases/"}, follow=True)

    assert "started again in another session" in refused.content.decode()


def test_reloading_the_enrolment_page_keeps_its_secret(client, alice):
    _password_login(client, alice)

    first = client.get("/accounts/2fa/setup/")
    again = client.get("/accounts/2fa/setup/")

    assert again.context["secret"] == first.context["secret"]
    assert AuthenticatorApp.objects.filter(user=alice).count() == 1


def test_login_with_a_device_asks_for_the_code(client, alice, case):
    device = AuthenticatorApp.objects.create(user=alice, name="phone", confirmed=True)
    _password_login(client, alice)
    assert client.get(f"/cases/{case.pk}/")["Location"].startswith("/accounts/2fa/?next=")

    client.post("/accounts/2fa/", {"token": device.current_code(), "next": "/cases/"})

    assert client.get(f"/cases/{case.pk}/").status_code == 200


def test_the_code_gives_the_session_a_new_key_and_the_old_key_opens_nothing(client, alice, case):
    device = AuthenticatorApp.objects.create(user=alice, name="phone", confirmed=True)
    _password_login(client, alice)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.post("/accounts/2fa/", {"token": device.current_code(), "next": "/cases/"})

    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = before
    assert stale.get(f"/cases/{case.pk}/")["Location"].startswith("/accounts/login/")
    assert not Session.objects.filter(session_key=before).exists()


def test_the_lockout_log_records_when_a_session_verified_by_code_logged_out(client, alice):
    device = AuthenticatorApp.objects.create(user=alice, name="phone", confirmed=True)
    _password_login(client, alice)
    client.post("/accounts/2fa/", {"token": device.current_code(), "next": "/cases/"})

    client.post("/accounts/logout/")

    assert AccessLog.objects.get(username="alice").logout_time is not None


def test_wrong_code_is_refused_with_a_message(client, alice):
    AuthenticatorApp.objects.create(user=alice, name="phone", confirmed=True)
    _password_login(client, alice)

    wrong = client.post("/accounts/2fa/", {"token": "000000", "next": "/cases/"})

    assert "That code is not valid." in wrong.content.decode()
    assert client.get("/cases/").status_code == 302


def test_recovery_code_works_once(client, alice):
    AuthenticatorApp.objects.create(user=alice, name="lost phone", confirmed=True)
    code = issue_recovery_codes(alice)[0]
    _password_login(client, alice)

    client.post("/accounts/2fa/", {"token": code, "next": "/cases/"})

    assert client.get("/cases/").status_code == 200
    assert RecoveryCode.objects.filter(device__user=alice).count() == 9


def test_a_sign_in_that_finds_the_recovery_codes_used_up_shows_new_ones(client, alice):
    device = AuthenticatorApp.objects.create(user=alice, name="phone", confirmed=True)
    RecoveryCodes.objects.create(user=alice, name="Recovery codes")  # every code used, or none carried over
    _password_login(client, alice)

    shown = client.post("/accounts/2fa/", {"token": device.current_code(), "next": "/cases/"})

    assert len(shown.context["codes"]) == 10
    assert '<a href="/cases/">' in shown.content.decode()
    assert RecoveryCode.objects.filter(device__user=alice).count() == 10
    assert client.get("/cases/").status_code == 200


def test_password_only_session_reaches_no_admin_page(client, alice, case):
    client.force_login_password_only(alice)

    for url in ["/admin/", f"/admin/cases/case/{case.pk}/change/", "/admin/cases/person/", "/deadlines/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/2fa/"), url


def test_admin_login_page_leads_to_the_two_factor_login(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_advocate_opening_the_admin_is_told_it_is_for_staff_not_sent_round_in_circles(client, advocate):
    client.force_login(advocate)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    page = response.content.decode()
    assert "The admin is for staff" in page
    assert 'href="/cases/"' in page
    assert 'class="site-header"' in page  # the site's own layout, not the admin's


def test_logged_out_visitor_opening_the_admin_gets_the_login_page(client):
    response = client.get("/admin/", follow=True)

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/accounts/login/"
    assert '<button type="submit">Log in</button>' in response.content.decode()


def test_staff_opening_the_admin_reach_it(client, alice):
    client.force_login(alice)

    response = client.get("/admin/", follow=True)

    assert (response.status_code, response.redirect_chain) == (200, [])


def test_there_is_no_password_reset_to_go_around_the_second_factor(client):
    with pytest.raises(NoReverseMatch):
        reverse("password_reset")
    assert client.get("/accounts/password_reset/").status_code == 404


def test_repeated_wrong_passwords_lock_the_account_even_from_new_addresses(client, alice):
    for attempt in range(5):
        _password_login(client, alice, password="wrong", ip=f"198.51.100.{attempt}")

    locked = _password_login(client, alice, ip="203.0.113.9")

    assert locked.status_code == 429
    assert "Account locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_guessing_second_factor_codes_locks_the_account_and_ends_the_session(client, alice):
    AuthenticatorApp.objects.create(user=alice, name="phone", confirmed=True)
    _password_login(client, alice)

    for _attempt in range(5):
        response = client.post("/accounts/2fa/", {"token": "123456", "next": "/cases/"})

    assert response.status_code == 429
    assert "Account locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _password_login(client, alice).status_code == 429


def _wrong_codes(client, count):
    for _attempt in range(count):
        response = client.post("/accounts/2fa/", {"token": "123456", "next": "/cases/"})
    return response


def test_logging_in_again_with_the_password_does_not_reset_the_count_of_wrong_codes(client, alice):
    AuthenticatorApp.objects.create(user=alice, name="phone", confirmed=True)
    _password_login(client, alice)
    _wrong_codes(client, settings.AXES_FAILURE_LIMIT - 1)
    client.post("/accounts/logout/")
    assert _password_login(client, alice)["Location"] == "/cases/"

    response = _wrong_codes(client, 1)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="alice").failures_since_start == settings.AXES_FAILURE_LIMIT
    assert _password_login(client, alice).status_code == 429


def test_a_correct_code_starts_the_count_of_wrong_codes_afresh(client, alice, settings):
    # django-otp's own slowing down after wrong codes would refuse the correct one; it is not under test here.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = AuthenticatorApp.objects.create(user=alice, name="phone", confirmed=True)
    _password_login(client, alice)
    _wrong_codes(client, settings.AXES_FAILURE_LIMIT - 1)
    client.post("/accounts/2fa/", {"token": device.current_code(), "next": "/cases/"})
    assert not AccessAttempt.objects.exists()
    client.post("/accounts/logout/")
    _password_login(client, alice)

    response = _wrong_codes(client, settings.AXES_FAILURE_LIMIT - 1)

    assert "That code is not valid." in response.content.decode()
    assert AccessAttempt.objects.get(username="alice").failures_since_start == settings.AXES_FAILURE_LIMIT - 1
