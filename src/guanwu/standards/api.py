"""``POST /api/v1/standards/check``: the 申报要素 checker (``services.checker``).

Any member of the enterprise may check a text: nothing is stored and nothing is logged.
"""

from __future__ import annotations

from ninja import NinjaAPI, Router

from guanwu.apikit.bodies import answer_model, answer_rows, body_model
from guanwu.params.goods import ERROR, WARNING

from .services import checker

router = Router(tags=["规范申报"])

CheckIn = body_model("StandardsCheckIn", {
    "code_ts": {"type": "string", "maxLength": 10, "title": "商品编号", "description": "10 位商品编号 (税则号列)"},
    "g_model": {"type": "string", "maxLength": checker.G_MODEL_MAX, "title": "规格型号",
                "description": "申报要素, 按税则的顺序以 | 分隔; 空文本没有可检查的内容"},
    "ie_flag": {"type": "string", "enum": ["", "I", "E"], "title": "进出口标志",
                "description": "I: 进口; E: 出口; 空: 不区分 (出口享惠情况 0-3 均可)"},
}, title="申报要素检查", required=("code_ts", "g_model"))

FindingOut = answer_model("StandardsFindingOut", {
    "element": {"type": "string", "title": "申报要素", "description": "要素名称; 空: 整个规格型号 (如要素个数)"},
    "level": {"type": "string", "enum": [ERROR, WARNING], "title": "级别",
              "description": "error: 不符合规则; warning: 可能不规范"},
    "message": {"type": "string", "title": "说明"},
}, title="检查发现")

CheckOut = answer_model("StandardsCheckOut", {
    "findings": answer_rows(FindingOut, "检查发现", "按要素顺序; 没有问题时为空"),
}, title="申报要素检查结果")


@router.post("/check", response=CheckOut, exclude_unset=True, summary="申报要素检查 (规范申报)")
def check(request, data: CheckIn):
    return {"findings": checker.check_body(data.raw())}


def mount(api: NinjaAPI) -> None:
    api.add_router("/standards", router)
