"""The extraction rules (``cases/data/extract-<version>.yaml``) and the phrase finder.

Phrases are found with spaCy's Dutch tokenizer (``spacy.blank``, no trained model)
and clinlp's rule-based entity matcher; whether each is stated, negated or uncertain
is decided by clinlp's context algorithm (ConText) with the cues of the rules file,
written for case files ("er is niet gebleken van", "volgens eigen zeggen", "ontkent")
instead of clinlp's clinical defaults (a few dozen cues instead of several hundred:
the algorithm's cost grows with them). The sentence boundaries are ours
(:mod:`ketenbeeld.cases.extract.text`), set on the tokens, so no cue reaches past
its sentence.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

from ketenbeeld.cases.extract.text import Sentence

__all__ = [
    "Concept",
    "Finding",
    "Rules",
    "find_phrases",
    "load_rules",
]

RULES_VERSION = "1"
Presence = Literal["present", "absent", "uncertain"]
_PRESENCE: dict[str, Presence] = {
    "Presence.Present": "present",
    "Presence.Absent": "absent",
    "Presence.Uncertain": "uncertain",
}


@dataclass(frozen=True)
class Concept:
    """Phrases that settle one codebook value for one kind of person."""

    name: str
    kind: str  # perpetrator, victim or any
    variable: str
    value: Any
    terms: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...] = ()
    only_negated: bool = False  # only a negated phrase settles anything


@dataclass(frozen=True)
class Finding:
    """A phrase found in the text.

    Attributes:
        concept: the concept.
        sentence: index of its sentence.
        start: offset of its first character in the text.
        end: offset after its last character.
        text: ``text[start:end]``.
        presence: stated (``present``), negated (``absent``) or ``uncertain``.
    """

    concept: str
    sentence: int
    start: int
    end: int
    text: str
    presence: Presence


@dataclass(frozen=True)
class Rules:
    """The parsed rules file."""

    version: str
    concepts: dict[str, Concept]
    contact_patterns: tuple[re.Pattern[str], ...]
    platforms: dict[str, tuple[re.Pattern[str], ...]]
    offline: dict[str, tuple[re.Pattern[str], ...]]
    forced_patterns: tuple[re.Pattern[str], ...]
    context: dict[str, tuple[str, ...]]
    addiction_kinds: dict[str, re.Pattern[str]]
    uncertain: re.Pattern[str]  # any uncertainty cue, for the concepts' patterns
    no_information: tuple[re.Pattern[str], ...] = ()  # sentences that settle nothing

    def phrase_table(self) -> dict[str, list[str]]:
        """Every phrase of the concepts under the concept's name."""
        return {name: list(c.terms) for name, c in self.concepts.items() if c.terms}


def _strings(raw: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in raw or ())


@cache
def load_rules(version: str = RULES_VERSION) -> Rules:
    """The built-in rules of a version.

    Example:
        >>> rules = load_rules()
        >>> rules.concepts["debts"].variable, rules.concepts["debts"].value
        ('has_debts', True)
    """
    source = resources.files("ketenbeeld.cases") / "data" / f"extract-{version}.yaml"
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))

    def compiled(patterns: Any) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(pattern, re.IGNORECASE) for pattern in _strings(patterns))

    concepts = {
        name: Concept(
            name,
            item["kind"],
            item["variable"],
            item["value"],
            _strings(item.get("terms")),
            compiled(item.get("patterns")),
            bool(item.get("only_negated", False)),
        )
        for name, item in raw["concepts"].items()
    }
    contact, forced = raw["first_contact"], raw["first_forced"]
    uncertain = "|".join(
        r"\s+".join(map(re.escape, cue.split())) for cue in _strings(raw["context"]["uncertain"])
    )

    return Rules(
        version=str(raw["version"]),
        concepts=concepts,
        contact_patterns=compiled(contact["patterns"]),
        platforms={key: compiled(terms) for key, terms in contact["platforms"].items()},
        offline={key: compiled(terms) for key, terms in contact["offline"].items()},
        forced_patterns=compiled(forced["patterns"]),
        context={
            key: _strings(terms) for key, terms in raw["context"].items() if key != "no_information"
        },
        addiction_kinds={
            kind: re.compile(r"\b(?:" + "|".join(map(re.escape, _strings(words))) + r")\b", re.I)
            for kind, words in raw["addiction_kinds"].items()
        },
        uncertain=re.compile(rf"(?<!\w)(?:{uncertain})(?!\w)", re.IGNORECASE),
        no_information=compiled(raw["context"].get("no_information")),
    )


