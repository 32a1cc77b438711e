r"""JSON's UTF-16 surrogate escapes, rewritten for libyaml, with the columns they moved.

`json.dumps` writes a character beyond U+FFFF (😀) as a pair of escapes, `"\ud83d\ude00"`, which
YAML 1.2 reads as one character and libyaml refuses ("found invalid Unicode character escape
code"). Before libyaml parses, each pair becomes the one 32-bit escape it stands for
(`\U0001f600`, two characters shorter); `Rewrite.column` gives back the column a mark had in the
text as written. Outside a double-quoted string the same characters are plain text, which the
rewrite would change: `Rewrite.escapes` lets the reader refuse a value that holds one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")
"""A high then a low surrogate escape, not itself escaped by a backslash."""
LONE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
"""Any surrogate escape (which libyaml refuses; paired ones are rewritten first)."""
_SHRINK = len(r"\ud83d\ude00") - len(r"\U0001f600")


@dataclass(slots=True)
class Rewrite:
    """The rewritten text, where each rewrite stands (0-based line → its columns), and the escapes written."""

    text: str
    columns: dict[int, list[int]] = field(default_factory=dict)
    escapes: frozenset[str] = frozenset()

    def rewrote(self, event: Any) -> bool:
        """Whether a scalar outside double quotes holds a rewritten escape (which it would have kept as text)."""
        return event.style != '"' and any(escape in event.value for escape in self.escapes)

    def column(self, line: int, column: int) -> int:
        """The 0-based column in the text as written of a 0-based column of the rewritten text."""
        starts = self.columns.get(line)
        return column if starts is None else column + _SHRINK * bisect_right(starts, column - 1)


def join_surrogate_escapes(text: str) -> Rewrite:
    r"""Rewrite every escaped surrogate pair as one `\UXXXXXXXX` escape (none: the text unchanged)."""
    if LONE.search(text) is None:
        return Rewrite(text)
    pieces: list[str] = []
    columns: dict[int, list[int]] = {}
    escapes: set[str] = set()
    done = line = line_start = shrunk = 0  # in the text as written, and how much shorter this line is so far
    for match in _PAIR.finditer(text):
        at = match.start(2) - 2  # the backslash of the high escape
        breaks = text.count("\n", done, at)
        if breaks:
            line += breaks
            line_start = text.rfind("\n", done, at) + 1
            shrunk = 0
        high, low = int(match[2], 16), int(match[3], 16)
        escape = f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"
        pieces += [text[done:at], escape]
        columns.setdefault(line, []).append(at - line_start - shrunk)
        shrunk += _SHRINK
        escapes.add(escape)
        done = match.end()
    pieces.append(text[done:])
    return Rewrite("".join(pieces), columns, frozenset(escapes))
