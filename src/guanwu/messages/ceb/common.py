"""What every CEB message shares: the root attributes, BaseTransfer, BaseSubscribe."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .fields import root_guid, root_version, text

NAMESPACE = "http://www.chinaport.gov.cn/ceb"


@dataclass(kw_only=True)
class Message:
    """A whole CEB message: ``<ceb:CEBnnnMessage guid=".." version="1.0">``.

    ``guid`` is the 36-character number of the file (报文编号, "英文字母大写"), ``version`` the
    message version, "默认为1.0" for every message of the 202205 spec.
    """

    ROOT: ClassVar[str]  # root element, e.g. "CEB303Message"
    TYPE: ClassVar[str]  # message type, e.g. "CEB303"
    TITLE: ClassVar[str]  # Chinese name from the spec

    guid: str = root_guid()
    version: str = root_version()


@dataclass(kw_only=True)
class BaseTransfer:
    """基础报文传输实体: the enterprise that transmits (must match the client's identity)."""

    cop_code: str = text("copCode", "传输企业代码")
    cop_name: str = text("copName", "传输企业名称")
    dxp_mode: str = text("dxpMode", "报文传输模式", default="DXP")
    dxp_id: str = text("dxpId", "报文传输编号")
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class BaseSubscribe:
    """基础回执订阅实体 (third parties subscribing to data/receipts; status ALL, DATA or RET)."""

    status: str = text("status", "订阅状态")
    dxp_mode: str = text("dxpMode", "报文传输模式", default="DXP")
    dxp_address: str = text("dxpAddress", "订阅地址")
    note: str = text("note", "备注", optional=True)
