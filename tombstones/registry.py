"""The models whose deletions the API reports, their API names and how to find their board."""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Tracked:
    """A model the API exposes: its label, and the path from a row to its board's id."""

    label: str  # "indicators.IndicatorValue"
    board_path: str | None  # "board_id", "indicator__board_id", "pk" or None

    @property
    def label_lower(self) -> str:
        return self.label.lower()

    @property
    def api_name(self) -> str:
        """The kebab-case model name used by the API: IndicatorValue → "indicator-value"."""
        name = self.label.split(".")[1]
        return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


TRACKED = [
    Tracked("goals.Board", "pk"),
    Tracked("goals.ActivityArea", "board_id"),
    Tracked("goals.MunicipalGoal", None),
    Tracked("goals.Plan", "board_id"),
    Tracked("goals.Goal", "plan__board_id"),
    Tracked("goals.GoalIndicatorItem", "goal__plan__board_id"),
    Tracked("goals.GoalMunicipalGoal", "goal__plan__board_id"),
    Tracked("goals.FollowUpPeriod", "plan__board_id"),
    Tracked("activities.Activity", "plan__board_id"),
    Tracked("activities.Assignment", "plan__board_id"),
    Tracked("followups.FollowUp", "period__plan__board_id"),
    Tracked("indicators.Indicator", "board_id"),
    Tracked("indicators.IndicatorValue", "indicator__board_id"),
]

BY_LABEL = {t.label_lower: t for t in TRACKED}
BY_API_NAME = {t.api_name: t for t in TRACKED}
