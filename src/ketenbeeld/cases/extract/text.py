"""Sentences and sections of a Dutch case summary, with their character offsets.

Case summaries are short, written in full sentences, and often divided by headings
("Verdachte 1: Dylan K.", "Slachtoffer", "Werving"). Sentences are split with rules
rather than a trained model (none may be downloaded): at ``.``, ``!`` or ``?``
followed by white space and a capital, a digit or a quote, except after an initial
("Dylan K. werd") or a common abbreviation ("o.a.", "mr.", "ca.", "3 mrt. 2019"),
and always at a line break that ends a heading or a paragraph. A heading is a short
line without a final full stop; it opens a section that lasts until the next one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences"]

_ABBREVIATIONS = frozenset(
    [
        "o.a",
        "e.a",
        "e.d",
        "i.p.v",
        "m.b.t",
        "t.a.v",
        "mr",
        "dr",
        "drs",
        "ing",
        "ca",
        "bijv",
        "bv",
        "nr",
        "jl",
        "str",
        "st",
        "mevr",
        "dhr",
        "jan",
        "feb",
        "mrt",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "okt",
        "nov",
        "dec",
        "ma",
        "di",
        "wo",
        "do",
        "vr",
        "za",
        "zo",
        "geb",
    ]
)
_END = re.compile(r"[.!?](?=[\"'’”)]?\s+[\"'‘“(]?[A-Z0-9ÀÉÈËÏÖÜ])")
_HEADING_MAX = 80


@dataclass(frozen=True)
class Sentence:
    """One sentence (or heading) of the text.

    Attributes:
        start: offset of its first character in the text.
        end: offset just after its last character.
        text: ``text[start:end]``.
        heading: the text of the section heading it falls under ("" before any).
        is_heading: whether this sentence is itself a heading line.
    """

    start: int
    end: int
    text: str
    heading: str
    is_heading: bool = False


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    # A heading may end in an initial: "Verdachte 2: Kevin de V.".
    ends_in_initial = re.search(r"(?<![\w.])[A-Z]\.$", stripped) is not None
    return (
        0 < len(stripped) <= _HEADING_MAX
        and (ends_in_initial or not stripped.endswith((".", ",", ";")))
        and stripped[0].isupper()
        and len(stripped.split()) <= 8
    )


def _abbreviation_before(text: str, dot: int) -> bool:
    """Whether the full stop at ``dot`` ends an initial or a known abbreviation."""
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:dot].lower()
    if len(word) == 1 and text[start].isupper():
        return True  # an initial: "Dylan K. werd"
    return word in _ABBREVIATIONS


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order, each with its offsets and section heading.

    Example:
        >>> [s.text for s in split_sentences("Verdachte 1\\nDylan K. had schulden. Hij blowde.")]
        ['Verdachte 1', 'Dylan K. had schulden.', 'Hij blowde.']
        >>> split_sentences("Verdachte 1\\nDylan K. had schulden.")[1].heading
        'Verdachte 1'
    """
    sentences: list[Sentence] = []
    heading = ""
    position = 0
    for line in text.splitlines(keepends=True):
        line_start, position = position, position + len(line)
        content = line.rstrip("\r\n")
        if not content.strip():
            continue
        if _is_heading(content):
            begin = line_start + len(content) - len(content.lstrip())
            heading = content.strip()
            sentences.append(Sentence(begin, begin + len(heading), heading, heading, True))
            continue
        cursor = 0
        for match in _END.finditer(content):
            if match.group() == "." and _abbreviation_before(content, match.start()):
                continue
            _append(sentences, text, line_start, content, cursor, match.end(), heading)
            cursor = match.end()
        _append(sentences, text, line_start, content, cursor, len(content), heading)
    return sentences


def _append(
    sentences: list[Sentence],
    text: str,
    line_start: int,
    content: str,
    begin: int,
    end: int,
    heading: str,
) -> None:
    piece = content[begin:end]
    stripped = piece.strip()
    if not stripped:
        return
    start = line_start + begin + (len(piece) - len(piece.lstrip()))
    stop = start + len(stripped)
    sentences.append(Sentence(start, stop, text[start:stop], heading))
