"""Registers every app's model admins (Django's autodiscover imports this module)."""

from . import (  # noqa: F401
    access,
    actionplans,
    activities,
    deadlines,
    followups,
    goals,
    indicators,
    qualityreports,
    reports,
)
