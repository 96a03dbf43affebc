from django.contrib import admin

from udsathed.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only for superusers and the data-protection group; no one adds, changes or deletes."""

    list_display = ["at", "username", "action", "target", "object_id", "persons", "address"]
    list_filter = ["action"]
    search_fields = ["username", "target", "object_id"]
    date_hierarchy = "at"
    fields = list_display + ["user"]
    readonly_fields = fields
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
