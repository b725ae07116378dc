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

A misspelling can also cut into real words (ชั้น|ตอน for ขั้นตอน) or be a word-list entry
itself.  Three things catch those: a list of known misspellings with their right forms
(``data/misspellings.tsv``), taken out of the dictionary; entries of the word list that only
let misspellings hide (``data/words-dropped.txt``), also taken out; and *look-alikes*: two
adjacent words that together are no word, but that written with the letters
offices confuse (ช/ข, ศ/ษ/ส, ิ/ี, ำ/า, a final น/ณ/ร/ล …), with an การันต์ moved or missing
or a letter doubled, reads as exactly one frequent word (``data/lookalikes.tsv``, drawn from
the Thai National Corpus's frequencies by ``python -m itaxl.spelling``).  Latin-letter slips
in the terms offices use (``QR COED``) are matched against ``data/latin-terms.txt``.
"""

from __future__ import annotations

import bisect
import functools
import importlib.util
import itertools
import operator
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
# An abbreviation: consonants alone, then a dot (พ.ศ., สขร.๑, ป.ป.ช.): no word is spelt so.
_ABBREVIATION = re.compile("[\u0e01-\u0e2e]{1,4}\\.")
_DATA = Path(__file__).with_name("data")


def list_file(name: str) -> list[str]:
    """The entries of one of ``itaxl/data``'s list files: its lines, less blank ones and
    ``#`` comments."""
    return [line.strip() for line in (_DATA / name).read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


@functools.lru_cache(maxsize=1)
def misspellings() -> dict[str, str]:
    """Known misspellings and their right forms (``data/misspellings.tsv``)."""
    return dict(line.split("\t") for line in list_file("misspellings.tsv"))


@functools.lru_cache(maxsize=1)
def words() -> frozenset[str]:
    """Every word itaxl knows: PyThaiNLP's list less the entries that hide misspellings, the
    domain list and the register's names."""
    known = set(_pythainlp_words().read_text("utf-8").split())
    known.difference_update(list_file("words-dropped.txt"), misspellings())
    known.update(list_file("words-domain.txt"))
    return frozenset(known | _place_names() | _ALWAYS_WORDS)


@functools.lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    """The register's office, district and province names."""
    return frozenset(name for office in registry.offices().values()
                     for name in (office.name_th, office.district_th, office.province_th))


def _pythainlp_words() -> Path:
    return _pythainlp_corpus() / "words_th.txt"


def _pythainlp_corpus() -> Path:
    spec = importlib.util.find_spec("pythainlp")  # its word list, without importing the package
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("PyThaiNLP is not installed (pip install pythainlp)")
    return Path(spec.submodule_search_locations[0]) / "corpus"


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
    return _unknown(text, pieces, set(pieces).difference(words()))


def slips(text: str) -> tuple[list[tuple[int, str, str]], list[tuple[int, str, str]]]:
    """What :func:`misspelt` and :func:`unknown` find in ``text``, the text cut once; the
    unknown pieces inside a misspelling are left to it (เว็บ|ไซ|ด์ is เว็บไซด์ misspelt)."""
    if not _THAI.search(text):
        return _latin_slips(text), []
    pieces = cut(text)
    strays = set(pieces).difference(words())
    wrong = _misspelt(text, pieces, strays)
    covered = [(at, at + len(written)) for at, written, _right in wrong]
    return wrong, [s for s in _unknown(text, pieces, strays) if not _in_spans(s[0], covered)]


def _unknown(text: str, pieces: tuple[str, ...], strays: set[str]) -> list[tuple[int, str, str]]:
    """:func:`unknown` of a text cut into ``pieces``, of which ``strays`` are not words."""
    odd = {p for p in strays if _THAI.fullmatch(p) and "\u0e4d" not in p}
    if not odd:  # the common case, decided by one call into Rust and one set difference
        return []
    skipped = _name_spans(text) + [m.span() for m in _ABBREVIATION.finditer(text)]
    found = []
    at = 0
    for i, piece in enumerate(pieces):
        start, at = at, at + len(piece)
        if piece not in odd:
            continue
        following = pieces[i + 1] if i + 1 < len(pieces) else ""
        if following.startswith(".") or _in_spans(start, skipped) or (
                _CONSONANTS.fullmatch(piece) and _BOOK_NUMBER.match(text, at)):
            # an abbreviation (พ.ศ., อ.), a person's name, a book number's prefix (ที่ กส ๗๓๕๐๑);
            # a lone ํ is left to its own rule (text-nikhahit)
            continue
        around = "".join(pieces[max(0, i - 1):i + 2]).strip()
        found.append((start, piece, " ".join(around.split())))
    return found


def _name_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _NAME.finditer(text)]


# --------------------------------------------------------------------------- misspellings that are words

# Letters offices confuse: each group sounds alike (or looks alike) where it stands.
_CONFUSABLE = ("ขช", "คฅฆ", "ทธฑฒพภ", "ศษส", "ณน", "ญย", "ฎฏ", "ลร", "ิี", "ึื", "ุู", "ำา", "่้็", "ใไ")
_ALIKE = str.maketrans({c: group[0] for group in _CONFUSABLE for c in group[1:]})
# A consonant that ends a word is heard only as one of four sounds.
_FINAL_SOUNDS = ("กขคฆ", "ดตถทธฎฏฐฑฒจชซศษส", "นณญรลฬ", "บปพฟภ")
_FINAL = str.maketrans({c: group[0] for group in _FINAL_SOUNDS for c in group})
# A silent letter (or two) under an การันต์, read three ways: the mark alone, one letter, two.
_KARAN = (re.compile("\u0e4c"), re.compile("[ก-ฮ][ิุ]?\u0e4c"), re.compile("[ก-ฮ]{2}[ิุ]?\u0e4c"))
_KARAN_ONE = _KARAN[1]
_ROR_HAN = re.compile("(?<=[ก-ฮ])รร(?=[ก-ฮ]|$)")  # บรรได for บันได
_DOUBLED = re.compile(r"(.)\1+")
_LEADING_VOWELS = "เแโใไ"
LOOKALIKE_MIN_LENGTH = 5
"""Characters a run of words must have to be read as a look-alike: shorter runs collide by chance."""
LOOKALIKE_MIN_FREQUENCY = 20
"""Occurrences in the Thai National Corpus a word needs to be what a look-alike stands for."""
LOOKALIKE_DOMINANCE = 10
"""How many times as frequent a word must be as any other word of its look-alike key."""


def lookalike_keys(word: str) -> frozenset[str]:
    """The forms ``word`` shares with its look-alikes: confusable letters made one, its final
    consonant made its sound, การันต์ and what it silences dropped (three ways), ะ and doubled
    letters dropped.  Two spellings that share a key differ only in ways offices slip."""
    if "\u0e4c" not in word:
        return frozenset((_skeleton(word),))
    return frozenset(_skeleton(karan.sub("", word)) for karan in _KARAN)


def _skeleton(s: str) -> str:
    """One look-alike key of a word without การันต์: a vowel ิ or ุ after its last consonant
    dropped (สังเกตุ for สังเกต), รร read as ัน, the final consonant made its sound, confusable
    letters made one, ะ and doubled letters dropped."""
    if len(s) >= 2 and s[-1] in "ิุ" and "ก" <= s[-2] <= "ฮ":
        s = s[:-1]
    if "รร" in s:
        s = _ROR_HAN.sub("ั" + "น", s)
    if len(s) >= 2 and "ก" <= s[-1] <= "ฮ" and s[-2] not in _LEADING_VOWELS:
        s = s[:-1] + s[-1].translate(_FINAL)
    return _DOUBLED.sub(r"\1", s.translate(_ALIKE).replace("ะ", ""))


def build_lookalikes() -> list[tuple[str, str]]:
    """(key, word) for every look-alike key that one frequent word owns: the words of
    :func:`words` of :data:`LOOKALIKE_MIN_LENGTH` characters or more seen at least
    :data:`LOOKALIKE_MIN_FREQUENCY` times in the Thai National Corpus, each key kept when
    its most frequent word is :data:`LOOKALIKE_DOMINANCE` times as frequent as the next."""
    frequency = {}
    for line in (_pythainlp_corpus() / "tnc_freq.txt").read_text("utf-8").splitlines():
        word, _, count = line.partition("\t")
        if count:
            frequency[word] = int(count)
    owners: dict[str, list[str]] = {}
    for word in sorted(words()):
        if len(word) >= LOOKALIKE_MIN_LENGTH and frequency.get(word, 0) >= LOOKALIKE_MIN_FREQUENCY:
            for key in lookalike_keys(word):
                owners.setdefault(key, []).append(word)
    table = []
    for key, candidates in sorted(owners.items()):
        first, *rest = sorted(candidates, key=lambda w: (-frequency[w], w))
        if not rest or frequency[first] >= LOOKALIKE_DOMINANCE * frequency[rest[0]]:
            table.append((key, first))
    return table


@functools.lru_cache(maxsize=1)
def _lookalikes() -> dict[str, str]:
    return dict(line.split("\t") for line in list_file("lookalikes.tsv"))


@functools.lru_cache(maxsize=1)
def _known_pattern() -> re.Pattern:
    """The known misspellings as one pattern shaped as a trie, longest first: an alternation
    of 130 words tries each of them at every character; a trie tries one branch."""
    return re.compile(_trie_pattern(misspellings()))


def _trie_pattern(strings) -> str:
    trie: dict = {}
    for string in strings:
        node = trie
        for ch in string:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # a whole word ends here; a longer one first

    return pattern(trie)


def misspelt(text: str) -> list[tuple[int, str, str]]:
    """(position, as written, right form) of each misspelling in ``text`` that the
    dictionary alone lets pass: a known misspelling standing as a word, a run of words that
    is a look-alike of one frequent word, a Latin-letter slip in a known term.  People's
    names are not checked."""
    if not _THAI.search(text):
        return _latin_slips(text)
    pieces = cut(text)
    return _misspelt(text, pieces, set(pieces).difference(words()))


def _misspelt(text: str, pieces: tuple[str, ...], strays: set[str]) -> list[tuple[int, str, str]]:
    """:func:`misspelt` of a text with Thai in it, cut into ``pieces``, of which ``strays`` are
    not words."""
    found = _latin_slips(text)
    # Most cells hold neither a piece that begins a known misspelling, nor a piece that is no
    # word, nor a look-alike pair: set operations tell, before any position is worked out.
    odd = {p for p in strays if _THAI.match(p)}
    maybe_known = bool(odd) or not _known_prefixes().isdisjoint(pieces)
    pairs = list(map(operator.add, pieces, pieces[1:]))
    lookalikes = _RUNS.hits_among(pairs)
    if not (maybe_known or lookalikes):
        return found
    starts = [0, *itertools.accumulate(map(len, pieces))]
    names = _name_spans(text)
    taken: list[tuple[int, int]] = []
    for m in _known_misspellings(text, pieces, starts, odd) if maybe_known else ():
        if not (_inside_a_word(pieces, starts, m.end()) or _in_spans(m.start(), names)):
            found.append((m.start(), m.group(), misspellings()[m.group()]))
            taken.append(m.span())
    if lookalikes:
        found.extend(_lookalike_runs(pieces, pairs, lookalikes, starts, names + taken))
    return sorted(found)


def _known_misspellings(text: str, pieces: tuple[str, ...], starts: list[int], odd: set[str]) -> list[re.Match]:
    """Known misspellings that begin where a piece of the cut begins (a piece that begins one)
    or inside a piece that is no word (``odd``): a scan of the whole text for 130 words costs
    more than the cut itself."""
    pattern, prefixes = _known_pattern(), _known_prefixes()
    found: list[re.Match] = []
    for start, piece in zip(starts, pieces):
        if found and start < found[-1].end():
            continue
        tries = range(start, start + len(piece)) if piece in odd else (start,) if piece in prefixes else ()
        for pos in tries:
            if (m := pattern.match(text, pos)) is not None:
                found.append(m)
                break
    return found


@functools.lru_cache(maxsize=1)
def _known_prefixes() -> frozenset[str]:
    """Every beginning of a known misspelling: the first piece of one, cut, is one of them."""
    return frozenset(wrong[:n] for wrong in misspellings() for n in range(1, len(wrong) + 1))


def _inside_a_word(pieces: tuple[str, ...], starts: list[int], at: int) -> bool:
    """Whether ``at`` falls strictly inside a dictionary word of the cut."""
    i = bisect.bisect_right(starts, at) - 1
    return 0 <= i < len(pieces) and starts[i] < at and pieces[i] in words()


def _in_spans(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= at < b for a, b in spans)


def _lookalike_runs(pieces: tuple[str, ...], pairs: list[str], hits: set[str], starts: list[int],
                    skip: list[tuple[int, int]]) -> list[tuple[int, str, str]]:
    """Where the look-alike ``hits`` among two adjacent words stand, as slips (runs of three
    found one more slip in the lists and cost as much again)."""
    known = words()
    begin_stop, one_letter_stop = _run_stops()
    found = []
    i, count = 0, len(pairs)
    while i < count:
        run = pairs[i]
        # a run holds words, not a one-letter function word (ณ), and does not begin with a
        # function word (และ|งาน is not แรงงาน); names and known misspellings are left alone
        if run in hits and pieces[i] in known and pieces[i + 1] in known and pieces[i] not in begin_stop \
                and pieces[i + 1] not in one_letter_stop and not _in_spans(starts[i], skip) \
                and not _in_spans(starts[i + 2] - 1, skip):
            right, drops_karan = _lookalike(run)
            # a word without its การันต์ is also how it binds to the next one (มนุษย|ศาสตร์):
            # a missing การันต์ counts only where the word ends
            if not drops_karan or i + 2 == len(pieces) or not _THAI.match(pieces[i + 2]):
                found.append((starts[i], run, right))
                i += 2
                continue
        i += 1
    return found


class _RunMemo:
    """Which runs of words are look-alikes, remembered across cells and files as two sets, so
    that a cell's runs are sorted by set operations; forgotten past a bound on memory."""

    LIMIT = 200_000
    """Misses kept before they are forgotten: about 30 MB of runs, the vocabulary of a few
    hundred offices' reports (a batch's worker reads thousands)."""

    def __init__(self) -> None:
        self.hits: set[str] = set()
        self.misses: set[str] = set()

    def hits_among(self, runs: list[str]) -> set[str]:
        runs = set(runs)
        new = runs - self.misses - self.hits
        if new:
            if len(self.misses) > self.LIMIT:
                self.misses.clear()
            known = words()
            for run in new:
                is_hit = len(run) >= LOOKALIKE_MIN_LENGTH and run not in known and _lookalike(run)[0] is not None
                (self.hits if is_hit else self.misses).add(run)
        return runs & self.hits


_RUNS = _RunMemo()


@functools.lru_cache(maxsize=1)
def _run_stops() -> tuple[frozenset[str], frozenset[str]]:
    """The function words a look-alike run may not begin with, and the one-letter ones it may not hold."""
    stop = _stopwords() - _PREFIX_NOUNS
    return stop, frozenset(w for w in stop if len(w) == 1)


@functools.lru_cache(maxsize=1 << 16)
def _lookalike(written: str) -> tuple[str | None, bool]:
    """The one frequent word ``written`` is a slip for, if there is one, and whether the slip
    is a missing การันต์.  Cached: offices' texts share most of their word pairs."""
    table = _lookalikes()
    rights = {table[k] for k in lookalike_keys(written) if k in table}
    if len(rights) != 1:
        return None, False
    right = rights.pop()
    from rapidfuzz.distance import Levenshtein

    distance = Levenshtein.distance(written, right)
    karan_only = _KARAN_ONE.sub("", written) == _KARAN_ONE.sub("", right)
    if distance != 1 and not (distance == 2 and karan_only):
        return None, False
    return right, "\u0e4c" in right and "\u0e4c" not in written


# Stop words that misspellings still end in (มาตรา|การ, สวัสดี|การ): not excluded from a run.
_PREFIX_NOUNS = frozenset({"การ", "ความ"})


_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")
# tried only where a token starts: Thai runs have few spaces, and \S+ tried everywhere in one is slow
_LINK = re.compile(r"(?<!\S)(?:\S+://\S+|www\.\S+|\S+@\S+|\S+\.(?:com|net|org|go\.th|or\.th|in\.th)\S*)",
                   re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _latin_terms() -> dict[str, str]:
    """The Latin-letter terms offices use, by their lower-case form."""
    return {_latin_form(term): term for term in list_file("latin-terms.txt")}


def _latin_form(written: str) -> str:
    """A Latin-letter term compared without case, hyphens or doubled spaces (E-Service, eservice)."""
    return " ".join(written.lower().replace("-", "").split())


def _latin_slips(text: str) -> list[tuple[int, str, str]]:
    """(position, as written, the term) of Latin-letter words one slip away from a known term:
    one letter wrong, missing, added or two letters swapped after the first; not a plural's s,
    nor a space left out (QRcode).  "QR" and the word after it are one term."""
    found = []
    previous = None
    for m in _LATIN_WORD.finditer(text):
        start, term = m.start(), _latin_slip(m.group())
        if term is None and previous is not None and previous.group().lower() == "qr" \
                and not text[previous.end():start].strip(" \t"):
            start, term = previous.start(), _latin_slip(text[previous.start():m.end()])
        if term is not None:
            found.append((start, text[start:m.end()], term))
        previous = m
    if found:  # an address is what it is
        links = [m.span() for m in _LINK.finditer(text)]
        found = [slip for slip in found if not _in_spans(slip[0], links)]
    return found


@functools.lru_cache(maxsize=4096)
def _latin_slip(written: str) -> str | None:
    from rapidfuzz.distance import OSA

    terms = _latin_terms()
    lower = _latin_form(written)
    if lower in terms or lower.removesuffix("s") in terms or len(lower) < 5:
        return None
    close = [t for t in terms if abs(len(t) - len(lower)) <= 1 and t[0] == lower[0]
             and t.replace(" ", "") != lower.replace(" ", "") and OSA.distance(lower, t) == 1]
    return terms[close[0]] if len(close) == 1 else None  # a slip keeps the first letter (inline is not Online)


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
def function_words() -> frozenset[str]:
    """PyThaiNLP's stop words: ให้, ที่, และ, ของ … (typed twice, always a slip)."""
    path = _pythainlp_words().with_name("stopwords_th.txt")
    return frozenset(w.lstrip("\ufeff") for w in path.read_text("utf-8").split())


@functools.lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    """PyThaiNLP's stop words, the words every report uses, dates' words and office types."""
    from .schema import OFFICE_TYPES
    from .thai import MONTHS_ABBR, MONTHS_FULL

    return (function_words() | _ADMIN_WORDS
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


if __name__ == "__main__":  # python -m itaxl.spelling: draw data/lookalikes.tsv again
    import sys

    from importlib.metadata import version

    header = ("# Look-alike keys and the one frequent word each stands for; drawn by "
              "`python -m itaxl.spelling` from PyThaiNLP's word list and Thai National Corpus frequencies.\n"
              f"# pythainlp {version('pythainlp')}\n")
    sys.stdout.write(header + "".join(f"{key}\t{word}\n" for key, word in build_lookalikes()))
