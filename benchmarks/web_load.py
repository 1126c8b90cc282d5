"""Benchmark: page load times of the web application with 50 concurrent users.

Setup (timed apart, not part of the figures): a workspace database with
``--cases`` synthetic coded cases (``generate_cohort``, imported), ``--ads``
synthetic advertisements (``generate_ads``, ingested and clustered) and one login
per virtual user (role ``analist``: Onderzoek and Online).

The application is served by uvicorn in its own process (``--workers``, default 1)
on 127.0.0.1, as ``ketenbeeld serve`` serves it. The load runs in this process with
httpx's async client: ``--users`` virtual users log in, then each requests the main
pages in turn for ``--rounds`` rounds, all users at once:

    /                              start page
    /onderzoek?pagina=K            the case list (100 per page, a random page)
    /onderzoek/zaken/ID            one case (a random case)
    /onderzoek/statistiek          statistics with the three plots
    /online                        the analysts' queue (top 50, explained)
    /online/clusters/ID            one network (a random one of the top 50)

Per page: p50, p95, p99 and the slowest, over every request. Statistics and the
queue's ranking are computed on the first request after a change of the data and
then kept (``ketenbeeld.web.cache``); the first computation of each (the "cold"
request, one user alone before the load) is reported separately. There is no peer
tool to run beside it: the figure is the application's own.

    python benchmarks/web_load.py [--cases 10000] [--ads 100000] [--users 50]
        [--rounds 5] [--workers 1] [--database-url URL] [--no-append]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import httpx
from _measure import publish

PASSWORD = "benchmark password"
PAGES = ("start", "case list", "case", "statistics", "queue", "network")
Targets = tuple[list[str], list[str], int]


def app_factory():  # type: ignore[no-untyped-def]
    """The application for uvicorn's worker processes (``--factory``)."""
    from ketenbeeld.storage import make_engine
    from ketenbeeld.web import WebContext, create_app

    engine = make_engine(os.environ["KETENBEELD_BENCH_DB"])
    return create_app(WebContext(engine, "benchmark", secure_cookies=False))


