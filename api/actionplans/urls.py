from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("action-plans", views.ActionPlanViewSet, basename="action-plan")
router.register("action-plan-measures", views.MeasureViewSet, basename="action-plan-measure")
router.register(
    "action-plan-follow-ups", views.MeasureFollowUpViewSet, basename="action-plan-follow-up"
)
