"""gunicorn's configuration, from the environment: `gunicorn -c config/gunicorn.py config.wsgi`.

scripts/serve starts the app servers with it and bench/api_bench.py measures them with it, so
the benchmark measures what production runs. The variables are those of scripts/serve:

    BIND_ADDRESS / PORT   0.0.0.0 / 8000
    WEB_WORKERS           worker processes (default 2 × CPUs + 1)
    WEB_THREADS           threads per worker (default 1)
    WEB_TIMEOUT           seconds a request may take before gunicorn stops it (default 300)
    FORWARDED_ALLOW_IPS   proxies whose X-Forwarded-* headers are trusted (default 127.0.0.1)
    LOG_FORMAT            json: gunicorn's own lines (start, worker boot and exit, timeouts)
                          are JSON objects like the app's (core.requestlog.JsonFormatter)
    LOG_LEVEL             INFO
"""

import os


def _int(name, default):
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


bind = f"{os.environ.get('BIND_ADDRESS', '0.0.0.0')}:{_int('PORT', 8000)}"
workers = _int("WEB_WORKERS", 2 * (os.cpu_count() or 1) + 1)
threads = _int("WEB_THREADS", 1)
timeout = _int("WEB_TIMEOUT", 300)
graceful_timeout = 30
# A worker is replaced after about 2000 requests (a leak cannot grow without bound). The app
# is imported once, in the master, so a new worker is a fork (milliseconds), not a second of
# imports on a core that is serving requests.
max_requests = 2000
max_requests_jitter = 200
preload_app = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

_format = os.environ.get("LOG_FORMAT", "text")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "core.requestlog.JsonFormatter"},
        "text": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if _format == "json" else "text",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {
            "handlers": ["console"],
            "level": os.environ.get("LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        # Every request is logged once, by the app (core.requestlog, with its request id).
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}


def pre_fork(server, worker):
    """No connection opened in the master (none is, at import) is ever shared by a worker."""
    from django.db import connections

    connections.close_all()
