"""Registers every app's model admins (Django's autodiscover imports this module)."""

from . import access, activities, followups, goals, indicators  # noqa: F401
