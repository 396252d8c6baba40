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
from django.views.defaults import server_error

# Seconds a client is asked to wait: a restart takes about a second, a failover some more.
RETRY_AFTER_SECONDS = 10


@requires_csrf_token
def server_error_or_unavailable(request, template_name="500.html"):
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        # Rendered without the request: its user and session live in the database.
        page = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
        return HttpResponse(page, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    return server_error(request, template_name)
