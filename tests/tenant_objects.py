"""One factory per tenant-owned model, used by the generic tenant-isolation walk.

Every model with an ``enterprise`` foreign key must have a factory here (or a reason in
``NOT_ROUTED``); the walk test fails when a new model has neither, so a new module cannot
forget to prove its isolation.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

Factory = Callable[[object, object], models.Model]
FACTORIES: dict[str, Factory] = {}

# Models with an enterprise key that no URL addresses by id, with the reason.
NOT_ROUTED: dict[str, str] = {
    "params.codeusage": "usage counts only rank the enterprise's own picker results (tests/params/test_ranking.py)",
}


def tenant_object(label: str) -> Callable[[Factory], Factory]:
    def decorator(func: Factory) -> Factory:
        FACTORIES[label.lower()] = func
        return func

    return decorator


@tenant_object("tenancy.membership")
def _membership(enterprise, user):
    from django.contrib.auth import get_user_model

    from guanwu.tenancy.models import Membership

    other = get_user_model().objects.create_user(username=f"walk_{enterprise.pk}", password="x-walk-pass-1")
    return Membership.objects.create(user=other, enterprise=enterprise, role="operator")


@tenant_object("accounts.apitoken")
def _token(enterprise, user):
    """A token of another enterprise's user: revoking it by id must be a 404 for anyone else."""
    from datetime import timedelta

    from django.utils import timezone

    from guanwu.accounts.models import ApiToken

    return ApiToken.objects.create(digest=f"walk-{enterprise.pk}-{user.pk}", prefix="walkwalk", user=user,
                                   enterprise=enterprise, expires_at=timezone.now() + timedelta(days=1))


@tenant_object("tenancy.invitation")
def _invitation(enterprise, user):
    """Another enterprise's invitation of a third user: nobody else may see, answer or cancel it."""
    from django.contrib.auth import get_user_model

    from guanwu.tenancy.models import Invitation

    invitee = get_user_model().objects.create_user(username=f"invitee_{enterprise.pk}", password="x-walk-pass-1")
    return Invitation.objects.create(enterprise=enterprise, username=invitee.username, user=invitee,
                                     role="operator", invited_by=user)


@tenant_object("audit.operationlog")
def _log(enterprise, user):
    from django.contrib.contenttypes.models import ContentType

    from guanwu.audit.models import OperationLog

    return OperationLog.objects.create(
        enterprise=enterprise, user=user, user_name="walk", content_type=ContentType.objects.get_for_model(enterprise),
        object_id=str(enterprise.pk), object_repr=str(enterprise), action="走查",
    )


@tenant_object("jobs.job")
def _job(enterprise, user):
    from guanwu.jobs.models import Job, JobStatus

    return Job.objects.create(
        enterprise=enterprise, user=user, kind="walk", title="走查任务", status=JobStatus.FAILED,
        output_file=f"imports/{enterprise.pk}/walk-errors.xlsx",
    )


def _declarations() -> None:
    from tests.declarations.factories import walk_declaration, walk_receipt

    FACTORIES["declarations.declaration"] = walk_declaration
    FACTORIES["declarations.receipt"] = walk_receipt
    NOT_ROUTED["declarations.clientseqcounter"] = "a per-enterprise counter, never addressed by id"


_declarations()


@tenant_object("customers.customer")
def _customer(enterprise, user):
    from tests.datacenter.customers.factories import make_customer

    customer = make_customer(enterprise, status="pending")
    customer.contacts.create(name="走查联系人")
    return customer


NOT_ROUTED["customers.customercodecounter"] = "a per-enterprise counter, never addressed by id"


def _autodeclare() -> None:
    from tests.autodeclare.factories import (
        walk_auto_declaration,
        walk_batch,
        walk_delivery,
        walk_notification,
        walk_profile,
        walk_run,
    )

    FACTORIES["autodeclare.profile"] = walk_profile
    FACTORIES["autodeclare.run"] = walk_run
    FACTORIES["autodeclare.batch"] = walk_batch
    FACTORIES["autodeclare.autodeclaration"] = walk_auto_declaration  # returns the declaration it is keyed by
    for label in ("autorecord", "taxassessment", "agencyagreement"):
        NOT_ROUTED[f"autodeclare.{label}"] = "addressed by its declaration's id (walk_auto_declaration)"
    FACTORIES["autodeclare.notification"] = walk_notification
    FACTORIES["autodeclare.webhookdelivery"] = walk_delivery
    NOT_ROUTED["autodeclare.enablement"] = "one row per enterprise, never addressed by id"
    NOT_ROUTED["autodeclare.notificationsettings"] = "one row per enterprise, never addressed by id"


_autodeclare()


@tenant_object("licences.licence")
def _licence(enterprise, user):
    import datetime as dt
    from decimal import Decimal

    from guanwu.datacenter.licences.models import Licence, LicenceLine

    licence = Licence.objects.create(
        enterprise=enterprise, licence_no=f"WALK-{enterprise.pk}", docu_code="O", holder_name=enterprise.name,
        valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2099, 12, 31),
    )
    LicenceLine.objects.create(licence=licence, line_no=1, code_ts="8426200000", g_name="塔式起重机", qty=Decimal(5),
                               unit="001")
    return licence


