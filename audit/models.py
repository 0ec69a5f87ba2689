"""Change history of the board's records: who changed what, when, before and after.

django-simple-history keeps one historical row per change. The historical tables live in
this app so the other apps' schemas stay their own. Saves and deletes are recorded through
signals; bulk writes must use `simple_history.utils.bulk_create_with_history` /
`bulk_update_with_history` (the workbench, import and API services do).
"""

from simple_history import register

from activities.models import Activity, Assignment
from followups.models import FollowUp, FollowUpCoverage
from goals.models import FollowUpPeriod, Goal, GoalIndicatorItem, GoalMunicipalGoal, PlanSection
from indicators.models import Indicator, IndicatorValue

TRACKED = (
    Goal,
    GoalIndicatorItem,
    GoalMunicipalGoal,
    PlanSection,
    FollowUpPeriod,
    Activity,
    Assignment,
    Indicator,
    IndicatorValue,
    FollowUp,
    FollowUpCoverage,
)

for _model in TRACKED:
    register(_model, app="audit", excluded_fields=["updated_at"])
