"""From a summary customs answered with its 汇总结果单 (CEB792): the 报关单 export draft."""

from __future__ import annotations

from guanwu.tenancy.context import Actor


def prepare_declaration(actor: Actor, summary_id: int | str):
    """暂存 the export declaration of a summarised batch through ``declarations.services``:
    监管方式 9710/9810, items grouped from the lists (商品编码, 名称, 单位, 币制, 目的国), 随附单据
    10000004 跨境B2B出口单证. Returns the Declaration; the summary keeps a link to it."""
    raise NotImplementedError
