"""Text that PostgreSQL and the rest of the stack cannot take: NUL and unpaired surrogates.

Both are refused, never stripped: a NUL or a lone surrogate in a field means that the
sending program wrote the wrong thing (a binary file, a broken encoder), and quietly
removing characters would store something nobody wrote. The message names the field and
the character's position, so the sender can find it.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: NUL, which PostgreSQL text cannot hold, and UTF-16 surrogates, which UTF-8 cannot encode
#: (they reach Python from JSON escapes such as "\ud800" that have no partner).
_BAD = re.compile("[\x00\ud800-\udfff]")


def bad_character(text: str) -> tuple[int, str] | None:
    """The 1-based position and a description of the first character that cannot be stored."""
    match = _BAD.search(text)
    if match is None:
        return None
    char = match.group()
    kind = _("a NUL character") if char == "\x00" else _("an unpaired surrogate")
    return match.start() + 1, f"{kind} (U+{ord(char):04X})"


def cell_problem(text) -> str | None:
    """A Swedish message for a cell whose row and column are named elsewhere, else None."""
    if not isinstance(text, str):
        return None
    found = bad_character(text)
    if found is None:
        return None
    position, kind = found
    return _(
        "The text contains %(kind)s at character %(position)s; the file cannot be read as written."
    ) % {
        "kind": kind,
        "position": position,
    }


def text_problem(text, field: str) -> str | None:
    """A Swedish message when `text` holds a character that cannot be stored, else None."""
    if not isinstance(text, str):
        return None
    found = bad_character(text)
    if found is None:
        return None
    position, kind = found
    return _(
        "The field “%(field)s” contains %(kind)s at character %(position)s. "
        "Remove it and send again."
    ) % {"field": field, "kind": kind, "position": position}


def check_text(text, field: str) -> None:
    """Raise ValidationError (code "bad_character") when `text` cannot be stored."""
    message = text_problem(text, field)
    if message is not None:
        raise ValidationError(message, code="bad_character")


def first_bad_item(items) -> tuple[str, str] | None:
    """(name, message) of the first (name, value) pair whose value or name cannot be stored."""
    for name, value in items:
        for text in (name, value):
            message = text_problem(text, _shown(name))
            if message is not None:
                return _shown(name), message
    return None


def _shown(name) -> str:
    """A name safe to show: bad characters replaced by U+FFFD."""
    return _BAD.sub("\ufffd", str(name))
