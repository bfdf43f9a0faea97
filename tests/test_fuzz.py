"""Hostile text for decoding, cleaning, section splitting and quantity parsing: a result or the
domain's own error, never a crash, and never a hang on long repetitive input.

Every property runs a fixed, derandomised budget (no example database), so CI sees the same
examples on every run. The hang checks run in a subprocess with a time bound: a regex that
backtracks catastrophically or a scan that turns quadratic fails them instead of stalling CI.
"""

from __future__ import annotations

import codecs
import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import cn2an
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, SEEDS
from tracker.ingest import InputError, ManifestEntry, decode, read_document
from tracker.normalize import HORIZONTAL_SPACE, normalize
from tracker.quantities import COMPARATORS, QuantityParser
from tracker.rules import Rules
from tracker.sections import NoSectionError, find_sections

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
DECODED_ENCODINGS = {"utf-8", "utf-8-sig", "utf-16", "gb18030", "big5"}
PERIOD = re.compile(r"(?:19|20)\d{2}(?:H1|H2)?")
SEED_TEXTS = [path.read_text("utf-8") for path in sorted(SEEDS.glob("*.txt"))]
HEADINGS = [
    "一、2024年工作总结",
    "二、2025年工作计划",
    "一、上半年工作总结",
    "二、下半年工作计划",
    "附件:2023年重点工作任务",
    "第二部分:明年工作计划",
    "(三)工作总结",
    "2024年工作总结和2025年工作计划",
    "三、",
]
# A unit counted in itself (base unit, factor 1), so the parsed value is the numeral's value.
PLAIN_UNITS = ["个", "条", "家", "宗", "座"]


@pytest.fixture(scope="module")
def parser(rules: Rules) -> QuantityParser:
    return QuantityParser.from_rules(rules.directory)


# --- decoding ---------------------------------------------------------------------------------


@FUZZ
@given(raw=st.binary(max_size=3000))
def test_any_bytes_decode_to_text_or_are_refused_with_the_reason(raw):
    path = Path("any.txt")
    try:
        text, encoding = decode(raw, path)
    except InputError as error:
        assert error.path == "any.txt" and error.problem and "\n" not in str(error)
        return
    assert isinstance(text, str) and text.strip()
    assert encoding in DECODED_ENCODINGS


@FUZZ
@given(
    seed=st.sampled_from(SEED_TEXTS),
    start=st.integers(0, 4000),
    length=st.integers(40, 1500),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]),
)
def test_report_text_in_any_accepted_encoding_decodes_to_the_same_text(seed, start, length, encoding):
    text = seed[start : start + length]
    if not text.strip():
        return
    decoded, _ = decode(text.encode(encoding), Path("x.txt"))
    assert decoded == text


@FUZZ
@given(body=st.binary(min_size=1, max_size=500), bom=st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE]))
def test_broken_text_behind_a_byte_order_mark_is_refused_or_decoded_never_crashes(body, bom):
    try:
        text, encoding = decode(bom + body, Path("bom.txt"))
    except InputError:
        return
    assert encoding in ("utf-8-sig", "utf-16") and isinstance(text, str)


# --- cleaning -----------------------------------------------------------------------------------


@FUZZ
@given(original=st.text(max_size=400))
def test_normal_form_of_any_text_keeps_a_monotone_offset_map_and_no_stray_space(original):
    norm = normalize(original)
    assert len(norm.starts) == len(norm.ends) == len(norm.text)
    assert list(norm.starts) == sorted(norm.starts)
    for start, end in zip(norm.starts, norm.ends, strict=True):
        assert 0 <= start < end <= len(original)
    assert "\n\n" not in norm.text and not norm.text.startswith("\n") and not norm.text.endswith("\n")
    for index, char in enumerate(norm.text):
        assert char not in HORIZONTAL_SPACE - {" "}
        if char == " ":  # kept only between two ASCII letters or digits
            assert norm.text[index - 1].isascii() and norm.text[index - 1].isalnum()
            assert norm.text[index + 1].isascii() and norm.text[index + 1].isalnum()
    for index in range(len(norm.text)):
        assert norm.starts[norm.normalized_offset(norm.starts[index])] == norm.starts[index]


# --- section splitting --------------------------------------------------------------------------


def assert_well_formed(sections, original: str) -> None:
    previous_end = 0
    for section in sections:
        assert section.role in ("summary", "plan")
        assert PERIOD.fullmatch(section.period)
        assert previous_end <= section.start < section.end <= len(original)
        assert normalize(original[section.start : section.end]).text.startswith(section.heading)
        previous_end = section.end


def split(original: str, rules: Rules, fallback_year: int | None):
    try:
        return find_sections(normalize(original), rules, "", fallback_year)
    except NoSectionError as error:
        assert str(error) and "\n" not in str(error)
        return []


LINE = st.one_of(
    st.sampled_from(HEADINGS),
    st.text(
        alphabet=st.sampled_from("一二三、(),:。年工作总结计划上下半2024附件第部分完成道路3条\u3000 "),
        max_size=30,
    ),
    st.text(max_size=30),
)