@tenant_object("licences.certificate")
def _certificate(enterprise, user):
    from django.core.files.base import ContentFile

    from guanwu.datacenter.bizdocs.pdf import simple_pdf
    from guanwu.datacenter.licences.models import Certificate

    cert = Certificate(enterprise=enterprise, cert_type="origin", cert_no=f"WALK-{enterprise.pk}",
                       attachment_name="walk.pdf")
    cert.attachment.save("walk.pdf", ContentFile(simple_pdf(["walk"])), save=False)
    cert.save()
    return cert


@tenant_object("commodities.commodity")
def _commodity(enterprise, user):
    from guanwu.datacenter.commodities import services
    from guanwu.datacenter.commodities.models import Commodity

    values = {"trade_code": enterprise.customs_code, "trade_name": enterprise.name, "ie_flag": "E",
              "code_ts": "6109100010", "g_name": "走查T恤衫",
              "g_model": "0|0|针织|T恤衫|圆领|100%棉|无品牌|W-1|无|无|无"}
    return Commodity.objects.create(enterprise=enterprise, dedupe_key=services.key_of(values), **values,
                                    **services.index_values(enterprise.pk, values["g_name"], values["g_model"], "E",
                                                            enterprise.customs_code))


@tenant_object("commodities.bondeditem")
def _bonded_item(enterprise, user):
    from guanwu.datacenter.commodities.models import BondedItem

    return BondedItem.objects.create(enterprise=enterprise, ems_no="E61019000001", item_no=1, code_ts="8542319000",
                                     g_name="走查集成电路")


NOT_ROUTED["commodities.commoditylearning"] = "marks a learned declaration; never addressed by id"


@tenant_object("classify.acceptedsuggestion")
def _accepted_suggestion(enterprise, user):
    from guanwu.classify.models import AcceptedSuggestion

    return AcceptedSuggestion.objects.create(enterprise=enterprise, description="走查保温杯", code_ts="9617001900",
                                             accepted_by=user)


@tenant_object("qualifications.qualification")
def _qualification(enterprise, user):
    import datetime as dt

    from django.core.files.base import ContentFile

    from guanwu.datacenter.bizdocs.pdf import simple_pdf
    from guanwu.datacenter.qualifications.models import Qualification

    qual = Qualification(enterprise=enterprise, qual_type="processing", cert_no=f"WALK-{enterprise.pk}",
                         valid_from=dt.date(2024, 1, 1), attachment_name="walk.pdf")
    qual.attachment.save("walk.pdf", ContentFile(simple_pdf(["walk"])), save=False)
    qual.save()
    return qual


def _processing() -> None:
    from tests.processing import factories as f

    FACTORIES["processing.qualificationapplication"] = f.walk_application
    FACTORIES["processing.qualificationgoods"] = f.walk_goods
    FACTORIES["processing.book"] = f.walk_book
    FACTORIES["processing.bookmaterial"] = f.walk_material
    FACTORIES["processing.bookproduct"] = f.walk_product
    FACTORIES["processing.bookbom"] = f.walk_bom
    FACTORIES["processing.inventory"] = f.walk_inventory
    FACTORIES["processing.inventoryitem"] = f.walk_item
    FACTORIES["processing.qualificationdocument"] = f.walk_qualification_document
    FACTORIES["processing.bookdocument"] = f.walk_book_document
    for label, reason in (
        ("bookversion", "versions are listed through their book's id (/books/{id}/versions)"),
        ("qualificationversion", "versions are read through their application's id (services.application_versions)"),
        ("materialbalance", "balances are read through their book's id (/books/{id}/balances)"),
        ("processingreceipt", "receipts are shown through their document's id (/{id}/receipt)"),
    ):
        NOT_ROUTED[f"processing.{label}"] = reason


_processing()


def _crossborder() -> None:
    from tests.crossborder.factories import (
        walk_batch,
        walk_list,
        walk_logistics_company,
        walk_order,
        walk_summary,
        walk_waybill,
    )

    FACTORIES["crossborder.batch"] = walk_batch
    FACTORIES["crossborder.order"] = walk_order
    FACTORIES["crossborder.exportlist"] = walk_list
    FACTORIES["crossborder.summary"] = walk_summary
    FACTORIES["crossborder.waybill"] = walk_waybill
    FACTORIES["crossborder.logisticscompany"] = walk_logistics_company
    NOT_ROUTED["crossborder.crossbordersettings"] = "one row per enterprise, never addressed by id"
    NOT_ROUTED["crossborder.cebreceipt"] = "shown with its order, list or summary (addressed by their ids)"


_crossborder()


def _standards() -> None:
    from guanwu.standards.models import LibraryEntry, Mark, MonthlyMessage

    @tenant_object("standards.libraryentry")
    def _library_entry(enterprise, user):
        """A 系统匹配 row (not public: the public library is the deliberate cross-tenant view, tested
        in tests/standards/test_public.py)."""
        return LibraryEntry.objects.create(enterprise=enterprise, key="b" * 40, code_ts="2801100000", g_name="氯",
                                           g_model="0|0|氯|钢瓶|无品牌|无型号|||", mark=Mark.MATCHED)

    @tenant_object("standards.monthlymessage")
    def _monthly_message(enterprise, user):
        from django.utils import timezone

        return MonthlyMessage.objects.create(enterprise=enterprise, period="2026-10", title="2026-10 审核情况",
                                             pushed_at=timezone.now())

    NOT_ROUTED["standards.authorisation"] = "one row per enterprise, never addressed by id"


_standards()
