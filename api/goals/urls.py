from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("boards", views.BoardViewSet, basename="board")
router.register("activity-areas", views.ActivityAreaViewSet, basename="activity-area")
router.register("municipal-goals", views.MunicipalGoalViewSet, basename="municipal-goal")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("goals", views.GoalViewSet, basename="goal")
router.register(
    "goal-indicator-items", views.GoalIndicatorItemViewSet, basename="goal-indicator-item"
)
router.register(
    "goal-municipal-goals", views.GoalMunicipalGoalViewSet, basename="goal-municipal-goal"
)
router.register("follow-up-periods", views.FollowUpPeriodViewSet, basename="follow-up-period")

urlpatterns = router.urls
