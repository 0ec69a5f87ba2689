"""The API's one request parser: JSON within the bounds of core.safeinput.jsonsafe."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from core.safeinput import jsonsafe


class SafeJSONParser(JSONParser):
    """JSON bodies with a depth limit, without NaN/Infinity, fractions read as Decimal.

    Any other content type is answered 415 by DRF; the body size is bounded before this
    runs (core.input_middleware).
    """

    def parse(self, stream, media_type=None, parser_context=None):
        data = stream.read() if stream is not None else b""
        try:
            return jsonsafe.loads(data)
        except jsonsafe.JSONRefused as exc:
            raise ParseError(str(exc)) from exc
