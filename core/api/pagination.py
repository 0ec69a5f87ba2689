"""Page-number pagination that can reuse the row count the ETag query already made."""

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class CountedPaginator(Paginator):
    """Django's paginator, told the row count instead of asking the database again."""

    def __init__(self, object_list, per_page, *, count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # primes the cached_property


class ApiPagination(PageNumberPagination):
    """100 rows a page by default, `page_size` up to 1000; Link header for CSV readers.

    The order is always total (every viewset tie-breaks by primary key), so pages are stable.
    """

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        """`page_size` a whole number from 1; above 1000 gives 1000 (documented). Zero,
        negative or not a number is a 400 (DRF would fall back to 100 silently)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or int(raw[:8]) < 1:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1; at most %(max)s rows are given per page.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return min(int(raw[:8]), self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.known_count = getattr(view, "known_count", None)
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, queryset, page_size):
        # DRF calls `self.django_paginator_class(queryset, page_size)`; as a method it can
        # hand the paginator the count computed for the ETag.
        return CountedPaginator(queryset, page_size, count=self.known_count)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        links = [
            f'<{url}>; rel="{rel}"'
            for rel, url in (("next", self.get_next_link()), ("prev", self.get_previous_link()))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_schema_operation_parameters(self, view):
        """`page` from 1 and `page_size` from 1 up to its maximum."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
                parameter["description"] = _(
                    "Rows per page: %(default)s by default, at most %(max)s."
                ) % {"default": self.page_size, "max": self.max_page_size}
            elif parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters
