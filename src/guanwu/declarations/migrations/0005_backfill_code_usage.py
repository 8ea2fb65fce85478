"""Count the codes of the declarations declared before code usage was counted (params.CodeUsage),
so the pickers rank by what each enterprise uses from the first day. One use per declaration
and field (a declaration naming 上海海关 as 申报地海关 and 进境关别 counts it twice: close
enough for a ranking hint). The field lists are the ones of ``payload.HEAD_CODES`` and
``payload.CHILD_CODES`` when this was written, copied so the migration does not change with them."""

from collections import Counter

from django.db import migrations
from django.db.models import Count

HEAD = {
    "custom_master": "customs-offices", "ie_port": "customs-offices", "trade_mode": "trade-modes",
    "cut_mode": "cut-modes", "traf_mode": "transport-modes", "trans_mode": "transaction-modes",
    "trade_country": "countries", "trade_area_code": "countries", "distinate_port": "ports",
    "desp_port_code": "ports", "enty_port_code": "entry-ports", "wrap_type": "wrap-types",
    "fee_curr": "currencies", "insur_curr": "currencies", "other_curr": "currencies",
    "purp_org_code": "customs-offices", "insp_org_code": "ciq-organs", "org_code": "ciq-organs",
    "vsa_org_code": "ciq-organs", "correlation_reason_flag": "relation-reasons",
}
CHILDREN = {
    "DeclarationItem": {
        "g_unit": "units", "first_unit": "units", "second_unit": "units", "trade_curr": "currencies",
        "origin_country": "countries", "destination_country": "countries", "duty_mode": "duty-modes",
        "district_code": "districts", "dest_code": "admin-divisions", "purpose": "purposes",
        "orig_place_code": "origin-areas",
    },
    "DeclarationContainer": {"container_md": "container-specs"},
    "DeclarationLicence": {"docu_code": "licence-docs"},
    "DeclarationDocument": {"edoc_code": "document-types"},
    "DeclarationOtherPack": {"pack_type": "wrap-types"},
}


def backfill(apps, schema_editor):
    Declaration = apps.get_model("declarations", "Declaration")
    CodeUsage = apps.get_model("params", "CodeUsage")
    counts: Counter = Counter()
    declared = Declaration.objects.filter(declared_at__isnull=False)
    for name, table in HEAD.items():
        rows = declared.exclude(**{name: ""}).values_list("enterprise_id", name).annotate(n=Count("id")).order_by()
        for enterprise_id, code, n in rows:
            counts[(enterprise_id, table, code)] += n
    for model_name, fields in CHILDREN.items():
        model = apps.get_model("declarations", model_name)
        rows = model.objects.filter(declaration__declared_at__isnull=False)
        for name, table in fields.items():
            per = (
                rows.exclude(**{name: ""}).values_list("declaration__enterprise_id", name)
                .annotate(n=Count("declaration_id", distinct=True)).order_by()
            )
            for enterprise_id, code, n in per:
                counts[(enterprise_id, table, code)] += n
    CodeUsage.objects.bulk_create(
        [CodeUsage(enterprise_id=e, table=t, code=c[:20], uses=n) for (e, t, c), n in sorted(counts.items())],
        batch_size=1000, ignore_conflicts=True,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("declarations", "0004_declaration_internal_no_receipt_numbers"),
        ("params", "0002_code_usage"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
