"""`guanwu classify_index` builds or loads the suggester's index for the tariff in force (`guanwu
serve` runs it as a start-up job; `guanwu loadparams` after loading); the web workers' warm-up
only loads a stored index and never trains (``knowledge.current(build_missing=False)``)."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from guanwu.classify import knowledge, stored
from guanwu.core.setup import params_loaded

pytestmark = pytest.mark.django_db


def test_the_command_reports_the_index_ready():
    out = io.StringIO()
    call_command("classify_index", stdout=out)
    known = knowledge.current()
    assert f"智能归类索引已就绪: {len(known.codes)} 个商品编码" in out.getvalue()
    assert str(stored.path_for(known.fingerprint)) in out.getvalue()


def test_without_a_tariff_it_says_what_to_do(monkeypatch):
    monkeypatch.setattr(knowledge.params_index, "version_for", lambda *a, **k: None)
    with pytest.raises(CommandError, match="请先运行 guanwu loadparams"):
        call_command("classify_index", stdout=io.StringIO())


def test_loading_params_readies_the_index():
    said: list[str] = []
    params_loaded(said.append)
    assert any(line.startswith("智能归类索引已就绪") for line in said)


def test_a_warming_worker_loads_a_stored_index_but_never_builds_one(monkeypatch, settings, tmp_path):
    known = knowledge.current()
    source = stored.path_for(known.fingerprint)
    monkeypatch.setattr(knowledge, "_cache", {})
    settings.CLASSIFY_INDEX_DIR = str(tmp_path)
    monkeypatch.setattr(knowledge, "build", lambda *a, **k: pytest.fail("a warming worker must not train"))
    assert knowledge.current(build_missing=False) is None
    assert not list(tmp_path.glob("index-*"))  # nothing written
    assert knowledge._cache == {}
    shutil.copy(source, stored.path_for(known.fingerprint))  # the builder process is done
    loaded = knowledge.current(build_missing=False)
    assert loaded is not None and loaded.fingerprint == known.fingerprint
    assert loaded.codes == known.codes
