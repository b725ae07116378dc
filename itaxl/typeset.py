"""Thai text measured as a spreadsheet lays it out: widths, line breaks and row heights.

Row heights and column widths in itaxl's documents come from here, so that rows are
neither clipped nor padded.  Widths are the glyph advances of the document font, Thai
marks above and below the line taking no width; lines break at spaces and between Thai
words (as LibreOffice and Excel break them, by dictionary); a line is as tall as the
font's typographic ascender and descender.

The font metrics are those of Laksaman (Debian's ``fonts-tlwg-laksaman``), drawn from TH
Sarabun New and keeping its advances, which LibreOffice draws wherever a document asks
for "TH SarabunPSK" or "TH Sarabun New".  They are read once with fontTools into
``itaxl/data/font-metrics.json`` (``python -m itaxl.typeset REGULAR.ttf BOLD.ttf``
writes it again), so the layout is the same on every machine and no font is needed at
run time.

>>> from itaxl import typeset
>>> round(typeset.width("การดำเนินการ", 16), 1)
91.3
>>> typeset.wrap("การดำเนินการเพื่อยกระดับการเปิดเผยข้อมูลสาธารณะ", typeset.text_points(20), 16)
['การดำเนินการเพื่อยกระดับ', 'การเปิดเผยข้อมูลสาธารณะ']
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import sys
import unicodedata
from pathlib import Path

METRICS_FILE = Path(__file__).parent / "data" / "font-metrics.json"
DEFAULT_ADVANCE = 0.6  # em, for a character the font does not have (drawn from a fallback font)
CELL_PADDING = 2.83    # points of empty margin on each side of a cell's text (0.1 cm)
COLUMN_PADDING = 6.2   # points a column is wider than its width in digits (measured in LibreOffice)
ROW_PADDING = 4.0      # points above and below a cell's lines
A4_LANDSCAPE = (842.0, 595.0)  # points: the page every itaxl document prints on
MAX_ROW_HEIGHT = 409.0  # points: the tallest row Excel accepts (about fifteen lines of 16 pt)


@functools.lru_cache(maxsize=1)
def _metrics() -> dict:
    data = json.loads(METRICS_FILE.read_text("utf-8"))
    upem = data["units_per_em"]
    return {
        "line": (data["ascender"] - data["descender"]) / upem,
        "regular": {chr(int(cp, 16)): units / upem for cp, units in data["regular"].items()},
        "bold": {chr(int(cp, 16)): units / upem for cp, units in data["bold"].items()},
    }


def width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line of ``text`` at ``size`` points, in points."""
    advances = _metrics()["bold" if bold else "regular"]
    return size * sum(advances.get(ch, 0.0 if unicodedata.combining(ch) else DEFAULT_ADVANCE) for ch in text)


def line_height(size: float) -> float:
    """The distance between two lines of text at ``size`` points, as LibreOffice sets them."""
    return _metrics()["line"] * size


def column_points(chars: float, base_size: float = 16) -> float:
    """The width in points of a column ``chars`` wide, in a workbook whose normal font is the
    document font at ``base_size`` (a column's width counts the normal font's digits)."""
    return chars * width("0", base_size) + COLUMN_PADDING


def column_chars(points: float, base_size: float = 16) -> float:
    """The column width (in digits of the normal font) that gives ``points``."""
    return max(0.0, (points - COLUMN_PADDING) / width("0", base_size))


def text_points(chars: float, base_size: float = 16) -> float:
    """The width left for text in a column ``chars`` wide, inside the cell's margins."""
    return column_points(chars, base_size) - 2 * CELL_PADDING


def _pieces(paragraph: str) -> list[str]:
    """Where a line may break: after a space, and between Thai words."""
    if paragraph.isascii():
        return [w for w in paragraph.replace(" ", " \0").split("\0") if w]
    from .spelling import cut

    return list(cut(paragraph))


def words(text: str) -> list[str]:
    """The pieces a line may not break inside: words, numbers, URLs."""
    return [p.strip() for paragraph in text.split("\n") for p in _pieces(paragraph) if p.strip()]


