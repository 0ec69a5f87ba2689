"""Structured logs: one JSON line per record, and one record per request with its request id.

The request id comes from the proxy's `X-Request-ID` when it is a plain token, otherwise a new
one; it is sent back in `X-Request-ID` and added to every record logged while the request runs,
so an operator can follow one request through nginx, the app servers and the logs.
"""

import contextvars
import json
import logging
import re
import time
import uuid

logger = logging.getLogger("malfolj.request")

REQUEST_ID = contextvars.ContextVar("request_id", default="")
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object: time, level, logger, message, request id, extras."""

    STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
    converter = time.gmtime

    def format(self, record):
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%SZ"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id:
            data["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in self.STANDARD and not key.startswith("_"):
                data[key] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class RequestLogMiddleware:
    """Give each request an id and log it once: method, path, status, duration, user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            user = getattr(request, "user", None)
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            REQUEST_ID.reset(token)
