"""Masked words and shingles of an ad's text: the fast path for texts without contacts
or links gives the words the full mask gives."""

from __future__ import annotations

import numpy as np

from ketenbeeld.online._text import _MASK, _WORD, _words, shingle_hashes
from ketenbeeld.online.ads import parse_record
from ketenbeeld.online.lexicon import fold


def masked_words(text, city):
    """The words as the full mask pattern gives them (the reference)."""
    import re

    masked = _MASK.sub(" # ", fold(text))
    if city:
        masked = re.sub(rf"(?<!\w){re.escape(city)}(?!\w)", " # ", masked)
    return _WORD.findall(masked)


def test_numbers_and_the_city_are_masked_without_the_mask_pattern():
    text = "Bel 06-1234 5678 in Utrecht2 of utrecht, 20jaar (Utrechtse) a_1b"
    assert _words(text, "utrecht") == ["bel", "in", "of", "jaar", "utrechtse", "a_", "b"]
    assert _words(text, "utrecht") == masked_words(text, "utrecht")


def test_contacts_and_links_are_masked():
    text = "Mail lisa@x.nl of kijk op https://x.nl/lisa en site.com/a, Zoë in Den Haag"
    assert _words(text, "den haag") == ["mail", "of", "kijk", "op", "en", "zoe", "in"]
    assert _words(text, "den haag") == masked_words(text, "den haag")


def test_non_ascii_text_without_contacts():
    text = "Zoë (19½) uit ’s-Hertogenbosch, ４２ jaar"
    assert _words(text, "'s-hertogenbosch") == masked_words(text, "'s-hertogenbosch")


def test_shingles_are_per_ad_sorted_and_distinct():
    ads = [
        parse_record({"ad_id": "a", "text": "een twee drie een twee drie"}, "t", "1")[0],
        parse_record({"ad_id": "b", "text": "123"}, "t", "2")[0],
        parse_record({"ad_id": "c", "text": "vier vijf zes"}, "t", "3")[0],
    ]
    hashes, docs, bodies = shingle_hashes(ads, 3)
    # a: "een twee drie", "twee drie een", "drie een twee"; b: none; c: one.
    assert docs.tolist() == [0, 0, 0, 2]
    assert np.all(np.diff(hashes[:3].astype(np.float64)) > 0)
    assert len(bodies) == 3 and bodies[0] != bodies[2]
