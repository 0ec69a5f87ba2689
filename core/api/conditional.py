"""Preconditions of writes as RFC 9110 §13.1.1 defines If-Match."""

import re

#: One entity tag: optional weak prefix, then a quoted string without quotes inside.
_ETAG = re.compile(r'\s*(W/)?("[^"]*")\s*(?:,|$)')


def parse_etags(header: str) -> list[tuple[bool, str]] | None:
    """The entity tags of an If-Match/If-None-Match list as (weak, tag) pairs; None when
    the header is not a valid list (then the precondition cannot hold)."""
    tags, position = [], 0
    header = header.strip()
    while position < len(header):
        match = _ETAG.match(header, position)
        if not match:
            return None
        tags.append((bool(match.group(1)), match.group(2)))
        position = match.end()
    return tags or None


def if_match_holds(header: str, current_etag: str | None) -> bool:
    """Does `If-Match: <header>` hold for a resource whose strong ETag is `current_etag`?

    "*" holds when the resource exists; otherwise one of the listed tags must equal the
    current one by strong comparison (a weak tag, W/"…", never matches).
    """
    header = header.strip()
    if header == "*":
        return current_etag is not None
    tags = parse_etags(header)
    if not tags or current_etag is None:
        return False
    return any(not weak and tag == current_etag for weak, tag in tags)
