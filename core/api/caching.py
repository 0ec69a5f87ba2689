"""Conditional GET for the read API: ETag and Last-Modified from one aggregate query.

A list's validators come from the filtered queryset's row count and newest `updated_at`
(plus the newest change of related rows that the representation nests), together with two
global watermarks that the caller names as (model, field) pairs (the API passes the newest
deletion and the newest change of a follow-up period, since publishing a period changes what
anonymous readers see). The ETag also covers the request (path, query string, format,
language, audience — the caller's name for who is asking), so that it never has to render the
body. All of it is a single SQL query per request.

The ETag also keys a small cache of rendered JSON and CSV bodies (the "api" cache alias):
a request whose ETag was rendered before is answered from it, without fetching, serializing
or rendering the page again. An entry can only be stale in the ways a 304 can be (changes
that no `updated_at` records), and entries expire after the alias's TIMEOUT.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import InvalidCacheBackendError, caches
from django.db.models import Count, Max, Subquery
from django.db.models.expressions import RawSQL
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date


@dataclass(frozen=True)
class CollectionState:
    """How many rows a queryset has and when it (or what it depends on) last changed."""

    count: int
    timestamps: tuple[datetime | None, ...]

    @property
    def last_modified(self) -> datetime | None:
        known = [t for t in self.timestamps if t is not None]
        return max(known) if known else None


def _newest(model, field, condition=None):
    """(SELECT MAX(field) FROM table) — an index-only lookup, cheap to compile; with a
    `condition` (a Q), the newest value among the rows that match it."""
    if condition is not None:
        rows = model._default_manager.filter(condition).order_by(f"-{field}")
        return Subquery(rows.values(field)[:1], output_field=model._meta.get_field(field))
    column = model._meta.get_field(field).column
    return RawSQL(
        f"SELECT MAX({column}) FROM {model._meta.db_table}",
        (),
        output_field=model._meta.get_field(field),
    )


def collection_state(queryset, timestamp_fields=("updated_at",), *, watermarks=(), distinct=False):
    """Count and newest timestamps of `queryset` and of the global `watermarks` ((model,
    field) pairs: the newest value of each whole table), in one query.

    A timestamp field is a path from the queryset's rows ("period__updated_at"), or a
    (model, field) pair for the newest value of that whole table: no join, and fit for a
    small table whose rows many rows of the queryset show (an indicator's name in each of
    its values). `distinct` counts rows once when a path crosses a to-many relation.
    """
    aggregates = {"count": Count("pk", distinct=distinct)}
    for index, field in enumerate(timestamp_fields):
        if hasattr(field, "resolve_expression"):  # an aggregate given whole, e.g. filtered
            aggregates[f"ts{index}"] = field
        else:
            aggregates[f"ts{index}"] = Max(_newest(*field) if isinstance(field, tuple) else field)
    for index, field in enumerate(watermarks):
        # (model, field) or (model, field, Q): the newest of the table, or of its matching rows
        aggregates[f"wm{index}"] = Max(_newest(*field))
    row = queryset.order_by().aggregate(**aggregates)
    timestamps = tuple(row[f"ts{i}"] for i in range(len(timestamp_fields)))
    marks = tuple(row[f"wm{i}"] for i in range(len(watermarks)))
    return CollectionState(count=row["count"], timestamps=(*timestamps, *marks))


def _canonical_query(request) -> str:
    return "&".join(
        f"{key}={value}" for key, values in sorted(request.query_params.lists()) for value in values
    )


#: Renderings worth keeping (the browsable API's HTML carries per-user tokens: never).
CACHED_FORMATS = ("json", "csv")
MAX_CACHED_BYTES = 256 * 1024


def _response_cache(request):
    renderer = getattr(request, "accepted_renderer", None)
    if getattr(renderer, "format", None) not in CACHED_FORMATS:
        return None
    try:
        return caches["api"]
    except InvalidCacheBackendError:
        return None


@dataclass(frozen=True)
class Validators:
    """The ETag and Last-Modified of one response."""

    etag: str
    last_modified: datetime | None
    private: bool = False

    @classmethod
    def for_request(cls, request, state: CollectionState, audience: str) -> "Validators":
        """`audience` names who is asking ("public" for anyone, else a staff audience whose
        answers are kept out of shared caches)."""
        renderer = getattr(request, "accepted_renderer", None)
        key = "|".join(
            [
                request.build_absolute_uri(request.path),  # bodies hold absolute links
                _canonical_query(request),
                getattr(renderer, "format", "") or "",
                translation.get_language() or "",
                audience,
                str(state.count),
                *(t.isoformat() if t else "-" for t in state.timestamps),
            ]
        )
        digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
        # Weak: the tag names the content, not the exact bytes of one rendering.
        return cls(
            etag=f'W/"{digest}"',
            last_modified=state.last_modified,
            private=audience != "public",
        )

    def not_modified(self, request):
        """A 304 response when the client's copy is current, else None."""
        last_modified = int(self.last_modified.timestamp()) if self.last_modified else None
        response = get_conditional_response(
            request, etag=self.etag, last_modified=last_modified, response=None
        )
        return None if response is None else self.apply(response, request)

    def ready_response(self, request):
        """An answer that needs no page to be built: 304 when the client's copy is
        current, else this representation as rendered for an earlier request, else None."""
        response = self.not_modified(request)
        if response is not None:
            return response
        cache = _response_cache(request)
        stored = cache.get(self.etag) if cache is not None else None
        if stored is None:
            return None
        content, content_type = stored
        return self.apply(HttpResponse(content, content_type=content_type), request)

    def store_when_rendered(self, response, request):
        """Keep the body of `response` under the ETag once it has been rendered."""
        cache = _response_cache(request)
        if cache is None:
            return

        def store(rendered):
            if rendered.status_code == 200 and len(rendered.content) <= MAX_CACHED_BYTES:
                cache.set(self.etag, (rendered.content, rendered["Content-Type"]))

        response.add_post_render_callback(store)

    def apply(self, response, request):
        response["ETag"] = self.etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified.timestamp())
        # Every reader revalidates; staff answers stay out of shared caches.
        response["Cache-Control"] = "private, no-cache" if self.private else "no-cache"
        return response