@FUZZ
@given(lines=st.lists(LINE, max_size=25), fallback_year=st.sampled_from([None, 2024]))
def test_any_lines_split_into_well_formed_parts_or_no_part(rules, lines, fallback_year):
    original = "\n".join(lines)
    assert_well_formed(split(original, rules, fallback_year), original)


@FUZZ
@given(seed=st.sampled_from(SEED_TEXTS), data=st.data())
def test_seed_with_headings_inserted_and_lines_deleted_still_ingests_or_is_refused(rules, seed, data):
    lines = seed.split("\n")
    for _ in range(data.draw(st.integers(0, 4), label="edits")):
        position = data.draw(st.integers(0, len(lines)), label="position")
        if data.draw(st.booleans(), label="insert") or len(lines) < 2:
            lines.insert(position, data.draw(st.sampled_from(HEADINGS), label="heading"))
        else:
            del lines[min(position, len(lines) - 1)]
    original = "\n".join(lines)
    assert_well_formed(split(original, rules, None), original)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.txt"
        path.write_text(original, "utf-8")
        try:
            document = read_document(path, ManifestEntry(), rules)
        except InputError as error:
            assert str(error).startswith(f"{path}: ") and "\n" not in str(error)
            return
    assert document.text == original
    assert_well_formed(document.sections, original)


# --- quantity parsing ---------------------------------------------------------------------------


@FUZZ
@given(text=st.text(max_size=300))
def test_any_text_parses_to_ordered_quantities_quoted_from_it(parser, text):
    end = 0
    for quantity in parser.parse(text, default_comparator=">="):
        assert text[quantity.start : quantity.end] == quantity.raw
        assert end <= quantity.start < quantity.end
        assert quantity.comparator in COMPARATORS
        end = quantity.end


@FUZZ
@given(number=st.integers(2, 10**9), unit=st.sampled_from(PLAIN_UNITS))
def test_generated_chinese_numeral_parses_to_the_value_cn2an_gives(parser, number, unit):
    numeral = cn2an.an2cn(number)
    (quantity,) = parser.parse(f"共完成{numeral}{unit}。")
    assert quantity.raw == f"{numeral}{unit}"
    assert quantity.value == cn2an.cn2an(numeral, "smart") == number
    assert quantity.unit == unit


@FUZZ
@given(number=st.integers(0, 10**9), unit=st.sampled_from(PLAIN_UNITS), grouped=st.booleans())
def test_generated_arabic_number_parses_to_its_value(parser, number, unit, grouped):
    written = f"{number:,}" if grouped else str(number)
    (quantity,) = parser.parse(f"共完成{written}{unit}。")
    assert quantity.value == number and quantity.unit == unit


# --- no hang on long repetitive input -----------------------------------------------------------

HANG_BOUND_SECONDS = 10
LONG_INPUTS = {
    "decode": [
        'decode(b"\\xff" * 10**6, Path("x"))',
        'decode(("一、工作总结" * 10**5).encode("gb18030"), Path("x"))',
        'decode("工作总结".encode("utf-16-le") * 10**5, Path("x"))',
    ],
    "normalize": ['normalize(" \\u3000\\t\\r\\n①" * 10**5)', 'normalize("，" * 10**6)'],
    "sections": [
        'find_sections(normalize("一、2024年工作总结\\n" * 10**5), rules, "", None)',
        'find_sections(normalize("一、2024年工作计划\\n完成道路3条。\\n" * 10**5), rules, "", None)',
        'find_sections(normalize("一、2024年工作总结" * 10**5), rules, "", 2024)',
        'find_sections(normalize("(一)" * 10**5), rules, "", None)',
    ],
    "quantities": [
        'parser.parse("三百个" * 10**5)',
        'parser.parse("\\"3个\\"" * 10**5)',
        'parser.parse("1," * 10**5)',
        'parser.parse("十" * 10**5 + "个")',
        'parser.parse("不少于" * 10**5 + "3个")',
        'parser.parse("超20万阅读" * 10**5)',
        'parser.parse("新增托位340个以上，" * 10**5)',
    ],
}


@pytest.mark.parametrize("stage", sorted(LONG_INPUTS))
def test_long_repetitive_input_finishes_in_bounded_time(stage):
    calls = "\n".join(f"try_one(lambda: {call})" for call in LONG_INPUTS[stage])
    code = textwrap.dedent(
        """
        from pathlib import Path
        from tracker.ingest import InputError, decode
        from tracker.normalize import normalize
        from tracker.quantities import QuantityParser
        from tracker.rules import load_rules
        from tracker.sections import NoSectionError, find_sections

        rules = load_rules()
        parser = QuantityParser.from_rules(rules.directory)

        def try_one(call):
            try:
                call()
            except (InputError, NoSectionError):
                pass
        """
    )
    subprocess.run(
        [sys.executable, "-c", code + calls],
        cwd=ROOT,
        check=True,
        timeout=HANG_BOUND_SECONDS,
        capture_output=True,
    )
