"""``ketenbeeld online``: exit codes and messages a user sees."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ketenbeeld.cli import app


def invoke(*args):
    return CliRunner().invoke(app, list(args))


def test_ingest_rejects_then_skips_and_is_idempotent(tmp_path, monkeypatch):
    monkeypatch.delenv("KETENBEELD_DATABASE_URL", raising=False)
    ads = tmp_path / "ads.jsonl"
    ads.write_text(
        '{"ad_id": "a1", "text": "Nieuw, bel O6-1234 5678", "age": "19 jaar"}\n'
        '{"ad_id": "a2"}\n'
        '{"ad_id": "a3", "text": "Rustig", "price": "veel"}\n'
    )
    workspace = ["--data-dir", str(tmp_path / "ws")]
    strict = invoke(*workspace, "online", "ingest", str(ads))
    assert strict.exit_code == 2
    assert strict.stderr.splitlines() == [
        "Error: 1 problem found; nothing was ingested",
        "  - ads.jsonl, line 2, field text: is required (the ad's text)",
        "Hint: correct these records, or store the others with --on-error skip",
    ]
    skip = invoke(*workspace, "online", "ingest", str(ads), "--on-error", "skip")
    assert skip.exit_code == 0, skip.output
    assert skip.stdout.strip() == "Read 3 records: 2 new, 0 updated, 0 unchanged, 1 skipped."
    assert "skipped: ads.jsonl, line 2, field text: is required (the ad's text)" in skip.stderr
    assert "note: ads.jsonl, line 3, field price: is not a price in euros" in skip.stderr
    again = invoke(*workspace, "online", "ingest", str(ads), "--on-error", "skip")
    assert again.stdout.strip() == "Read 3 records: 0 new, 0 updated, 2 unchanged, 1 skipped."
    bad_option = invoke(*workspace, "online", "ingest", str(ads), "--on-error", "maybe")
    assert bad_option.exit_code == 2
    assert "--on-error must be reject or skip" in bad_option.stderr


def test_synth_writes_ads_that_ingest_cleanly(tmp_path, monkeypatch):
    monkeypatch.delenv("KETENBEELD_DATABASE_URL", raising=False)
    ads, truth = tmp_path / "ads.jsonl", tmp_path / "truth.csv"
    result = invoke("online", "synth", "--ads", "300", "--seed", "4", "--out", str(ads),
                    "--truth", str(truth))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Wrote 300 synthetic ads (")
    assert len(ads.read_text().splitlines()) == 300
    assert truth.read_text().splitlines()[0] == (
        "ad_id,operator_id,organised,indicators,copies_stock_text"
    )
    ingest = invoke("--data-dir", str(tmp_path / "ws"), "online", "ingest", str(ads))
    assert ingest.exit_code == 0, ingest.output
    assert ingest.stdout.strip() == "Read 300 records: 300 new, 0 updated, 0 unchanged, 0 skipped."


def test_cluster_from_the_database_and_from_a_file(tmp_path, monkeypatch):
    monkeypatch.delenv("KETENBEELD_DATABASE_URL", raising=False)
    ads = tmp_path / "ads.jsonl"
    ads.write_text(
        '{"ad_id": "b", "text": "Rustig adres.", "phone": "06-12345678"}\n'
        '{"ad_id": "a", "text": "Iets heel anders.", "phone": "O6 1234 5678"}\n'
        '{"ad_id": "c", "text": "Nog iemand anders.", "phone": "0687654321"}\n'
    )
    workspace = ["--data-dir", str(tmp_path / "ws")]
    empty = invoke(*workspace, "online", "cluster", "--out", str(tmp_path / "c.csv"))
    assert empty.exit_code == 2
    assert "Error: there are no stored ads" in empty.stderr
    assert invoke(*workspace, "online", "ingest", str(ads)).exit_code == 0
    out, links = tmp_path / "clusters.csv", tmp_path / "links.csv"
    result = invoke(*workspace, "online", "cluster", "--out", str(out), "--links", str(links))
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines() == ["ad_id,cluster_id", "a,a", "b,a", "c,c"]
    assert links.read_text().splitlines() == [
        "ad_a,ad_b,reason,detail,joined",
        "a,b,phone,+31612345678,true",
    ]
    assert "3 ads in 2 clusters (1 with more than one ad, the largest 2)" in result.stdout
    from_file = invoke("online", "cluster", "--input", str(ads), "--out", str(tmp_path / "f.csv"))
    assert from_file.exit_code == 0, from_file.output
    assert (tmp_path / "f.csv").read_text() == out.read_text()


def test_queue_explains_the_top_cluster(tmp_path, monkeypatch):
    monkeypatch.delenv("KETENBEELD_DATABASE_URL", raising=False)
    ads = tmp_path / "ads.jsonl"
    ads.write_text(
        '{"ad_id": "a1", "text": "Net 18, nieuw in Zwolle. Ik ben Anna.", "phone": "0612345678",'
        ' "posted_at": "2026-03-01T10:00:00"}\n'
        '{"ad_id": "a2", "text": "Onze meiden. Ik ben Eva.", "phone": "0612345678",'
        ' "posted_at": "2026-03-08T10:00:00"}\n'
        '{"ad_id": "b1", "text": "Rustig.", "phone": "0687654321",'
        ' "posted_at": "2026-03-15T10:00:00"}\n'
    )
    workspace = ["--data-dir", str(tmp_path / "ws")]
    assert invoke(*workspace, "online", "ingest", str(ads)).exit_code == 0
    early = invoke(*workspace, "online", "queue")
    assert early.exit_code == 2
    assert "Error: the stored ads have not been clustered" in early.stderr
    assert invoke(*workspace, "online", "cluster", "--out", str(tmp_path / "c.csv")).exit_code == 0
    result = invoke(*workspace, "online", "queue", "--top", "1")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Priority queue (lexicon version 1):"
    # 3 + 2.5 + 1 + 2.5 (indicators) + log2(3) (size) + 2 * 0.5 (recency, 7 days) = 11.58
    assert lines[1].startswith("  1. a1  priority 11.58  2 ads")
    assert "youth: 1 of 2 ads (a1): 'Net 18'" in result.stdout
    assert "b1" not in result.stdout
    as_json = invoke(*workspace, "online", "queue", "--format", "json", "--weight", "youth=0")
    document = json.loads(as_json.stdout)
    assert [c["cluster_id"] for c in document["clusters"]] == ["a1", "b1"]
    assert {t["name"]: t["points"] for t in document["clusters"][0]["terms"]}["youth"] == 0.0
    status = invoke(*workspace, "online", "status", "a1", "--set", "dismissed", "--note", "bekend")
    assert status.stdout.strip() == "Cluster a1 is now dismissed."
    after = invoke(*workspace, "online", "queue", "--format", "json")
    assert [c["cluster_id"] for c in json.loads(after.stdout)["clusters"]] == ["b1"]
    shown = invoke(*workspace, "online", "queue", "--format", "json", "--include-dismissed")
    assert json.loads(shown.stdout)["clusters"][0]["status"] == "dismissed"
    history = invoke(*workspace, "online", "status", "a1")
    assert "dismissed" in history.stdout and "bekend" in history.stdout
    bad = invoke(*workspace, "online", "status", "a1", "--set", "gesloten")
    assert bad.exit_code == 2
    assert "the status must be one of new, in_review, escalated, dismissed" in bad.stderr
