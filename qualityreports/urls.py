"""Mounted at the site root before the public reader: report and reader page."""

from django.urls import path

from . import views

app_name = "qualityreports"

urlpatterns = [
    path("rapporter/<int:board_id>/<int:year>/kvalitetsberattelse/", views.report, name="report"),
    path(
        "rapporter/<int:board_id>/<int:year>/kvalitetsberattelse.pdf",
        views.report_pdf,
        name="report-pdf",
    ),
    path("las/namnd/<int:board_id>/<int:year>/kvalitetsberattelse/", views.reader, name="reader"),
]
