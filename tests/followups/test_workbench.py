"""The follow-up workbench: a whole period on one page, saved in one all-or-nothing POST."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity
from followups.models import FollowUp
from tests.factories import add_activities

pytestmark = pytest.mark.django_db


def _url(period, **params):
    url = reverse("followups:workbench", args=[period.pk])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


class _FormFields(HTMLParser):
    """Collects what a browser would post for the page's form, as rendered."""

    def __init__(self):
        super().__init__()
        self.data, self._textarea, self._select = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") == "checkbox":
            if "checked" in attrs:
                self._add(name, attrs.get("value") or "on")
        elif tag == "input" and name and attrs.get("type") != "submit":
            self._add(name, attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.data[name] = ""
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value") or ""

    def _add(self, name, value):
        """A name posted twice (ticked boxes, their hidden initials) posts a list."""
        if name not in self.data:
            self.data[name] = value
        elif isinstance(self.data[name], list):
            self.data[name].append(value)
        else:
            self.data[name] = [self.data[name], value]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            # Browsers drop the one newline that follows <textarea>.
            self.data[self._textarea] = self.data[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None


def _form_data(response):
    """The POST body a browser would send back unchanged for the rendered page (with the
    hidden values as rendered)."""
    parser = _FormFields()
    parser.feed(response.content.decode())
    data = parser.data
    data.pop("csrfmiddlewaretoken", None)
    return data


def _key(number, plan):
    return f"activity-{Activity.objects.get(plan=plan, number=number).pk}"


def test_anonymous_is_sent_to_login(client, period_2017_12):
    """Without a login the workbench redirects to the login page."""
    response = client.get(_url(period_2017_12))
    assert response.status_code == 302
    assert response["Location"].startswith("/las/logga-in/?next=")


def test_staff_without_permission_is_refused(client, django_user_model, period_2017_12):
    """A staff member without the follow-up permission gets 403, and a POST changes nothing."""
    user = django_user_model.objects.create_user("lasare", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(_url(period_2017_12)).status_code == 403
    before = list(FollowUp.objects.values_list("pk", "text"))
    assert client.post(_url(period_2017_12), {"x": "y"}).status_code == 403
    assert list(FollowUp.objects.values_list("pk", "text")) == before


def test_lists_every_subject_in_document_order(editor_client, plan_2017, period_2017_12):
    """Every goal and activity of the plan is a row, goals before their activities, 1.9 < 1.10."""
    response = editor_client.get(_url(period_2017_12))
    assert response.status_code == 200
    rows = [row for _s, rows in response.context["rows"] for row, _f, _c in rows]
    assert [r.subject.pk for r in rows if r.kind == "goal"] == list(
        plan_2017.goals.order_by("area__order", "order").values_list("pk", flat=True)
    )
    numbers = [r.subject.number for r in rows if r.kind == "activity"]
    assert len(numbers) == 38
    assert numbers.index("1.10") == numbers.index("1.9") + 1
    content = response.content.decode()
    assert "Utveckling av kö-redovisningen" in content
    # The goal's indicator text is shown as written in the plan.
    assert "Kommunens medborgare ska kunna erhålla rådgivning och stöd inom tio dagar" in content


def test_shows_previous_period_text_beside(editor_client, plan_2017, period_2017_12):
    """At 2017-12-31 the 2017-08-31 text of each activity is shown for reference."""
    response = editor_client.get(_url(period_2017_12))
    rows = {row.key: row for _s, rows in response.context["rows"] for row, _f, _c in rows}
    row = rows[_key("1.3", plan_2017)]
    assert row.previous.period.date.isoformat() == "2017-08-31"
    assert row.previous.text.startswith("Detta pågår kontinuerligt.")
    assert row.current.text.endswith("avseende flera objekt.")
    content = response.content.decode()
    assert content.count("Detta pågår kontinuerligt.") >= 2  # previous column and text box


def test_area_filter(editor_client, plan_2017, period_2017_12):
    """Filtering by activity area shows that area's goals and activities only."""
    area = plan_2017.board.activity_areas.get(name="Socialpsykiatri")
    response = editor_client.get(_url(period_2017_12, area=area.pk))
    rows = [row for _s, rows in response.context["rows"] for row, _f, _c in rows]
    expected = set(Activity.objects.filter(goal__area=area).values_list("number", flat=True))
    assert {r.subject.number for r in rows if r.kind == "activity"} == expected
    assert expected and all(n.startswith("3.") for n in expected)


def test_saves_many_texts_in_one_post(editor_client, editor, plan_2017, period_2017_12):
    """Forty changed texts are saved by one POST; the message names what was saved."""
    response = editor_client.get(_url(period_2017_12))
    data = _form_data(response)
    goal_keys = [k for k in data if k.startswith("goal-") and k.endswith("-text")]
    activity_keys = [k for k in data if k.startswith("activity-") and k.endswith("-text")]
    changed = goal_keys[:15] + activity_keys[:25]
    for n, key in enumerate(changed):
        data[key] = f"Ny uppföljningstext nummer {n}."
    level = plan_2017.board.municipality.fulfilment_levels.get(code="partly")
    first_goal = goal_keys[0].removesuffix("-text")
    data[f"{first_goal}-fulfilment"] = level.pk
    response = editor_client.post(_url(period_2017_12), data, follow=True)
    assert response.status_code == 200
    saved = FollowUp.objects.filter(period=period_2017_12, text__startswith="Ny uppföljningstext")
    assert saved.count() == 40
    assert set(saved.values_list("updated_by", flat=True)) == {editor.pk}
    goal_follow_up = FollowUp.objects.get(
        period=period_2017_12, goal_id=int(first_goal.split("-")[1])
    )
    assert goal_follow_up.fulfilment == level
    message = str(list(response.context["messages"])[0])
    assert message.startswith("Sparade 40 uppföljningar")
    assert "1.1" in message
    # Untouched rows keep their text and version.
    other = FollowUp.objects.get(period=period_2017_12, activity__number="7.2")
    assert other.version == 1 and not other.text.startswith("Ny uppföljningstext")


def test_one_invalid_row_saves_nothing(editor_client, plan_2017, period_2017_12):
    """When one row is invalid the whole POST is refused and the errors are shown in Swedish."""
    response = editor_client.get(_url(period_2017_12))
    data = _form_data(response)
    before = list(FollowUp.objects.order_by("pk").values_list("pk", "text", "fulfilment_id"))
    data[f"{_key('1.1', plan_2017)}-text"] = "Giltig ändring"
    data[f"{_key('1.2', plan_2017)}-text"] = "Också giltig"
    goal_key = next(k for k in data if k.startswith("goal-") and k.endswith("-fulfilment"))
    data[goal_key] = "999999"  # not a level of the municipality's scale
    response = editor_client.post(_url(period_2017_12), data)
    assert response.status_code == 400
    assert list(FollowUp.objects.order_by("pk").values_list("pk", "text", "fulfilment_id")) == (
        before
    )
    content = response.content.decode()
    assert "Inget sparades" in content
    assert "Välj ett giltigt alternativ" in content
    # The editor's other texts are kept in the boxes, not lost.
    assert "Giltig ändring" in content and "Också giltig" in content


def test_too_long_text_is_refused(editor_client, plan_2017, period_2017_12):
    """A text over the limit is refused with a message naming the limit; nothing is saved."""
    data = _form_data(editor_client.get(_url(period_2017_12)))
    data[f"{_key('2.1', plan_2017)}-text"] = "x" * 20001
    response = editor_client.post(_url(period_2017_12), data)
    assert response.status_code == 400
    assert "20000" in response.content.decode()
    assert not FollowUp.objects.filter(text="x" * 20001).exists()


def test_second_save_from_stale_page_is_refused(client, editor, plan_2017, period_2017_12):
    """Two editors load the page; the second save shows both texts and the first text survives."""
    client.force_login(editor)
    first = _form_data(client.get(_url(period_2017_12)))
    second = dict(first)
    key = _key("1.3", plan_2017)
    first[f"{key}-text"] = "Text från redaktör A."
    second[f"{key}-text"] = "Text från redaktör B."
    assert client.post(_url(period_2017_12), first).status_code == 302
    response = client.post(_url(period_2017_12), second)
    assert response.status_code == 409
    content = response.content.decode()
    assert "Text från redaktör A." in content and "Text från redaktör B." in content
    assert "Någon annan har ändrat denna uppföljning" in content
    follow_up = FollowUp.objects.get(period=period_2017_12, activity__number="1.3")
    assert follow_up.text == "Text från redaktör A." and follow_up.version == 2
    # Saving again from the conflict page (now based on the current version) goes through.
    again = _form_data(response)
    again[f"{key}-text"] = "Text från redaktör B."
    assert client.post(_url(period_2017_12), again).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.text == "Text från redaktör B." and follow_up.version == 3


def test_closed_period_cannot_be_changed(editor_client, plan_2017, period_2017_12):
    """In a closed period the page is read-only and a POST saves nothing."""
    data = _form_data(editor_client.get(_url(period_2017_12)))
    period_2017_12.status = "submitted"
    period_2017_12.save()
    data[f"{_key('1.1', plan_2017)}-text"] = "Försök efter stängning"
    response = editor_client.post(_url(period_2017_12), data)
    assert response.status_code == 400
    assert "Perioden är stängd" in response.content.decode()
    assert not FollowUp.objects.filter(text="Försök efter stängning").exists()
    page = editor_client.get(_url(period_2017_12)).content.decode()
    assert "<textarea" not in page


def test_new_follow_up_is_created(editor_client, plan_2017, period_2017_08):
    """Writing in an empty box creates the follow-up for that subject and period."""
    key = _key("1.1", plan_2017)
    assert not FollowUp.objects.filter(period=period_2017_08, activity__number="1.1").exists()
    data = _form_data(editor_client.get(_url(period_2017_08)))
    data[f"{key}-text"] = "Kö-redovisningen är under utveckling."
    data[f"{key}-status"] = "in_progress"
    assert editor_client.post(_url(period_2017_08), data).status_code == 302
    follow_up = FollowUp.objects.get(period=period_2017_08, activity__number="1.1")
    assert follow_up.text == "Kö-redovisningen är under utveckling."
    assert follow_up.status == "in_progress" and follow_up.version == 1


def test_page_queries_constant(editor_client, plan_2017, period_2017_12):
    """The page uses the same number of queries with three times as many activities."""
    with CaptureQueriesContext(connection) as small:
        assert editor_client.get(_url(period_2017_12)).status_code == 200
    add_activities(plan_2017, 76)
    with CaptureQueriesContext(connection) as large:
        response = editor_client.get(_url(period_2017_12))
    assert len(response.context["bench"].rows) > 3 * 38
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_save_queries_constant(editor_client, plan_2017, period_2017_12):
    """Saving 10 or 60 changed texts takes the same number of queries (bulk writes)."""
    add_activities(plan_2017, 60)

    def save(count, word):
        data = _form_data(editor_client.get(_url(period_2017_12)))
        keys = [k for k in data if k.startswith("activity-") and k.endswith("-text")][:count]
        for key in keys:
            data[key] = f"{word} {key}"
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.post(_url(period_2017_12), data).status_code == 302
        return len(queries)

    assert save(10, "Tio") == save(60, "Sextio")
