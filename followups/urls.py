from django.urls import path

from . import views

app_name = "followups"

urlpatterns = [
    path("<int:period_id>/", views.workbench, name="workbench"),
]
