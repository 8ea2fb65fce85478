"""Issue 11, point 20: a favicon, no inline event handlers (the CSP forbids them), the header's
当前企业 label on one line."""

from __future__ import annotations

import re
from pathlib import Path

import guanwu

TEMPLATES = Path(guanwu.__file__).parent


def test_no_inline_event_handlers_in_templates():
    inline = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    found = [str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html") if inline.search(p.read_text())]
    assert found == []


def test_favicon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("ui/favicon.svg")
    assert client.get(response["Location"]).status_code == 200


def test_header_label_on_one_line(client_a):
    page = client_a.get("/").content.decode()
    assert re.search(r'<label for="switch-enterprise" class="[^"]*\btext-nowrap\b', page)
    assert 'rel="icon"' in page
