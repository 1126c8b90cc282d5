"""De-identify Dutch case summaries before they go to researchers.

What is replaced, with a numbered placeholder per document (the same person or value
gets the same number everywhere in the document):

========================  =====================  ======================================
kind                      placeholder            found by
========================  =====================  ======================================
``person``                ``[PERSOON-1]``        deduce's name annotators, plus own
                                                 rules: a trailing initial ("Dylan
                                                 K.") and later mentions of a known
                                                 first name, surname or initial
``address``               ``[ADRES-1]``          deduce: street + house number,
                                                 postcode, postbus (adjacent parts
                                                 merged into one address)
``phone``                 ``[TELEFOON-1]``       deduce plus own rule (06-12345678,
                                                 +31 6 12345678, 020-1234567)
``email``                 ``[EMAIL-1]``          own rule (any top-level domain)
``birth_date``            ``[GEBOORTEDATUM-1]``  own rule: a date after "geboren
                                                 (op)", "geboortedatum:", "geb." or
                                                 in brackets right after a person
``bsn``                   ``[BSN-1]``            deduce plus own rule (also grouped
                                                 as 123 456 782), both with 11-proef
``licence_plate``         ``[KENTEKEN-1]``       own rule: the 14 Dutch side codes
                                                 with hyphens (12-ABC-3, AB-123-C)
``iban``                  ``[IBAN-1]``           own rule, with the mod-97 check
========================  =====================  ======================================

What is kept, and why: the research codebook is extracted from the same texts, and
extraction must give the same codes on the de-identified text as on the original
(dates of birth aside). So ordinary dates ("3 maart 2019", "begin april 2020"),
ages ("de toen 16-jarige"), durations, platform names (Snapchat, Instagram, ...),
institution types ("jeugdzorginstelling", "opvang"), city names and places such as
"het station" stay verbatim. deduce's date, age, place-name, institution, URL and
generic-number annotators are therefore switched off, and words such as "Verdachte"
or "Mevrouw" that deduce may include in a name are left in the text: only the name
itself is replaced.

Matching of persons: deduce links no mentions of one person, so an own rule does. A
mention equal to an earlier mention, or to the first name, surname or surname initial
of an earlier full mention, gets that person's number (the most recent one if several
fit); a full mention whose first name or surname was first seen alone joins that
person. Phone numbers, IBANs, BSNs and plates are numbered by their digits/letters,
so "06-12345678" and "+31 6 12345678" are one number.

Measured recall (hand-written fictional texts only, no real case files yet): 31 of 31
planted identifiers in the texts of the tests and 23 of 23 in two further texts not
used while writing the rules; no ordinary date, age, platform, city or institution
type was replaced. Known limits: names that are not in deduce's name lists
and stand without context (e.g. a nickname alone, or a name written in lower case),
street names without a house number, plates written with spaces or in lower case,
foreign phone numbers, addresses abroad, handles and URLs (``instagram.com/naam``),
and named institutions are not replaced. Two people with the same first name share a
number when only the first name is written. A capitalised common word equal to a
known first name or surname is replaced too.
"""

from __future__ import annotations

import gc
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ketenbeeld.atomic import atomic_text
from ketenbeeld.errors import InputError, Problem, ValidationFailed

__all__ = [
    "KIND_LABELS",
    "Deidentified",
    "Deidentifier",
    "Replacement",
    "deidentify_file",
]

_log = logging.getLogger(__name__)

#: The kinds of identifier that are replaced, with the label of their placeholder.
KIND_LABELS: dict[str, str] = {
    "person": "PERSOON",
    "address": "ADRES",
    "phone": "TELEFOON",
    "email": "EMAIL",
    "birth_date": "GEBOORTEDATUM",
    "bsn": "BSN",
    "licence_plate": "KENTEKEN",
    "iban": "IBAN",
}

# Which kind wins when two findings overlap: precise patterns beat name lists.
_PRIORITY = {
    "email": 8,
    "iban": 7,
    "birth_date": 6,
    "licence_plate": 5,
    "bsn": 4,
    "phone": 3,
    "address": 2,
    "person": 1,
}

