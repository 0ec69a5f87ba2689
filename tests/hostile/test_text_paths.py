"""NUL and unpaired surrogates on every text path: public search and filters, admin lists,
the workbench, the workflow's reason, the follow-up text API, the login form.

Each is refused with a Swedish message naming the field (a 400, never a 500), and the
database is unchanged. Decision (README): refused, never stripped — such a character
means the sending program wrote the wrong thing.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from access.tokens import token_create
from followups.models import FollowUp
from tests.conftest import make_member
from tests.followups.test_workbench import _form_data, _key
from tests.followups.test_workbench import _url as workbench_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/las/sok/?q=v%C3%A5rd%00",
        "/las/sok/?q%00=x",
        "/admin/indicators/indicator/?q=%00",
        "/admin/followups/followup/?period__plan__board__id__exact=%00",
        "/rapporter/1/2017/verksamhetsplan/?till=%00",
    ],
)
def test_query_parameter_with_nul_is_a_400_naming_it(admin_client, unchanged_db, path):
    """Search, filters and admin lists: a Swedish 400 page naming the parameter."""
    response = admin_client.get(path)
    assert response.status_code == 400
    page = response.content.decode()
    assert "innehåller ett NUL-tecken" in page and "Fältet ”" in page


def test_workbench_text_with_nul_saves_nothing(editor_client, plan_2017, period_2017_12):
    """The row's box shows the error; no follow-up is saved (the other row neither)."""
    response = editor_client.get(workbench_url(period_2017_12))
    data = _form_data(response)
    data[f"{_key('1.1', plan_2017)}-text"] = "Giltig ändring"
    data[f"{_key('1.2', plan_2017)}-text"] = "Med\x00tecken"
    before = list(FollowUp.objects.order_by("pk").values_list("pk", "text", "version"))
    response = editor_client.post(workbench_url(period_2017_12), data)
    assert response.status_code == 400
    assert "Null-tecken är inte tillåtna" in response.content.decode()
    assert list(FollowUp.objects.order_by("pk").values_list("pk", "text", "version")) == before


def test_workflow_reason_with_nul_is_refused(client, plan_2017, period_2017_12, django_user_model):
    """The reopening reason is checked before the workflow runs: 400 naming the field."""
    approver = make_member(django_user_model, "godkannare", plan_2017.board, "approver")
    client.force_login(approver)
    url = reverse("followups:period_status", args=[period_2017_12.pk])
    assert client.post(url, {"transition": "submit"}).status_code == 302
    steps = period_2017_12.transitions.count()
    response = client.post(url, {"transition": "reopen", "reason": "Fel\x00siffra"})
    assert response.status_code == 400
    assert "Fältet ”skäl” innehåller ett NUL-tecken" in response.content.decode()
    assert period_2017_12.transitions.count() == steps


@pytest.fixture
def text_client(plan_2017, django_user_model):
    editor = make_member(django_user_model, "api-text", plan_2017.board, "editor")
    _scope, secret = token_create(user=editor, name="T", boards=[plan_2017.board], can_write=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


@pytest.mark.parametrize(
    "body,field,fragment",
    [
        ('{"text": "a\\u0000b"}', "text", "Null"),
        ('{"text": "\\udfff"}', "text", "U+DFFF"),
        ('{"text": "x", "forcast": "y"}', "forcast", "Menade du ”forecast”"),
        ('{"text": "x", "fulfilment": true}', "fulfilment", "heltal"),
        ('{"text": "x", "fulfilment": 1e400}', "fulfilment", "heltal"),
    ],
)
def test_follow_up_text_api_names_the_field(
    text_client, period_2017_12, unchanged_db, body, field, fragment
):
    """PUT of a follow-up's text: 400 with the field as key, nothing saved."""
    follow_up = FollowUp.objects.get(period=period_2017_12, activity__number="1.3")
    url = f"/api/v1/follow-ups/{follow_up.pk}/text/"
    etag = text_client.get(url)["ETag"]
    response = text_client.generic(
        "PUT",
        url,
        body.encode("utf-8", "surrogatepass"),
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 400, response.content
    assert fragment in " ".join(response.json()[field])


def test_login_with_nul_is_a_form_error(client, unchanged_db):
    """The sign-in form refuses the character on the field; nobody is locked out by it."""
    response = client.post(reverse("public:login"), {"username": "a\x00b", "password": "x" * 12})
    assert response.status_code == 200
    assert "Null-tecken är inte tillåtna" in response.content.decode()


def test_oversized_form_post_is_refused_before_it_is_read(admin_client, unchanged_db):
    """A body larger than the largest import file is a 413 page, not a temporary file."""
    response = admin_client.post(
        reverse("admin:indicators_indicatorvalue_import"),
        {"x": "y"},
        CONTENT_LENGTH=str(30 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "större än 20 MB" in response.content.decode()
