"""``GET /api/v1/tariff/suggest`` (HS-code suggestions), ``POST /api/v1/tariff/suggest/accept``
(the user chose one) and ``GET /api/v1/tariff/{code_ts}/proposals`` (智能回填 for a chosen code).

Mounted before the params router, so that ``/tariff/suggest`` is not read as a code.
"""

from __future__ import annotations

from ninja import Field, Router, Schema

from . import services

router = Router(tags=["智能归类"])


class SuggestionOut(Schema):
    code_ts: str
    name: str
    score: float
    ciq_code: str
    reasons: list[str]


class SuggestionList(Schema):
    items: list[SuggestionOut]


class AcceptIn(Schema):
    description: str = Field(title="商品名称/描述", description="被识别的商品描述")
    code_ts: str = Field(title="商品编号", description="采纳的 10 位商品编号")


class AcceptOut(Schema):
    description: str
    code_ts: str
    times: int


class ProposalOut(Schema):
    value: str
    count: int
    source: str


class ElementProposals(Schema):
    index: int
    name: str
    proposals: list[ProposalOut]


class ProposalsOut(Schema):
    code_ts: str
    name: str
    first_unit: str
    first_unit_name: str | None
    second_unit: str
    second_unit_name: str | None
    elements: list[ElementProposals]


@router.get("/tariff/suggest", response=SuggestionList, summary="商品编号建议 (智能识别)", url_name="classify_suggest")
def suggest(request, q: str = "", limit: int = 5):
    """The top ``limit`` (1-10) ten-digit codes for a goods description, with score, tariff name,
    reasons and CIQ code; the enterprise's own history first. Nothing to classify: ``items`` []."""
    return {"items": [s.as_dict() for s in services.suggest_for(request.auth, q, limit)]}


@router.post("/tariff/suggest/accept", response=AcceptOut, summary="采纳商品编号建议", url_name="classify_accept")
def accept(request, payload: AcceptIn):
    row = services.accept(request.auth, payload.description, payload.code_ts)
    return {"description": row.description, "code_ts": row.code_ts, "times": row.times}


@router.get("/tariff/{code_ts}/proposals", response=ProposalsOut, summary="申报要素建议值 (智能回填)",
            url_name="classify_proposals")
def proposals(request, code_ts: str):
    return services.element_proposals(request.auth.enterprise.pk, code_ts)
