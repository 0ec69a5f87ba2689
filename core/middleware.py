"""Swedish unless the user has chosen another language (or, on the API, asked for one)."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class DefaultLanguageMiddleware:
    """Activate the language from the language cookie, else LANGUAGE_CODE (Swedish).

    Django's LocaleMiddleware would follow the browser's Accept-Language, which shows
    English to staff whose browsers happen to be set to English; the interface is Swedish
    by default and English only on request (the set_language view sets the cookie).

    Below the paths in `ACCEPT_LANGUAGE_PATHS` (the API: programs, not staff browsers) the
    request's Accept-Language header chooses when there is no cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        negotiated = request.path_info.startswith(
            tuple(getattr(settings, "ACCEPT_LANGUAGE_PATHS", ()))
        )
        if language not in dict(settings.LANGUAGES) and negotiated:
            language = translation.get_language_from_request(request)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # Only for this request: the thread's language is restored afterwards, so that the
        # next request, a management command or a job on the same thread starts from the
        # default again instead of the previous visitor's choice.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if negotiated:
            patch_vary_headers(response, ["Accept-Language"])
        return response
