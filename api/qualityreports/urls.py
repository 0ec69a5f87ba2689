from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("quality-reports", views.QualityReportViewSet, basename="quality-report")
router.register("quality-report-sections", views.SectionViewSet, basename="quality-report-section")
