"""The interface is Swedish by default and English only when chosen."""

import pytest

pytestmark = pytest.mark.django_db


def test_swedish_even_when_browser_asks_for_english(client):
    """A browser that prefers English still gets the Swedish login page."""
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "sv"
    assert "Användarnamn" in response.content.decode()


def test_english_on_request(client):
    """Choosing English through the language switch gives the English interface."""
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/login/"})
    response = client.get("/admin/login/")
    assert response["Content-Language"] == "en"
    assert "Username" in response.content.decode()


def test_swedish_catalogue_is_complete():
    """Every message of the Swedish catalogue is translated and none is left fuzzy."""
    from pathlib import Path

    from django.conf import settings

    po = (Path(settings.BASE_DIR) / "locale/sv/LC_MESSAGES/django.po").read_text("utf-8")
    entries = po.split("\n\n")[1:]  # the first block is the header
    assert entries
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    empty = [e for e in entries if e.rstrip().endswith('msgstr ""')]
    assert fuzzy == [] and empty == []


def test_language_choice_does_not_outlive_the_request(client, settings):
    """A request in English leaves the thread in the default language (Swedish) afterwards,
    so that the next request, command or job is not answered in the last visitor's choice."""
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/admin/login/")
    assert response["Content-Language"] == "en"
    assert translation.get_language() == "sv"
