"""The template of a cluster: what stays, and the slots with the values seen."""

from __future__ import annotations

from ketenbeeld.online.ads import parse_record
from ketenbeeld.online.template import cluster_template, templates_for

TEMPLATE = "Hallo, ik ben {name} ({age}) en nieuw in {city}. Rustige kamer. Bel {phone}."
PEOPLE = [
    ("Anna", 19, "Utrecht", "06-11111111"),
    ("Eva", 23, "Breda", "0622222222"),
    ("Mia", 19, "Zwolle", "0633333333"),
]


def ads():
    return [
        parse_record(
            {"ad_id": f"a{i}", "text": TEMPLATE.format(name=n, age=a, city=c, phone=p)}, "s", "l"
        )[0]
        for i, (n, a, c, p) in enumerate(PEOPLE)
    ]


def test_the_slots_are_names_ages_cities_and_numbers():
    template = cluster_template(ads())
    assert template.n_ads == 3
    assert template.marked() == (
        "Hallo, ik ben [Mia | Anna | Eva] ([19 | 23]) en nieuw in [Zwolle | Utrecht | Breda]. "
        "Rustige kamer. Bel [0633333333 | 06-11111111 | 0622222222]."
    )


def test_one_ad_has_no_slots_and_a_left_out_word_shows_a_dash():
    (single,) = ads()[:1]
    assert cluster_template([single]).marked() == (
        "Hallo, ik ben Anna (19) en nieuw in Utrecht. Rustige kamer. Bel 06-11111111."
    )
    short = parse_record({"ad_id": "b", "text": "Hallo, ik ben Anna (19) en nieuw in Utrecht. "
                          "Bel 06-11111111."}, "s", "l")[0]  # fmt: skip
    template = cluster_template([single, short])
    assert "[Rustige kamer. | –]" in template.marked() or "[– | Rustige kamer.]" in (
        template.marked()
    )
    assert templates_for(["x"], [single, short], {"a0": "x", "b": "x"})["x"] == template
