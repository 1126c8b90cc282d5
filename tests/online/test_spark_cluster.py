"""Clustering on Spark: the very clustering of the local engine, guards included, and the CLI."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from pyspark.sql import SparkSession
from typer.testing import CliRunner

from ketenbeeld.cli import app
from ketenbeeld.online.ads import Ad, parse_record
from ketenbeeld.online.cluster import Clustering, ClusterParams, cluster_ads
from ketenbeeld.online.spark_cluster import cluster_ads_spark
from ketenbeeld.online.synth import generate_ads
from ketenbeeld.signals.spark_link import spark_session

FOOTER = "Alle advertenties op deze site worden gecontroleerd door de redactie van het platform."


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    """The running Spark session if there is one, else a local one (two cores).

    Module-scoped rather than session-scoped: a session made here must be stopped
    before ``tests/signals/test_spark_link.py`` tears its own fixture down (it checks
    that no session is left), and session fixtures are torn down in reverse order.
    """
    running = SparkSession.getActiveSession()
    if running is not None:
        yield running
        return
    settings = {
        "spark.sql.shuffle.partitions": "2",
        # The client JIT only: the JVM starts in about half the time.
        "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1",
    }
    with spark_session("local[2]", settings=settings) as session:
        yield session


@pytest.fixture(scope="module")
def ads() -> list[Ad]:
    """2,000 synthetic ads; every 25th also carries one site phone number and a footer."""
    records = generate_ads(2000, seed=7).ads
    parsed = []
    for number, record in enumerate(records):
        if number % 25 == 0:
            record = {**record, "phone": "0201234567", "text": f"{record['text']} {FOOTER}"}
        ad, problems, _ = parse_record(record, "s", "x")
        assert ad is not None, problems
        parsed.append(ad)
    return parsed


def _same(remote: Clustering, local: Clustering) -> None:
    assert remote.cluster_of == local.cluster_of
    assert remote.links == local.links
    assert remote.stock_links == local.stock_links
    assert remote.common_contacts == local.common_contacts
    assert remote.boilerplate_shingles == local.boilerplate_shingles


def test_spark_gives_the_local_clustering_with_stock_text(
    spark: SparkSession, ads: list[Ad]
) -> None:
    local = cluster_ads(ads)
    remote = cluster_ads_spark(spark, ads)
    _same(remote, local)
    # Stock text copied by independent advertisers was found and did not join them.
    assert len(local.stock_links) > 20
    roots = local.cluster_of
    assert all(roots[link.ad_a] != roots[link.ad_b] for link in local.stock_links)
    assert {link.reason for link in local.links} >= {"phone", "text"}
    assert 300 < len(set(local.cluster_of.values())) < 1500
    assert all(cluster <= ad_id for ad_id, cluster in remote.cluster_of.items())


def test_spark_gives_the_local_clustering_when_the_guards_fire(
    spark: SparkSession, ads: list[Ad]
) -> None:
    # The site number (in 80 ads) is common at 50; the footer's shingles are in about
    # 80 contact groups, over the limit of 40. Big buckets give each ad and the next.
    params = ClusterParams(
        common_contact_ads=50,
        common_contact_share=0.0,
        boilerplate_min_groups=40,
        boilerplate_share=0.0,
        max_bucket=3,
    )
    local = cluster_ads(ads, params)
    remote = cluster_ads_spark(spark, ads, params)
    _same(remote, local)
    assert "+31201234567" in local.common_contacts
    assert local.boilerplate_shingles >= 10
    # Without the guards the site number glues its 80 ads into one cluster.
    loose = cluster_ads(ads)
    site = [ad.ad_id for number, ad in enumerate(ads) if number % 25 == 0]
    assert len({loose.cluster_of[ad_id] for ad_id in site}) == 1
    assert len({remote.cluster_of[ad_id] for ad_id in site}) > 40


def test_an_empty_input_gives_an_empty_clustering(spark: SparkSession) -> None:
    assert cluster_ads_spark(spark, []) == Clustering()


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["online", "cluster", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_spark_engine_writes_the_local_clusters_file_and_parquet(
    spark: SparkSession, tmp_path: Path
) -> None:
    source = tmp_path / "ads.jsonl"
    records = generate_ads(400, seed=3).ads
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    outputs = {}
    for engine in ("local", "spark"):
        out = tmp_path / f"clusters-{engine}.csv"
        code, stdout, stderr = _invoke(
            *("--input", str(source), "--out", str(out), "--engine", engine)
        )
        assert code == 0, stderr
        outputs[engine] = (out.read_bytes(), stdout.replace(out.name, "clusters.csv"))
    assert outputs["spark"] == outputs["local"]  # the file and the summary line
    lines = outputs["spark"][0].decode().splitlines()
    assert lines[0] == "ad_id,cluster_id"
    assert len(lines) == 401
    assert "400 ads in " in outputs["spark"][1]
    # The CLI joined the test's session and left it running.
    assert spark.range(3).count() == 3

    parquet = tmp_path / "clusters.parquet"
    code, _, stderr = _invoke("--input", str(source), "--out", str(parquet))
    assert code == 0, stderr
    table = pq.read_table(parquet)
    assert table.column_names == ["ad_id", "cluster_id"]
    with (tmp_path / "clusters-local.csv").open(newline="") as stream:
        rows = [tuple(row) for row in csv.reader(stream)][1:]
    assert list(zip(*table.to_pydict().values(), strict=True)) == rows


def test_cli_spark_engine_needs_input_files(tmp_path: Path) -> None:
    code, _, stderr = _invoke("--out", str(tmp_path / "c.csv"), "--engine", "spark")
    assert code == 2
    assert stderr.splitlines()[0] == "Error: --engine spark clusters files, not the stored ads"
    assert not (tmp_path / "c.csv").exists()
