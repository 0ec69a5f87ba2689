"""Django's error views, answering JSON under /api/ and the Swedish pages elsewhere."""

from django.views import defaults

from core.api import errors


def bad_request(request, exception=None):
    if errors.is_api(request):
        return errors.api_bad_request(request, exception)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if errors.is_api(request):
        return errors.api_permission_denied(request, exception)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if errors.is_api(request):
        return errors.api_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if errors.is_api(request):
        return errors.api_server_error(request)
    return defaults.server_error(request)