def _setup(url: str, n_cases: int, n_ads: int, n_users: int, folder: Path) -> dict[str, float]:
    from ketenbeeld.accounts import create_user
    from ketenbeeld.cases import import_cases, load_codebook, read_case_files
    from ketenbeeld.online.analyst import cluster_stored
    from ketenbeeld.online.ingest import ingest_ads
    from ketenbeeld.online.synth import generate_ads, write_ads_jsonl
    from ketenbeeld.storage import make_engine
    from ketenbeeld.synth import generate_cohort, write_cohort_jsonl

    times = {}
    engine = make_engine(url)
    start = time.perf_counter()
    cohort = folder / "cohort.jsonl"
    write_cohort_jsonl(generate_cohort(n_cases, 11), cohort)
    import_cases(engine, read_case_files([cohort], load_codebook()), actor="benchmark")
    times["cases"] = time.perf_counter() - start
    start = time.perf_counter()
    ads = folder / "ads.jsonl"
    write_ads_jsonl(generate_ads(n_ads, 11).ads, ads)
    ingest_ads(engine, [ads], actor="benchmark")
    cluster_stored(engine, actor="benchmark")
    times["ads"] = time.perf_counter() - start
    for number in range(n_users):
        create_user(
            engine,
            username=f"user{number:02d}",
            password=PASSWORD,
            role="analist",
            organisation="benchmark",
            actor="benchmark",
        )
    engine.dispose()
    return times


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serve(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KETENBEELD_BENCH_DB": url}
    command = [
        sys.executable, "-m", "uvicorn", "web_load:app_factory", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=Path(__file__).parent, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the application did not start")


async def _login(client: httpx.AsyncClient, username: str) -> None:
    page = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "no CSRF field on the login page"
    answer = await client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert answer.status_code == 303, answer.status_code


def _targets(base: str) -> tuple[list[str], list[str], int]:
    """Case ids, the top 50 cluster ids and the number of case-list pages."""
    with httpx.Client(base_url=base, timeout=600) as client:
        asyncio.run(_noop())
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token
        client.post(
            "/login",
            data={"username": "user00", "password": PASSWORD, "csrf_token": token.group(1)},
        )
        pages = int(re.search(r"pagina 1 van (\d+)", client.get("/onderzoek").text).group(1))  # type: ignore[union-attr]
        first = client.get("/onderzoek").text
        cases = re.findall(r'href="/onderzoek/zaken/([^"]+)"', first)
        clusters = re.findall(r'href="/online/clusters/([^"]+)"', client.get("/online").text)
    return cases, clusters, pages


async def _noop() -> None:
    return None


async def _user(
    base: str, username: str, rounds: int, targets: Targets,
    seen: dict[str, list[float]], failures: list[str], seed: int,
) -> None:  # fmt: skip
    cases, clusters, pages = targets
    pick = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=600) as client:
        await _login(client, username)
        for _ in range(rounds):
            paths = {
                "start": "/",
                "case list": f"/onderzoek?pagina={pick.randint(1, pages)}",
                "case": f"/onderzoek/zaken/{pick.choice(cases)}",
                "statistics": "/onderzoek/statistiek",
                "queue": "/online",
                "network": f"/online/clusters/{pick.choice(clusters)}",
            }
            for name in PAGES:
                start = time.perf_counter()
                answer = await client.get(paths[name])
                seen[name].append(time.perf_counter() - start)
                if answer.status_code != 200:
                    failures.append(f"{name}: {answer.status_code}")


async def _load(
    base: str, users: int, rounds: int, targets
) -> tuple[dict[str, list[float]], list[str], float]:  # type: ignore[no-untyped-def]
    seen: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []
    start = time.perf_counter()
    await asyncio.gather(
        *(_user(base, f"user{n:02d}", rounds, targets, seen, failures, n) for n in range(users))
    )
    return seen, failures, time.perf_counter() - start


def _cold(base: str) -> dict[str, float]:
    """The first statistics and queue requests, one user alone (they fill the cache)."""
    times = {}
    with httpx.Client(base_url=base, timeout=600) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token
        client.post(
            "/login",
            data={"username": "user00", "password": PASSWORD, "csrf_token": token.group(1)},
        )
        for name, path in (("statistics", "/onderzoek/statistiek"), ("queue", "/online")):
            start = time.perf_counter()
            assert client.get(path).status_code == 200
            times[name] = time.perf_counter() - start
    return times


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--ads", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-web-load-") as tmp:
        folder = Path(tmp)
        url = args.database_url or f"sqlite:///{folder / 'workspace.db'}"
        setup = _setup(url, args.cases, args.ads, args.users, folder)
        port = _free_port()
        server = _serve(url, port, args.workers)
        base = f"http://127.0.0.1:{port}"
        try:
            cold = _cold(base)
            targets = _targets(base)
            load_before = os.getloadavg()[0]
            seen, failures, wall = asyncio.run(_load(base, args.users, args.rounds, targets))
            load_after = os.getloadavg()[0]
        finally:
            server.terminate()
            server.wait(30)
    backend = url.split(":", 1)[0].split("+")[0]
    lines = [
        f"### web: page load under {args.users} concurrent users, {args.cases:,} cases and "
        f"{args.ads:,} ads",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}",
        f"- versions: ketenbeeld {version('ketenbeeld')}, fastapi {version('fastapi')}, "
        f"uvicorn {version('uvicorn')}, SQLAlchemy {version('sqlalchemy')}; database {backend}",
        f"- command: `python benchmarks/web_load.py --cases {args.cases} --ads {args.ads} "
        f"--users {args.users} --rounds {args.rounds} --workers {args.workers}"
        + (" --database-url ..." if args.database_url else "")
        + "`",
        f"- setup (not timed below): cases imported in {setup['cases']:.0f} s, ads ingested "
        f"and clustered in {setup['ads']:.0f} s; server: uvicorn, {args.workers} worker(s), "
        "the load generator in another process on the same machine",
        f"- first computation, one user alone (then cached until the data changes): "
        f"statistics {cold['statistics']:.2f} s, queue {cold['queue']:.2f} s",
        f"- {sum(len(v) for v in seen.values()):,} requests in {wall:.1f} s "
        f"({sum(len(v) for v in seen.values()) / wall:.0f} requests/s), "
        f"{len(failures)} not answered 200; 1-minute load average {load_before:.1f} -> "
        f"{load_after:.1f}",
        "",
        "| page | requests | p50 (ms) | **p95 (ms)** | p99 (ms) | slowest (ms) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in PAGES:
        values = seen[name]
        lines.append(
            f"| {name} | {len(values)} | {1000 * statistics.median(values):.0f} | "
            f"**{1000 * _quantile(values, 0.95):.0f}** | {1000 * _quantile(values, 0.99):.0f} | "
            f"{1000 * max(values):.0f} |"
        )
    publish("\n".join(lines) + "\n", append=not args.no_append)


if __name__ == "__main__":
    main()
