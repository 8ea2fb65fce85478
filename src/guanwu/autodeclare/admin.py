from django.contrib import admin

from .models import AgencyAgreement, AutoDeclaration, Batch, ExchangeRate, Profile, Run, TaxAssessment


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """海关月度汇率: maintained by platform staff; demo rows are labelled as such."""

    list_display = ("month", "currency", "rate", "is_demo", "note", "updated_at")
    list_filter = ("is_demo", "currency")
    search_fields = ("currency", "note")
    date_hierarchy = "month"
    ordering = ("-month", "currency")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "enterprise", "ie_flag", "scope", "agent_code", "trade_code", "enabled", "updated_at")
    list_filter = ("enabled", "ie_flag", "scope")
    search_fields = ("name", "agent_code", "trade_code", "enterprise__name")
    readonly_fields = ("created_at", "updated_at")


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ("pk", "enterprise", "status", "enterprise_type", "batch_count", "total_succeeded", "total_failed",
                    "started_at", "stopped_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in Run._meta.fields]


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ("batch_no", "enterprise", "run", "seq", "total", "succeeded", "failed", "waited", "started_at",
                    "finished_at")
    search_fields = ("batch_no",)
    readonly_fields = [f.name for f in Batch._meta.fields]


@admin.register(AutoDeclaration)
class AutoDeclarationAdmin(admin.ModelAdmin):
    list_display = ("declaration", "enterprise", "marked", "auto_status", "batch_no", "reason_code", "updated_at")
    list_filter = ("auto_status", "marked", "reason_code")
    search_fields = ("batch_no", "declaration__seq_no", "declaration__bill_no")
    raw_id_fields = ("declaration", "queued_batch", "batch", "profile", "run", "marked_by")


@admin.register(TaxAssessment)
class TaxAssessmentAdmin(admin.ModelAdmin):
    list_display = ("declaration", "enterprise", "status", "total", "demo_rates", "confirmed_by", "confirmed_at")
    list_filter = ("status", "demo_rates")
    raw_id_fields = ("declaration", "confirmed_by")


@admin.register(AgencyAgreement)
class AgencyAgreementAdmin(admin.ModelAdmin):
    list_display = ("agreement_no", "enterprise", "declaration", "automatic", "created_at")
    search_fields = ("agreement_no",)
    raw_id_fields = ("declaration", "created_by")
