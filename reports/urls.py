from django.urls import path, re_path

from . import views

app_name = "reports"

urlpatterns = [
    path("<int:board_id>/<int:year>/verksamhetsplan/", views.plan_html, name="plan"),
    path("<int:board_id>/<int:year>/verksamhetsplan.pdf", views.plan_pdf, name="plan-pdf"),
    path(
        "<int:board_id>/<int:year>/verksamhetsberattelse/",
        views.year_end_html,
        name="year-end",
    ),
    path(
        "<int:board_id>/<int:year>/verksamhetsberattelse.pdf",
        views.year_end_pdf,
        name="year-end-pdf",
    ),
    re_path(
        r"^utgavor/(?P<uid>[0-9a-f-]{36})\.(?P<fmt>pdf|html|json)$",
        views.edition_file,
        name="edition-file",
    ),
    path("pdf/<str:token>/", views.render_state, name="render"),
]
