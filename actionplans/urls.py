"""Mounted at the site root before the public reader: report, reader page and workflow."""

from django.urls import path

from . import views

app_name = "actionplans"

urlpatterns = [
    path("rapporter/<int:board_id>/<int:year>/atgardsplan/", views.report, name="report"),
    path(
        "rapporter/<int:board_id>/<int:year>/atgardsplan.pdf", views.report_pdf, name="report-pdf"
    ),
    path("las/namnd/<int:board_id>/<int:year>/atgardsplan/", views.reader, name="reader"),
    path("atgardsplan/manad/<int:period_id>/arbetsflode/", views.month_status, name="month-status"),
]
