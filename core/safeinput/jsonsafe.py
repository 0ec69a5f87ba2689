"""JSON parsed with bounds: nesting depth, non-finite numbers.

Python's decoder recurses once per level and raises RecursionError (a 500) on documents
nested a few thousand levels deep; it also accepts NaN, Infinity and numbers such as 1e400
that become float infinity. Here a document deeper than the interpreter allows is refused
when the decoder recurses too far, any other one is measured without recursion; numbers
with a fraction or exponent are read as Decimal (exact, and 1e400 stays a finite number
that the field's digit check refuses); the constants NaN and Infinity are refused.
Unpaired surrogates ("\ud800") decode as they are: safeinput.text refuses them per field.
"""

import json
from decimal import Decimal
from itertools import accumulate

from django.utils.translation import gettext as _

#: Deeper than any document this system reads (a bulk body is 3 levels, Kolada 4).
MAX_DEPTH = 32

_BRACKETS = bytes(range(256)).translate(None, b"[]{}")  # every byte except brackets
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class JSONRefused(ValueError):
    """The document is not acceptable JSON; the message says why, in Swedish."""


def bracket_bound(data: bytes) -> int:
    """An upper bound of the nesting depth: brackets inside strings are counted too."""
    brackets = data.translate(None, _BRACKETS)
    if not brackets:
        return 0
    return max(accumulate(map(_STEP.__getitem__, brackets)))


def depth(document) -> int:
    """How deeply arrays and objects nest in a decoded document (0 for a bare value)."""
    deepest = 0
    stack = [(document, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            node = node.values()
        elif not isinstance(node, list):
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in node if isinstance(child, dict | list))
    return deepest


def _refuse_constant(name):
    raise JSONRefused(
        _("The number %(value)s is not allowed; only finite numbers can be stored.")
        % {"value": name}
    )


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH):
    """Decode a JSON document within the bounds, or raise JSONRefused with a Swedish reason."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JSONRefused(
            _("The JSON is not valid UTF-8 (byte %(position)s).") % {"position": exc.start + 1}
        ) from exc
    try:
        document = json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except JSONRefused:
        raise
    except RecursionError:
        # The decoder recurses once per level: a document deeper than the interpreter's
        # limit stops it quickly, long before memory is a concern.
        raise _too_deep(None, max_depth) from None
    except json.JSONDecodeError as exc:
        raise JSONRefused(
            _("Invalid JSON at line %(line)s, column %(column)s: %(error)s")
            % {"line": exc.lineno, "column": exc.colno, "error": exc.msg}
        ) from exc
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise JSONRefused(_("The JSON holds a number that is too long.")) from exc
    # Counting brackets is fast but also counts those inside strings; only a document
    # whose count exceeds the limit is walked (without recursion) for its real depth.
    if bracket_bound(raw) > max_depth:
        found = depth(document)
        if found > max_depth:
            raise _too_deep(found, max_depth)
    return document


def _too_deep(found, max_depth) -> JSONRefused:
    if found is None:
        return JSONRefused(
            _("The JSON is nested more than %(limit)s levels deep.") % {"limit": max_depth}
        )
    return JSONRefused(
        _("The JSON is nested %(depth)s levels deep; at most %(limit)s are allowed.")
        % {"depth": found, "limit": max_depth}
    )
