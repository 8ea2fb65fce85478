"""``POST /api/v1/standards/check``: the 申报要素 checker (``services.checker``).

Any member of the enterprise may check a text: nothing is stored and nothing is logged.
"""

from __future__ import annotations

from ninja import NinjaAPI, Router

from guanwu.apikit.bodies import answer_model, answer_rows, body_model
from guanwu.params.goods import ERROR, WARNING

from .services import checker
from .services.report import flag_report

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
    """The findings on one 规格型号; after the rules', the 不规范 reasons customs gave the
    caller's enterprise for the code (warnings, from the standards library)."""
    return {"findings": checker.check_body(data.raw(), request.auth.enterprise)}


ExampleElementOut = answer_model("StandardsExampleElementOut", {
    "element": {"type": "string", "title": "申报要素"},
    "value": {"type": "string", "title": "规范的值"},
}, title="示例要素")

ExampleOut = answer_model("StandardsExampleOut", {
    "g_model": {"type": "string", "title": "规格型号"},
    "elements": answer_rows(ExampleElementOut, "各要素", "按该商品编号当前申报要素的顺序"),
}, title="规范示例")

ExamplesOut = answer_model("StandardsExamplesOut", {
    "code_ts": {"type": "string", "title": "商品编号"},
    "examples": answer_rows(ExampleOut, "规范示例", "公共库中该商品编号的规范申报数据; 不含企业信息"),
}, title="规范示例")


@router.get("/check/examples", response=ExamplesOut, summary="申报要素规范示例 (公共库)")
def examples(request, code_ts: str = "", limit: int = 5):
    """The public library's 规范 examples for ``code_ts`` (at most ``limit``, 1-20), to copy an
    element value from in the 申报要素 editor; none while the library has none."""
    return checker.examples_for(code_ts, limit)


RuleCountOut = answer_model("StandardsRuleCountOut", {
    "rule": {"type": "string", "title": "规则"},
    "label": {"type": "string", "title": "规则名称"},
    "items": {"type": "integer", "title": "会被提示的商品项数"},
    "errors": {"type": "integer", "title": "其中为错误的"},
    "warnings": {"type": "integer", "title": "其中仅为提示的"},
}, title="规则统计")

ReportOut = answer_model("StandardsCheckReportOut", {
    "total_items": {"type": "integer", "title": "已放行报关单的商品项数"},
    "checked_items": {"type": "integer", "title": "已检查的商品项数"},
    "unknown_code_items": {"type": "integer", "title": "商品编号不在现行税则中的项数"},
    "flagged_items": {"type": "integer", "title": "至少有一条发现的项数"},
    "rules": answer_rows(RuleCountOut, "各规则", "每条规则会提示的历史商品项数"),
}, title="申报要素检查统计")


@router.get("/check/report", response=ReportOut, summary="申报要素检查统计 (历史商品项)")
def report(request):
    """How many of the enterprise's released declaration items each checker rule would have
    flagged (today's tariff); enterprise administrators only."""
    return flag_report(request.auth).as_dict()


def mount(api: NinjaAPI) -> None:
    api.add_router("/standards", router)
