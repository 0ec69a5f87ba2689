"""GET /healthz: whether the database, the cache, the job queue and the file storage answer.

200 with {"status": "ok", "checks": {...}} when all do, 503 with the failing ones marked.
Meant for load balancers and monitoring: open to all, no data beyond up/down and timings.
"""

import time
import uuid

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache lost a value")
    cache.delete(key)


def _jobs():
    from django_tasks import task_backends

    backend = task_backends["default"]
    path = f"{type(backend).__module__}.{type(backend).__name__}"
    if path.startswith("django_tasks_rq"):
        import django_rq

        django_rq.get_connection("default").ping()
    elif path.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()


def _storage():
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as stored:
            if stored.read() != b"ok":
                raise RuntimeError("storage returned other bytes")
    finally:
        default_storage.delete(name)


CHECKS = {"database": _database, "cache": _cache, "jobs": _jobs, "storage": _storage}


@never_cache
@require_safe
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "down"
            results[name] = {"status": "fail", "error": type(exc).__name__}
        else:
            results[name] = {"status": "ok"}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    ok = all(r["status"] == "ok" for r in results.values())
    return JsonResponse(
        {"status": "ok" if ok else "fail", "checks": results}, status=200 if ok else 503
    )
