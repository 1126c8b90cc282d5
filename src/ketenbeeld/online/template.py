"""A cluster's common template with its varying slots marked, as InfoShield shows it.

The template is the text of the cluster's most typical ad (the medoid: the ad whose
words overlap most with the others'). Every other ad is aligned to it word by word
(``difflib``); where ads put other words in the same place, that place is a *slot*,
shown with the values seen there: ``Hallo, ik ben [Anna | Eva | Mia] ([19 | 23])``
(``–`` where an ad leaves the words out, ``…`` when there are more than four values).
An analyst sees at a glance what the operator keeps and what it changes (names,
ages, cities, prices, numbers).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ketenbeeld.online.indicators import AdLike
from ketenbeeld.online.lexicon import fold

__all__ = ["Template", "cluster_template", "templates_for"]

_TOKEN = re.compile(r"\w+|[^\w\s]+")
_MAX_ADS = 40
_MAX_VALUES = 4


@dataclass(frozen=True)
class Template:
    """The template of a cluster.

    Attributes:
        medoid: the ad whose text is the template.
        words: the template's words as written.
        slots: per word position that varies, the values seen there (most common first).
        n_ads: the ads aligned (at most 40 of the cluster).
    """

    medoid: str
    words: tuple[str, ...]
    slots: dict[int, list[str]] = field(default_factory=dict)
    n_ads: int = 1

    def marked(self, max_chars: int = 400) -> str:
        """The template with each run of slot words shown as ``[a | b | c]``."""
        parts: list[str] = []
        position = 0
        while position < len(self.words):
            if position not in self.slots:
                parts.append(self.words[position])
                position += 1
                continue
            end = position
            while end + 1 < len(self.words) and end + 1 in self.slots:
                end += 1
            seen = [_join(list(self.words[position : end + 1]))]
            for index in range(position, end + 1):
                for value in self.slots[index]:
                    if value not in seen:
                        seen.append(value)
            shown = [value or "–" for value in seen[:_MAX_VALUES]]  # "–": left out
            shown += ["…"] if len(seen) > _MAX_VALUES else []
            parts.append("[" + " | ".join(shown) + "]")
            position = end + 1
        text = _join(parts)
        return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def _join(tokens: list[str]) -> str:
    """Tokens back into text: no space before punctuation or after an opening bracket."""
    out = ""
    for word in tokens:
        glue = out and not (word[0] in ".,;:!?)-" or out.endswith(("(", "-")))
        out += (" " if glue else "") + word
    return out


def _words(ad: AdLike) -> list[str]:
    return _TOKEN.findall(ad.text)


def cluster_template(ads: Sequence[AdLike]) -> Template:
    """The template of a cluster's ads (the first 40 by ``ad_id`` are aligned)."""
    chosen = sorted(ads, key=lambda ad: ad.ad_id)[:_MAX_ADS]
    words = [_words(ad) for ad in chosen]
    folded = [[fold(w) for w in ws] for ws in words]
    sets = [set(ws) for ws in folded]

    def overlap(i: int) -> float:
        return sum(
            len(sets[i] & sets[j]) / max(1, len(sets[i] | sets[j]))
            for j in range(len(sets))
            if j != i
        )

    medoid = max(range(len(chosen)), key=lambda i: (overlap(i), -i))
    base = folded[medoid]
    values: dict[int, Counter[str]] = {}
    for index, other in enumerate(folded):
        if index == medoid:
            continue
        matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag in ("replace", "delete"):
                value = _join(words[index][j1:j2])
                for position in range(i1, i2):
                    values.setdefault(position, Counter())[value] += 1
    slots = {position: [v for v, _ in counts.most_common()] for position, counts in values.items()}
    return Template(chosen[medoid].ad_id, tuple(words[medoid]), slots, len(chosen))


def templates_for(
    cluster_ids: Sequence[str], ads: Sequence[AdLike], cluster_of: Mapping[str, str]
) -> dict[str, Template]:
    """The template of each of the given clusters."""
    wanted = set(cluster_ids)
    members: dict[str, list[AdLike]] = {}
    for ad in ads:
        cluster = cluster_of.get(ad.ad_id)
        if cluster in wanted:
            members.setdefault(cluster, []).append(ad)
    return {cluster: cluster_template(found) for cluster, found in members.items()}
