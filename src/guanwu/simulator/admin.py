from django.contrib import admin

from .models import ArrivalReport, Manifest, SimCebDocument, SimDeclaration, SimSasBook, SimSasMessage


@admin.register(Manifest)
class ManifestAdmin(admin.ModelAdmin):
    list_display = ("bill_no", "traf_mode", "traf_name", "voyage_no", "gross_wt", "pack_no", "i_e_flag",
                    "customs_code", "created_at")
    list_filter = ("traf_mode", "i_e_flag")
    search_fields = ("bill_no", "traf_name", "voyage_no")


@admin.register(ArrivalReport)
class ArrivalReportAdmin(admin.ModelAdmin):
    list_display = ("bill_no", "arrived_at", "customs_code", "location")
    search_fields = ("bill_no", "location")
    date_hierarchy = "arrived_at"


@admin.register(SimDeclaration)
class SimDeclarationAdmin(admin.ModelAdmin):
    list_display = ("client_seq_no", "seq_no", "entry_id", "ie_flag", "state", "plan_inspect", "plan_reject",
                    "next_event_at", "created_at")
    list_filter = ("state", "ie_flag", "plan_inspect", "plan_reject")
    search_fields = ("client_seq_no", "seq_no", "entry_id")
    exclude = ("message",)
    readonly_fields = ("client_seq_no", "ie_flag", "custom_master", "seq_no", "entry_id", "state", "next_event_at",
                       "plan_inspect", "plan_reject", "reject_reason", "file_name", "head", "history", "duplicates",
                       "created_at", "updated_at")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SimCebDocument)
class SimCebDocumentAdmin(admin.ModelAdmin):
    list_display = ("kind", "sender", "key", "number", "state", "return_status", "generated", "next_event_at",
                    "created_at")
    list_filter = ("kind", "state", "generated")
    search_fields = ("key", "number", "pre_no", "sender")
    exclude = ("message",)
    readonly_fields = ("kind", "sender", "key", "number", "pre_no", "state", "return_status", "generated",
                       "plan_inspect", "next_event_at", "arrived_at", "departed_at", "summary_no", "data",
                       "history", "created_at", "updated_at")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SimSasMessage)
class SimSasMessageAdmin(admin.ModelAdmin):
    list_display = ("seq_no", "kind", "etps_preent_no", "business_no", "entry_seq_no", "state", "stage",
                    "next_event_at", "created_at")
    list_filter = ("kind", "state", "stage")
    search_fields = ("seq_no", "etps_preent_no", "business_no", "entry_seq_no")
    exclude = ("message",)
    readonly_fields = ("kind", "seq_no", "etps_preent_no", "business_no", "entry_seq_no", "state", "stage",
                       "next_event_at", "file_name", "check_lines", "history", "created_at", "updated_at")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SimSasBook)
class SimSasBookAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "master_cuscd", "chg_tms_cnt", "created_at", "updated_at")
    list_filter = ("kind",)
    search_fields = ("number",)
    readonly_fields = ("kind", "number", "master_cuscd", "chg_tms_cnt", "imgs", "exgs", "cms", "balances",
                       "created_at", "updated_at")

    def has_add_permission(self, request) -> bool:
        return False
