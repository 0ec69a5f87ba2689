"""Jobs of the deadlines (Django's Tasks API, see settings.TASKS)."""

from django.utils.dateparse import parse_datetime
from django_tasks import task

from . import services


@task()
def send_due_reminders(now: str | None = None) -> dict:
    """Send the reminders and summaries due at `now` (an ISO timestamp; default: the present)
    that nobody has sent yet. Safe to run as often as wanted and on several servers at once."""
    moment = parse_datetime(now) if now else None
    if now and moment is None:
        raise ValueError(f"Not a timestamp: {now!r}")
    sent = services.reminders_send_due(now=moment)
    return {"sent": len(sent), "ids": [r.pk for r in sent]}
