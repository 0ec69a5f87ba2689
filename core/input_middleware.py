"""Hostile input stopped at the door: query parameters that cannot be stored, API bodies
over the API's limit.

- A query parameter (search `q`, filters, admin lists) holding NUL or an unpaired surrogate
  is refused with 400 naming the parameter: JSON under /api/, a Swedish page elsewhere.
  (Form fields are checked by their forms, which show the error on the field; JSON fields
  by the API's serializers and the bulk write's row check.)
- Elsewhere a body larger than the largest import file (plus a form's overhead) is a 413.
- Under /api/ a body larger than API_MAX_BODY_BYTES is a JSON 413 naming the limit; a
  smaller one is read here with that limit, so that Django's general limit for forms
  (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB) does not answer a valid 5000-row batch with its
  bare "Bad Request (400)".
"""

import io

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.api import errors
from core.safeinput.text import first_bad_item


class HostileInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = first_bad_item(_pairs(request.GET))
        if bad is not None:
            name, message = bad
            if errors.is_api(request):
                return errors.json_error(400, message, parameter=name)
            return render(request, "400.html", {"message": message}, status=400)
        if errors.is_api(request):
            refused = self._read_api_body(request)
            if refused is not None:
                return refused
        elif _content_length(request) > settings.IMPORT_MAX_BYTES + FORM_OVERHEAD:
            # The largest form is an import file; a larger body is refused before Django
            # writes it to a temporary file.
            message = _(
                "The request is larger than %(limit)s MB, the largest file that can be "
                "imported. Split the file."
            ) % {"limit": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            return render(request, "400.html", {"message": message}, status=413)
        return self.get_response(request)

    @staticmethod
    def _read_api_body(request):
        limit = settings.API_MAX_BODY_BYTES
        raw_length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw_length)
        except ValueError:
            return errors.json_error(400, _("The Content-Length header is not a number."))
        if length > limit:
            return errors.too_large(limit)
        if length <= 0:
            return None
        body = request.read(limit + 1)
        if len(body) > limit:
            return errors.too_large(limit)
        # As HttpRequest.body would keep it, without the general limit for forms.
        request._body = body
        request._stream = io.BytesIO(body)
        return None


#: What a form adds around an uploaded file (boundaries, other fields).
FORM_OVERHEAD = 1024 * 1024


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _pairs(query):
    for name, values in query.lists():
        for value in values:
            yield name, value
