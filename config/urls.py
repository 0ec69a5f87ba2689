"""URL configuration: the admin, the follow-up workbench and (later) reports and the API."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Goal and indicator follow-up")
admin.site.site_title = _("Follow-up")
admin.site.index_title = _("Plans, goals and follow-ups")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("uppfoljning/", include("followups.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
