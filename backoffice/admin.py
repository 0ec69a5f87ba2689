"""Registers every app's model admins (Django's autodiscover imports this module)."""

from . import access, activities, followups, goals, indicators, reports  # noqa: F401
