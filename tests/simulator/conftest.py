"""Simulator tests: their own gateway folders, DecMessages made from a fixture file.

No tenant app is imported here: messages are edited copies of ``data/dec_import.xml`` (a valid
import declaration, sea transport, bill no. MEDUXY123456, ClientSeqNo 610193000100000001).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from guanwu.gateway import folders
from guanwu.messages.dec import NAMESPACE, parse_receipt

TEMPLATE = Path(__file__).with_name("data") / "dec_import.xml"
NS = {"d": NAMESPACE}


def dec_message(client_seq_no: str = "610193000100000001", items: dict[int, dict[str, str]] | None = None,
                licences: list[tuple[str, str]] | None = None, **head: str) -> bytes:
    """The fixture message with ``ClientSeqNo``, DecHead elements (``BillNo="..."``), item elements
    by item number (``items={1: {"CodeTS": "..."}}``) and LicenseDocus replaced when given."""
    root = etree.fromstring(TEMPLATE.read_bytes())
    root.find("d:DecSign/d:ClientSeqNo", NS).text = client_seq_no
    for element, value in head.items():
        node = root.find(f"d:DecHead/d:{element}", NS)
        assert node is not None, element
        node.text = value or None
    for number, changes in (items or {}).items():
        item = root.findall("d:DecLists/d:DecList", NS)[number - 1]
        for element, value in changes.items():
            node = item.find(f"d:{element}", NS)
            assert node is not None, element
            node.text = value or None
    if licences is not None:
        wrapper = root.find("d:DecLicenseDocus", NS)
        for child in list(wrapper):
            wrapper.remove(child)
        for code, number in licences:
            docu = etree.SubElement(wrapper, f"{{{NAMESPACE}}}LicenseDocu")
            etree.SubElement(docu, f"{{{NAMESPACE}}}DocuCode").text = code
            etree.SubElement(docu, f"{{{NAMESPACE}}}CertCode").text = number
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8")


def drop(data: bytes, name: str | None = None) -> Path:
    """Put a message into outbox/ as the gateway would."""
    if name is None:
        seq = parse_client_seq_no(data)
        name = f"DecMessage_{seq}.xml"
    return folders.atomic_write(folders.folder(folders.OUTBOX), name, data)


def parse_client_seq_no(data: bytes) -> str:
    root = etree.fromstring(data)
    return root.find("d:DecSign/d:ClientSeqNo", NS).text


def receipts() -> list:
    """Every receipt in inbox/, parsed, in file order."""
    return [parse_receipt(p.read_bytes()) for p in folders.ready_files(folders.INBOX)]


def receipt_files() -> list[Path]:
    return folders.ready_files(folders.INBOX)


@pytest.fixture(autouse=True)
def gateway_dir(settings, tmp_path):
    settings.GATEWAY_DIR = tmp_path / "gateway"
    settings.GUANWU_SIMULATOR_DELAY_SECONDS = 0
    settings.GUANWU_SIMULATOR_INSPECTION_RATE = 0
    settings.GUANWU_SIMULATOR_REJECTION_RATE = 0
    settings.GUANWU_SIMULATOR_SEED = "test"
    return settings.GATEWAY_DIR


@pytest.fixture
def manifest(db):
    from guanwu.simulator.models import Manifest

    return Manifest.objects.create(bill_no="MEDUXY123456", traf_mode="2", traf_name="MSC OSCAR", voyage_no="FE446W",
                                   gross_wt="1520.5", pack_no=120, customs_code="2248")
