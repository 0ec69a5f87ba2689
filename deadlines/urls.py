from django.urls import path

from . import views

app_name = "deadlines"

urlpatterns = [
    path("<int:period_id>/framsteg/", views.progress, name="progress"),
    path("paminnelser/", views.preferences, name="preferences"),
]
