from django.contrib import admin

from .models import Enterprise, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "customs_code", "scc", "is_active", "created_at"]
    search_fields = ["name", "customs_code", "scc"]
    inlines = [MembershipInline]