# deduce tags (after its own post-processing) and the kind they become.
_DEDUCE_KINDS = {
    "persoon": "person",
    "patient": "person",
    "locatie": "address",
    "telefoonnummer": "phone",
    "bsn": "bsn",
}

# deduce processors switched off: their findings must stay in the text (dates, ages,
# cities, institutions), or are found by an own rule (e-mail, IBAN), or have no
# placeholder (URLs, any run of 7+ digits); its redactor is replaced by ours.
_DEDUCE_DISABLED = frozenset(
    {
        "dates",
        "ages",
        "placename",
        "institutions",
        "urls",
        "identifier",
        "email_addresses",
        "patient_name",
        "redactor",
    }
)

# Words that deduce may pull into a name span but that carry codes (role, gender) or
# are no name: they stay in the text.
_KEEP_WORDS = frozenset(
    {
        "aangeefster",
        "aangever",
        "benadeelde",
        "betrokkene",
        "broer",
        "dhr",
        "heer",
        "jongen",
        "loverboy",
        "meisje",
        "meneer",
        "mevr",
        "mevrouw",
        "mijnheer",
        "minderjarige",
        "moeder",
        "mw",
        "pooier",
        "slachtoffer",
        "tante",
        "vader",
        "verdachte",
        "vriend",
        "vriendin",
        "zus",
        "zuster",
    }
)

# Terms that are never a person or address: the codebook codes them.
_KEEP_TERMS = frozenset(
    {
        "badoo",
        "facebook",
        "grindr",
        "instagram",
        "jeugdzorginstelling",
        "kik",
        "messenger",
        "onlyfans",
        "opvang",
        "signal",
        "snapchat",
        "telegram",
        "tiktok",
        "tinder",
        "twitter",
        "whatsapp",
        "youtube",
    }
)

_MONTH = (
    r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november"
    r"|december|jan|feb|mrt|apr|jun|jul|aug|sept?|okt|nov|dec)\.?"
)
_FULL_DATE = (
    rf"(?:\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:19|20)?\d{{2}}|\d{{1,2}}\s+{_MONTH}\s+(?:19|20)\d{{2}}"
    rf"|(?:19|20)\d{{2}}-\d{{2}}-\d{{2}})"
)
_ANY_DATE = rf"(?:{_FULL_DATE}|{_MONTH}\s+(?:19|20)\d{{2}}|(?:19|20)\d{{2}})"
_BIRTH_DATE = re.compile(
    r"(?i:\b(?:geboren|geb\.|geboortedatum|geboortedag|geb\.\s?datum))\s*[:\-]?\s*"
    r"(?:(?i:te|in)\s+[A-Z][\w'-]+(?:[ -][A-Z][\w'-]+){0,2}\s+)?"
    r"(?:(?i:op|in)\s+)?"
    rf"(?P<date>(?i:{_ANY_DATE}))(?![\w-])"
)
_BRACKETED_DATE = re.compile(rf"\(\s*(?P<date>(?i:{_FULL_DATE}))\s*\)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
# A Dutch IBAN is replaced even with a wrong check digit (a typo still identifies).
_DUTCH_IBAN = re.compile(r"NL\d{2} ?[A-Z]{4}(?: ?\d{4}){2} ?\d{2}")
_BSN = re.compile(
    r"(?<![\w.,-])(?:\d{9}|\d{3}[ .]\d{3}[ .]\d{3}|\d{4}[ .]\d{2}[ .]\d{3}"
    r"|\d{3}[ .]\d{2}[ .]\d{2}[ .]\d{2})"
    r"(?![\w-]|[.,]\d)"
)
_PHONE = re.compile(
    r"(?<![\w+/.-])(?:(?:\+|00)31[ -]?(?:\(0\)[ -]?)?[1-9](?:[ -]?\d){8}"
    r"|\(?0\d(?:\)?[ -]?\)?\d){8})(?![\w-])"
)
_NUMERIC_DATE = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}")
_PLATE = re.compile(
    "(?<![\\w-])(?:"
    + "|".join(
        code.replace("L", "[A-Z]").replace("D", r"\d")
        for code in (
            "LL-DD-DD",
            "DD-DD-LL",
            "DD-LL-DD",
            "LL-DD-LL",
            "LL-LL-DD",
            "DD-LL-LL",
            "DD-LLL-D",
            "D-LLL-DD",
            "LL-DDD-L",
            "L-DDD-LL",
            "LLL-DD-L",
            "L-DD-LLL",
            "D-LL-DDD",
            "DDD-LL-D",
        )
    )
    + ")(?![\\w-])"
)
_TRAILING_INITIAL = re.compile(r"[ \t]+[A-Z]\.(?:[A-Z]\.)*(?!\w)")
_TOKEN = re.compile(r"\S+")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")


