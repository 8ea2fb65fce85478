from django.contrib import admin

from .models import ApiToken, LoginAttempt


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "enterprise", "created_at", "expires_at", "last_used_at"]
    exclude = ["digest"]


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    list_display = ["username", "address", "created_at"]
