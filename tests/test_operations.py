"""Operations: the health endpoint, security headers, request ids in the logs, check --deploy."""

import logging
import os
import re
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_service(client):
    """All up: 200 with the status of database, cache, job queue and storage."""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {k: v["status"] for k, v in body["checks"].items()} == {
        "database": "ok",
        "cache": "ok",
        "jobs": "ok",
        "storage": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_a_service_is_down(client, monkeypatch):
    """A cache that fails makes the health check answer 503 and name the cache."""

    def broken(*args, **kwargs):
        raise ConnectionError("down")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["cache"]["status"] == "fail" and checks["database"]["status"] == "ok"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


@pytest.mark.parametrize(
    "path", ["/", "/admin/login/", "/api/docs/", "/api/redoc/", "/las/logga-in/"]
)
def test_pages_run_under_a_csp_without_inline_scripts(client, path):
    """Every page sends the CSP; scripts come from the site only and no page has inline ones."""
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src.split() == ["'self'"]
    assert "frame-ancestors 'none'" in policy
    assert not INLINE_SCRIPT.search(response.content.decode())


def test_swagger_start_script_is_a_file(client):
    """The Swagger UI's start script is served from the site (script-src 'self')."""
    page = client.get("/api/docs/").content.decode()
    script = re.search(r'<script src="(/api/docs/\?script=?)"', page).group(1)
    response = client.get(script)
    assert response.status_code == 200 and "SwaggerUIBundle" in response.content.decode()


def test_request_id_is_logged_and_returned(client, caplog):
    """Each request is logged once with its id; a proxy's X-Request-ID is kept."""
    with caplog.at_level(logging.INFO, logger="malfolj.request"):
        response = client.get(reverse("public:start"), HTTP_X_REQUEST_ID="proxy-abc-12345")
    assert response["X-Request-ID"] == "proxy-abc-12345"
    records = [r for r in caplog.records if r.name == "malfolj.request"]
    assert len(records) == 1
    assert records[0].status == 200 and records[0].path == "/"
    bad = client.get(reverse("public:start"), HTTP_X_REQUEST_ID="<script>")
    assert re.fullmatch(r"[0-9a-f]{32}", bad["X-Request-ID"])


def test_json_log_lines_carry_the_request_id():
    """The JSON formatter writes one object per record with the request id of the request."""
    import json

    from core.requestlog import REQUEST_ID, JsonFormatter

    record = logging.makeLogRecord({"name": "x", "msg": "hej %s", "args": ("då",)})
    record.status = 200
    token = REQUEST_ID.set("abc12345")
    try:
        line = JsonFormatter().format(record)
    finally:
        REQUEST_ID.reset(token)
    data = json.loads(line)
    assert data["message"] == "hej då" and data["request_id"] == "abc12345"
    assert data["status"] == 200


def test_check_deploy_is_clean_in_the_production_configuration():
    """`manage.py check --deploy` gives no warning with the production settings."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "k" * 20 + "-production-like-secret-key-with-enough-characters-9f8e7d",
        "ALLOWED_HOSTS": "malfolj.example.se",
    }
    env.pop("SECURE_SSL_REDIRECT", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_gunicorn_writes_its_own_lines_as_json_too():
    """With LOG_FORMAT=json (scripts/serve's default) gunicorn's own lines — start, listening,
    worker boot, shutdown — are JSON objects like the app's, so the log collector reads one
    format; the settings come from config/gunicorn.py, as scripts/serve starts it."""
    import json
    import queue
    import signal
    import socket
    import threading

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "LOG_FORMAT": "json",
        "BIND_ADDRESS": "127.0.0.1",
        "PORT": str(port),
        "WEB_WORKERS": "1",
        "SECRET_KEY": "test-only",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    lines = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stderr])
    reader.start()
    seen = []
    try:
        while not any("Booting worker" in line for line in seen):
            seen.append(lines.get(timeout=60))
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(60)
        reader.join(10)
    while not lines.empty():
        seen.append(lines.get())
    records = [json.loads(line) for line in seen if line.strip()]
    messages = [record["message"] for record in records]
    assert any(m.startswith("Listening at: http://127.0.0.1:") for m in messages), messages
    assert any("Shutting down" in m for m in messages), messages
    assert "gunicorn.error" in {record["logger"] for record in records}
