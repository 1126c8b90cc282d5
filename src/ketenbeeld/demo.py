"""The demo workspace: synthetic data through every module, on embedded defaults."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from ketenbeeld.cases import (
    compute_statistics,
    import_cases,
    load_cases,
    load_codebook,
    read_case_files,
    write_report,
)
from ketenbeeld.storage import make_engine
from ketenbeeld.synth import generate_cohort, write_cohort_jsonl

__all__ = ["DemoWorkspace", "OnlineDemo", "SignalsDemo", "build_demo_workspace"]

log = logging.getLogger(__name__)

DEMO_SEED = 2021
DEMO_CASES = 25


@dataclass(frozen=True)
class DemoWorkspace:
    """Where the demo put everything."""

    directory: Path
    database: Path
    cohort: Path
    stats_json: Path
    report_html: Path
    report_pdf: Path | None
    n_cases: int
    signals: SignalsDemo
    online: OnlineDemo
    extract: ExtractDemo


@dataclass(frozen=True)
class SignalsDemo:
    """The organisation side of signals, run on two synthetic organisations.

    Attributes:
        directory: the folder with the person files, key, encodings and links.
        links: the links file (CSV ``id_a,id_b,score``).
        n_links: links found.
        precision / recall: against the known truth of the synthetic data.
    """

    directory: Path
    links: Path
    n_links: int
    precision: float
    recall: float


DEMO_PERSONS = 2000
DEMO_ADS = 2000


@dataclass(frozen=True)
class ExtractDemo:
    """Fictional case summaries and the codings proposed for them.

    Attributes:
        summaries: the folder with the summaries (Dutch text, written for the project).
        proposals: the folder with one proposed coding (JSON, with evidence) each.
        n_values: non-null values proposed in all.
    """

    summaries: Path
    proposals: Path
    n_values: int


def _extract_demo(directory: Path) -> ExtractDemo:
    """The package's fictional summaries through ``cases extract``."""
    from importlib import resources

    from ketenbeeld.cases.extract import extract_files

    summaries = directory / "summaries"
    summaries.mkdir(parents=True, exist_ok=True)
    source = resources.files("ketenbeeld.cases") / "data" / "demo-summaries"
    paths = []
    for item in sorted(source.iterdir(), key=lambda entry: entry.name):
        if item.name.endswith(".txt"):
            target = summaries / item.name
            target.write_text(item.read_text(encoding="utf-8"), encoding="utf-8")
            paths.append(target)
    proposals = directory / "proposals"
    written = extract_files(paths, proposals)
    values = 0
    for path in written:
        document = json.loads(path.read_text(encoding="utf-8"))
        for person in [*document["perpetrators"], *document["victims"]]:
            values += sum(1 for key, value in person.items() if value not in (None, []))
    return ExtractDemo(summaries, proposals, values)


@dataclass(frozen=True)
class OnlineDemo:
    """Synthetic advertisements ingested, clustered and queued in the workspace.

    Attributes:
        ads_file: the synthetic ads (JSONL) and ``truth_file`` their ground truth.
        clusters_file: ``ad_id,cluster_id`` as clustered.
        n_ads / n_clusters / n_networks: ads, clusters, clusters of more than one ad.
        f1: pairwise F1 of the clusters against the known operators.
        top_cluster / top_priority: the head of the analysts' queue.
    """

    ads_file: Path
    truth_file: Path
    clusters_file: Path
    n_ads: int
    n_clusters: int
    n_networks: int
    f1: float
    top_cluster: str
    top_priority: float


def _online_demo(directory: Path, database: Path) -> OnlineDemo:
    """Synthetic ads through ingest, clustering and the queue, into the workspace database."""
    from collections import Counter

    from ketenbeeld.online.cluster import cluster_ads, write_clusters_csv
    from ketenbeeld.online.evaluate import cluster_quality
    from ketenbeeld.online.ingest import ingest_ads, store_clusters, stored_ads
    from ketenbeeld.online.lexicon import load_lexicon
    from ketenbeeld.online.queue import build_queue
    from ketenbeeld.online.synth import generate_ads, write_ads_jsonl, write_truth_csv

    directory.mkdir(parents=True, exist_ok=True)
    generated = generate_ads(DEMO_ADS, DEMO_SEED)
    ads_file, truth_file = directory / "ads.jsonl", directory / "truth.csv"
    write_ads_jsonl(generated.ads, ads_file)
    write_truth_csv(generated.truth, truth_file)
    engine = make_engine(f"sqlite:///{database.resolve()}")
    try:
        ingest_ads(engine, [ads_file], actor="demo")
        ads = stored_ads(engine)
        clustering = cluster_ads(ads)
        store_clusters(engine, clustering.cluster_of, actor="demo")
    finally:
        engine.dispose()
    clusters_file = directory / "clusters.csv"
    write_clusters_csv(clusters_file, clustering)
    truth = {t.ad_id: t.operator_id for t in generated.truth}
    quality = cluster_quality(clustering.cluster_of, truth)
    sizes = Counter(clustering.cluster_of.values())
    top = build_queue(ads, clustering.cluster_of, load_lexicon("1"))[0]
    return OnlineDemo(
        ads_file,
        truth_file,
        clusters_file,
        len(ads),
        len(sizes),
        sum(1 for size in sizes.values() if size > 1),
        quality.f1,
        top.cluster_id,
        top.priority,
    )


