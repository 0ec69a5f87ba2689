"""The base of every read-only API viewset: visibility, stable order, conditional GET."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from . import schema  # noqa: F401  (registers the filter description extension)
from .caching import Validators, collection_state
from .downloads import CHUNK, chunks, download_response, flat_header, flat_rows
from .filters import MAX_ID
from .strict import StrictQueryMixin

#: The route of a list's whole-dataset files, after the list's prefix (see download_routes).
DOWNLOAD_ROUTE = r"all\.(?P<kind>csv|sv\.csv|xlsx)$"

DOWNLOAD_DESCRIPTION = _(
    "Every row of the list that matches the filters (no pages), in the list's order, as one "
    "file: `all.csv` (comma, decimal point, UTF-8; `pandas.read_csv(url)` reads every row), "
    "`all.sv.csv` (as Swedish Excel opens it: semicolon, decimal comma, UTF-8 with byte "
    "order mark) or `all.xlsx` (at most 1,048,575 rows, Excel's limit). The file is streamed "
    "while it is read, in bounded memory. Cells starting with = + - @ tab or CR are prefixed "
    "with an apostrophe."
)


class ReadOnlyViewSet(StrictQueryMixin, viewsets.ReadOnlyModelViewSet):
    """List and detail of one model, as the request's audience may see it.

    Subclasses set `queryset`, `serializer_class`, `filterset_class`, `ordering` (ending in
    "pk"), `ordering_fields` and `visibility` (a function (request, queryset) -> queryset,
    wrapped in staticmethod). The project's base subclass sets `audience` (request -> the name
    of who is asking, "public" for anyone) and `etag_watermarks`, the (model, field) pairs
    whose newest change dates every response (see caching.collection_state).
    `etag_timestamps` lists the `updated_at` paths whose newest value dates the
    representation, e.g. the follow-ups nested in a goal, or (model, field) pairs for a whole
    table's newest change (see caching.collection_state); `etag_distinct` says when a path
    crosses a to-many relation.

    A list whose pages are large and whose rows are flat (no to-many joins) may set
    `row_columns` and `represent_rows`: the page is then read as `.values_list()` tuples
    and represented without model instances, exactly as the serializer would (see
    IndicatorValueViewSet). The serializer still describes the schema, the CSV columns and
    the detail endpoint.
    """

    visibility = None
    audience = None
    etag_watermarks = ()
    lookup_value_regex = r"[0-9]+"
    etag_timestamps = ("updated_at",)
    etag_distinct = False
    row_columns = None
    download_name = None  # the file name of the whole-dataset files (the list's prefix)
    download_examples = ()  # OpenApiExample of its files for the schema (text/csv)

    def get_queryset(self):
        return type(self).visibility(self.request, super().get_queryset())

    def query_params_allowed(self) -> set:
        """A list reads its filters, `ordering` and paging, its whole-dataset file the
        filters and `ordering`; a detail only `format`."""
        allowed = super().query_params_allowed()
        if self.action in ("list", "download"):
            if self.action == "list":
                allowed |= {"page", "page_size"}
            if self.filterset_class is not None:
                allowed |= set(self.filterset_class.base_filters)
            if getattr(self, "ordering_fields", None):
                allowed.add("ordering")
        return allowed

    def get_etag_timestamps(self):
        """The timestamps that date this request's responses (may depend on the audience)."""
        return self.etag_timestamps

    def get_etag_watermarks(self):
        """The watermarks that date this request's responses (may depend on the audience)."""
        return self.etag_watermarks

    def _state(self, queryset):
        return collection_state(
            queryset,
            self.get_etag_timestamps(),
            watermarks=self.get_etag_watermarks(),
            distinct=self.etag_distinct,
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        state = self._state(queryset)
        validators = Validators.for_request(request, state, type(self).audience(request))
        ready = validators.ready_response(request)
        if ready is not None:
            return ready
        self.known_count = state.count  # the paginator reuses it instead of counting again
        if self.row_columns:
            queryset = queryset.values_list(*self.row_columns)
        page = self.paginate_queryset(queryset)
        data = self.represent(queryset if page is None else page)
        response = Response(data) if page is None else self.get_paginated_response(data)
        validators.store_when_rendered(response, request)
        return validators.apply(response, request)

    def represent(self, rows):
        """The representations of a page: model instances through the serializer, or
        `row_columns` tuples through the subclass's `represent_rows`."""
        if self.row_columns:
            return self.represent_rows(rows)
        return self.get_serializer(rows, many=True).data

    def represent_rows(self, rows):
        """The serializer's representations of `row_columns` tuples."""
        raise NotImplementedError

    @extend_schema(
        summary=_("The whole list as one CSV or xlsx file"),
        description=DOWNLOAD_DESCRIPTION,
        parameters=[
            OpenApiParameter(
                "kind",
                str,
                OpenApiParameter.PATH,
                enum=["csv", "sv.csv", "xlsx"],
                description=_("csv, sv.csv (Swedish Excel) or xlsx."),
            )
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="CSV"),
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiResponse(OpenApiTypes.BINARY, description="xlsx"),
        },
    )
    def download(self, request, kind):
        """The whole list as one file (see DOWNLOAD_DESCRIPTION)."""
        queryset = self.filter_queryset(self.get_queryset())
        header = flat_header(self.get_serializer_class())
        if self.row_columns:
            rows = queryset.values_list(*self.row_columns).iterator(chunk_size=CHUNK)
            records = (flat_rows(self.represent_rows(chunk), header) for chunk in chunks(rows))
        else:
            instances = queryset.iterator(chunk_size=CHUNK)
            records = (
                flat_rows(self.get_serializer(chunk, many=True).data, header)
                for chunk in chunks(instances)
            )
        return download_response(
            kind,
            header=header,
            records=records,
            filename=self.download_name or self.basename,
        )

    def retrieve(self, request, *args, **kwargs):
        pk = int(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        if pk > MAX_ID:
            raise NotFound
        state = self._state(self.get_queryset().filter(pk=pk))
        if not state.count:
            return super().retrieve(request, *args, **kwargs)  # DRF's 404
        validators = Validators.for_request(request, state, type(self).audience(request))
        not_modified = validators.not_modified(request)
        if not_modified is not None:
            return not_modified
        return validators.apply(super().retrieve(request, *args, **kwargs), request)


def download_routes(router, prefix=""):
    """`<list>/all.csv`, `all.sv.csv` and `all.xlsx` of every viewset on the router that
    has `download` (file names: no trailing slash), named "<basename>-download"."""
    from django.urls import re_path

    return [
        re_path(
            rf"^{prefix}{list_prefix}/{DOWNLOAD_ROUTE}",
            viewset.as_view(
                {"get": "download"}, basename=basename, detail=False, download_name=list_prefix
            ),
            name=f"{basename}-download",
        )
        for list_prefix, viewset, basename in router.registry
        if hasattr(viewset, "download")
    ]
