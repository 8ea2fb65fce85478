"""Platform staff's view of declarations and receipts (support and debugging, not data entry)."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    ClientSeqCounter,
    Declaration,
    DeclarationContainer,
    DeclarationCopLimit,
    DeclarationCopPromise,
    DeclarationDocument,
    DeclarationEcoRelation,
    DeclarationGoodsLimit,
    DeclarationGoodsLimitVin,
    DeclarationItem,
    DeclarationLicence,
    DeclarationOtherPack,
    DeclarationRequestCert,
    DeclarationUser,
    Receipt,
)


class _Tabular(admin.TabularInline):
    extra = 0
    show_change_link = True


class ItemInline(_Tabular):
    model = DeclarationItem
    fields = ["g_no", "code_ts", "ciq_code", "g_name", "g_model", "g_qty", "g_unit", "decl_price", "decl_total",
              "trade_curr", "origin_country", "destination_country", "duty_mode"]


class ContainerInline(_Tabular):
    model = DeclarationContainer


class LicenceInline(_Tabular):
    model = DeclarationLicence


class DocumentInline(_Tabular):
    model = DeclarationDocument
    fields = ["edoc_id", "edoc_code", "edoc_fomat_type", "g_no_str", "file"]


class OtherPackInline(_Tabular):
    model = DeclarationOtherPack


class RequestCertInline(_Tabular):
    model = DeclarationRequestCert


class CopLimitInline(_Tabular):
    model = DeclarationCopLimit


class UserInline(_Tabular):
    model = DeclarationUser


class CopPromiseInline(_Tabular):
    model = DeclarationCopPromise


class EcoRelationInline(_Tabular):
    model = DeclarationEcoRelation


class ReceiptInline(_Tabular):
    model = Receipt
    fields = ["received_at", "kind", "channel", "channel_text", "note", "implied_status"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    list_display = ["id", "enterprise", "ie_flag", "status", "client_seq_no", "seq_no", "entry_id", "bill_no",
                    "trade_name", "custom_master", "created_at"]
    list_filter = ["status", "ie_flag", "self_tax"]
    search_fields = ["client_seq_no", "seq_no", "entry_id", "bill_no", "trade_name", "trade_code"]
    list_select_related = ["enterprise"]
    raw_id_fields = ["created_by", "copied_from"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [
        ItemInline, ContainerInline, LicenceInline, DocumentInline, OtherPackInline, RequestCertInline,
        CopLimitInline, UserInline, CopPromiseInline, EcoRelationInline, ReceiptInline,
    ]


class GoodsLimitVinInline(_Tabular):
    model = DeclarationGoodsLimitVin


class GoodsLimitInline(_Tabular):
    model = DeclarationGoodsLimit


@admin.register(DeclarationItem)
class DeclarationItemAdmin(admin.ModelAdmin):
    list_display = ["declaration", "g_no", "code_ts", "g_name", "g_qty", "g_unit", "decl_total", "trade_curr"]
    search_fields = ["code_ts", "g_name", "declaration__seq_no", "declaration__entry_id"]
    raw_id_fields = ["declaration"]
    inlines = [GoodsLimitInline]


@admin.register(DeclarationGoodsLimit)
class DeclarationGoodsLimitAdmin(admin.ModelAdmin):
    list_display = ["item", "lic_type_code", "licence_no"]
    raw_id_fields = ["item"]
    inlines = [GoodsLimitVinInline]


@admin.register(Receipt)
class ReceiptAdmin(admin.ModelAdmin):
    list_display = ["received_at", "enterprise", "declaration", "kind", "channel", "channel_text", "implied_status",
                    "seq_no", "entry_id", "file_name"]
    list_filter = ["kind", "channel"]
    search_fields = ["seq_no", "entry_id", "client_seq_no", "file_name", "note"]
    raw_id_fields = ["declaration"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ClientSeqCounter)
class ClientSeqCounterAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "last"]

    def has_change_permission(self, request, obj=None):
        return False