def _signals_demo(directory: Path) -> SignalsDemo:
    """Two organisations encode their (synthetic) clients and link the encodings.

    A youth-care institution and the police each hold a person file; each encodes
    it with the chain key, and the encodings (no identities) are linked.
    """
    from ketenbeeld.signals.encode import encode_file
    from ketenbeeld.signals.encodings import read_encodings
    from ketenbeeld.signals.keys import generate_chain_key, write_key_file
    from ketenbeeld.signals.link import DEFAULT_THRESHOLD, evaluate, link
    from ketenbeeld.signals.links_file import write_links_csv
    from ketenbeeld.signals.schema import load_schema
    from ketenbeeld.synth import generate_population, make_linkage_files, write_person_csv

    directory.mkdir(parents=True, exist_ok=True)
    case = make_linkage_files(generate_population(DEMO_PERSONS, DEMO_SEED), DEMO_SEED)
    schema = load_schema("dutch-person")
    # Both organisations hold the same chain key (shared out of band in real life).
    chain_key = generate_chain_key()
    write_key_file(directory / "chain.key", chain_key, overwrite=True)
    for name, rows in (("jeugdzorg", case.file_a), ("politie", case.file_b)):
        write_person_csv(rows, directory / f"{name}.csv")
        encode_file(
            directory / f"{name}.csv",
            schema,
            chain_key,
            directory / f"{name}.jsonl",
            skip_unusable=True,
        )
    result = link(
        read_encodings(directory / "jeugdzorg.jsonl"),
        read_encodings(directory / "politie.jsonl"),
        schema.layout(),
        threshold=DEFAULT_THRESHOLD,
        one_to_one=True,
    )
    links = directory / "links.csv"
    write_links_csv(links, result.links)
    quality = evaluate(result.links, set(case.true_links))
    return SignalsDemo(directory, links, len(result.links), quality.precision, quality.recall)


def build_demo_workspace(directory: Path, *, pdf: bool = True) -> DemoWorkspace:
    """Make (or remake) a demo workspace in ``directory``.

    Writes a seeded synthetic cohort of 25 cases (the size of the study), imports it
    into an SQLite database in the folder, and writes the statistics (JSON) and the
    Dutch research report (HTML and, unless ``pdf`` is false, PDF). Running it again
    gives the same data and replaces the cases rather than adding to them.

    Example:
        >>> ws = build_demo_workspace(Path("ketenbeeld-demo"))  # doctest: +SKIP
    """
    directory.mkdir(parents=True, exist_ok=True)
    database = directory / "ketenbeeld.db"
    cohort = directory / "cohort.jsonl"
    write_cohort_jsonl(generate_cohort(DEMO_CASES, DEMO_SEED), cohort)
    engine = make_engine(f"sqlite:///{database.resolve()}")
    try:
        files = read_case_files([cohort], load_codebook())
        import_cases(engine, files, actor="demo")
        cases = load_cases(engine)
    finally:
        engine.dispose()
    stats = compute_statistics(cases)
    stats_json = directory / "stats.json"
    stats_json.write_text(
        json.dumps(stats.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    paths = write_report(
        stats,
        directory / "report.html",
        pdf=directory / "report.pdf" if pdf else None,
        lang="nl",
    )
    signals = _signals_demo(directory / "signals")
    online = _online_demo(directory / "online", database)
    extract = _extract_demo(directory / "extract")
    log.info("demo workspace ready with %d cases", len(cases))
    return DemoWorkspace(
        directory=directory,
        database=database,
        cohort=cohort,
        stats_json=stats_json,
        report_html=paths.html,
        report_pdf=paths.pdf,
        n_cases=len(cases),
        signals=signals,
        online=online,
        extract=extract,
    )
