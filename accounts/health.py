"""Health check for load balancers and monitoring: says whether the database answers, and nothing else."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"; its text may reveal too much
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
