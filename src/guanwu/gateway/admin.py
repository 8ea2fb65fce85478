from django.contrib import admin

from .models import GatewayError, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("file_name", "kind", "key", "status", "created_at", "written_at")
    list_filter = ("status", "kind")
    search_fields = ("key", "file_name")
    readonly_fields = ("kind", "key", "file_name", "status", "created_at", "written_at", "payload_text")
    exclude = ("payload",)
    date_hierarchy = "created_at"

    @admin.display(description="报文内容")
    def payload_text(self, obj: OutboxMessage) -> str:
        return bytes(obj.payload or b"").decode("utf-8", errors="replace")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(GatewayError)
class GatewayErrorAdmin(admin.ModelAdmin):
    list_display = ("created_at", "file_name", "root_tag", "reason", "resolved")
    list_filter = ("resolved",)
    search_fields = ("file_name", "reason")
    readonly_fields = (
        "file_name", "stored_name", "root_tag", "reason", "raw", "size", "truncated", "created_at", "resolved_at",
        "resolved_by",
    )
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False
