"""Reading YAML 1.2 and JSON with locations, limits and exact scalars."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.errors import InvalidDocument
from attain.formats.source import MAX_BYTES, Mark, read_file, read_text, spoofing_character


def test_scalars_follow_the_yaml_1_2_core_schema() -> None:
    """Only true/false are booleans, decimals are exact, timestamps and NO stay text."""
    [doc] = read_text("a: NO\nb: yes\nc: 0.999\nd: 2022-01-01 12:00:00\ne: 0x1f\nf: ~\ng: '5'\nh: 1e3\n")
    assert doc.data == {
        "a": "NO",
        "b": "yes",
        "c": Decimal("0.999"),
        "d": "2022-01-01 12:00:00",
        "e": 31,
        "f": None,
        "g": "5",
        "h": Decimal("1e3"),
    }


def test_every_value_and_key_has_its_line_and_column() -> None:
    """Marks are 1-based and point at the value (or the key) in the text."""
    [doc] = read_text("spec:\n  objectives:\n    - name: up\n      target: 99.9%\n")
    assert doc.mark(("spec", "objectives", 0, "target")) == Mark(4, 15)
    assert doc.mark(("spec", "objectives", 0, "target"), key=True) == Mark(4, 7)
    assert doc.mark(("spec", "objectives", 0, "missing")) == Mark(3, 7)


def test_multi_document_streams_and_json() -> None:
    """A stream gives one document per `---`; JSON reads with the same parser and marks."""
    docs = read_text("a: 1\n---\n- b\n- c\n")
    assert [d.data for d in docs] == [{"a": 1}, ["b", "c"]]
    [doc] = read_text('{"target": 0.995, "ok": true}')
    assert doc.data == {"target": Decimal("0.995"), "ok": True}


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a: &x 1\nb: *x\n", "anchors and aliases are not allowed", 1),
        ("a: 1\nb: 2\na: 3\n", "duplicate key 'a'", 3),
        ("a: !python/object 1\n", "tag !python/object is not allowed", 1),
        ("a: [1,\n", "not valid YAML", 2),
        ("spec: [", "not valid YAML", 1),
        ("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 52)), "nested deeper than 50 levels", 51),
    ],
)
def test_hostile_or_broken_input_is_refused_with_a_location(text: str, message: str, line: int) -> None:
    """Aliases, duplicate keys, custom tags, syntax errors and deep nesting are refused, located."""
    with pytest.raises(InvalidDocument) as caught:
        read_text(text, "x.yaml")
    [problem] = caught.value.problems
    assert message in problem.message
    assert (problem.file, problem.line) == ("x.yaml", line)


def test_billion_laughs_is_refused_before_expansion() -> None:
    """The classic alias bomb fails at its first anchor, without building anything."""
    bomb = 'a: &a ["lol","lol"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n'
    with pytest.raises(InvalidDocument, match="anchors and aliases"):
        read_text(bomb)


def test_files_over_one_mebibyte_are_refused_before_reading(tmp_path: Path) -> None:
    """A file larger than 1 MiB is refused from its size alone."""
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * MAX_BYTES + "\n", encoding="utf-8")
    with pytest.raises(InvalidDocument) as caught:
        read_file(big)
    assert "bytes" in caught.value.problems[0].message
    assert caught.value.problems[0].hint == "keep files under 1048576 bytes (1 MiB)"


def test_missing_and_binary_files(tmp_path: Path) -> None:
    """A missing file and a file that is not UTF-8 get clear problems, not tracebacks."""
    with pytest.raises(InvalidDocument, match="cannot read file"):
        read_file(tmp_path / "nope.yaml")
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00a")
    with pytest.raises(InvalidDocument, match="not UTF-8"):
        read_file(binary)


@pytest.mark.parametrize(
    ("text", "character", "line", "column"),
    [
        ('title: "Uptime\\0"\n', "U+0000 (a control character)", 1, 8),
        ('a: 1\ntitle: "up\\x1b[2Jtime"\n', "U+001B (a control character)", 2, 8),
        ("a: 1\ntitle: pay \u202eNCU\n", "U+202E (RIGHT-TO-LEFT OVERRIDE)", 2, 8),
        ('description: "ok \\u2066x\\u2069"\n', "U+2066 (LEFT-TO-RIGHT ISOLATE)", 1, 14),
        ("name\u202d: x\n", "U+202D (LEFT-TO-RIGHT OVERRIDE)", 1, 1),
        ('a: "\\x85"\n', "U+0085 (a control character)", 1, 4),
    ],
)
def test_text_that_reads_differently_from_what_is_stored_is_refused(
    text: str, character: str, line: int, column: int
) -> None:
    """Controls (raw or escaped) and bidi overrides/isolates are refused in keys and values, located."""
    with pytest.raises(InvalidDocument) as caught:
        read_text(text, "x.yaml")
    [problem] = caught.value.problems
    assert problem.message == (
        f"character {character} is not allowed: it can make text read differently from what is stored"
    )
    assert (problem.file, problem.line, problem.column) == ("x.yaml", line, column)


def test_raw_control_characters_are_located_where_they_stand() -> None:
    """A raw NUL, which the YAML reader itself refuses, is reported at its own line and column."""
    with pytest.raises(InvalidDocument) as caught:
        read_text("a: 1\nbb: x\x00y\n", "x.yaml")
    [problem] = caught.value.problems
    assert problem.message == "not valid YAML: character U+0000 is not allowed in YAML text"
    assert (problem.line, problem.column) == (2, 6)


def test_tabs_line_breaks_and_other_scripts_stay_allowed() -> None:
    """Tabs, line breaks, Chinese and right-to-left scripts without override characters read as written."""
    [doc] = read_text("t: |\n  a\tb\n  c\nzh: 可用性\nhe: זמינות\n")
    assert doc.data == {"t": "a\tb\nc\n", "zh": "可用性", "he": "זמינות"}


@given(st.text(max_size=20))
def test_any_text_is_either_read_back_equal_or_refused_for_a_spoofing_character(text: str) -> None:
    """A JSON-quoted string reads back exactly, unless it holds a character the reader refuses."""
    document = json.dumps({"t": text})
    if spoofing_character(text) is None:
        assert read_text(document)[0].data == {"t": text}
    else:
        with pytest.raises(InvalidDocument, match="is not allowed"):
            read_text(document)


def test_json_escapes_beyond_the_basic_plane_read_as_one_character() -> None:
    """A surrogate pair of escapes (as json.dumps writes 😀) reads as U+1F600; a lone surrogate is refused."""
    [doc] = read_text('{"t": "ok \\ud83d\\ude00"}')
    assert doc.data == {"t": "ok \U0001f600"}
    with pytest.raises(InvalidDocument) as caught:
        read_text('{"t": "\\ud83d"}', "x.json")
    assert caught.value.problems[0].message == "a lone UTF-16 surrogate escape is not text"


def test_values_after_json_surrogate_pairs_keep_the_columns_they_have_as_written() -> None:
    """Two escaped pairs on one JSON line: each value's column counts the escapes as written (12 characters each)."""
    text = '{"t": "ok \\ud83d\\ude00", "u": "\\ud83d\\ude01", "v": 1}'
    [doc] = read_text(text)
    assert doc.data == {"t": "ok \U0001f600", "u": "\U0001f601", "v": 1}
    # columns counted by hand: `{"t": ` is 6 characters, `"ok \ud83d\ude00", "u": ` 24 more, then 21 more
    assert [doc.mark((key,)) for key in "tuv"] == [Mark(1, 7), Mark(1, 31), Mark(1, 52)]


def test_surrogate_escapes_outside_double_quotes_and_escaped_backslashes_stay_text() -> None:
    r"""`\\ud83d` in double quotes is a backslash and text; a pair in single quotes is refused, located."""
    [doc] = read_text('a: "\\\\ud83d\\\\ude00"\n')
    assert doc.data == {"a": "\\ud83d\\ude00"}
    with pytest.raises(InvalidDocument) as caught:
        read_text("a: 1\nb: '\\ud83d\\ude00'\n", "x.yaml")
    [problem] = caught.value.problems
    assert problem.message == "a UTF-16 surrogate escape outside a double-quoted string"
    assert (problem.line, problem.column) == (2, 4)


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_raw_line_breaks_yaml_versions_disagree_on_are_refused_where_they_stand(char: str) -> None:
    """Raw NEL, LS and PS (line breaks to YAML 1.1, text to 1.2) are refused at their own line and column."""
    with pytest.raises(InvalidDocument) as caught:
        read_text(f"a: 1\nb: x{char}y\n", "x.yaml")
    [problem] = caught.value.problems
    assert f"character U+{ord(char):04X} (" in problem.message
    assert (problem.line, problem.column) == (2, 5)
