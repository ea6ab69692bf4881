"""Is the configured search backend answering?"""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def backend_status() -> dict[str, object]:
    """Report the backend in use and whether it answers; never raises."""
    config = settings.SEARCH
    backend = config["BACKEND"]
    try:
        if backend == "elasticsearch":
            from elasticsearch import Elasticsearch

            client = Elasticsearch(config["URL"], request_timeout=config["TIMEOUT"])
            ok = bool(client.ping())
            return {"ok": ok, "backend": backend} | ({} if ok else {"error": "no answer"})
        # The database backend lives in the primary database.
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "backend": backend}
    except Exception as exc:  # a health check reports every failure instead of raising
        return {"ok": False, "backend": backend, "error": type(exc).__name__}
