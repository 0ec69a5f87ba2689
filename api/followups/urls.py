from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("follow-ups", views.FollowUpViewSet, basename="follow-up")

urlpatterns = router.urls