def wrap(text: str, room: float, size: float, bold: bool = False) -> list[str]:
    """``text`` broken into the lines it takes in ``room`` points at ``size``: at line feeds, then
    greedily at spaces and word boundaries; a word wider than the room is cut between characters."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for piece in _pieces(paragraph):
            w = width(piece, size, bold)
            if line and used + w > room and piece.strip():
                out.append(line.rstrip())
                line, used = "", 0.0
                piece = piece.lstrip()
                w = width(piece, size, bold)
            while w > room and len(piece) > 1:  # a word longer than the line
                cut_at = _fit(piece, room - used, size, bold)
                out.append((line + piece[:cut_at]).rstrip())
                line, used, piece = "", 0.0, piece[cut_at:]
                w = width(piece, size, bold)
            line += piece
            used += w
        out.append(line.rstrip())
    return out


def _fit(text: str, room: float, size: float, bold: bool) -> int:
    """How many characters of ``text`` fit in ``room`` (at least one, and never a lone mark)."""
    used, n = 0.0, 0
    for n, ch in enumerate(text):
        used += width(ch, size, bold)
        if used > room:
            break
    else:
        return len(text)
    while n > 1 and unicodedata.combining(text[n]):
        n -= 1
    return max(1, n)


class Measured:
    """A text measured once, to count its lines in many widths: each paragraph's pieces (where a
    line may break) as their widths in points."""

    def __init__(self, text: str, size: float, bold: bool = False):
        self.paragraphs = [[width(p, size, bold) for p in _pieces(paragraph)] for paragraph in text.split("\n")]

    def lines(self, room: float) -> int:
        """How many lines the text takes in ``room`` points, broken as :func:`wrap` breaks it
        (a word wider than the room over as many lines as it needs)."""
        total = 0
        for pieces in self.paragraphs:
            count, used = 1, 0.0
            for w in pieces:
                if used and used + w > room:
                    count, used = count + 1, 0.0
                while w > room:
                    count, w = count + 1, w - room
                used += w
            total += count
        return total


def lines(text: str, room: float, size: float, bold: bool = False) -> int:
    """How many lines ``text`` takes in ``room`` points."""
    return len(wrap(text, room, size, bold)) if text else 1


def row_height(n_lines: int, size: float, padding: float = ROW_PADDING) -> float:
    """The height in points of a row that shows ``n_lines`` lines at ``size`` whole, with
    ``padding`` points above and below."""
    return math.ceil(max(1, n_lines) * line_height(size) + 2 * padding)


def displayed(value: object) -> str:
    """A cell's value as the templates show it, to measure: a date in their date format
    ("13 ม.ค. 2566"), anything else as its text."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        from .thai import format_date

        return format_date(value, abbreviated=True)
    return "" if value is None else str(value)


def fit_row(cells, size: float, base_size: float = 16, least: int = 1, bold: bool = False) -> float:
    """The height of a row whose wrapped cells, ``(text, column width in digits)``, all show whole."""
    most = max((lines(text, text_points(chars, base_size), size, bold) for text, chars in cells if text), default=1)
    return min(MAX_ROW_HEIGHT, row_height(max(least, most), size))


BREAK_LOSS = 0.9
"""Of a line's room, the share text fills on average when it breaks between words."""


@functools.lru_cache(maxsize=1)
def _advance_table():
    import numpy as np

    table = np.full(0x10000, DEFAULT_ADVANCE, dtype=np.float32)
    marks = [cp for cp in range(0x0300, 0x10000) if unicodedata.combining(chr(cp))]
    table[marks] = 0.0
    for ch, advance in _metrics()["regular"].items():
        table[ord(ch)] = advance
    return table


def estimate_lines(texts, room: float, size: float):
    """Lines each of many texts takes in ``room`` points, estimated at once (numpy): the width of
    the whole text over the room a line fills, plus its line feeds.  Made for the tens of
    thousands of rows of a consolidated workbook, where :func:`lines` would take too long; it
    errs long rather than short."""
    import numpy as np

    texts = list(texts)
    result = np.ones(len(texts), dtype=np.int64)
    if not texts:
        return result
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    # A text too short to fill a line even in the widest letters is one line (if it has no line
    # feed): most cells of a table, known from their length alone.
    widest = float(_advance_table().max()) * size
    long = np.flatnonzero((lengths * widest > room * BREAK_LOSS)
                          | np.fromiter(("\n" in t for t in texts), dtype=bool, count=len(texts)))
    for start in range(0, len(long), ESTIMATE_CHUNK):  # in chunks: a few MB at a time
        chosen = long[start:start + ESTIMATE_CHUNK]
        chunk = [texts[i] for i in chosen]
        codes = np.frombuffer("".join(chunk).encode("utf-32-le"), dtype=np.uint32)
        advances = _advance_table()[np.minimum(codes, 0xFFFF)]
        ends = np.cumsum(lengths[chosen])
        totals = np.concatenate(([0.0], np.cumsum(advances, dtype=np.float64)))
        widths = (totals[ends] - totals[ends - lengths[chosen]]) * size
        breaks = np.fromiter((t.count("\n") for t in chunk), dtype=np.int64, count=len(chunk))
        result[chosen] = np.maximum(1, np.ceil(widths / (room * BREAK_LOSS)).astype(np.int64) + breaks)
    return result


ESTIMATE_CHUNK = 2_000  # texts: a few MB of arrays at a time


# --------------------------------------------------------------------------- the metrics file

CHARACTERS = [*range(0x20, 0x7F), *range(0x0E01, 0x0E5C), 0xA0, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D,
              0x2022, 0x2026, 0x2212]


def extract(regular: str | Path, bold: str | Path) -> dict:
    """The metrics file's content, read from two TrueType fonts with fontTools."""
    from fontTools.ttLib import TTFont

    fonts = {"regular": TTFont(regular), "bold": TTFont(bold)}
    first = fonts["regular"]
    os2 = first["OS/2"]
    data: dict = {"font": first["name"].getDebugName(4), "units_per_em": first["head"].unitsPerEm,
                  "ascender": os2.sTypoAscender, "descender": os2.sTypoDescender}
    for style, font in fonts.items():
        cmap, hmtx = font.getBestCmap(), font["hmtx"]
        data[style] = {f"{cp:04X}": hmtx[cmap[cp]][0] for cp in CHARACTERS if cp in cmap}
    return data


def main(argv: list[str]) -> None:
    regular, bold = argv
    METRICS_FILE.write_text(json.dumps(extract(regular, bold), sort_keys=True, separators=(",", ":")) + "\n", "utf-8")
    print(f"wrote {METRICS_FILE}")


if __name__ == "__main__":
    main(sys.argv[1:])
