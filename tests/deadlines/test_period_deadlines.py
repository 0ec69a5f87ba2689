"""A follow-up period's deadlines and reminder days: validated on the field, in Swedish."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from goals.models import FollowUpPeriod

pytestmark = pytest.mark.django_db

D = datetime.date


def _errors(period):
    with pytest.raises(ValidationError) as exc:
        period.full_clean()
    return exc.value.message_dict


def test_defaults_remind_seven_and_one_day_before(period_2017_12):
    """A period reminds 7 and 1 days before its deadline unless told otherwise."""
    assert period_2017_12.reminder_days == "7,1"
    assert period_2017_12.reminder_offsets == [7, 1]


def test_valid_deadlines_are_kept_and_reminder_days_normalised(period_2017_12):
    """Reminder days are stored as distinct numbers, furthest first."""
    period_2017_12.deadline = D(2018, 1, 20)
    period_2017_12.values_deadline = D(2018, 1, 10)
    period_2017_12.reminder_days = " 1; 14,7 ,1"
    period_2017_12.full_clean()
    period_2017_12.save()
    period_2017_12.refresh_from_db()
    assert period_2017_12.reminder_days == "14,7,1"
    assert period_2017_12.reminder_offsets == [14, 7, 1]


@pytest.mark.parametrize(
    ("deadline", "values_deadline", "reminder_days", "field", "message"),
    [
        (
            D(2017, 12, 1),
            None,
            "7,1",
            "deadline",
            "Sista dag för inrapportering kan inte ligga före",
        ),
        (D(2019, 6, 1), None, "7,1", "deadline", "inom ett år från uppföljningsdatumet"),
        (None, D(2018, 1, 5), "7,1", "values_deadline", "Ange sista dag för texterna"),
        (D(2018, 1, 20), D(2018, 1, 25), "7,1", "values_deadline", "inte ligga efter"),
        (D(2018, 1, 20), D(2017, 12, 30), "7,1", "values_deadline", "före uppföljningsdatumet"),
        (D(2018, 1, 20), None, "7,x", "reminder_days", "heltal från 1 till 60"),
        (D(2018, 1, 20), None, "0", "reminder_days", "heltal från 1 till 60"),
        (D(2018, 1, 20), None, "61", "reminder_days", "heltal från 1 till 60"),
    ],
)
def test_invalid_deadlines_name_the_field_in_swedish(
    period_2017_12, deadline, values_deadline, reminder_days, field, message
):
    """Each wrong deadline or reminder list is refused with a Swedish error on its own field."""
    period_2017_12.deadline = deadline
    period_2017_12.values_deadline = values_deadline
    period_2017_12.reminder_days = reminder_days
    errors = _errors(period_2017_12)
    assert field in errors, errors
    assert any(message in m for m in errors[field]), errors[field]


def test_database_refuses_values_deadline_after_text_deadline(period_2017_12):
    """PostgreSQL keeps the values deadline between the date and the text deadline."""
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpPeriod.objects.filter(pk=period_2017_12.pk).update(
            deadline=D(2018, 1, 20), values_deadline=D(2018, 2, 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpPeriod.objects.filter(pk=period_2017_12.pk).update(
            deadline=None, values_deadline=D(2018, 1, 2)
        )
