"""The shape of the 金二 processing-trade messages, shared by the XSD generator, builder,
validator and parser so that they agree.

Every message the enterprise sends is a signed envelope without XML namespace
(``xsi:noNamespaceSchemaLocation="INV101.xsd"`` in the skeleton T and sample D; bssp writes
``EMS111.xsd`` the same way)::

    Signature
      SignedInfo/{CanonicalizationMethod, SignatureMethod, Reference/{DigestMethod, DigestValue}}
      SignatureValue
      KeyInfo/KeyName
      Object
        Package
          EnvelopInfo   version, business_id, message_id, file_name, message_type, sender_id,
                        receiver_id, send_time, Ic_Card
          DataInfo
            [PocketInfo]            optional (PHP SDK, bssp); not written by guanwu
            BussinessData
              <business root>       InvtMessage | EmsMessage | TrMessage
              DelcareFlag           0 暂存 / 1 申报

The business root per message type:

- ``INV101`` 保税核注清单: ``InvtMessage/{InvtHeadType, InvtListType+, SysId, OperCusRegCode}``
  (skeleton T; sample D writes OperCusRegCode before SysId, both orders are valid).
- ``EMS111`` 加工贸易账册 备案/变更: ``EmsMessage/{NemsHead, NemsImgList*, NemsExgList*,
  NemsCmList*}`` (block names from bssp ``BuildEmsPutrecBscExtranetXML``, the enterprise-side
  (外网) builder of a customs-side prototype; message type EMS111 from its
  ``SendMessageGroupKindEnum``). bssp writes the row blocks in hash-map order, so after the head
  any order of rows is valid here; guanwu writes 料件, 成品, 单损耗.
- ``EMS101`` 企业资质申请 (联网企业档案库): ``TrMessage/{NemsTrHeadType, NemsTrImgTypes*,
  NemsTrExgTypes*}`` (block names and message type from bssp ``BuildEtArcrpBscExtranetXML``;
  the fields inside are partly guanwu's own, see ``data/ems101_fields.csv``).

Receipts (customs -> enterprise) use ``Package`` in the XML-DSig namespace instead; see
:mod:`.receipts`.
"""

from __future__ import annotations

from dataclasses import dataclass

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XMLDSIG = "http://www.w3.org/2000/09/xmldsig#"
ENVELOPE_VERSION = "1.0"

# XML-DSig shell as the skeleton T and bssp write it; the Single Window client signs with the
# operator card, so DigestValue, SignatureValue and KeyName are left empty by guanwu.
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"
REFERENCE_URI = "String"
OBJECT_ID = "String"


@dataclass(frozen=True)
class Node:
    """A block of leaf fields (``block`` names the field table block) repeated
    ``min_occurs``..``max_occurs`` (None = unbounded) times under its business root."""

    tag: str
    min_occurs: int = 0
    max_occurs: int | None = None
    label: str = ""  # "表体第{n}项"; "{n}" is the row number

    @property
    def block(self) -> str:
        return self.tag


@dataclass(frozen=True)
class MessageShape:
    message_type: str
    cn_name: str
    root: str  # the business root under BussinessData
    head: Node
    rows: tuple[Node, ...]
    rows_in_any_order: bool
    root_fields: str | None = None  # a block of leaf fields of the root itself (InvtMessage)


INV101 = MessageShape(
    "INV101", "保税核注清单", "InvtMessage",
    Node("InvtHeadType", 1, 1, "表头"),
    (Node("InvtListType", 1, None, "表体第{n}项"),),
    rows_in_any_order=False,
    root_fields="InvtMessage",
)
EMS111 = MessageShape(
    "EMS111", "加工贸易账册", "EmsMessage",
    Node("NemsHead", 1, 1, "表头"),
    (Node("NemsImgList", 0, None, "料件第{n}项"), Node("NemsExgList", 0, None, "成品第{n}项"),
     Node("NemsCmList", 0, None, "单损耗第{n}项")),
    rows_in_any_order=True,
)
EMS101 = MessageShape(
    "EMS101", "企业资质申请", "TrMessage",
    Node("NemsTrHeadType", 1, 1, "表头"),
    (Node("NemsTrImgTypes", 0, None, "料件第{n}项"), Node("NemsTrExgTypes", 0, None, "成品第{n}项")),
    rows_in_any_order=True,
)

SHAPES: dict[str, MessageShape] = {s.message_type: s for s in (INV101, EMS111, EMS101)}
SHAPE_BY_ROOT: dict[str, MessageShape] = {s.root: s for s in SHAPES.values()}

# Chinese position of each block (errors): "{n}" is the row number.
ROW_LABELS: dict[str, str] = {
    "EnvelopInfo": "报文头(EnvelopInfo)", "PocketInfo": "分组信息(PocketInfo)", "BussinessData": "业务数据",
    "InvtMessage": "核注清单报文",
    **{n.tag: n.label for s in SHAPES.values() for n in (s.head, *s.rows)},
}
# What a wrapper element is called when it is itself the subject of an error.
NOUNS: dict[str, str] = {
    "Signature": "签名", "SignedInfo": "签名信息", "SignatureValue": "签名值", "KeyInfo": "密钥信息",
    "KeyName": "密钥名称", "Object": "签名对象", "Package": "报文包", "EnvelopInfo": "报文头", "DataInfo": "报文数据",
    "PocketInfo": "分组信息", "BussinessData": "业务数据", "InvtMessage": "核注清单报文", "EmsMessage": "账册报文",
    "TrMessage": "企业资质报文", "InvtHeadType": "表头", "InvtListType": "表体", "NemsHead": "表头",
    "NemsImgList": "料件", "NemsExgList": "成品", "NemsCmList": "单损耗", "NemsTrHeadType": "表头",
    "NemsTrImgTypes": "料件", "NemsTrExgTypes": "成品", "CanonicalizationMethod": "规范化方法",
    "SignatureMethod": "签名方法", "Reference": "引用", "DigestMethod": "摘要方法", "DigestValue": "摘要值",
}
