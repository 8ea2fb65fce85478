from django.contrib import admin

from .models import OperationLog


@admin.register(OperationLog)
class OperationLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "enterprise", "user_name", "object_repr", "action", "status_before", "status_after"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "user_name", "opinion"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
