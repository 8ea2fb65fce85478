"""The repeating blocks of a declaration other than goods items: containers, licences, attached
documents, other packages, certificates requested, enterprise qualifications, users, promises
and certificate-item relations. Rows keep their entry order (by id)."""

from __future__ import annotations

from django.db import models

from .declaration import Declaration
from .fields import decimal, text


def document_upload_to(instance: DeclarationDocument, filename: str) -> str:
    declaration = instance.declaration
    return f"declarations/{declaration.enterprise_id}/{declaration.pk}/{filename}"


class DeclarationContainer(models.Model):
    """集装箱 (DecContainers/Container)."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="containers", verbose_name="报关单"
    )
    container_id = text("集装箱号", 32)
    container_md = text("集装箱规格", 32)
    goods_no = text("商品项号", 255)
    lcl_flag = text("拼箱标识", 1)
    goods_conta_wt = decimal("箱货重量", 19, 5)
    container_wt = decimal("自重", 18, 5)

    class Meta:
        verbose_name = verbose_name_plural = "集装箱"
        ordering = ["declaration_id", "id"]

    def __str__(self) -> str:
        return self.container_id


class DeclarationLicence(models.Model):
    """随附单证 / 监管证件 (DecLicenseDocus/LicenseDocu)."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="licences", verbose_name="报关单"
    )
    docu_code = text("单证代码", 1)
    cert_code = text("单证编号", 32)

    class Meta:
        verbose_name = verbose_name_plural = "随附单证"
        ordering = ["declaration_id", "id"]

    def __str__(self) -> str:
        return f"{self.docu_code} {self.cert_code}"


class DeclarationDocument(models.Model):
    """电子随附单据 (EdocRealation), optionally with the business document file itself."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="documents", verbose_name="报关单"
    )
    edoc_id = text("随附单据编号", 64)
    edoc_code = text("随附单证类别", 8)
    edoc_fomat_type = text("随附单据格式类型", 2)
    op_note = text("操作说明（重传原因）", 255)
    edoc_cop_id = text("随附单据文件企业名", 64)
    edoc_owner_code = text("所属单位海关编号", 10)
    sign_unit = text("签名单位代码", 10)
    sign_time = text("签名时间", 17)
    edoc_owner_name = text("所属单位名称", 100)
    edoc_size = text("随附单据文件大小", 12)
    g_no_str = text("商品项号关系", 150)
    file = models.FileField("文件", upload_to=document_upload_to, max_length=255, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "随附单据"
        ordering = ["declaration_id", "id"]

    def __str__(self) -> str:
        return f"{self.edoc_code} {self.edoc_id}"


class DeclarationOtherPack(models.Model):
    """其他包装 (DecOtherPacks/DecOtherPack)."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="other_packs", verbose_name="报关单"
    )
    pack_qty = decimal("包装件数", 19, 5)
    pack_type = text("包装材料种类", 2)

    class Meta:
        verbose_name = verbose_name_plural = "其他包装"
        ordering = ["declaration_id", "id"]

    def __str__(self) -> str:
        return f"{self.pack_type} {self.pack_qty}"


class DeclarationRequestCert(models.Model):
    """申请单证 (DecRequestCerts/DecRequestCert)."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="request_certs", verbose_name="报关单"
    )
    app_cert_code = text("申请单证代码", 50)
    appl_ori = text("申请单证正本数", 50)
    appl_copy_quan = text("申请单证副本数", 50)

    class Meta:
        verbose_name = verbose_name_plural = "申请单证"
        ordering = ["declaration_id", "id"]

    def __str__(self) -> str:
        return self.app_cert_code


class DeclarationCopLimit(models.Model):
    """企业资质 (DecCopLimits/DecCopLimit)."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="cop_limits", verbose_name="报关单"
    )
    ent_qualif_no = text("企业资质编号", 40)
    ent_qualif_type_code = text("企业资质类别代码", 5)

    class Meta:
        verbose_name = verbose_name_plural = "企业资质"
        ordering = ["declaration_id", "id"]

    def __str__(self) -> str:
        return f"{self.ent_qualif_type_code} {self.ent_qualif_no}"


class DeclarationUser(models.Model):
    """使用单位联系人 (DecUsers/DecUser)."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="users", verbose_name="报关单"
    )
    use_org_person_code = text("使用单位联系人", 20)
    use_org_person_tel = text("使用单位联系电话", 20)

    class Meta:
        verbose_name = verbose_name_plural = "使用人"
        ordering = ["declaration_id", "id"]

    def __str__(self) -> str:
        return f"{self.use_org_person_code} {self.use_org_person_tel}"


class DeclarationCopPromise(models.Model):
    """企业承诺 (DecCopPromises/DecCopPromise)."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="cop_promises", verbose_name="报关单"
    )
    declaratio_material_code = text("证明/声明材料代码", 10)

    class Meta:
        verbose_name = verbose_name_plural = "企业承诺"
        ordering = ["declaration_id", "id"]

    def __str__(self) -> str:
        return self.declaratio_material_code


class DeclarationEcoRelation(models.Model):
    """随附单证商品项对应关系 (EcoRelation), e.g. 原产地证明 lines."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="eco_relations", verbose_name="报关单"
    )
    cert_type = text("单证代码", 3)
    dec_g_no = text("报关单商品项号", 9)
    eco_cert_no = text("单证编号", 64)
    eco_g_no = text("对应随附单证商品项号", 9)
    extend_filed = text("扩展字段", 255)

    class Meta:
        verbose_name = verbose_name_plural = "随附单证对应关系"
        ordering = ["declaration_id", "id"]

    def __str__(self) -> str:
        return f"{self.cert_type} {self.eco_cert_no} {self.dec_g_no}"
