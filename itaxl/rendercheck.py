"""Render itaxl's outputs as a person sees them, and measure what can be measured.

Every kind of output — both templates, an annotated copy, the consolidated workbook and
each sample's official report, a Word document — is printed to PDF by LibreOffice (headless) and to PNG
pages by ``pdftoppm``; then, from ``pdftotext -bbox-layout``: the size and orientation of
every page, the number of pages, the text on them, and any two lines of text that overlap
(rows too short for their text print their lines over the next row's); words, to be
exact, since pdftotext's lines join cells.

    python -m itaxl.rendercheck render-check/     # writes PDFs and PNGs there, prints a table

Exit status 1 when a page is not A4 landscape or words overlap.  Needs LibreOffice and
poppler-utils.
"""

from __future__ import annotations

import dataclasses
import html
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

from . import libreoffice, typeset

TOLERANCE = 0.5      # points two word boxes may share before they count as overlapping


@dataclasses.dataclass(frozen=True)
class Word:
    """A word pdftotext found, and its box in points from the page's top left."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclasses.dataclass
class Page:
    width: float
    height: float
    words: list[Word]

    @property
    def a4_landscape(self) -> bool:
        width, height = typeset.A4_LANDSCAPE
        return abs(self.width - width) < 2 and abs(self.height - height) < 2

    def overlaps(self) -> list[tuple[Word, Word]]:
        """Pairs of words whose boxes overlap: text printed over other text."""
        found = []
        words = sorted(self.words, key=lambda w: w.y0)
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                if b.y0 >= a.y1 - TOLERANCE:
                    break
                if min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE:
                    found.append((a, b))
        return found

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclasses.dataclass
class Rendered:
    source: Path
    pdf: Path
    pages: list[Page]

    @property
    def overlaps(self) -> list[tuple[int, Word, Word]]:
        return [(n, a, b) for n, page in enumerate(self.pages, start=1) for a, b in page.overlaps()]

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages)


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.S)


def _marks_only(text: str) -> bool:
    # pdftotext gives a Thai tone mark that the font positions on its own as a "word"
    return all(unicodedata.category(ch) == "Mn" or ch.isspace() for ch in text)


def read_pdf(pdf: Path) -> list[Page]:
    """The pages of a PDF with their words and the words' boxes (lone Thai marks left out)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True, timeout=300).stdout
    pages = []
    for width, height, body in _PAGE.findall(out):
        words = [Word(html.unescape(text), float(x0), float(y0), float(x1), float(y1))
                 for x0, y0, x1, y1, text in _WORD.findall(body)]
        pages.append(Page(float(width), float(height), [w for w in words if not _marks_only(w.text)]))
    return pages


def render(source: Path, directory: Path, *, png_dpi: int = 50) -> Rendered:
    """Print ``source`` to PDF (and PNG pages) in ``directory`` and read the PDF back."""
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob(f"{Path(source).stem}-*.png"):
        stale.unlink()
    # a Word document's page numbers in Thai digits, as `itaxl report --pdf` prints them
    pdf = libreoffice.convert(source, "pdf", directory, force=True, thai_numerals=Path(source).suffix == ".docx")
    if png_dpi:
        subprocess.run(["pdftoppm", "-r", str(png_dpi), "-png", str(pdf), str(directory / pdf.stem)],
                       check=True, timeout=300)
    return Rendered(Path(source), pdf, read_pdf(pdf))


def outputs(directory: Path) -> list[Path]:
    """Every kind of output itaxl makes, written into ``directory`` from the bundled samples."""
    import itaxl
    from . import samples

    directory.mkdir(parents=True, exist_ok=True)
    made = [Path(p) for p in sorted(samples.TEMPLATES_DIR.glob("*.xlsx"))]
    inbox = sorted(samples.INBOX_DIR.glob("*.xlsx"))
    annotated = directory / "annotated-measures-2566-6311805.xlsx"
    itaxl.annotate(samples.INBOX_DIR / "measures-2566-6311805.xlsx", annotated)
    made.append(annotated)
    result = itaxl.merge([samples.INBOX_DIR], roster=samples.ROSTER, include_invalid=True)
    made.append(result.to_excel(directory / "consolidated.xlsx"))
    # The Word documents offices publish: each sample's as the office sent it (a draft when
    # it has errors) and as corrected.
    for path in [*inbox, *sorted(samples.CORRECTED_DIR.glob("*.xlsx"))]:
        (document,), _ = itaxl.report(path, directory / f"document-{path.parent.name}-{path.stem}.docx")
        made.append(document)
    return made


def main(argv: list[str]) -> int:
    directory = Path(argv[0] if argv else "render-check")
    failed = False
    print(f"{'file':<52} {'pages':>5}  {'A4 landscape':<12} overlaps")
    for source in outputs(directory):
        rendered = render(source, directory / source.stem)
        landscape = all(p.a4_landscape for p in rendered.pages)
        overlaps = rendered.overlaps
        failed |= not landscape or bool(overlaps)
        print(f"{source.name:<52} {len(rendered.pages):>5}  {'yes' if landscape else 'NO':<12} {len(overlaps)}")
        for page, a, b in overlaps[:5]:
            print(f"    page {page}: {a.text[:40]!r} over {b.text[:40]!r}")
    print(f"PDFs and PNG pages in {directory}/")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
