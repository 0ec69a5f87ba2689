from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlansConfig(AppConfig):
    name = "actionplans"
    verbose_name = _("Action plans")

    def ready(self):
        from access import policy
        from reports.kinds import register_kind

        from .commands import action_plan_html

        register_kind("action-plan", action_plan_html)

        # The role policy finds the board of each of this app's rows through these paths.
        policy.BOARD_PATHS.update(
            {
                "actionplans.actionplan": "board",
                "actionplans.actionplansection": "plan__board",
                "actionplans.decisionpoint": "plan__board",
                "actionplans.backgroundfigure": "plan__board",
                "actionplans.measuregroup": "plan__board",
                "actionplans.measure": "group__plan__board",
                "actionplans.followupmonth": "plan__board",
                "actionplans.measurefollowup": "period__plan__board",
            }
        )
