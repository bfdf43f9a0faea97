"""The offset map: any span of the normalised text quotes back from the original."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SEEDS
from tracker.ingest import ManifestEntry, read_document
from tracker.normalize import compact, normalize

SEED_NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))


def test_width_is_folded_and_indentation_dropped():
    norm = normalize("  一、上半年工作总结\r\n\r\n  (一)推进,完成100%。 Baidu map")
    assert norm.text == "一、上半年工作总结\n(一)推进,完成100%。Baidu map"


def test_compact_removes_every_space():
    assert compact(" 臣田东路、 金圆路\n等7条 道路") == "臣田东路、金圆路等7条道路"


@pytest.mark.parametrize("name", SEED_NAMES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_span_quoted_through_the_offset_map_equals_the_original(rules, name, data):
    document = read_document(SEEDS / name, ManifestEntry(), rules)
    norm = normalize(document.text)
    section = data.draw(st.sampled_from(document.sections))
    low, high = norm.normalized_offset(section.start), norm.normalized_offset(section.end)
    start = data.draw(st.integers(low, high - 1))
    end = data.draw(st.integers(start + 1, min(high, start + 400)))
    original_start, original_end = norm.original_span(start, end)
    quoted = document.text[original_start:original_end]
    assert normalize(quoted).text == norm.text[start:end].strip()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("街道完成 ,,。\n\r\t (()123abc①㎡\u3000"), max_size=60))
def test_offset_map_holds_on_arbitrary_text(text):
    norm = normalize(text)
    assert len(norm.starts) == len(norm.text) == len(norm.ends)
    for index in range(len(norm.text)):
        start, end = norm.original_span(index, index + 1)
        piece = normalize(text[start:end]).text
        assert norm.text[index] in piece or norm.text[index] in " \n"