@dataclass(frozen=True)
class Replacement:
    """One identifier that was replaced.

    Attributes:
        start: the identifier's first character in the *original* text.
        end: one past its last character in the original text.
        kind: one of the keys of :data:`KIND_LABELS`, e.g. ``"person"``.
        placeholder: the text put in its place, e.g. ``"[PERSOON-1]"``.
    """

    start: int
    end: int
    kind: str
    placeholder: str


@dataclass(frozen=True)
class Deidentified:
    """A de-identified text and what was replaced in the original.

    Attributes:
        text: the text with every identifier replaced by its placeholder.
        replacements: the replacements in text order, with offsets in the original.
    """

    text: str
    replacements: tuple[Replacement, ...]


@dataclass
class _Span:
    start: int
    end: int
    kind: str


@dataclass
class _Person:
    number: int
    mentions: set[str] = field(default_factory=set)
    parts: set[str] = field(default_factory=set)
    singles_only: bool = True
    last_seen: int = 0
    # written forms worth searching for elsewhere in the text (first name, surname,
    # surname initial), as they were written
    forms: set[str] = field(default_factory=set)


class Deidentifier:
    """Replaces identifiers in Dutch case summaries; see the module docstring.

    One instance holds one deduce pipeline, built on first use (about 10 s, or about
    two minutes the first time after deduce is installed) and reused for every text.
    Create one per process and share it.

    Example:
        >>> deidentifier = Deidentifier()
        >>> result = deidentifier.deidentify("Bel Dylan K. op 06-12345678.")  # doctest: +SKIP
        >>> result.text  # doctest: +SKIP
        'Bel [PERSOON-1] op [TELEFOON-1].'
    """

    def __init__(self) -> None:
        self._deduce: Any = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Build the deduce pipeline now rather than on the first text."""
        self._engine()

    def _engine(self) -> Any:
        with self._lock:
            if self._deduce is None:
                _log.info(
                    "building the de-identification lists "
                    "(first use after an install can take two minutes)"
                )
                self._deduce = _build_deduce()
                _log.info("de-identification lists ready")
            return self._deduce

    def deidentify(self, text: str) -> Deidentified:
        """Replace the identifiers in one text.

        Args:
            text: a case summary in Dutch.

        Returns:
            The de-identified text and the replacements, with offsets in ``text``.
        """
        engine = self._engine()
        document = engine.deidentify(text, disabled=set(_DEDUCE_DISABLED))
        spans = [
            _Span(annotation.start_char, annotation.end_char, _DEDUCE_KINDS[annotation.tag])
            for annotation in document.annotations
            if annotation.tag in _DEDUCE_KINDS
        ]
        spans.extend(_own_spans(text))
        spans = _resolve_overlaps(spans)
        spans = _tidy_persons(text, spans, engine)
        persons = _link_persons(text, spans, engine)
        spans = _add_bracketed_birth_dates(text, spans)
        spans = _merge_addresses(text, spans)
        return _apply(text, spans, persons)

    def deidentify_many(self, texts: Iterable[str]) -> list[Deidentified]:
        """:meth:`deidentify` for each text, in order (deduce has no faster batch mode)."""
        return [self.deidentify(text) for text in texts]


def deidentify_file(path: Path, out_dir: Path, deidentifier: Deidentifier) -> Path:
    """De-identify one UTF-8 text file into ``out_dir`` under the same file name.

    The output is written atomically, with the line endings of the input.

    Args:
        path: the case summary to read.
        out_dir: the folder to write to (created if missing); not the input's folder.
        deidentifier: the shared :class:`Deidentifier`.

    Returns:
        The path of the written file.

    Raises:
        InputError: the file cannot be read, or would be overwritten.
        ValidationFailed: the file is not UTF-8 text.

    Example:
        >>> deidentify_file(Path("zaak-12.txt"), Path("out"), Deidentifier())  # doctest: +SKIP
        PosixPath('out/zaak-12.txt')
    """
    target = out_dir / path.name
    if target.resolve() == path.resolve():
        raise InputError(
            f"{path.name}: the output would overwrite the input",
            hint="choose an output folder other than the input's folder",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(
            f"{path.name}: cannot be read ({reason})",
            hint="check that the path names a readable text file",
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = Problem(path.name, f"byte {exc.start}", "", "is not valid UTF-8 text")
        raise ValidationFailed(
            [problem], what="case summaries must be UTF-8 text", hint="save the file as UTF-8"
        ) from None
    result = deidentifier.deidentify(text)
    with atomic_text(target, newline="") as stream:
        stream.write(result.text)
    return target


def _build_deduce() -> Any:
    """deduce's pipeline, built with the cyclic garbage collector paused.

    Its name lists are millions of small objects unpickled at once; the collector
    walked them again and again while they loaded (two thirds of the load time, about
    25 s instead of 9 s on a busy two-core machine) and on every full collection
    after. They live as long as the process and hold no garbage, so they are frozen
    (``gc.freeze``): later collections leave them alone.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _import_deduce()()
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _import_deduce() -> Any:
    # deduce calls logging.basicConfig(stdout, DEBUG) when imported, which would make
    # every library's debug lines (possibly with text) visible: undo that.
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from deduce import Deduce
    finally:
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    return Deduce


