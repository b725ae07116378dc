"""A1 cell references: the one place itaxl turns rows and columns into letters and back.

As XlsxWriter's ``utility`` module does for its users: small, exact, and used by
the templates, the reader, the row writer and the reports alike.

>>> column_letter(0), column_letter(27), column_index("AB"), cell_ref(4, 3), split_ref("D4")
('A', 'AB', 27, 'D4', (4, 3))
"""

from __future__ import annotations

import functools
import re

_REF = re.compile(r"([A-Z]{1,3})(\d+)$")


def column_letter(index: int) -> str:
    """0-based column index to its letters (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@functools.lru_cache(maxsize=4096)
def column_index(letters: str) -> int:
    """Column letters to the 0-based index (A → 0, AB → 27)."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def cell_ref(row: int, col: int) -> str:
    """1-based row and 0-based column to an A1 reference."""
    return f"{column_letter(col)}{row}"


def split_ref(ref: str) -> tuple[int, int] | None:
    """An A1 reference to (1-based row, 0-based column); None when it is not one."""
    m = _REF.match(ref)
    return (int(m.group(2)), column_index(m.group(1))) if m else None
