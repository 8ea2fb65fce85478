"""The CEB records declare exactly what the official 202205 export XSD defines, in its order."""

from __future__ import annotations

import dataclasses
import hashlib
import re

import pytest

from guanwu.messages import ceb
from guanwu.messages.ceb.fields import ATTRIBUTE, CHILD, CHILDREN, LEAF_KINDS, SIGNATURE, snake, specs
from guanwu.messages.ceb.schema import XSD_DIR

from .xsd_shape import message_roots, root_attributes, sequence

# Elements of the XSD the records leave out on purpose (see the package docstring).
NOT_MODELLED = {"ExtendMessage"}


def _blocks(cls: type, tag: str, seen: dict[str, type] | None = None) -> dict[str, type]:
    seen = {} if seen is None else seen
    seen[tag] = cls
    for spec in specs(cls):
        if spec.kind in (CHILD, CHILDREN):
            _blocks(spec.cls, spec.xml, seen)
    return seen


ALL_BLOCKS = sorted(
    {(tag, cls) for root, mcls in ceb.MESSAGE_CLASSES.items() for tag, cls in _blocks(mcls, root).items()},
    key=lambda pair: pair[0],
)


def test_every_export_message_of_the_xsd_has_a_record_class():
    """Spec 202205 §2: 23 export messages (CEB213-216, 303/304, 403/404, 505-510, 603-608, 701/702/792)."""
    assert sorted(ceb.MESSAGE_CLASSES) == message_roots()
    assert len(ceb.MESSAGE_CLASSES) == 23


@pytest.mark.parametrize(("tag", "cls"), ALL_BLOCKS, ids=[tag for tag, _ in ALL_BLOCKS])
def test_block_declares_the_xsd_sequence_in_order(tag, cls):
    """Each record's elements are the XSD's, in the XSD order, with the XSD's minOccurs/maxOccurs:
    the builder writes the record's order, so this is what makes the output official order."""
    ours = [
        (s.xml, 0 if s.optional else (s.min_occurs if s.kind == CHILDREN else 1),
         s.max_occurs if s.kind == CHILDREN else 1)
        for s in specs(cls) if s.kind != ATTRIBUTE
    ]
    theirs = [(e.name, e.min_occurs, e.max_occurs) for e in sequence(tag) if e.name not in NOT_MODELLED]
    assert ours == theirs


@pytest.mark.parametrize(("tag", "cls"), ALL_BLOCKS, ids=[tag for tag, _ in ALL_BLOCKS])
def test_leaf_formats_follow_the_xsd_types(tag, cls):
    """decimal elements are Decimal fields, xs:int ones integers, the rest text (dates and times
    are xs:string of length 8/14/17 in the XSD)."""
    xsd = {e.name: e for e in sequence(tag)}
    for spec in specs(cls):
        if spec.kind not in LEAF_KINDS:
            continue
        base = xsd[spec.xml].base
        expected = {"xs:decimal": {"decimal"}, "xs:int": {"integer"}}.get(base, {"text", "date8", "time14", "time17"})
        assert spec.kind in expected, (tag, spec.xml, base, spec.kind)
        if spec.kind in {"date8", "time14", "time17"}:
            assert xsd[spec.xml].facet("length") == int(spec.kind[-2:] if spec.kind != "date8" else 8), spec.xml


@pytest.mark.parametrize(("tag", "cls"), ALL_BLOCKS, ids=[tag for tag, _ in ALL_BLOCKS])
def test_fixed_values_of_the_xsd_are_the_defaults(tag, cls):
    """InventoryHead fFlag/iFlag are fixed="3" (总价) in the XSD: a record written with its
    defaults cannot get them wrong."""
    defaults = {f.name: f.default for f in dataclasses.fields(cls)}
    for element in sequence(tag):
        if element.fixed is not None:
            spec = next(s for s in specs(cls) if s.xml == element.name)
            assert defaults[spec.name] == element.fixed, (tag, element.name)


@pytest.mark.parametrize(("tag", "cls"), ALL_BLOCKS, ids=[tag for tag, _ in ALL_BLOCKS])
def test_field_names_are_the_snake_case_of_the_element_names(tag, cls):
    """Naming rule of the project: model/record fields are the snake_case of the official element
    (orderNo -> order_no, ieFlag -> ie_flag, gnum -> g_num)."""
    for spec in specs(cls):
        if spec.kind in (ATTRIBUTE, SIGNATURE):
            continue
        assert spec.name == snake(spec.xml), (tag, spec.xml, spec.name)
        assert re.search(r"[\u4e00-\u9fff]", spec.label), (tag, spec.xml)


def test_snake_case_examples():
    assert [snake(n) for n in ("orderNo", "batchNumbers", "ebpCode", "ieFlag", "gnum", "itemNo", "POD",
                               "fCurrency", "qty1", "gseqno", "declAgentCode", "InventoryHead")] == [
        "order_no", "batch_numbers", "ebp_code", "ie_flag", "g_num", "item_no", "pod",
        "f_currency", "qty1", "g_seq_no", "decl_agent_code", "inventory_head"]


@pytest.mark.parametrize("root", sorted(ceb.MESSAGE_CLASSES))
def test_root_attributes_are_guid_and_version(root):
    """Spec tables 2-1, 2-5, ...: every root has guid (报文编号) and version (版本号, 默认为1.0)."""
    assert root_attributes(root) == (("guid", "required"), ("version", "required"))
    cls = ceb.MESSAGE_CLASSES[root]
    assert [s.xml for s in specs(cls) if s.kind == ATTRIBUTE] == ["guid", "version"]
    assert {f.name: f.default for f in dataclasses.fields(cls)}["version"] == "1.0"
    guid = next(f for f in dataclasses.fields(cls) if f.name == "guid").default_factory()
    assert len(guid) == 36 and guid == guid.upper()


def test_roots_map_every_ceb_message_to_its_type():
    """ROOTS identifies the family by root element: export and import roots, one type each."""
    assert ceb.ROOTS["CEB303Message"] == "CEB303"
    assert ceb.ROOTS["CEB792Message"] == "CEB792"
    assert ceb.ROOTS["CEB311Message"] == "CEB311"
    assert ceb.ROOTS["CEB900Message"] == "CEB900"
    assert set(ceb.EXPORT_ROOTS) | set(ceb.IMPORT_ROOTS) == set(ceb.ROOTS)
    assert not set(ceb.EXPORT_ROOTS) & set(ceb.IMPORT_ROOTS)
    assert all(value == key.removesuffix("Message") for key, value in ceb.ROOTS.items())
    assert ceb.NAMESPACE == "http://www.chinaport.gov.cn/ceb"


def test_shipped_xsds_are_the_official_files():
    """xsd/README.md: byte-identical copies of GACC's 202205 attachments."""
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in XSD_DIR.glob("*.xsd")}
    assert digests == {
        "ceb_export_202205.xsd": "f20f6739350966bc9d50a3553feadf0025187fe9e2a89e82476ec0f905362cfa",
        "xmldsig-core-schema.xsd": "c040e02d730fd327db8f3013ace1eb5621afd43a119f7f70b23c7523542a7ec8",
    }
