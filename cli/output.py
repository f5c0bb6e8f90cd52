"""What the command line prints: user text with its control characters made visible.

A title or a file name is whatever a file or a person put there. Printed raw, "\\x1b]0;pwned\\x07"
sets the terminal's title, "\\x1b[2J" clears the screen, "\\r" writes over the line and U+202E
shows the rest of the line backwards. So everything `trellis` writes passes through `shown`,
which spells such characters out the way Python's repr does (\\x1b, \\u202e) and leaves every
other character, emoji and accents included, as it is.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

# C0 but tab and newline, DEL, C1, and the invisible characters that reorder or break a line:
# bidi marks, embeddings, overrides and isolates, and the line and paragraph separators.
# The zero-width joiner stays: emoji such as the family or the rainbow flag are made with it.
UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
CONTROLS = re.compile(f"[{UNSAFE}]")
# One line of a listing: a newline or tab in a title would split or shift it.
CONTROLS_IN_LINE = re.compile(f"[\t\n{UNSAFE}]")


def shown(text: str, *, one_line: bool = False) -> str:
    """`text` with every control character spelled out; `one_line` spells out \\n and \\t too."""
    return (CONTROLS_IN_LINE if one_line else CONTROLS).sub(python_escape, text)


def json_shown(text: str) -> str:
    """JSON text with the same characters as \\u escapes: still valid JSON, the same strings.

    json.dumps escapes C0 already; DEL, C1 and the bidi characters it leaves as they are, and
    in a JSON document they can only be inside strings, where \\u00XX means the same character.
    """
    return CONTROLS.sub(json_escape, text)


# repr's short names for the three a person most often meets
SPELLED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def python_escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return SPELLED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


class ShownStream:
    """A text stream that writes through `shown`: nothing printed can reach the terminal raw,
    whichever module (or argparse, quoting a mistyped argument) prints it."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(shown(text))
        return len(text)

    def __getattr__(self, name: str):
        # encoding, errors, flush, fileno, isatty: those of the real stream
        return getattr(self.stream, name)


def show_everything_safely() -> None:
    """From here on, stdout and stderr write through `shown` (once, however often called)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, ShownStream):
            setattr(sys, name, ShownStream(stream))
