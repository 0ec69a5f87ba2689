"""API tokens: django-rest-knox (hashed, expiring) narrowed by a TokenScope."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework import exceptions

from .models import TokenScope


class ScopedTokenAuthentication(TokenAuthentication):
    """Knox token authentication that hands the token's scope to the policy.

    A token without a scope is refused: every API token must say which boards it serves.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, auth_token = result
        scope = TokenScope.objects.filter(token=auth_token).prefetch_related("boards").first()
        if scope is None:
            raise exceptions.AuthenticationFailed("Token utan behörighetsomfång.")
        user._token_scope = {
            "boards": {b.pk for b in scope.boards.all()},
            "can_write": scope.can_write,
        }
        user._board_roles = None  # recomputed under the scope
        return user, auth_token


@transaction.atomic
def token_create(*, user, name: str, boards, can_write: bool = False, days: int = 365):
    """Create a token for `user` limited to `boards`; returns (TokenScope, the secret once).

    A lifetime of 0 days or less would give a token that is expired at once (knox: or one
    that never expires, for no expiry): refused."""
    if days < 1:
        raise ValidationError(
            {"days": _("A token must live at least one day (got %(days)s).") % {"days": days}}
        )
    auth_token, secret = AuthToken.objects.create(user=user, expiry=timedelta(days=days))
    scope = TokenScope.objects.create(token=auth_token, name=name, can_write=can_write)
    scope.boards.set(boards)
    return scope, secret


class ScopedTokenScheme(OpenApiAuthenticationExtension):
    """Documents the token scheme in the OpenAPI schema."""

    target_class = "access.tokens.ScopedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <nyckel>`: a scoped, expiring key created by an administrator.",
        }
