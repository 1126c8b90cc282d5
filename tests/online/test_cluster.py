"""Clustering: contacts and template text join ads, guards keep common contacts,
boilerplate and stock text from gluing unrelated advertisers together."""

from __future__ import annotations

import numpy as np

from ketenbeeld.online.ads import parse_record
from ketenbeeld.online.cluster import ClusterParams, cluster_ads, shingle_hashes, signatures
from ketenbeeld.online.evaluate import cluster_quality
from ketenbeeld.online.synth import generate_ads

TEMPLATE = (
    "Hallo, ik ben {name} ({age}) en nieuw in {city}. Ontspannende massage in een "
    "rustige kamer met zachte muziek, thee en handdoeken. Afspraken van tien tot tien, "
    "ook in het weekend. Bel of app {phone}, groetjes {name}."
)


def ad(ad_id, text, **fields):
    parsed, problems, _ = parse_record({"ad_id": ad_id, "text": text, **fields}, "t", "x")
    assert parsed is not None, problems
    return parsed


def test_a_number_written_two_ways_joins_two_ads_and_says_so():
    ads = [
        ad("a1", "Rustig adres in Zwolle.", phone="06-12345678"),
        ad("a2", "Andere tekst, heel anders geschreven.", phone="O6 1234 5678"),
        ad("a3", "Nog een ander iemand.", phone="0687654321"),
    ]
    result = cluster_ads(ads)
    assert result.cluster_of == {"a1": "a1", "a2": "a1", "a3": "a3"}
    assert [(link.ad_a, link.ad_b, link.reason, link.detail) for link in result.links] == [
        ("a1", "a2", "phone", "+31612345678")
    ]


def test_a_contact_in_too_many_ads_links_nothing():
    texts = [
        "Rustig adres aan de rand van de stad.",
        "Massage met warme stenen, op afspraak.",
        "Gezellig gesprek en een kop thee.",
        "Studio bij het station, parkeren gratis.",
        "Alleen in het weekend beschikbaar.",
    ]
    ads = [
        ad(f"a{n}", text, email="info@site.example.com", phone=f"06123456{n:02d}")
        for n, text in enumerate(texts)
    ]
    params = ClusterParams(common_contact_ads=3, common_contact_share=0.0)
    result = cluster_ads(ads, params)
    assert len(set(result.cluster_of.values())) == 5
    assert result.common_contacts == ["info@site.example.com"]
    assert len(set(cluster_ads(ads).cluster_of.values())) == 1  # without the guard


def test_a_template_with_other_names_cities_and_numbers_joins_by_text():
    first = TEMPLATE.format(name="Anna", age=21, city="Utrecht", phone="0611111111")
    second = TEMPLATE.format(name="Eva", age=24, city="Breda", phone="0622222222")
    other = (
        "Welkom op mijn pagina. Ik werk zelfstandig en ontvang graag op afspraak in "
        "een lichte studio aan het water, parkeren is gratis. Bel 0633333333."
    )
    ads = [
        ad("t1", first, city="Utrecht"),
        ad("t2", second, city="Breda"),
        ad("o1", other, city="Delft"),
    ]
    result = cluster_ads(ads)
    assert result.cluster_of == {"t1": "t1", "t2": "t1", "o1": "o1"}
    (link,) = result.links
    assert (link.ad_a, link.ad_b, link.reason) == ("t1", "t2", "text")
    assert 0.5 < float(link.detail) < 1.0


def test_stock_text_copied_by_independent_advertisers_does_not_join_them():
    stock = (
        "Ontspannende massage in een rustige en schone omgeving in {city}. Neem de tijd "
        "voor jezelf en laat de drukte van de dag achter je. Afspraken alleen telefonisch."
    )
    cities = ["Utrecht", "Breda", "Zwolle", "Delft", "Ede", "Emmen"]
    ads = [
        ad(f"s{n}", stock.format(city=city) + f" Bel 06{n}1234567.", city=city, title=f"T{n}")
        for n, city in enumerate(cities, start=1)
    ]
    result = cluster_ads(ads)
    assert len(set(result.cluster_of.values())) == 6
    assert len(result.stock_links) == 15  # every pair, reported but not joined
    assert {link.reason for link in result.stock_links} == {"text"}
    loose = cluster_ads(ads, ClusterParams(stock_min_contacts=7))
    assert len(set(loose.cluster_of.values())) == 1


def test_signatures_are_datasketch_minhashes():
    from datasketch import MinHash

    ads = [ad("a", "een twee drie vier vijf zes"), ad("b", "zeven acht negen tien elf")]
    hashes, docs, _ = shingle_hashes(ads, 3)
    ours = signatures(hashes, docs, 2, num_perm=32, seed=5)
    for index in range(2):
        values = hashes[docs == index]
        theirs = MinHash(num_perm=32, seed=5, scheme="affine64", hashfunc=int)
        theirs.update_batch([int(v) for v in values])
        assert np.array_equal(ours[index], np.asarray(theirs.hashvalues, dtype=np.uint64))


def test_cluster_quality_on_synthetic_ads():
    generated = generate_ads(3000, seed=7)
    ads = [parse_record(record, "s", "x")[0] for record in generated.ads]
    result = cluster_ads(ads)
    truth = {t.ad_id: t.operator_id for t in generated.truth}
    quality = cluster_quality(result.cluster_of, truth)
    assert quality.precision >= 0.99 and quality.recall >= 0.99, quality
    organised = {t.ad_id for t in generated.truth if t.organised}
    on_organised = cluster_quality(
        {k: v for k, v in result.cluster_of.items() if k in organised},
        {k: v for k, v in truth.items() if k in organised},
    )
    assert on_organised.f1 >= 0.99, on_organised
    # Every cluster is named after its smallest ad id.
    for ad_id, cluster in result.cluster_of.items():
        assert cluster <= ad_id


def test_cluster_quality_scores_by_hand():
    predicted = {"a": "1", "b": "1", "c": "1", "d": "2"}
    truth = {"a": "x", "b": "x", "c": "y", "d": "y"}
    quality = cluster_quality(predicted, truth)
    # Predicted pairs ab ac bc; true pairs ab cd; correct ab.
    assert (quality.predicted_pairs, quality.true_pairs, quality.correct_pairs) == (3, 2, 1)
    assert (quality.precision, quality.recall) == (1 / 3, 1 / 2)
    assert round(quality.f1, 6) == 0.4
    # ARI: expected = 3*2/6 = 1, max = 2.5 -> (1 - 1) / (2.5 - 1) = 0.
    assert quality.ari == 0.0
