"""What a request that failed on the server answers.

When the database is unreachable (restarted, or down a while), a request fails with OperationalError or
InterfaceError wherever it first touches it: in the view, or already in a middleware (the session, the user).
Django turns each of these into its 500 handler, which is therefore where they are told apart; a middleware's
``process_exception`` would see only the view's. Every change is saved in one transaction, which the lost
connection rolls back: nothing of the request was saved, and the page says so.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import bad_request, server_error

# Seconds a client is asked to wait: a restart takes about a second, a failover some more.
RETRY_AFTER_SECONDS = 10


def _database_gone(error) -> bool:
    """Whether the error, or one it was raised while handling, is the database going away."""
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def _unavailable():
    # Rendered without the request: its user and session live in the database.
    page = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
    return HttpResponse(page, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


@requires_csrf_token
def server_error_or_unavailable(request, template_name="500.html"):
    if _database_gone(sys.exc_info()[1]):
        return _unavailable()
    return server_error(request, template_name)


@requires_csrf_token
def bad_request_or_unavailable(request, exception, template_name="400.html"):
    """The session could not be saved at the end of the request: Django calls that a session deleted by a
    concurrent logout (a 400), but when the database went away it is an outage like any other."""
    if _database_gone(exception):
        return _unavailable()
    return bad_request(request, exception, template_name)
