"""OpenAPI post-processing: the responses every read operation can give besides 200.

drf-spectacular documents the 200 body of each operation; this hook adds the conditional-GET
headers and 304, the error bodies of 400 (bad filter), 404 (unknown id or page) and 429
(throttled), and says that `text/csv` bodies are CSV text, not JSON.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: `detail` for 404 and 429, one list of messages per field for 400.",
    "additionalProperties": {},
}

VALIDATOR_HEADERS = {
    "ETag": {
        "description": "Weak validator of this representation; send it back as If-None-Match.",
        "schema": {"type": "string"},
    },
    "Last-Modified": {
        "description": "When the rows behind this representation last changed.",
        "schema": {"type": "string"},
    },
}

CONDITIONAL_PARAMETERS = [
    {
        "in": "header",
        "name": "If-None-Match",
        "required": False,
        "description": "An ETag from an earlier response: 304 when it still matches.",
        "schema": {"type": "string"},
    },
    {
        "in": "header",
        "name": "If-Modified-Since",
        "required": False,
        "description": "An HTTP date: 304 when nothing changed since (ignored with If-None-Match).",
        "schema": {"type": "string"},
    },
]

DEFAULT_DESCRIPTIONS = {
    ("query", "format"): "Response format: json (default) or csv (UTF-8 with byte order mark).",
    ("path", "id"): "The row's id; ids are stable and never reused for another row.",
}


CSV_BODY = {
    "schema": {"type": "string", "description": "UTF-8 CSV with byte order mark and a header row."}
}


def _error(description, csv):
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    if csv:  # with ?format=csv the error comes as CSV too
        content["text/csv"] = CSV_BODY
    return {"description": description, "content": content}


def _unwrap_page_examples(body):
    """A list's example written as its rows becomes one page of exactly those rows
    (drf-spectacular nests the rows as one row and invents a count and links)."""
    for example in body.get("content", {}).get("application/json", {}).get("examples", {}).values():
        page = example.get("value")
        if not isinstance(page, dict) or not isinstance(page.get("results"), list):
            continue
        if len(page["results"]) == 1 and isinstance(page["results"][0], list):
            rows = page["results"][0]
            example["value"] = {"count": len(rows), "next": None, "previous": None, "results": rows}


#: The end of a whole-dataset file's path (see viewsets.download_routes).
DOWNLOAD_PATH_END = "/all.{kind}"


def _describe_download(operation):
    """A whole-dataset file: no conditional GET (it is made anew), no `format` (the path
    names the file), 400 for a bad filter and 429."""
    operation["parameters"] = [
        p for p in operation.get("parameters", []) if (p["in"], p["name"]) != ("query", "format")
    ]
    responses = operation["responses"]
    responses.setdefault("400", _error(str(_("Invalid filter or parameter value.")), False))
    responses.setdefault(
        "429", _error(str(_("Too many requests; retry after the Retry-After delay.")), False)
    )


def add_common_responses(result, generator, request, public):
    """Document 304/400/404/429, the validator headers and the CSV body on every GET."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, path_item in result.get("paths", {}).items():
        operation = path_item.get("get")
        if operation is None:
            continue
        if path.endswith(DOWNLOAD_PATH_END):
            _describe_download(operation)
            continue
        responses = operation["responses"]
        csv = False
        for status, body in responses.items():
            if status.startswith("2"):
                _unwrap_page_examples(body)
                body.setdefault("headers", {}).update(VALIDATOR_HEADERS)
                if "text/csv" in body.get("content", {}):
                    body["content"]["text/csv"] = CSV_BODY
                    csv = True
        responses.setdefault(
            "304", {"description": "Not modified since the ETag or date sent.", "headers": {}}
        )
        responses["304"]["headers"].update(VALIDATOR_HEADERS)
        responses.setdefault("400", _error("Invalid filter or parameter value.", csv))
        responses.setdefault("404", _error("No such object or page.", csv))
        responses.setdefault(
            "429", _error("Too many requests; retry after the Retry-After delay.", csv)
        )
        parameters = operation.setdefault("parameters", [])
        for parameter in parameters:
            default = DEFAULT_DESCRIPTIONS.get((parameter["in"], parameter["name"]))
            if default and not parameter.get("description"):
                parameter["description"] = default
        names = {(p.get("in"), p.get("name")) for p in parameters}
        parameters.extend(p for p in CONDITIONAL_PARAMETERS if (p["in"], p["name"]) not in names)
    return result


class DescribedFilterExtension(DjangoFilterExtension):
    """django-filter parameters, keeping each filter's help_text as its description.

    drf-spectacular drops the help_text of filters whose type comes from
    `extend_schema_field` (our id and year filters); this puts it back.
    """

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        help_text = filter_field.extra.get("help_text")
        for parameter in parameters:
            if help_text and not parameter.get("description"):
                parameter["description"] = str(help_text)
        return parameters


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus: a list's whole-dataset file (the `download` action)
    takes the list's filters and `ordering`, so they are documented on its route too, with
    the viewset's `download_examples`."""

    def get_examples(self):
        if getattr(self.view, "action", None) == "download":
            return list(getattr(self.view, "download_examples", ()))
        return super().get_examples()

    def get_filter_backends(self):
        if getattr(self.view, "action", None) == "download":
            return getattr(self.view, "filter_backends", [])
        return super().get_filter_backends()
