"""Online: the queue with each score explained, the cluster view and its status."""

from __future__ import annotations

import pytest

from ketenbeeld.online.ingest import ingest_ads, store_clusters, stored_ads
from ketenbeeld.online.lexicon import load_lexicon
from ketenbeeld.online.queue import build_queue
from ketenbeeld.online.synth import generate_ads, write_ads_jsonl
from ketenbeeld.online.workflow import current_statuses

from .conftest import csrf_of, logged_in


@pytest.fixture
def clustered(db, tmp_path):
    from ketenbeeld.online.cluster import cluster_ads

    path = tmp_path / "ads.jsonl"
    write_ads_jsonl(generate_ads(300, 5).ads, path)
    ingest_ads(db.engine, [path], actor="test")
    ads = stored_ads(db.engine)
    clustering = cluster_ads(ads)
    store_clusters(db.engine, clustering.cluster_of, actor="test")
    return build_queue(ads, clustering.cluster_of, load_lexicon("1"))


def test_the_queue_shows_the_top_cluster_with_its_terms(web, clustered):
    client = logged_in(web, "analist")
    page = client.get("/online?top=5").text
    top = clustered[0]
    assert page.index(f"/online/clusters/{top.cluster_id}") < page.index(
        f"/online/clusters/{clustered[1].cluster_id}"
    )
    assert f"{top.priority:.2f}" in page
    lexicon = load_lexicon("1")
    labels = {name: item.label["nl"] for name, item in {**lexicon.text, **lexicon.group}.items()}
    labels |= {"size": "omvang", "recency": "recent"}
    for term in top.terms:
        assert f"+{term.points:.2f} {labels[term.name]}</strong>" in page
    api = client.get("/api/v1/online/queue?top=3").json()
    assert [c["cluster_id"] for c in api["clusters"]] == [i.cluster_id for i in clustered[:3]]


def test_the_cluster_view_lists_its_ads_and_records_a_status(web, db, clustered):
    client = logged_in(web, "analist")
    top = clustered[0]
    page = client.get(f"/online/clusters/{top.cluster_id}").text
    ads = [ad for ad in stored_ads(db.engine)]
    from ketenbeeld.online.ingest import stored_clusters

    members = [ad.ad_id for ad in ads if stored_clusters(db.engine)[ad.ad_id] == top.cluster_id]
    assert len(members) == top.n_ads
    assert all(ad_id in page for ad_id in members)
    token = csrf_of(page)
    after = client.post(
        f"/online/clusters/{top.cluster_id}/status",
        data={"status": "escalated", "note": "doorgezet naar team", "csrf_token": token},
    )
    assert "doorgezet naar team" in after.text
    assert current_statuses(db.engine)[top.cluster_id] == "escalated"
    bad = client.post(
        f"/online/clusters/{top.cluster_id}/status",
        data={"status": "gone", "csrf_token": token},
    )
    assert bad.status_code == 422
    assert "the status must be one of new, in_review, escalated, dismissed" in bad.text
    assert client.get("/online/clusters/nope").status_code == 404


def test_the_queue_says_when_nothing_is_clustered(web):
    page = logged_in(web, "analist").get("/online").text
    assert "Er zijn nog geen geclusterde advertenties." in page


def test_clustering_again_runs_as_a_job_and_gives_the_same_clusters(web, db, clustered):
    from ketenbeeld.online.ingest import stored_clusters

    from .conftest import finished_job

    before = stored_clusters(db.engine)
    client = logged_in(web, "analist")
    token = csrf_of(client.get("/online").text)
    started = client.post("/online/clusteren", data={"csrf_token": token}, follow_redirects=False)
    page = finished_job(client, started)
    clusters = len(set(before.values()))
    assert f"300 advertenties in {clusters} clusters" in page
    assert stored_clusters(db.engine) == before


def test_the_cluster_view_shows_shared_identifiers_and_the_timeline(web, db, clustered):
    from collections import Counter

    from ketenbeeld.online.ingest import stored_clusters

    top = clustered[0]
    cluster_of = stored_clusters(db.engine)
    members = [ad for ad in stored_ads(db.engine) if cluster_of[ad.ad_id] == top.cluster_id]
    phones = Counter(phone for ad in members for phone in set(ad.phones))
    days = Counter(ad.posted_at.date() for ad in members if ad.posted_at)
    page = logged_in(web, "analist").get(f"/online/clusters/{top.cluster_id}").text
    identifiers = page.split('id="identifiers"')[1].split("</table>")[0]
    for phone, n in phones.items():
        assert f'<td>telefoon</td><td>{phone}</td><td class="num">{n}</td>' in identifiers
    timeline = page.split('id="timeline"')[1].split("</table>")[0]
    assert timeline.count("<tr>") == len(days) + 1  # the header row too
    first_day = min(days)
    assert f'<td>{first_day.isoformat()}</td><td class="num">{days[first_day]}</td>' in timeline


def test_a_dismissed_cluster_leaves_the_queue_at_once(web, clustered):
    client = logged_in(web, "analist")
    top = clustered[0]
    assert f"/online/clusters/{top.cluster_id}" in client.get("/online").text  # now cached
    token = csrf_of(client.get(f"/online/clusters/{top.cluster_id}").text)
    client.post(
        f"/online/clusters/{top.cluster_id}/status",
        data={"status": "dismissed", "csrf_token": token},
    )
    assert f"/online/clusters/{top.cluster_id}" not in client.get("/online").text
    assert f"/online/clusters/{top.cluster_id}" in client.get("/online?all=1").text


def test_the_ranking_is_computed_when_the_application_starts(web, clustered):
    import time

    from fastapi.testclient import TestClient

    with TestClient(web):  # runs the application's start-up
        deadline = time.monotonic() + 60
        while "online.ranked" not in web.state.cache and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "online.ranked" in web.state.cache
