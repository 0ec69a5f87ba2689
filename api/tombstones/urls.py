from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("deletions", views.DeletionViewSet, basename="deletion")

urlpatterns = router.urls
