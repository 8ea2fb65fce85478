"""``classify.packed``: (label, text) pairs kept as arrays read back exactly as they were given."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guanwu.classify.packed import PackedPairs


@given(st.lists(st.tuples(st.sampled_from(["税则", "检验检疫名称", "归类词典"]), st.text(max_size=20)), max_size=30))
def test_pairs_read_back_as_given(pairs):
    packed = PackedPairs.of(pairs)
    assert len(packed) == len(pairs)
    assert list(packed) == pairs
    assert [packed[i] for i in range(-len(pairs), 0)] == pairs
    assert list(pickle.loads(pickle.dumps(packed, protocol=5))) == pairs


def test_many_labels_and_a_row_past_the_end():
    """More distinct labels than a byte holds (CIQ codes as labels); an index past either end is an error."""
    pairs = [(f"{n:03d}", "冷冻鸡爪" if n % 2 else "") for n in range(300)]
    packed = PackedPairs.of(pairs)
    assert packed[299] == ("299", "冷冻鸡爪") and packed[0] == ("000", "")
    with pytest.raises(IndexError):
        packed[300]
    with pytest.raises(IndexError):
        packed[-301]
