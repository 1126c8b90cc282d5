"""The README's first command: the demo builds a workspace whose report opens and agrees."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ketenbeeld.cli import app


class _Cells(HTMLParser):
    """Collect ``data-field`` cell texts per ``data-row-id`` row of the report."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, str]] = {}
        self._row: str | None = None
        self._field: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "tr" and "data-row-id" in attributes:
            self._row = attributes["data-row-id"]
            self.rows[self._row] = {}
        elif tag == "td" and self._row and "data-field" in attributes:
            self._field = attributes["data-field"]
            self.rows[self._row][self._field] = ""

    def handle_endtag(self, tag):
        if tag == "td":
            self._field = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._row and self._field:
            self.rows[self._row][self._field] += data


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """One demo run (about ten seconds) that the tests of this file read."""
    workspace = tmp_path_factory.mktemp("demo") / "demo"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("KETENBEELD_DATABASE_URL", raising=False)
        result = CliRunner().invoke(app, ["demo", "--dir", str(workspace), "--no-serve"])
    assert result.exit_code == 0, result.output
    return workspace, result


def test_demo_builds_the_workspace_and_the_report_agrees_with_stats(demo_run):
    workspace, result = demo_run
    for name in ("cohort.jsonl", "ketenbeeld.db", "stats.json", "report.html", "report.pdf"):
        assert (workspace / name).is_file(), name
        assert str((workspace / name).resolve()) in result.stdout.replace("\n", "")
    assert (workspace / "report.pdf").read_bytes().startswith(b"%PDF")
    signals = workspace / "signals"
    for name in (
        "chain.key",
        "jeugdzorg.csv",
        "politie.csv",
        "jeugdzorg.jsonl",
        "politie.jsonl",
        "links.csv",
    ):
        assert (signals / name).is_file(), name
    match = re.search(
        r"found (\d+) persons in both \(precision ([\d.]+), recall ([\d.]+)",
        result.stdout.replace("\n", " "),
    )
    assert match is not None
    n_links, precision, recall = int(match.group(1)), float(match.group(2)), float(match.group(3))
    assert len((signals / "links.csv").read_text().splitlines()) == n_links + 1
    assert precision >= 0.97 and recall >= 0.93
    assert len((workspace / "cohort.jsonl").read_text().splitlines()) == 25

    # Assisted coding: each fictional summary got a proposal whose evidence quotes it.
    proposals = sorted((workspace / "extract" / "proposals").glob("*.json"))
    assert [p.name for p in proposals] == [
        "zaak-noordster.json",
        "zaak-reiger.json",
        "zaak-valk.json",
    ]
    noordster = json.loads(proposals[0].read_text(encoding="utf-8"))
    summary = (workspace / "extract" / "summaries" / "zaak-noordster.txt").read_text(
        encoding="utf-8"
    )
    assert noordster["victims"][0]["first_contact_platform"] == "snapchat"
    assert all(summary[e["start"] : e["end"]] == e["text"] for e in noordster["evidence"])
    values = re.search(r"Assisted coding: (\d+) values proposed", result.stdout.replace("\n", " "))
    assert values is not None and int(values.group(1)) > 30

    # The chain: three nodes registered their clients at a hub over HTTP; matches appeared,
    # and the hub's database holds no name of the clients.
    chain = re.search(
        r"registered (\d+) concerns .* found (\d+) matches", result.stdout.replace("\n", " ")
    )
    assert chain is not None
    assert int(chain.group(1)) == 375
    assert int(chain.group(2)) >= 60
    hub_db = b"".join(p.read_bytes() for p in (workspace / "chain").glob("hub.db*"))
    node_db = (workspace / "chain" / "jeugdzorg-oost.db").read_bytes()
    names = {
        row["last_name"]
        for row in csv.DictReader((signals / "jeugdzorg.csv").open(encoding="utf-8"))
        if len(row["last_name"]) >= 7
    }
    assert names and not [name for name in names if name.encode() in hub_db]
    assert (workspace / "chain" / "jeugdzorg-oost.token").stat().st_mode & 0o777 == 0o600

    # Online: synthetic ads ingested into the workspace, clustered, queued.
    online = re.search(
        r"Online: (\d+) synthetic ads ingested and linked into (\d+) clusters \((\d+) "
        r"networks of more than one ad; pairwise F1 ([\d.]+)",
        result.stdout.replace("\n", " "),
    )
    assert online is not None
    assert int(online.group(1)) == 2000
    assert float(online.group(4)) >= 0.98
    clusters = (workspace / "online" / "clusters.csv").read_text().splitlines()
    assert len(clusters) == 2001
    assert len({line.split(",")[1] for line in clusters[1:]}) == int(online.group(2))
    queue = CliRunner().invoke(app, ["--data-dir", str(workspace), "online", "queue", "--top", "1"])
    assert queue.exit_code == 0, queue.output
    assert "template:" in queue.stdout
    assert node_db

    # What `cases stats --format json` says about the demo database...
    stats = CliRunner().invoke(
        app, ["--data-dir", str(workspace), "cases", "stats", "--format", "json"]
    )
    assert stats.exit_code == 0, stats.output
    expected = json.loads(stats.stdout)
    assert expected["n_cases"] == 25

    # ...is what the report shows, cell by cell, and what it embeds.
    html = (workspace / "report.html").read_text(encoding="utf-8")
    embedded = re.search(
        r'<script type="application/json" id="ketenbeeld-stats">(.*?)</script>', html, re.S
    )
    assert embedded is not None
    assert json.loads(embedded.group(1))["rows"] == expected["rows"]
    cells = _Cells()
    cells.feed(html)
    for row in expected["rows"]:
        shown = cells.rows[row["id"]]
        assert shown["numerator"].strip() == str(row["numerator"])
        assert shown["denominator"].strip() == str(row["denominator"])
        assert shown["unknown"].strip() == str(row["unknown"])
        if row["proportion"] is not None:
            percent = f"{100 * row['proportion']:.1f}".replace(".", ",")
            assert shown["percentage"].strip().startswith(f"{percent}%")
    assert expected["fingerprint"] in html


