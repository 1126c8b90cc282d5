"""Linking on Spark: the very links of the local engine, by both paths, and the CLI."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from pyspark.sql import SparkSession
from typer.testing import CliRunner

from ketenbeeld.cli import app
from ketenbeeld.errors import ConfigError
from ketenbeeld.signals.encode import Encoder
from ketenbeeld.signals.encodings import EncodedRecord, EncodingSet, write_encodings
from ketenbeeld.signals.layout import Layout
from ketenbeeld.signals.link import IndexParams, Link, link
from ketenbeeld.signals.schema import load_schema
from ketenbeeld.signals.spark_link import PYSPARK_MISSING, link_spark, spark_session
from ketenbeeld.synth import generate_population, make_linkage_files

KEY = bytes(range(32))


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    """One local Spark session (two cores) for the test session, stopped at the end."""
    settings = {
        "spark.sql.shuffle.partitions": "2",
        # The client JIT only: the JVM starts in about half the time, and these
        # inputs are too small to gain from the optimising compiler.
        "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1",
    }
    with spark_session("local[2]", settings=settings) as session:
        yield session
    assert SparkSession.getActiveSession() is None


@dataclass(frozen=True)
class Organisations:
    records_a: list[EncodedRecord]
    records_b: list[EncodedRecord]
    a: EncodingSet
    b: EncodingSet
    layout: Layout
    truth: frozenset[tuple[str, str]]


def _encoding_set(records: list[EncodedRecord]) -> EncodingSet:
    words = np.frombuffer(b"".join(r.bits for r in records), dtype=">u8")
    matrix = words.reshape(len(records), -1).astype(np.uint64)
    return EncodingSet(
        tuple(r.id for r in records), matrix, records[0].schema, tuple(r.bsn for r in records)
    )


@pytest.fixture(scope="module")
def orgs() -> Organisations:
    """Two synthetic Dutch organisations of about 1,000 persons each, half shared."""
    schema = load_schema("dutch-person")
    case = make_linkage_files(generate_population(1400, seed=11), seed=12)
    encoder = Encoder(schema, KEY)
    records_a = encoder.encode(case.file_a, source="a.csv").records
    records_b = encoder.encode(case.file_b, source="b.csv").records
    return Organisations(
        records_a,
        records_b,
        _encoding_set(records_a),
        _encoding_set(records_b),
        schema.layout(),
        case.true_links,
    )


def _true_share(links: list[Link], truth: frozenset[tuple[str, str]]) -> float:
    return sum((item.id_a, item.id_b) in truth for item in links) / len(links)


@pytest.mark.parametrize("one_to_one", [False, True])
def test_all_pairs_on_spark_give_the_local_links(
    spark: SparkSession, orgs: Organisations, one_to_one: bool
) -> None:
    local = link(orgs.a, orgs.b, orgs.layout, threshold=0.7, one_to_one=one_to_one)
    assert local.method == "bruteforce"  # small inputs: the cost model scores every pair
    result = link_spark(spark, orgs.a, orgs.b, orgs.layout, threshold=0.7, one_to_one=one_to_one)
    # Same pairs, same float scores, same order, same counters.
    assert result.links == local.links
    assert result == local
    assert len(result.links) > 400
    assert result.bsn_links > 50
    assert _true_share(result.links, orgs.truth) > 0.9
    if one_to_one:
        assert len({item.id_a for item in result.links}) == len(result.links)
        assert len({item.id_b for item in result.links}) == len(result.links)


def test_the_index_on_spark_gives_the_local_links(spark: SparkSession, orgs: Organisations) -> None:
    params = IndexParams(method="index")
    local = link(orgs.a, orgs.b, orgs.layout, threshold=0.8, index=params)
    result = link_spark(spark, orgs.a, orgs.b, orgs.layout, threshold=0.8, index=params)
    assert local.method == result.method == "index"
    assert result.links == local.links
    # The join on band keys finds the very candidates of the local index.
    assert (result.candidates, result.bucket_pairs, result.buckets) == (
        local.candidates,
        local.bucket_pairs,
        local.buckets,
    )
    assert result == local
    assert 0 < result.candidates < len(orgs.a) * len(orgs.b)
    assert len(result.links) > 300


def _encodings(prefix: str, rows: list[int], bsn: list[str | None]) -> EncodingSet:
    """One-word encodings whose first four bits (most significant first) are ``rows``."""
    matrix = np.array([[bits << 60] for bits in rows], dtype=np.uint64)
    ids = tuple(f"{prefix}{number}" for number in range(1, len(rows) + 1))
    return EncodingSet(ids, matrix, "test/1", tuple(bsn))


@pytest.mark.parametrize("method", ["bruteforce", "index"])
def test_the_bsn_rule_holds_on_spark(spark: SparkSession, method: str) -> None:
    same = 0b1111
    a = _encodings("a", [0b1000, same, same], ["1" * 64, "2" * 64, None])
    b = _encodings("b", [0b0001, same], ["1" * 64, "1" * 64])
    params = IndexParams(method="index" if method == "index" else "bruteforce")
    result = link_spark(spark, a, b, None, threshold=0.9, index=params)
    assert result.method == method
    assert result.links == [
        Link("a1", "b1", 1.0),  # equal BSN, disjoint bits: linked at 1.0
        Link("a1", "b2", 1.0),  # equal BSN (an organisation may hold a person twice)
        Link("a3", "b2", 1.0),  # no BSN in a3: the identical Bloom filters decide
    ]  # a2-b2: identical bits but another BSN: not linked
    assert result.bsn_links == 2
    assert result == link(a, b, None, threshold=0.9, index=params)


def test_cli_spark_engine_writes_the_local_links_file(
    spark: SparkSession, orgs: Organisations, tmp_path: Path
) -> None:
    write_encodings(tmp_path / "a.jsonl", orgs.records_a)
    write_encodings(tmp_path / "b.jsonl", orgs.records_b)
    outputs = {}
    for engine in ("local", "spark"):
        out = tmp_path / f"links-{engine}.csv"
        result = CliRunner().invoke(
            app,
            [
                *("signals", "link", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")),
                *("--out", str(out), "--one-to-one", "--engine", engine),
            ],
        )
        assert result.exit_code == 0, result.output
        outputs[engine] = (out.read_bytes(), result.stdout.replace(out.name, "links.csv"))
    assert outputs["spark"] == outputs["local"]  # the file and the summary line
    lines = outputs["spark"][0].decode().splitlines()
    assert lines[0] == "id_a,id_b,score"
    assert len(lines) > 400
    # The CLI joined the test's session and left it running.
    assert spark.range(3).count() == 3


def _invoke_spark_link(tmp_path: Path) -> tuple[int, str]:
    (tmp_path / "a.jsonl").write_text(
        '{"id":"1","clk":"AAAAAAAAAAA=","schema":"dutch-person/3"}\n', encoding="utf-8"
    )
    result = CliRunner().invoke(
        app,
        [
            *("signals", "link", str(tmp_path / "a.jsonl"), str(tmp_path / "a.jsonl")),
            *("--out", str(tmp_path / "links.csv"), "--engine", "spark"),
        ],
    )
    assert not (tmp_path / "links.csv").exists()
    return result.exit_code, result.stderr


@pytest.mark.parametrize("module", ["pyspark", "pyarrow"])
def test_the_spark_engine_without_pyspark_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, module: str
) -> None:
    # A None in sys.modules makes every import of the package fail, as when it is
    # not installed.
    for name in [name for name in sys.modules if name.split(".")[0] == module] or [module]:
        monkeypatch.setitem(sys.modules, name, None)
    code, stderr = _invoke_spark_link(tmp_path)
    assert code == 2
    assert stderr.splitlines()[0] == f"Error: {PYSPARK_MISSING}"
    assert PYSPARK_MISSING == "the spark engine needs PySpark: pip install 'ketenbeeld[spark]'"


def test_the_spark_engine_without_java_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-jdk"))
    code, stderr = _invoke_spark_link(tmp_path)
    assert code == 2
    assert stderr.splitlines() == [
        "Error: the spark engine needs Java (17 or later), and none was found",
        "Hint: install a JDK and put java on the PATH, or set JAVA_HOME",
    ]
    with pytest.raises(ConfigError, match="Java"), spark_session("local[1]"):
        pass


def test_all_pairs_cut_into_many_blocks_give_the_local_links(spark, orgs, monkeypatch):
    # Every block of A meets every block of B in a cogroup; each pair must be scored
    # once. (Block keys of different types on the two sides once put the same blocks
    # in different partitions, and a third of the links went missing at 20,000 x 20,000.)
    from ketenbeeld.signals import spark_link

    monkeypatch.setattr(spark_link, "_PAIRS_PER_TASK", 1 << 14)  # 8 x 8 blocks here
    local = link(orgs.a, orgs.b, orgs.layout, threshold=0.7)
    assert local.method == "bruteforce"
    # As a large input runs: several partitions, not coalesced into one.
    settings = {
        "spark.sql.shuffle.partitions": "8",
        "spark.sql.adaptive.coalescePartitions.enabled": "false",
    }
    before = {key: spark.conf.get(key) for key in settings}
    for key, value in settings.items():
        spark.conf.set(key, value)
    try:
        ours = link_spark(spark, orgs.a, orgs.b, orgs.layout, threshold=0.7)
    finally:
        for key, value in before.items():
            spark.conf.set(key, value)
    assert len(ours.links) == len(local.links) > 500
    assert ours.links == local.links
