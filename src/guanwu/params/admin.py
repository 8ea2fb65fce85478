from django.contrib import admin

from .models import CiqName, CodeEntry, CodeTable, TariffItem, TariffVersion


@admin.register(CodeTable)
class CodeTableAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "source", "version", "loaded_at"]


@admin.register(CodeEntry)
class CodeEntryAdmin(admin.ModelAdmin):
    list_display = ["table", "code", "name", "old_code", "old_ciq_code"]
    list_filter = ["table"]
    search_fields = ["code", "name", "pinyin", "initials", "old_code"]


@admin.register(TariffVersion)
class TariffVersionAdmin(admin.ModelAdmin):
    list_display = ["name", "effective_date", "source", "loaded_at"]


@admin.register(TariffItem)
class TariffItemAdmin(admin.ModelAdmin):
    list_display = ["code_ts", "name", "first_unit", "second_unit", "mfn_rate", "vat_rate", "licence_codes", "version"]
    list_filter = ["version"]
    search_fields = ["code_ts", "name"]


@admin.register(CiqName)
class CiqNameAdmin(admin.ModelAdmin):
    list_display = ["code_ts", "ciq_code", "name", "status"]
    search_fields = ["code_ts", "name"]
