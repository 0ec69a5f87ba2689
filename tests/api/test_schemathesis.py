"""Property-based run of the whole API against its own OpenAPI schema (schemathesis).

Runs on pytest-django's live server, which flushes the database when the test ends
(TransactionTestCase); the module fixture loads the seed documents again afterwards so the
rest of the suite finds them.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.api.throttling import ClientRateThrottle
from followups.seed import seed_load
from goals.choices import PeriodStatus
from goals.models import FollowUpPeriod

EXAMPLES_PER_OPERATION = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module", autouse=True)
def _seed_again_afterwards(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        seed_load()


def test_api_conforms_to_its_schema(live_server, monkeypatch):
    """For every operation of /api/schema/, 15 generated requests (valid ids, filters,
    paths, conditional headers) give no 5xx, only documented status codes and content
    types, and bodies that match the schema."""
    seed_load()  # a live-server test earlier in the run may have flushed the database
    FollowUpPeriod.objects.update(status=PeriodStatus.PUBLISHED)  # the public sees data
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})

    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json")
    failures, statuses = [], []
    operations = [result.ok() for result in schema.get_all_operations()]
    # 42 reads, 19 whole-dataset files (one per list), 18 Kolada routes (v2 and v3), the
    # bulk write and a follow-up's text GET/PUT
    assert len(operations) == 82

    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call(base_url=live_server.url)
            statuses.append(response.status_code)
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except Exception as exc:  # collect all operations' failures, then report
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
    assert len(statuses) > len(operations) * 10
    assert statuses.count(200) > len(operations) * 3  # not all requests were rejected
