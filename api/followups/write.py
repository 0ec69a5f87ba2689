"""Writing one follow-up over the API with optimistic locking (ETag / If-Match → 412)."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from access import policy
from access.choices import Action
from access.tokens import ScopedTokenAuthentication
from core.api.conditional import if_match_holds
from core.api.strict import StrictFieldsMixin, StrictQueryMixin
from followups import services
from followups.models import SUBJECT_FIELDS, FollowUp


def _etag(follow_up):
    return f'"v{follow_up.version}"'


class FollowUpTextSerializer(StrictFieldsMixin, serializers.Serializer):
    text = serializers.CharField(allow_blank=True, max_length=20000)
    forecast = serializers.CharField(allow_blank=True, required=False, max_length=5000)
    status = serializers.CharField(allow_blank=True, required=False)
    fulfilment = serializers.IntegerField(allow_null=True, required=False)
    version = serializers.IntegerField(read_only=True)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = FollowUpTextSerializer()
    yours = FollowUpTextSerializer()


DENIED = {
    401: OpenApiResponse(description="No or unknown token."),
    403: OpenApiResponse(description="Not allowed."),
    404: OpenApiResponse(description="No such follow-up, or not visible to you."),
    429: OpenApiResponse(description="Throttled."),
}

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=(
        'The ETag from GET, e.g. "v3"; a list of ETags (`"v3", "v4"`) holds when one of them '
        "is current, and `*` when the follow-up exists (RFC 9110 §13.1.1: strong comparison, "
        'a weak W/"…" tag never holds).'
    ),
)


class FollowUpTextView(StrictQueryMixin, APIView):
    """GET a follow-up's editable fields with its ETag; PUT them back with If-Match."""

    authentication_classes = [ScopedTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "api_write"

    def _get(self, request, pk):
        follow_up = (
            FollowUp.objects.select_related("period__plan__board", *SUBJECT_FIELDS, "fulfilment")
            .filter(pk=pk)
            .first()
        )
        if follow_up is None or not policy.can(
            request.user, Action.VIEW_DRAFT, follow_up.period.plan.board_id
        ):
            raise Http404
        return follow_up

    @staticmethod
    def _body(follow_up):
        return {
            "text": follow_up.text,
            "forecast": follow_up.forecast,
            "status": follow_up.status,
            "fulfilment": follow_up.fulfilment_id,
            "version": follow_up.version,
        }

    @extend_schema(
        operation_id="follow_up_text_retrieve",
        responses={200: FollowUpTextSerializer, **DENIED},
        description="A follow-up's editable fields, with its version as a strong ETag.",
    )
    def get(self, request, pk):
        follow_up = self._get(request, pk)
        response = Response(self._body(follow_up))
        response["ETag"] = _etag(follow_up)
        return response

    @extend_schema(
        operation_id="follow_up_text_update",
        parameters=[IF_MATCH],
        request=FollowUpTextSerializer,
        responses={
            200: FollowUpTextSerializer,
            400: OpenApiResponse(description="Invalid input."),
            412: ConflictSerializer,
            428: OpenApiResponse(description="If-Match missing."),
            **DENIED,
        },
        description=(
            "Replaces the follow-up's text (and forecast, status, fulfilment). Send the ETag "
            "from GET as If-Match; if someone changed the follow-up since, the answer is 412 "
            "with both your text and the current one, and nothing is saved."
        ),
    )
    def put(self, request, pk):
        follow_up = self._get(request, pk)
        if not policy.can_edit_follow_ups(request.user, follow_up.period):
            return Response(
                {"detail": "Du får inte ändra uppföljningen (roll eller periodens status)."},
                status=status.HTTP_403_FORBIDDEN,
            )
        if_match = request.headers.get("If-Match", "").strip()
        if not if_match:
            return Response(
                {"detail": "Ange If-Match med ETag från GET."},
                status=status.HTTP_428_PRECONDITION_REQUIRED,
            )
        incoming = FollowUpTextSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        if not if_match_holds(if_match, _etag(follow_up)):
            return self._conflict(follow_up, data)
        kind = follow_up.subject_kind
        values = {"text": data["text"]}
        for name, field_name in (
            ("forecast", "forecast"),
            ("fulfilment", "fulfilment_id"),
            ("status", "status"),
        ):
            if name in data:
                values[field_name] = data[name]
        entry = services.FollowUpEntry(
            kind=kind,
            subject=getattr(follow_up, kind),
            values=values,
            base_version=follow_up.version,
        )
        try:
            services.follow_ups_save(period=follow_up.period, entries=[entry], user=request.user)
        except services.FollowUpSaveError as exc:
            if exc.conflicts:
                follow_up.refresh_from_db()
                return self._conflict(follow_up, data)
            messages = [m for msgs in exc.errors.values() for m in msgs] or [exc.message]
            return Response({"detail": " ".join(messages)}, status=status.HTTP_400_BAD_REQUEST)
        follow_up.refresh_from_db()
        response = Response(self._body(follow_up))
        response["ETag"] = _etag(follow_up)
        return response

    def _conflict(self, follow_up, data):
        response = Response(
            {
                "detail": "Någon annan har ändrat uppföljningen. Inget sparades; jämför texterna.",
                "current": self._body(follow_up),
                "yours": dict(data),
            },
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
        response["ETag"] = _etag(follow_up)
        return response
