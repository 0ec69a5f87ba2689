from django.contrib import admin

from access.models import BoardMembership


@admin.register(BoardMembership)
class BoardMembershipAdmin(admin.ModelAdmin):
    """Roles are granted by system administrators (Django model permissions)."""

    list_display = ["user", "board", "role"]
    list_filter = ["board", "role"]
    list_select_related = ["user", "board"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "board__name"]
    autocomplete_fields = ["user", "board"]
