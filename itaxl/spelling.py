"""Thai words that are in no dictionary: typing slips in what offices write.

Thai runs words together, so a text is first cut into words by maximal matching
against a dictionary: PyThaiNLP's Thai word list (shipped in its package; nothing
is downloaded) plus itaxl's own domain list (``data/words-domain.txt``) and the
register's office, district and province names.  The cutting is done by nlpO3,
PyThaiNLP's compiled tokeniser: its dictionary loads once per process in about
80 ms and it cuts a 10,000-character report in a few milliseconds (PyThaiNLP's
pure-Python ``newmm`` needs about 350 ms to build its trie and about 25 ms a
report).  A misspelt word falls apart into pieces that are not words — a lone
consonant, a vowel without its consonant — and those are reported with the text
around them.  People's names (after นาย, นาง, นางสาว …) are not checked.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import tempfile
from pathlib import Path

from . import registry

DICTIONARY = "itaxl"
_THAI = re.compile(r"[\u0e01-\u0e4e]+")
# A person's name: a title, the given name, and the family name after a space ("นายก…" is a mayor).
_NAME = re.compile(r"(?:นางสาว|นาง|นาย(?!ก(?:อง|เทศ|รัฐ))|น\.ส\.|ดร\.|ว่าที่\s*ร\.?\s*[ตทอ]\.?)\s*\S+(?:[ \t]+\S+)?")
_ALWAYS_WORDS = {"ฯ", "ๆ"}
_CONSONANTS = re.compile(r"[\u0e01-\u0e2e]{1,3}")
_BOOK_NUMBER = re.compile(r"\s*[\d.]")


@functools.lru_cache(maxsize=1)
def words() -> frozenset[str]:
    """Every word itaxl knows: PyThaiNLP's list, the domain list and the register's names."""
    known = set(_pythainlp_words().read_text("utf-8").split())
    domain = Path(__file__).with_name("data") / "words-domain.txt"
    known.update(line.strip() for line in domain.read_text("utf-8").splitlines()
                 if line.strip() and not line.startswith("#"))
    return frozenset(known | _place_names() | _ALWAYS_WORDS)


@functools.lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    """The register's office, district and province names."""
    return frozenset(name for office in registry.offices().values()
                     for name in (office.name_th, office.district_th, office.province_th))


def _pythainlp_words() -> Path:
    spec = importlib.util.find_spec("pythainlp")  # its word list, without importing the package
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("PyThaiNLP is not installed (pip install pythainlp)")
    return Path(spec.submodule_search_locations[0]) / "corpus" / "words_th.txt"


@functools.lru_cache(maxsize=1)
def _segmenter():
    """nlpO3 with itaxl's dictionary loaded (from a temporary file, removed at once)."""
    import nlpo3

    fd, path = tempfile.mkstemp(prefix="itaxl-words-", suffix=".txt")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(words()))
        nlpo3.load_dict(path, DICTIONARY)
    finally:
        os.unlink(path)
    return nlpo3.segment


@functools.lru_cache(maxsize=256)
def cut(text: str) -> tuple[str, ...]:
    """``text`` cut into words (and the pieces between them) against itaxl's dictionary.
    Cached: the spelling check and the content-word comparison cut a cell once."""
    return tuple(_segmenter()(text, DICTIONARY))


def unknown(text: str) -> list[tuple[int, str, str]]:
    """(position, piece, the piece with the words around it) of each piece of ``text`` that is
    not a word, outside people's names, abbreviations and book numbers."""
    if not _THAI.search(text):
        return []
    pieces = cut(text)
    odd = {p for p in set(pieces).difference(words()) if _THAI.fullmatch(p) and "\u0e4d" not in p}
    if not odd:  # the common case, decided by one call into Rust and one set difference
        return []
    names = [m.span() for m in _NAME.finditer(text)]
    found = []
    at = 0
    for i, piece in enumerate(pieces):
        start, at = at, at + len(piece)
        if piece not in odd:
            continue
        following = pieces[i + 1] if i + 1 < len(pieces) else ""
        if following.startswith(".") or any(a <= start < b for a, b in names) or (
                _CONSONANTS.fullmatch(piece) and _BOOK_NUMBER.match(text, at)):
            # an abbreviation (พ.ศ., อ.), a person's name, a book number's prefix (ที่ กส ๗๓๕๐๑);
            # a lone ํ is left to its own rule (text-nikhahit)
            continue
        around = "".join(pieces[max(0, i - 1):i + 2]).strip()
        found.append((start, piece, " ".join(around.split())))
    return found


@functools.lru_cache(maxsize=1)
def _by_length() -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for word in words():
        out.setdefault(len(word), []).append(word)
    return out


def suggest(around: str) -> str | None:
    """The one dictionary word one edit away from an unknown piece with the words around it
    (``ปฏิบติ`` → ``ปฏิบัติ``), when there is exactly one; else None."""
    if len(around) >= 4 and _THAI.fullmatch(around):
        return _one_edit_away(around)
    return None


@functools.lru_cache(maxsize=1024)
def _one_edit_away(written: str) -> str | None:
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    close = process.extract(written, _candidates(len(written)), scorer=Levenshtein.distance, score_cutoff=1,
                            limit=2)
    return close[0][0] if len(close) == 1 else None


@functools.lru_cache(maxsize=32)
def _candidates(length: int) -> tuple[str, ...]:
    by_length = _by_length()
    return tuple(w for n in (length - 1, length, length + 1) for w in by_length.get(n, ()))


@functools.lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    """PyThaiNLP's stop words, the words every report uses, dates' words and office types."""
    from .schema import OFFICE_TYPES
    from .thai import MONTHS_ABBR, MONTHS_FULL

    path = _pythainlp_words().with_name("stopwords_th.txt")
    return (frozenset(w.lstrip("\ufeff") for w in path.read_text("utf-8").split()) | _ADMIN_WORDS
            | frozenset(MONTHS_FULL) | frozenset(MONTHS_ABBR) | frozenset(t.full_th for t in OFFICE_TYPES)
            | {"เดือน", "วันที่"})


# Words every measure and result of an office's report uses: they say nothing about which measure.
_ADMIN_WORDS = frozenset({
    "ดำเนินการ", "เจ้าหน้าที่", "หน่วยงาน", "ผู้รับผิดชอบ", "รายงาน", "ผู้บริหาร", "แล้วเสร็จ", "ประจำปี",
    "ปีงบประมาณ", "องค์การ", "บริหาร", "ส่วนตำบล", "เทศบาล", "ตำบล", "มาตรการ", "ทุก", "ภารกิจ", "กำหนด",
    "ให้", "การ", "ความ", "ข้อมูล", "จัดทำ", "ประชาชน", "เพื่อ", "ตาม", "ของ", "ผ่าน", "ช่องทาง", "เรื่อง",
})


def content_words(text: str) -> frozenset[str]:
    """The words of ``text`` that say what it is about: dictionary words of three or more
    characters, not function words, the words every report uses, nor place names (the
    office's own name is in every sentence it writes)."""
    pieces = set(cut(text)).intersection(words()).difference(_stopwords(), _place_names())
    return frozenset(p for p in pieces if len(p) >= 3)  # the dictionary's words are Thai
