"""Strict query parameters: an unknown or misspelled one is a 400 naming it, never ignored."""

import difflib

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError


def unknown_parameter_errors(names, allowed) -> dict:
    """{name: [message]} for each name not in `allowed`, suggesting the nearest known one."""
    errors = {}
    for name in names:
        if name in allowed:
            continue
        close = difflib.get_close_matches(name, sorted(allowed), n=1)
        if close:
            message = _("Unknown parameter. Did you mean “%(name)s”?") % {"name": close[0]}
        else:
            message = _("Unknown parameter. Allowed: %(names)s.") % {
                "names": ", ".join(sorted(allowed)) or "–"
            }
        errors[name] = [message]
    return errors


class StrictQueryMixin:
    """For API views: every query parameter must be one the view reads.

    `query_params_allowed()` lists them (`format` always); `format` must name one of the
    view's renderers, so `?format=xml` is a 400 saying which formats exist rather than a 404.
    """

    extra_query_params: tuple = ()
    #: Parameters that may be given more than once (`?year=2018&year=2019`), for clients
    #: that send lists that way (Kolada's API v3 and its client libraries).
    repeatable_query_params: tuple = ()

    def query_params_allowed(self) -> set:
        return {"format", *self.extra_query_params}

    def initial(self, request, *args, **kwargs):
        self.check_query_params(request)
        super().initial(request, *args, **kwargs)

    def check_query_params(self, request):
        params = request.query_params
        errors = unknown_parameter_errors(params.keys(), self.query_params_allowed())
        formats = sorted({r.format for r in self.get_renderers()} - {"api"})
        if "format" in params and "format" not in errors:
            value = params["format"]
            if value not in formats and not (value == "api" and "api" in self._formats()):
                errors["format"] = [
                    _("Unknown format “%(value)s”. Choose one of: %(formats)s.")
                    % {"value": value[:20], "formats": ", ".join(formats)}
                ]
        for name in params:
            repeatable = name in self.repeatable_query_params
            if name not in errors and not repeatable and len(params.getlist(name)) > 1:
                errors[name] = [_("Give the parameter once (a comma-separated list if several).")]
        if errors:
            raise ValidationError(errors)

    def _formats(self):
        return {r.format for r in self.get_renderers()}


class StrictFieldsMixin:
    """For input serializers: a field the serializer does not know is an error naming it
    (DRF ignores it, so a misspelled optional field is silently lost)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = unknown_field_errors(data.keys(), set(self.fields))
            if errors:
                raise ValidationError(errors)
        return super().to_internal_value(data)


def unknown_field_errors(names, allowed) -> dict:
    """{name: [message]} for each body field not in `allowed`, suggesting the nearest."""
    errors = {}
    for name in names:
        if name in allowed:
            continue
        close = difflib.get_close_matches(str(name), sorted(allowed), n=1)
        if close:
            message = _("Unknown field. Did you mean “%(name)s”?") % {"name": close[0]}
        else:
            message = _("Unknown field. Allowed: %(names)s.") % {
                "names": ", ".join(sorted(allowed))
            }
        errors[str(name)[:60]] = [message]
    return errors
