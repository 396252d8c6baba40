"""The interface language: the one a person chose, kept with their account and applied from their sign-in on;
before that, the one chosen on this browser (Django's language cookie), else the browser's Accept-Language.

The choice is read once, at sign-in, into the session, so that no page pays a query for it.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as set_language_cookie

from accounts.models import LanguagePreference

SESSION_KEY = "accounts_language"


def _offered(language) -> bool:
    return language in dict(settings.LANGUAGES)


@receiver(user_logged_in, dispatch_uid="accounts.language_at_login")
def _apply_preference(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    language = LanguagePreference.objects.filter(user=user).values_list("language", flat=True).first()
    if _offered(language):
        request.session[SESSION_KEY] = language


class PreferredLanguageMiddleware:
    """After Django's LocaleMiddleware: a signed-in person's own choice wins over the cookie and the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.session.get(SESSION_KEY)
        if _offered(language):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


@require_POST
def set_language(request):
    """Django's set_language (the cookie, the redirect to ``next``), and the choice kept with the account.

    A session that has passed the password but not yet the second factor keeps the choice in the session only:
    the account's setting changes once its owner is known for sure.
    """
    response = set_language_cookie(request)
    language = request.POST.get("language")
    if _offered(language) and request.user.is_authenticated:
        request.session[SESSION_KEY] = language
        if request.user.is_verified():
            LanguagePreference.objects.update_or_create(user=request.user, defaults={"language": language})
    return response
