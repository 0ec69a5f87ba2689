"""The public reader: boards → plans → goals, activities, indicators; search; sign-in.

Mounted at the site root; every other route of the site is matched before these.
"""

from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.start, name="start"),
    path("las/sok/", views.search, name="search"),
    path("las/logga-in/", views.LoginView.as_view(), name="login"),
    path("las/logga-ut/", views.LogoutView.as_view(), name="logout"),
    path("las/namnd/<int:board_id>/", views.board, name="board"),
    path("las/namnd/<int:board_id>/<int:year>/", views.plan, name="plan"),
    path("las/namnd/<int:board_id>/<int:year>/uppdrag/", views.assignments, name="assignments"),
    path(
        "las/namnd/<int:board_id>/<int:year>/verksamhetsberattelse/",
        views.year_end,
        name="year-end",
    ),
    path("las/namnd/<int:board_id>/<int:year>/jamfor/", views.compare, name="compare"),
    path("las/mal/<int:goal_id>/", views.goal, name="goal"),
    path("las/aktivitet/<int:activity_id>/", views.activity, name="activity"),
    path("las/indikator/<int:indicator_id>/", views.indicator, name="indicator"),
]