class _Finder:
    """The spaCy pipeline (tokenizer, entity matcher, context algorithm) of one rules version."""

    def __init__(self, rules: Rules) -> None:
        import clinlp  # noqa: F401  (registers the clinlp factories)
        import spacy

        nlp = spacy.blank("clinlp")
        matcher: Any = nlp.add_pipe(
            "clinlp_rule_based_entity_matcher", config={"attr": "NORM", "proximity": 0}
        )
        matcher.add_terms_from_dict(rules.phrase_table())
        context = rules.context
        presence = {
            "name": "Presence",
            "values": ["Absent", "Uncertain", "Present"],
            # A hedged denial ("volgens eigen zeggen had hij geen schulden") stays
            # unknown: uncertainty outranks negation.
            "priorities": {"Present": 0, "Absent": 1, "Uncertain": 2},
            "default": "Present",
        }
        config = {
            "qualifiers": [presence],
            "rules": [
                _rule("Presence.Absent", "preceding", context["absent_preceding"]),
                _rule("Presence.Absent", "following", context["absent_following"]),
                _rule("Presence.Absent", "termination", context["termination"]),
                _rule("Presence.Uncertain", "bidirectional", context["uncertain"]),
                _rule("Presence.Uncertain", "termination", context["uncertain_termination"]),
            ],
        }
        nlp.add_pipe(
            "clinlp_context_algorithm", config={"phrase_matcher_attr": "NORM", "rules": config}
        )
        self.nlp = nlp
        phrases = sorted(
            {term.lower() for terms in rules.phrase_table().values() for term in terms},
            key=len,
            reverse=True,
        )
        pattern = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
        self.prefilter = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)")


def _rule(qualifier: str, direction: str, patterns: Sequence[str]) -> dict[str, Any]:
    return {"qualifier": qualifier, "direction": direction, "patterns": list(patterns)}


@cache
def _finder(version: str) -> _Finder:
    return _Finder(load_rules(version))


def find_phrases(
    text: str, sentences: Sequence[Sentence], version: str = RULES_VERSION
) -> list[Finding]:
    """Every phrase of the rules in the text, with whether it is negated or uncertain.

    ``sentences`` are the text's sentences (:func:`~ketenbeeld.cases.extract.text.
    split_sentences`); the context of a phrase never reaches past its sentence. The
    pipeline is built on first use (a few seconds: spaCy and clinlp load) and reused.
    """
    finder = _finder(version)
    chosen = [
        index
        for index, sentence in enumerate(sentences)
        if not sentence.is_heading and finder.prefilter.search(sentence.text.lower())
    ]
    if not chosen:
        return []
    rules = load_rules(version)
    silent = {
        index
        for index in chosen
        if any(pattern.search(sentences[index].text) for pattern in rules.no_information)
    }
    # One document of just the sentences that hold a phrase, one space apart; each
    # piece remembers where it came from in the text.
    pieces: list[tuple[int, int, int]] = []  # (offset in the document, sentence, length)
    position = 0
    for index in chosen:
        pieces.append((position, index, sentences[index].end - sentences[index].start))
        position += pieces[-1][2] + 1
    doc = finder.nlp.make_doc(" ".join(sentences[index].text for index in chosen))
    starts = {begin for begin, _, _ in pieces}
    for token in doc:
        token.is_sent_start = token.i == 0 or token.idx in starts
    for _, component in finder.nlp.pipeline:
        doc = component(doc)
    begins = [begin for begin, _, _ in pieces]
    findings: list[Finding] = []
    for entity in doc.spans["ents"]:
        begin, index, _ = pieces[bisect.bisect_right(begins, entity.start_char) - 1]
        shift = sentences[index].start - begin
        qualifiers = {str(q) for q in entity._.qualifiers or ()}
        presence: Presence = next((_PRESENCE[q] for q in qualifiers if q in _PRESENCE), "present")
        if index in silent:
            presence = "uncertain"
        findings.append(
            Finding(
                entity.label_,
                index,
                entity.start_char + shift,
                entity.end_char + shift,
                entity.text,
                presence,
            )
        )
    return findings
