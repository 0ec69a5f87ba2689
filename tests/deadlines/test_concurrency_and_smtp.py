"""Two runs at the same time send each e-mail once; the SMTP backend delivers to a real server."""

import socket
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import override_settings

from deadlines import services
from deadlines.models import ReminderSent
from goals.models import FollowUpPeriod

from .helpers import at, make_scenario


def _in_thread(django_db_blocker, fn):
    """Run `fn` on a fresh connection of its own (autocommit: what it writes is committed)."""
    out, errors = [], []

    def target():
        try:
            with django_db_blocker.unblock():
                out.append(fn())
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(120)
    if errors:
        raise errors[0]
    return out[0]


@pytest.fixture
def committed(django_db_blocker, django_user_model):
    """The scenario committed (other connections must see it), removed again afterwards."""
    from activities.models import Activity

    def create():
        period = FollowUpPeriod.objects.select_related("plan__board").get(
            plan__year=2017, date="2017-12-31"
        )
        return (period.deadline, period.reminder_days), make_scenario(period, django_user_model)

    saved, scenario = _in_thread(django_db_blocker, create)

    def remove():
        ReminderSent.objects.filter(period=scenario.period).delete()
        Activity.objects.filter(pk__in=[a.pk for a in scenario.activities.values()]).delete()
        django_user_model.objects.filter(
            username__in=["anna", "bertil", "cecilia", "dag", "chef"]
        ).delete()
        period = FollowUpPeriod.objects.get(pk=scenario.period.pk)
        period.deadline, period.reminder_days = saved
        period.save()

    try:
        yield scenario
    finally:
        _in_thread(django_db_blocker, remove)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_runs_send_each_email_once(committed, monkeypatch, django_db_blocker):
    """Run A records Anna's reminder and is sending it when run B starts: B waits on A's
    record (the unique constraint) and, once A commits, skips it. Anna gets one e-mail."""
    from django.core.mail.backends.locmem import EmailBackend

    real = EmailBackend.send_messages
    a_sending, release = threading.Event(), threading.Event()

    def slow_first_send(self, messages):
        if threading.current_thread().name == "run-a" and messages[0].to == ["anna@example.se"]:
            a_sending.set()
            assert release.wait(30), "run B never blocked"
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", slow_first_send)
    results, errors = {}, []

    def run(name):
        try:
            with django_db_blocker.unblock():
                results[name] = services.reminders_send_due(now=at(13))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    def lock_waiters():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            return cursor.fetchone()[0]

    a = threading.Thread(target=run, args=("a",), name="run-a")
    a.start()
    assert a_sending.wait(30), errors
    b = threading.Thread(target=run, args=("b",), name="run-b")
    b.start()
    # Wait (bounded) until run B is blocked on A's uncommitted record.
    # Each look at pg_stat_activity waits on B itself: B ending first means it did not wait.
    for _ in range(600):
        if _in_thread(django_db_blocker, lock_waiters):
            break
        b.join(0.05)
        if not b.is_alive():
            release.set()
            pytest.fail("run B ended without waiting for run A's record")
    else:
        release.set()
        pytest.fail("run B did not wait for run A's record")
    release.set()
    a.join(30)
    b.join(30)
    assert not errors, errors
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.se", "bertil@example.se"]
    assert len(results["a"]) + len(results["b"]) == 2
    count = _in_thread(
        django_db_blocker,
        lambda: ReminderSent.objects.filter(period=committed.period).count(),
    )
    assert count == 2


class _Collector:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _aiosmtpd_controller():
    """aiosmtpd's Controller. Its dependency atpublic is a top-level module named `public`,
    like this project's reader app: load atpublic's under that name while aiosmtpd imports it."""
    import importlib.util
    import sys
    import sysconfig

    folder = f"{sysconfig.get_paths()['purelib']}/public"
    spec = importlib.util.spec_from_file_location(
        "public", f"{folder}/__init__.py", submodule_search_locations=[folder]
    )
    atpublic = importlib.util.module_from_spec(spec)
    ours = sys.modules.get("public")
    sys.modules["public"] = atpublic
    try:
        spec.loader.exec_module(atpublic)
        from aiosmtpd.controller import Controller
    finally:
        if ours is not None:
            sys.modules["public"] = ours
    return Controller


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db
def test_reminders_through_smtp_to_a_local_server(period_2017_12, django_user_model):
    """With the production SMTP backend the reminders reach an SMTP server (aiosmtpd on
    loopback) with the recipient, a Swedish subject and the links."""
    Controller = _aiosmtpd_controller()
    make_scenario(period_2017_12, django_user_model)
    handler = _Collector()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_TIMEOUT=10,
            DEFAULT_FROM_EMAIL="Målfölj <noreply@malfolj.example.se>",
            SITE_URL="https://malfolj.example.se",
        ):
            sent = services.reminders_send_due(now=at(13))
    finally:
        controller.stop()
    assert len(sent) == 2
    assert sorted(e.rcpt_tos[0] for e in handler.envelopes) == [
        "anna@example.se",
        "bertil@example.se",
    ]
    import email

    message = email.message_from_bytes(handler.envelopes[0].content)
    subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
    assert subject.startswith("Påminnelse: uppföljningarna för")
    body = message.get_payload(decode=True).decode("utf-8")
    assert "https://malfolj.example.se/uppfoljning/" in body
    assert handler.envelopes[0].mail_from == "noreply@malfolj.example.se"
