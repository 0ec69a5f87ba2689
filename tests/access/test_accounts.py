"""Accounts: strong hashing, throttled logins, idle sessions, CSRF, an optional SSO hook."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def _login(client, username, password, ip):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, follow=False
    )


def test_passwords_hash_with_argon2():
    """Production settings hash new passwords with Argon2 (the library is installed)."""
    import config.settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    hasher = Argon2PasswordHasher()
    assert hasher.encode("ett-långt-lösenord", hasher.salt()).startswith("argon2$")


def test_weak_password_is_refused():
    """The validators refuse a short, common password with a Swedish message."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        validate_password("password")
    assert any("minst 12 tecken" in m for m in exc.value.messages), exc.value.messages


def test_login_locked_after_repeated_failures_per_account_and_address(django_user_model):
    """Five wrong passwords lock that account from that address; another address still works."""
    django_user_model.objects.create_superuser("chef", password="rätt-lösenord-123")
    client = Client()
    for _ in range(5):
        _login(client, "chef", "fel", "10.0.0.1")
    locked = _login(client, "chef", "rätt-lösenord-123", "10.0.0.1")
    assert locked.status_code == 429
    assert "För många misslyckade inloggningsförsök" in locked.content.decode()
    other = _login(Client(), "chef", "rätt-lösenord-123", "10.0.0.2")
    assert other.status_code == 302


def test_session_expires_after_inactivity(client, django_user_model):
    """Each request renews a session cookie that lives for the idle timeout only."""
    user = django_user_model.objects.create_superuser("admin2", password="x")
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 30 * 60
    assert cookie.value


def test_csrf_is_required(plan_2017, django_user_model):
    """A POST without a CSRF token is refused, even for a logged-in editor."""
    from tests.conftest import make_member

    user = make_member(django_user_model, "red2", plan_2017.board, "editor")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    period = plan_2017.periods.first()
    response = client.post(reverse("followups:workbench", args=[period.pk]), {})
    assert response.status_code == 403


def test_single_sign_on_is_off_by_default_and_switches_on():
    """Without OIDC settings there is no SSO; with them the OIDC backend and URLs appear."""
    assert not settings.OIDC_ENABLED
    assert not any("oidc" in b.lower() for b in settings.AUTHENTICATION_BACKENDS)
    env = {
        **os.environ,
        "SECRET_KEY": "x",
        "OIDC_RP_CLIENT_ID": "malfoljning",
        "OIDC_RP_CLIENT_SECRET": "s",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.example/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": "https://login.example/token",
        "OIDC_OP_USER_ENDPOINT": "https://login.example/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": "https://login.example/keys",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from django.urls import reverse; "
        "print(settings.AUTHENTICATION_BACKENDS[-1]); print(reverse('oidc_authentication_init'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["mozilla_django_oidc.auth.OIDCAuthenticationBackend", "/oidc/authenticate/"]