def test_demo_twice_gives_the_same_data(demo_run, tmp_path, monkeypatch):
    monkeypatch.delenv("KETENBEELD_DATABASE_URL", raising=False)
    first, _ = demo_run
    workspace = tmp_path / "demo"
    shutil.copytree(first, workspace)
    again = CliRunner().invoke(app, ["demo", "--dir", str(workspace), "--no-serve"])
    assert again.exit_code == 0, again.output
    before = json.loads((first / "stats.json").read_text())
    after = json.loads((workspace / "stats.json").read_text())
    assert after["n_cases"] == 25
    assert after["rows"] == before["rows"]
    assert after["fingerprint"] == before["fingerprint"]
    # (The chain key is new each run, so the encodings and their scores differ.)
    for name in ("cohort.jsonl", "online/clusters.csv"):
        assert (workspace / name).read_bytes() == (first / name).read_bytes(), name


def test_console_script_is_installed():
    result = subprocess.run(
        [sys.executable, "-m", "ketenbeeld", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert re.fullmatch(r"ketenbeeld \d+\.\d+\.\d+\S*\n", result.stdout)


def test_demo_server_shows_the_report_and_not_the_database(tmp_path):
    import functools
    import http.server
    import threading
    import urllib.error
    import urllib.request

    from ketenbeeld.cli.demo import _ReportHandler

    (tmp_path / "report.html").write_text("<p>rapport</p>", encoding="utf-8")
    (tmp_path / "ketenbeeld.db").write_bytes(b"SQLite format 3")
    handler = functools.partial(_ReportHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(f"{base}/") as response:  # follows the redirect
            assert (response.status, response.read()) == (200, b"<p>rapport</p>")
        for path in ("/ketenbeeld.db", "/cohort.jsonl", "/../etc/passwd"):
            try:
                urllib.request.urlopen(f"{base}{path}")
                raise AssertionError(f"{path} was served")
            except urllib.error.HTTPError as error:
                assert error.code == 404
    finally:
        server.shutdown()
        server.server_close()
