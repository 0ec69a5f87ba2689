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
