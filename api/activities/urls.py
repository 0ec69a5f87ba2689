from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("assignments", views.AssignmentViewSet, basename="assignment")

urlpatterns = router.urls
