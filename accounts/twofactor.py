"""Second factor for every account: TOTP with recovery codes, required on every page but these.

After the password, a user with a confirmed device is asked for a code; a user
without one enrols first. Wrong codes count as failed logins for django-axes,
so guessing codes locks the account like guessing passwords does; the count
starts afresh only when the second factor passes, not at the password.
"""

from urllib.parse import quote

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address, get_client_session_hash
from axes.models import AccessLog
from axes.utils import reset as reset_lockout_count
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_login_failed
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login

from accounts.models import AuthenticatorApp, RecoveryCodes

RECOVERY_CODES = 10
# Paths a password-only session may still reach: the second-factor pages themselves, logging out, and choosing
# the language those pages are in.
OPEN_PATHS = ("/accounts/login/", "/accounts/logout/", "/accounts/2fa/", "/accounts/language/", "/static/")
# The session key naming the device whose secret this session's enrolment page shows.
ENROLLING = "accounts_enrolling_device"
REPLACED = gettext_lazy(
    "Setting up a second factor for this account was started again in another session, so this code can no "
    "longer be confirmed: scan the new one. If that was not you, tell an administrator at once: someone may "
    "know your password."
)


class RequireSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not request.path.startswith(OPEN_PATHS):
            target = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
            return redirect(f"{reverse(target)}?next={quote(request.get_full_path())}")
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app, or a recovery code"),
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next_url(request) -> str:
    """Where to go once verified: the page asked for, if it is a path on this site, else the start page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # The pages that send people here pass a path; anything else (a URL name, a relative "foo") is not ours.
    on_this_site = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if target.startswith("/") and on_this_site:
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _failed(request, user) -> bool:
    """Count a wrong code like a wrong password; True when the account is now locked."""
    credentials = {"username": user.get_username()}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return True
    return False


def _passed(request, device) -> None:
    """Both factors passed: the session is verified, and the lockout's counts for this address and this
    account start afresh (what AXES_RESET_ON_SUCCESS would do at the password alone)."""
    otp_login(request, device)
    _new_session_key(request)
    reset_lockout_count(ip=get_client_ip_address(request), username=request.user.get_username(), ip_or_username=True)


def _new_session_key(request) -> None:
    """The key of a password-only session may be known to someone else (planted before the login, read off
    a shared machine): it must not become the key of a verified session. A new key keeps the session's
    data, the verified device included; django-axes' access log follows it so that the logout is recorded."""
    before = get_client_session_hash(request)
    request.session.cycle_key()
    AccessLog.objects.filter(session_hash=before).update(session_hash=get_client_session_hash(request))


@never_cache
@sensitive_post_parameters("token")
@login_required
def verify(request):
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].replace(" ", "")
        device = next((d for d in devices_for_user(request.user) if d.verify_token(token)), None)
        if device is not None:
            _passed(request, device)
            if RecoveryCodes.objects.filter(user=request.user, codes__isnull=True).exists():
                return _show_new_recovery_codes(request)
            return redirect(_next_url(request))
        if _failed(request, request.user):
            messages.error(request, _("Too many wrong codes: the account is locked. Ask an administrator."))
            return redirect("login")
        form.add_error("token", _("That code is not valid. Codes change every 30 seconds; try the current one."))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)})


def _enrolling_device(request) -> AuthenticatorApp | None:
    """The unconfirmed device whose secret this session was shown, unless another session has replaced it."""
    pk = request.session.get(ENROLLING)
    return AuthenticatorApp.objects.filter(user=request.user, confirmed=False, pk=pk).first() if pk else None


def _new_enrolment(request) -> AuthenticatorApp:
    """A secret of this session's own. A secret shown to an earlier session (perhaps to someone who knew the
    password before its owner enrolled) is never shown again, and can no longer be confirmed."""
    AuthenticatorApp.objects.filter(user=request.user, confirmed=False).delete()
    device = AuthenticatorApp.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    request.session[ENROLLING] = device.pk
    return device


def issue_recovery_codes(user) -> list[str]:
    device, _created = RecoveryCodes.objects.get_or_create(user=user, defaults={"name": "Recovery codes"})
    return device.replace_codes(RECOVERY_CODES)


def _show_new_recovery_codes(request):
    """New codes, shown this once: after enrolling, and after a sign-in that finds the set used up (or
    emptied when moved from django-otp, accounts/migrations/0002)."""
    codes = issue_recovery_codes(request.user)
    return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": _next_url(request)})


@never_cache
@sensitive_post_parameters("token")
@login_required
def setup(request):
    """Enrol an authenticator app: scan, confirm with one code, keep the recovery codes."""
    if user_has_device(request.user):
        return redirect("two_factor_verify")
    device = _enrolling_device(request)
    if request.method == "POST" and device is None:
        messages.error(request, REPLACED)
        return redirect(f"{reverse('two_factor_setup')}?next={quote(_next_url(request))}")
    device = device or _new_enrolment(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            del request.session[ENROLLING]
            _passed(request, device)
            return _show_new_recovery_codes(request)
        if _failed(request, request.user):
            messages.error(request, _("Too many wrong codes: the account is locked. Ask an administrator."))
            return redirect("login")
        form.add_error("token", _("That code does not match. Check the time on your phone and try the current code."))
    uri = device.config_url
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_data_uri": segno.make(uri).svg_data_uri(scale=5),
            "secret": device.secret,
            "next": _next_url(request),
        },
    )


@never_cache
def admin_login(request):
    """The admin's login, replaced by the one login with both factors.

    The admin sends whoever it turns away here, and someone logged in who is not staff would be sent on to
    the login, which sends them back to the admin: tell them instead.
    """
    if request.user.is_authenticated and not request.user.is_staff:
        return render(request, "registration/admin_for_staff.html", status=403)
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse('login')}?{query}" if query else reverse("login"))
