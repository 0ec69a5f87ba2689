"""Every answer under /api/ is JSON: DRF's errors in Swedish, and Django's own 400, 403,
404, 413 and 500 (raised outside DRF views, e.g. an unknown address) as JSON too."""

import math

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler as drf_exception_handler

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(status: int, detail: str, **extra) -> JsonResponse:
    response = JsonResponse({"detail": detail, **extra}, status=status)
    response["Content-Language"] = "sv"
    return response


def exception_handler(exc, context):
    """DRF's handler, with the throttling message wholly Swedish (DRF's catalogue leaves
    the waiting time in English), and errors in JSON even for a browser (the browsable API
    would render them as an HTML page); with ?format=csv they stay CSV, as documented."""
    request = context.get("request")
    renderer = getattr(request, "accepted_renderer", None)
    if request is not None and getattr(renderer, "format", None) != "csv":
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = "application/json"
    if isinstance(exc, exceptions.Throttled):
        wait = math.ceil(exc.wait) if exc.wait is not None else None
        if wait is None:
            detail = _("Too many requests. Try again later.")
        else:
            detail = ngettext(
                "Too many requests. Try again in %(wait)s second.",
                "Too many requests. Try again in %(wait)s seconds.",
                wait,
            ) % {"wait": wait}
        wait_seconds = exc.wait
        exc = exceptions.Throttled(wait=wait_seconds)
        exc.detail = exceptions.ErrorDetail(detail, code="throttled")
    return drf_exception_handler(exc, context)


def too_large(limit: int) -> JsonResponse:
    return json_error(
        413,
        _(
            "The request body is larger than %(limit)s bytes (%(megabytes)s MB), the most the "
            "API accepts. Split the values over several requests."
        )
        % {"limit": limit, "megabytes": f"{limit / 1024 / 1024:.0f}"},
        limit=limit,
    )


def api_bad_request(request, exception=None):
    return json_error(400, _("Bad request."))


def api_permission_denied(request, exception=None):
    return json_error(403, _("You do not have permission to do this."))


def api_not_found(request, exception=None):
    return json_error(404, _("There is no API resource at this address. See /api/v1/."))


def api_server_error(request):
    return json_error(
        500,
        _("An error occurred on the server; it has been logged. Nothing was saved."),
    )