def _own_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    for match in _EMAIL.finditer(text):
        spans.append(_Span(match.start(), match.end(), "email"))
    for match in _IBAN.finditer(text):
        if _DUTCH_IBAN.fullmatch(match.group()) or _iban_valid(match.group()):
            spans.append(_Span(match.start(), match.end(), "iban"))
    for match in _BSN.finditer(text):
        if _elfproef(re.sub(r"\D", "", match.group())):
            spans.append(_Span(match.start(), match.end(), "bsn"))
    for match in _PHONE.finditer(text):
        if not _NUMERIC_DATE.search(match.group()):
            spans.append(_Span(match.start(), match.end(), "phone"))
    for match in _PLATE.finditer(text):
        spans.append(_Span(match.start(), match.end(), "licence_plate"))
    for match in _BIRTH_DATE.finditer(text):
        spans.append(_Span(match.start("date"), match.end("date"), "birth_date"))
    return spans


def _iban_valid(value: str) -> bool:
    compact = value.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    digits = "".join(str(int(char, 36)) for char in moved)
    return int(digits) % 97 == 1


def _elfproef(digits: str) -> bool:
    if len(digits) != 9 or digits == "000000000":
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:8], range(9, 1, -1), strict=True)
    )
    return (total - int(digits[8])) % 11 == 0


