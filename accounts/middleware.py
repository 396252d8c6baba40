"""Session lifetime: sessions end after a while idle (SESSION_COOKIE_AGE, renewed on every request)
and, however active, a fixed time after login (SESSION_ABSOLUTE_SECONDS). And requests carrying NUL
characters, which no browser sends, are refused before they reach the database."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _

SESSION_STARTED = "auth_started_at"


@receiver(user_logged_in, dispatch_uid="cases.session_started")
def _remember_login_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED] = int(time.time())


class AbsoluteSessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED)
            if started is None or time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended; please log in again."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class RefuseNulCharactersMiddleware:
    """Answers 400 Bad Request to a request with a NUL character in its path, parameters or cookies.

    PostgreSQL cannot compare or store text holding NUL, so such a value reaching a query (an admin
    search, a list filter, an autocomplete term, a session key) is a server error there. No browser
    sends one; refusing them all here spares every view from checking.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in text for text in _request_texts(request)):
            # This runs before LocaleMiddleware, so the language the thread last served must not leak
            # into the answer: the browser's own preference chooses it.
            with translation.override(translation.get_language_from_request(request)):
                # A fixed message: echoing the input back would hand an attacker a reflection point.
                return HttpResponseBadRequest(
                    _("Bad request: the address or the form contains a character that is not allowed."),
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)


def _request_texts(request):
    yield request.path
    for parameters in (request.GET, request.POST):
        for name, values in parameters.lists():
            yield name
            yield from values
    for name, value in request.COOKIES.items():
        yield name
        yield value
