"""Report kinds of other apps for `manage.py render_report --kind …`.

An app above this one (actionplans, qualityreports) registers its kind in its
AppConfig.ready(); this app never imports them.
"""

from collections.abc import Callable

#: kind → function(board, year) returning the report's HTML; LookupError when there is none.
OTHER_KINDS: dict[str, Callable] = {}


def register_kind(name: str, html: Callable) -> None:
    """Make `--kind name` render `html(board=board, year=year, target=target)`, target one of
    services.HTML_TARGETS ("file" for --format html: a document that stands alone)."""
    OTHER_KINDS[name] = html
