"""``ketenbeeld demo``: a workspace with synthetic data, the statistics and the report."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from ketenbeeld.cli.common import err_console, guarded, out_console

if TYPE_CHECKING:
    from ketenbeeld.demo_chain import ChainDemo

__all__ = ["demo_command"]

HUB_PORT = 8700
NODE_PORTS = (8701, 8702, 8703)
WEB_PORT = 8800
WORKSPACE_USERS = (
    ("onderzoeker", "onderzoeker", "Onderzoeker (demo)"),
    ("analist", "analist", "Analist (demo)"),
    ("beheerder", "beheerder", "Beheerder (demo)"),
)
WORKSPACE_ORG = "werkruimte"


class _ReportHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the report files of the workspace and nothing else (not the database)."""

    _SHOWN = ("/report.html", "/report.pdf", "/stats.json")

    def _allowed(self) -> bool:
        path = self.path.split("?", 1)[0]
        if path == "/":
            self.send_response(302)
            self.send_header("Location", "/report.html")
            self.end_headers()
            return False
        if path not in self._SHOWN:
            self.send_error(404, "Only the report is served")
            return False
        return True

    def do_GET(self) -> None:
        if self._allowed():
            super().do_GET()

    def do_HEAD(self) -> None:
        if self._allowed():
            super().do_HEAD()

    def log_message(self, format: str, *args: object) -> None:
        """Request lines are not logged: they are not needed and could hold paths."""


@guarded
def demo_command(
    directory: Annotated[
        Path, typer.Option("--dir", help="Folder for the demo workspace (made if missing).")
    ] = Path("ketenbeeld-demo"),
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Build the workspace and exit; serve nothing.")
    ] = False,
    port: Annotated[
        int, typer.Option(min=1, max=65535, help="Port to serve the report files on.")
    ] = 8765,
    web_port: Annotated[
        int, typer.Option(min=1, max=65535, help="Port of the research and online web app.")
    ] = WEB_PORT,
) -> None:
    """Build a demo workspace from synthetic data and show where everything is.

    Imports a seeded synthetic cohort of 25 cases into an SQLite database in the
    folder and writes the statistics and the Dutch report (HTML and PDF). Then starts
    a chain hub and three organisations' nodes on 127.0.0.1 (ports 8700-8703) and
    registers synthetic clients so that matches appear. Unless --no-serve is given,
    the web application of the research and online workspace (port 8800), each
    node's web application (8701-8703), the hub and the report files
    (http://127.0.0.1:PORT/) keep running until Ctrl-C, and every URL is printed with
    its demo login; with --no-serve everything stops after the registrations.
    """
    from ketenbeeld.demo import build_demo_workspace

    with err_console.status("Building the demo workspace…"):
        workspace = build_demo_workspace(directory)
    places = [
        ("Workspace", workspace.directory),
        ("Database (SQLite)", workspace.database),
        (f"Synthetic cohort ({workspace.n_cases} cases)", workspace.cohort),
        ("Statistics (JSON)", workspace.stats_json),
        ("Report (HTML)", workspace.report_html),
    ]
    if workspace.report_pdf is not None:
        places.append(("Report (PDF)", workspace.report_pdf))
    places.append(("Signals (two organisations)", workspace.signals.directory))
    out_console.print(Text("Ketenbeeld demo (synthetic data only)", style="bold"))
    width = max(len(label) for label, _ in places)
    for label, path in places:
        out_console.print(Text(f"  {label:<{width}}  {path.resolve()}"))
    sig = workspace.signals
    out_console.print(
        Text(
            f"Signals: a youth-care institution and the police encoded their synthetic clients "
            f"locally; linking the encodings found {sig.n_links} persons in both "
            f"(precision {sig.precision:.3f}, recall {sig.recall:.3f} against the known truth)."
        )
    )
    online = workspace.online
    out_console.print(
        Text(
            f"Online: {online.n_ads} synthetic ads ingested and linked into {online.n_clusters} "
            f"clusters ({online.n_networks} networks of more than one ad; pairwise F1 "
            f"{online.f1:.3f} against the known operators). Top of the queue: "
            f"{online.top_cluster} (priority {online.top_priority:.2f}); see it with "
            f"ketenbeeld --data-dir {workspace.directory} online queue --top 5"
        )
    )
    extract = workspace.extract
    out_console.print(
        Text(
            f"Assisted coding: {extract.n_values} values proposed, each with the words it rests "
            f"on, for the fictional summaries in {extract.summaries} (in {extract.proposals}); "
            f"measure them with ketenbeeld cases evaluate --gold <hand-coded> "
            f"--pred {extract.proposals}"
        )
    )
    from ketenbeeld.demo import DEMO_SEED
    from ketenbeeld.demo_chain import run_chain_demo

    with err_console.status("Starting the hub and three nodes, registering synthetic clients…"):
        chain = run_chain_demo(
            workspace.directory / "chain",
            seed=DEMO_SEED,
            serve=not no_serve,
            hub_port=None if no_serve else HUB_PORT,
            node_ports=NODE_PORTS,
        )
    out_console.print(
        Text(
            f"Chain: a youth-care institution, the police and the probation service registered "
            f"{chain.n_signals} concerns through their own nodes; the hub, which never saw a "
            f"name, found {chain.n_matches} matches and told both sides."
        )
    )
    out_console.print(
        f"Next: ketenbeeld --data-dir {workspace.directory} cases stats", highlight=False
    )
    if no_serve:
        return
    web = _serve_workspace(workspace.database, web_port)
    _print_logins(chain, web_port)
    handler = functools.partial(_ReportHandler, directory=str(workspace.directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    out_console.print(
        f"Serving the report at http://127.0.0.1:{port}/report.html (Ctrl-C stops).",
        highlight=False,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        out_console.print("Stopped.")
    finally:
        server.server_close()
        web[0].should_exit = True
        web[1].join(10)
        chain.stop()


def _serve_workspace(database: Path, web_port: int) -> tuple[Any, Any]:
    """The research and online workspace's web app, with one demo login per role."""
    from ketenbeeld.demo_chain import ensure_demo_user, start_server
    from ketenbeeld.storage import make_engine
    from ketenbeeld.web import WebContext, create_app

    engine = make_engine(f"sqlite:///{database.resolve()}")
    for username, role, name in WORKSPACE_USERS:
        ensure_demo_user(engine, username, role, WORKSPACE_ORG, name)
    context = WebContext(engine, WORKSPACE_ORG, secure_cookies=False)
    return start_server(create_app(context), web_port)


def _print_logins(chain: ChainDemo, web_port: int) -> None:
    from ketenbeeld.demo_chain import DEMO_PASSWORD

    out_console.print(
        Text(f"Web applications (every demo password: {DEMO_PASSWORD}):", style="bold")
    )
    for username, role, _ in WORKSPACE_USERS:
        out_console.print(
            f"  http://127.0.0.1:{web_port}/  login {username:<16} ({role})", highlight=False
        )
    for code, url in chain.node_urls.items():
        out_console.print(
            f"  {url}/  login {code:<16} (professional of {code}: Signalen)", highlight=False
        )
    out_console.print(
        f"  Hub API (no web pages; organisations use it through their node): {chain.hub_url}/docs",
        highlight=False,
    )
