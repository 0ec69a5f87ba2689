from django.urls import path

from . import views

app_name = "followups"

urlpatterns = [
    path("<int:period_id>/", views.workbench, name="workbench"),
    path("<int:period_id>/arbetsflode/", views.period_status, name="period_status"),
    path("<int:period_id>/klar/", views.mark_ready, name="mark_ready"),
]
