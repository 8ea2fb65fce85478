from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "enterprise", "kind", "title", "status", "done", "failed", "total", "created_at"]
    list_filter = ["status", "kind"]
