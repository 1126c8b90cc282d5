"""Sentences and headings of a case summary."""

from __future__ import annotations

from ketenbeeld.cases.extract.text import split_sentences


def test_a_heading_may_end_in_an_initial() -> None:
    sentences = split_sentences("Persoon verdachte E.\nHij is eerder veroordeeld.")
    assert [(s.text, s.is_heading) for s in sentences] == [
        ("Persoon verdachte E.", True),
        ("Hij is eerder veroordeeld.", False),
    ]
    assert sentences[1].heading == "Persoon verdachte E."


def test_a_short_line_ending_in_a_full_stop_is_no_heading() -> None:
    sentences = split_sentences("Hij had schulden.\nZij woonde thuis.")
    assert [s.is_heading for s in sentences] == [False, False]