def _overlaps(span: _Span, kept: list[_Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in kept)


def _resolve_overlaps(spans: list[_Span]) -> list[_Span]:
    ranked = sorted(spans, key=lambda s: (-_PRIORITY[s.kind], -(s.end - s.start), s.start))
    kept: list[_Span] = []
    for span in ranked:
        if span.end > span.start and not _overlaps(span, kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def _word(token: str) -> str:
    return token.strip(".,;:()\"'").casefold()


def _is_keep_word(token: str, lookups: Any) -> bool:
    word = _word(token)
    if token in lookups["interfix"] or word in lookups["interfix"]:
        return False  # "van", "de": part of a surname
    return word in _KEEP_WORDS or word in lookups["whitelist"] or token in lookups["prefix"]


def _trim(tokens: list[re.Match[str]], lookups: Any) -> list[re.Match[str]]:
    """Drop role words and titles ("Verdachte", "de heer") from both ends of a name."""
    while tokens:
        if _is_keep_word(tokens[0].group(), lookups):
            tokens = tokens[1:]
        elif len(tokens) > 1 and [_word(t.group()) for t in tokens[:2]] == ["de", "heer"]:
            tokens = tokens[2:]
        else:
            break
    while tokens and _is_keep_word(tokens[-1].group(), lookups):
        tokens = tokens[:-1]
    return tokens


def _is_place(name: str, engine: Any) -> bool:
    """Whether ``name``, without leading lower-case words ("te", "in"), is a place name."""
    words = [token.text for token in engine.tokenizers["default"].tokenize(name)]
    while words and not words[0][:1].isupper():
        words.pop(0)
    return bool(words) and words in engine.lookup_structs["placename"]


def _sentences(tokens: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Split tokens after a full stop that ends a word, not an initial ("K.", "J.W.")."""
    groups: list[list[re.Match[str]]] = [[]]
    for token in tokens:
        groups[-1].append(token)
        word = token.group()
        if word.endswith(".") and not _INITIALS.fullmatch(word):
            groups.append([])
    return [group for group in groups if group]


def _tidy_persons(text: str, spans: list[_Span], engine: Any) -> list[_Span]:
    """Trim role words off person spans, add a trailing initial, drop places and kept terms.

    deduce joins two names separated by ". " into one; they are split again here.
    """
    lookups = engine.lookup_structs
    tidy: list[_Span] = []
    for span in spans:
        if span.kind != "person":
            tidy.append(span)
            continue
        for group in _sentences(list(_TOKEN.finditer(text, span.start, span.end))):
            tokens = _trim(group, lookups)
            name = " ".join(token.group() for token in tokens)
            if not tokens or _word(name) in _KEEP_TERMS or _is_place(name, engine):
                continue
            start, end = tokens[0].start(), tokens[-1].end()
            last_is_initial = bool(_INITIALS.fullmatch(tokens[-1].group()))
            while end > start + 1 and (
                text[end - 1] in ",;:" or (text[end - 1] == "." and not last_is_initial)
            ):
                end -= 1
            initial = _TRAILING_INITIAL.match(text, end)
            if initial and not _overlaps(_Span(end, initial.end(), "person"), spans):
                end = initial.end()
            tidy.append(_Span(start, end, "person"))
    return tidy


def _name_parts(words: list[str]) -> set[str]:
    parts = {words[0], words[-1]}
    if len(words) > 2:
        parts.add(" ".join(words[1:]))
    return parts


def _link_persons(text: str, spans: list[_Span], engine: Any) -> dict[int, int]:
    """Number the person spans (by start offset), adding later mentions of a known name."""
    lookups = engine.lookup_structs
    people: list[_Person] = []
    numbers: dict[int, int] = {}
    person_spans = [span for span in spans if span.kind == "person"]
    for index, span in enumerate(person_spans):
        mention = text[span.start : span.end]
        words = [_word(token) for token in mention.split()]
        key = " ".join(words)
        person = _find_person(people, key, words)
        if person is None:
            person = _Person(number=len(people) + 1)
            people.append(person)
        person.mentions.add(key)
        person.parts.add(key)
        person.last_seen = index
        tokens = mention.split()
        if len(words) > 1:
            person.singles_only = False
            if words[0] in lookups["interfix"]:  # "De Vries": a surname only
                person.parts.add(words[-1])
                person.forms |= {mention, tokens[-1]}
            else:
                person.parts |= _name_parts(words)
                if not _INITIALS.fullmatch(tokens[0]):
                    person.forms.add(tokens[0])
                person.forms |= {" ".join(tokens[1:]), tokens[-1]}
        numbers[span.start] = person.number
    _add_later_mentions(text, spans, people, numbers, engine)
    return numbers


def _find_person(people: list[_Person], key: str, words: list[str]) -> _Person | None:
    recent = sorted(people, key=lambda p: -p.last_seen)
    for person in recent:
        if key in person.mentions or key in person.parts:
            return person
    if len(words) > 1:
        for person in recent:
            if person.singles_only and (words[0] in person.parts or words[-1] in person.parts):
                return person
            if not person.singles_only and words[-1] in person.parts:
                firsts = {mention.split()[0] for mention in person.mentions if " " in mention}
                if any(_compatible(words[0], first) for first in firsts):
                    return person
        # "Dylan K." after "Dylan Koster" (or the other way round): the same first
        # name and a surname with that initial.
        for person in recent:
            for mention in person.mentions:
                known = mention.split()
                if len(known) > 1 and known[0] == words[0] and _compatible(words[-1], known[-1]):
                    return person
    return None


def _compatible(one: str, other: str) -> bool:
    one, other = one.rstrip("."), other.rstrip(".")
    if len(one) == 1 or len(other) == 1:
        return one[:1] == other[:1]
    return one == other


def _add_later_mentions(
    text: str,
    spans: list[_Span],
    people: list[_Person],
    numbers: dict[int, int],
    engine: Any,
) -> None:
    """Find uncovered mentions of known name forms that deduce did not tag."""
    for person in people:
        for form in sorted(person.forms, key=len, reverse=True):
            if len(form.strip(".")) < 2 and not form.endswith("."):
                continue
            if not form[:1].isupper() or _is_place(form, engine):
                continue
            tail = r"(?!\w)" if form.endswith(".") else r"(?![\w-])"
            for match in re.finditer(rf"(?<![\w.-]){re.escape(form)}{tail}", text):
                candidate = _Span(match.start(), match.end(), "person")
                if not _overlaps(candidate, spans):
                    spans.append(candidate)
                    numbers[candidate.start] = person.number
    spans.sort(key=lambda s: s.start)


def _add_bracketed_birth_dates(text: str, spans: list[_Span]) -> list[_Span]:
    """A full date in brackets right after a person ("Dylan K. (12-05-2003)")."""
    ends = {span.end for span in spans if span.kind == "person"}
    added = list(spans)
    for match in _BRACKETED_DATE.finditer(text):
        before = text[: match.start()].rstrip(" ,")
        candidate = _Span(match.start("date"), match.end("date"), "birth_date")
        if len(before) in ends and not _overlaps(candidate, spans):
            added.append(candidate)
    return sorted(added, key=lambda s: s.start)


def _merge_addresses(text: str, spans: list[_Span]) -> list[_Span]:
    """Join address parts separated only by a comma or spaces into one address."""
    merged: list[_Span] = []
    for span in spans:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.kind == span.kind == "address"
            and re.fullmatch(r"[ ,]*", text[previous.end : span.start])
        ):
            merged[-1] = _Span(previous.start, span.end, "address")
        else:
            merged.append(span)
    return merged


def _value_key(kind: str, value: str) -> str:
    if kind in {"phone", "bsn"}:
        digits = re.sub(r"\D", "", value)
        if kind == "phone":
            digits = re.sub(r"^(?:0031|31)0?|^0", "", digits)
        return digits
    if kind in {"iban", "licence_plate"}:
        return re.sub(r"[\s-]", "", value).upper()
    return " ".join(value.casefold().split())


def _apply(text: str, spans: list[_Span], persons: dict[int, int]) -> Deidentified:
    numbers: dict[tuple[str, str], int] = {}
    counters: dict[str, int] = {}
    replacements: list[Replacement] = []
    pieces: list[str] = []
    position = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.kind == "person":
            number = persons[span.start]
        else:
            key = (span.kind, _value_key(span.kind, text[span.start : span.end]))
            if key not in numbers:
                counters[span.kind] = counters.get(span.kind, 0) + 1
                numbers[key] = counters[span.kind]
            number = numbers[key]
        placeholder = f"[{KIND_LABELS[span.kind]}-{number}]"
        replacements.append(Replacement(span.start, span.end, span.kind, placeholder))
        pieces.append(text[position : span.start])
        pieces.append(placeholder)
        position = span.end
    pieces.append(text[position:])
    return Deidentified("".join(pieces), tuple(replacements))
