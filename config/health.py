"""Health check for load balancers and monitoring: whether the database answers and a background worker is
running, and nothing else."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from exports.jobs import live_worker_ids


@never_cache
@require_GET
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        worker = "running" if live_worker_ids() else "stopped"
    except Exception:  # any database failure means "not healthy"; its text may reveal too much
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    # Without a worker the web pages still work (bulk exports wait): the web server stays in service, and the
    # monitoring alerts on "worker".
    return JsonResponse({"status": "ok", "database": "ok", "worker": worker})
