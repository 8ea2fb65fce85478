"""The declaration rule on cited licences: expired or used up blocks 申报 and only warns on 暂存."""

from __future__ import annotations

import datetime as dt

import pytest

from guanwu.core.errors import ServiceError
from guanwu.declarations import payload, rules
from guanwu.declarations import services as declarations
from tests.datacenter.licences.helpers import crane_import, make_licence, today

pytestmark = pytest.mark.django_db
PATH = "licences[0].cert_code"


def findings(raw, enterprise, *, on_declare: bool):
    data, errors = payload.parse(raw)
    assert not errors
    rules.fill_legal_units(data)
    return rules.check(data, on_declare=on_declare, enterprise=enterprise)


def messages(items) -> dict[str, str]:
    return {e.field: e.message for e in items}


def expire(actor):
    t = today()
    return make_licence(actor, valid_from=(t - dt.timedelta(days=200)).isoformat(),
                        valid_to=(t - dt.timedelta(days=1)).isoformat())


def test_a_valid_licence_with_balance_passes(actor_a):
    make_licence(actor_a)
    out = findings(crane_import(), actor_a.enterprise, on_declare=True)
    assert PATH not in messages(out.errors) and PATH not in messages(out.warnings)


def test_expired_licence_is_an_error_on_declare_and_a_warning_on_draft(actor_a):
    expire(actor_a)
    strict = findings(crane_import(), actor_a.enterprise, on_declare=True)
    assert "已于" in messages(strict.errors)[PATH] and "过期" in messages(strict.errors)[PATH]
    draft = findings(crane_import(), actor_a.enterprise, on_declare=False)
    assert PATH not in messages(draft.errors) and "过期" in messages(draft.warnings)[PATH]


def test_declare_refuses_a_declaration_citing_an_expired_licence(actor_a):
    expire(actor_a)
    draft = declarations.create_draft(actor_a, crane_import())  # 暂存 is allowed
    with pytest.raises(ServiceError) as caught:
        declarations.declare(actor_a, draft.pk)
    assert PATH in {e.field for e in caught.value.errors}


def test_exhausted_licence_or_line_is_an_error(actor_a):
    licence = make_licence(actor_a)
    licence.lines.update(used_qty=100)
    assert "余量为 0" in messages(findings(crane_import(), actor_a.enterprise, on_declare=True).errors)[PATH]
    licence.lines.filter(code_ts="8426200000").update(used_qty=5)
    licence.lines.filter(code_ts="84264110").update(used_qty=0)
    out = findings(crane_import(), actor_a.enterprise, on_declare=True)
    assert "第1行" in messages(out.errors)[PATH] and "余量已用完" in messages(out.errors)[PATH]


def test_more_than_the_balance_and_goods_outside_the_licence_warn(actor_a):
    make_licence(actor_a, lines=[{"code_ts": "8426200000", "qty": "1", "unit": "001"}])
    out = findings(crane_import(), actor_a.enterprise, on_declare=True)
    assert PATH not in messages(out.errors)
    warnings = messages(out.warnings)
    assert "超出" in warnings["items[0].code_ts"] and "余量 1台" in warnings["items[0].code_ts"]
    assert "不在许可证" in warnings["items[1].code_ts"]  # 8426411000 needs an O licence too


def test_licences_not_in_the_library_or_of_another_enterprise_are_left_alone(actor_a, actor_b):
    expire(actor_b)
    out = findings(crane_import(), actor_a.enterprise, on_declare=True)
    assert PATH not in messages(out.errors) and PATH not in messages(out.warnings)
    assert PATH not in messages(findings(crane_import(), None, on_declare=True).errors)
