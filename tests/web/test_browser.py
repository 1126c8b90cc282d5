"""Browser tests: Playwright driving Debian's Chromium through every module's main flow.

Each test walks a flow as a person would (keyboard and forms, no API shortcuts) on
real servers: a hub, three organisations' node web applications and a research and
online workspace, all on 127.0.0.1. With ``KETENBEELD_SCREENSHOTS=DIR`` the pages are
saved to DIR (docs/screenshots is made that way).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ketenbeeld.online.cluster import cluster_ads
from ketenbeeld.online.ingest import ingest_ads, store_clusters, stored_ads
from ketenbeeld.online.synth import generate_ads, write_ads_jsonl
from ketenbeeld.signals.encode import Encoder
from ketenbeeld.signals.hub.admin import create_organisation
from ketenbeeld.signals.hub.api import create_app as hub_app
from ketenbeeld.signals.hub.service import Hub, hub_config
from ketenbeeld.signals.node import HubClient, Node
from ketenbeeld.signals.schema import load_schema
from ketenbeeld.storage import make_engine
from ketenbeeld.synth import generate_cohort, write_cohort_jsonl
from ketenbeeld.web import WebContext, create_app

from .conftest import KEY, PASSWORD, add_users, free_port, serve

CHROMIUM = os.environ.get("KETENBEELD_CHROMIUM", "/usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and os.environ.get("KETENBEELD_REQUIRE_BROWSER") != "1",
        reason=f"no Chromium at {CHROMIUM} (.ci/run installs it with apt-get install chromium)",
    ),
]

PERSON = {
    "f-first_name": "Noor",
    "f-last_name": "Bakker",
    "f-date_of_birth": "04-11-2008",
    "f-postcode": "8011 CW",
    "f-house_number": "3",
    "f-city": "Zwolle",
}


@dataclass
class Sites:
    workspace: str
    nodes: dict[str, str]
    cohort: Path
    bad_csv: Path
    summary: Path


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    folder = tmp_path_factory.mktemp("browser")
    servers, engines, clients = [], [], []
    hub_engine = make_engine(f"sqlite:///{folder / 'hub.db'}", sqlite_immediate=True)
    engines.append(hub_engine)
    port = free_port()
    servers.append(serve(hub_app(Hub(hub_engine, hub_config("dutch-person", 0.8))), port))
    hub_url = f"http://127.0.0.1:{port}"
    encoder = Encoder(load_schema("dutch-person"), KEY)
    nodes = {}
    for code, name, kind in (
        ("jeugdzorg-oost", "Jeugdzorg Oost", "jeugdzorg"),
        ("politie-oost", "Politie Oost-Nederland", "politie"),
        ("reclassering", "Reclassering Nederland", "reclassering"),
    ):
        token = create_organisation(hub_engine, code, name, kind, actor="test")
        engine = make_engine(f"sqlite:///{folder / (code + '.db')}")
        engines.append(engine)
        client = HubClient(hub_url, token)
        clients.append(client)
        add_users(engine, code, prefix=f"{code.split('-')[0]}-")
        node = Node(engine, client, encoder, actor=f"node:{code}")
        app = create_app(WebContext(engine, code, node=node, secure_cookies=False))
        node_port = free_port()
        servers.append(serve(app, node_port))
        nodes[code] = f"http://127.0.0.1:{node_port}"

    workspace = make_engine(f"sqlite:///{folder / 'workspace.db'}")
    engines.append(workspace)
    add_users(workspace, "werkruimte")
    ads = folder / "ads.jsonl"
    write_ads_jsonl(generate_ads(300, 5).ads, ads)
    ingest_ads(workspace, [ads], actor="test")
    store_clusters(workspace, cluster_ads(stored_ads(workspace)).cluster_of, actor="test")
    web_port = free_port()
    servers.append(
        serve(create_app(WebContext(workspace, "werkruimte", secure_cookies=False)), web_port)
    )

    cohort = folder / "cohort.jsonl"
    write_cohort_jsonl(generate_cohort(25, 7), cohort)
    bad = folder / "dossiers.csv"
    text = (Path(__file__).parents[1] / "data" / "two_cases.csv").read_text()
    bad.write_text(text.replace("female,,,,,,,homeless", "vrouw,,,,,,,homeless"))
    try:
        summary = Path(__file__).parents[1] / "data" / "extract" / "case-01.txt"
        yield Sites(f"http://127.0.0.1:{web_port}", nodes, cohort, bad, summary)
    finally:
        for server, thread in servers:
            server.should_exit = True
            thread.join(10)
        for client in clients:
            client.close()
        for engine in engines:
            engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser) -> Iterator[object]:
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def shot(page, name: str) -> None:
    folder = os.environ.get("KETENBEELD_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def log_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def test_login_failure_then_success_and_keyboard_focus(sites, new_page):
    page = new_page()
    page.goto(f"{sites.workspace}/")
    assert page.url.endswith("/login")
    shot(page, "01-inloggen")
    log_in(page, sites.workspace, "onderzoeker", "not the password")
    assert (
        page.get_by_role("alert").inner_text() == "De gebruikersnaam of het wachtwoord klopt niet."
    )
    log_in(page, sites.workspace, "onderzoeker")
    assert page.get_by_role("heading", level=1).inner_text() == "Welkom, onderzoeker"
    shot(page, "02-start")
    # The first Tab reaches the skip link, which is visible when focused.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Naar de inhoud"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_a_tampered_csrf_token_is_refused_in_the_browser(sites, new_page):
    page = new_page()
    log_in(page, sites.workspace, "beheerder")
    page.goto(f"{sites.workspace}/beheer")
    page.evaluate(
        "document.querySelectorAll('input[name=csrf_token]').forEach(e => e.value = 'forged')"
    )
    page.get_by_label("Gebruikersnaam").fill("mallory")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmaken").click()
    assert "CSRF-controle" in page.get_by_role("alert").inner_text()
    page.goto(f"{sites.workspace}/beheer")
    assert "mallory" not in page.content()


def test_research_flow_import_problems_then_cases_statistics_report(sites, new_page):
    page = new_page()
    log_in(page, sites.workspace, "onderzoeker")
    page.get_by_role("link", name="Onderzoek").first.click()
    page.get_by_role("link", name="Importeren").click()
    shot(page, "03a-onderzoek-import")
    page.get_by_label("Bestanden").set_input_files(str(sites.bad_csv))
    page.get_by_role("button", name="Importeren").click()
    # The import runs as a job; its page shows the outcome when it has finished.
    page.locator('#job[data-status="failed"]').wait_for(timeout=60_000)
    assert page.get_by_role("alert").inner_text() == "1 probleem gevonden; er is niets opgeslagen."
    row = page.locator("#problems tbody tr").first
    assert row.locator("td").all_inner_texts() == [
        "dossiers.csv, row 6",
        "victims.V1.gender",
        "is not an allowed value: must be one of male, female, other",
    ]
    shot(page, "03-onderzoek-import-fouten")
    page.get_by_role("link", name="Terug").click()
    page.get_by_label("Bestanden").set_input_files(str(sites.cohort))
    page.get_by_role("button", name="Importeren").click()
    page.locator('#job[data-status="done"]').wait_for(timeout=60_000)
    assert "25 zaken geïmporteerd" in page.get_by_role("status").inner_text()
    page.get_by_role("link", name="Verder").click()
    assert "25 zaken in de database" in page.locator("caption").inner_text()
    shot(page, "04-onderzoek-zaken")
    page.locator("tbody a").first.click()
    assert page.get_by_role("heading", level=2, name="Daders").count() == 1
    shot(page, "05-onderzoek-zaak")
    page.goto(f"{sites.workspace}/onderzoek/statistiek")
    assert page.locator("figure svg").count() == 3
    shot(page, "06-onderzoek-statistiek")
    with page.expect_download() as download:
        page.get_by_role("link", name="Rapport (PDF)").click()
    assert download.value.suggested_filename == "ketenbeeld-rapport.pdf"


def test_extraction_job_progress_review_and_import(sites, new_page):
    page = new_page()
    log_in(page, sites.workspace, "onderzoeker")
    page.goto(f"{sites.workspace}/onderzoek/extractie")
    shot(page, "06a-onderzoek-extractie")
    page.get_by_label("Bestanden").set_input_files(str(sites.summary))
    assert page.get_by_label("Eerst pseudonimiseren", exact=False).is_checked()
    page.get_by_role("button", name="Coderen").click()
    assert "/taken/j-" in page.url
    # htmx refreshes the progress until the job is done, then offers the next page.
    page.locator('#job[data-status="done"]').wait_for(timeout=120_000)
    assert page.locator("#job progress").get_attribute("value") == "100"
    shot(page, "06c-taak-klaar")
    page.get_by_role("link", name="Verder").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("case-01")
    assert page.locator(".summary mark").count() >= 5
    assert "Dylan Koster" not in page.content()
    field = page.locator("#f-victims-V1-first_contact_platform")
    field.get_by_role("button", name="Accepteren").click()
    field = page.locator("#f-victims-V1-first_contact_platform")
    assert "geaccepteerd door onderzoeker" in field.inner_text()
    shot(page, "06b-onderzoek-beoordelen")
    page.get_by_role("button", name="Zaak importeren").click()
    assert "De zaak case-01 is geïmporteerd." in page.get_by_role("status").inner_text()


def test_signals_two_nodes_register_the_same_person_and_both_see_the_match(sites, new_page):
    jeugdzorg, politie = new_page(), new_page()
    log_in(jeugdzorg, sites.nodes["jeugdzorg-oost"], "jeugdzorg-professional")
    log_in(politie, sites.nodes["politie-oost"], "politie-professional")
    for page, contact in ((jeugdzorg, "Team Zwolle jeugd, 038-1234567"), (politie, "THB Oost")):
        page.get_by_role("link", name="Signalen").first.click()
        for field, value in PERSON.items():
            page.locator(f"#{field}").fill(value)
        page.get_by_label("Hoe bereikt een andere professional u").fill(contact)
        if page is jeugdzorg:
            shot(page, "07-signalen-formulier")
        page.get_by_role("button", name="Registreren").click()
    assert "Het signaal is geregistreerd." in jeugdzorg.get_by_role("status").inner_text()
    assert "Er is een match" in politie.get_by_role("status").inner_text()
    shot(politie, "08-signalen-match-gemeld")
    for page, other in ((jeugdzorg, "Politie Oost-Nederland"), (politie, "Jeugdzorg Oost")):
        page.get_by_role("link", name="Matches").first.click()
        assert page.locator("tbody tr").count() == 1
        assert other in page.locator("tbody tr").inner_text()
    shot(jeugdzorg, "09-signalen-matches")
    jeugdzorg.get_by_role("link", name="Bekijken").click()
    assert "THB Oost" in jeugdzorg.content()
    jeugdzorg.get_by_role("button", name="Regie nemen").click()
    assert jeugdzorg.locator("h1 .badge").inner_text() == "regie genomen"
    shot(jeugdzorg, "10-signalen-match")
    politie.reload()
    politie.get_by_role("link", name="Bekijken").click()
    assert politie.locator("h1 .badge").inner_text() == "regie genomen"
    # The probation service cannot open this match by its URL.
    match_url = jeugdzorg.url.replace(sites.nodes["jeugdzorg-oost"], sites.nodes["reclassering"])
    reclassering = new_page()
    log_in(reclassering, sites.nodes["reclassering"], "reclassering-professional")
    answer = reclassering.goto(match_url)
    assert answer.status == 404
    assert "Noor" not in reclassering.content()


def test_online_queue_cluster_and_status(sites, new_page):
    page = new_page()
    log_in(page, sites.workspace, "analist")
    page.get_by_role("link", name="Online").first.click()
    first = page.locator("ol.terms > li").first
    assert first.locator("ul li").count() >= 1
    shot(page, "11-online-wachtrij")
    first.locator("h2 a").click()
    assert page.locator("table tbody tr").count() >= 1
    page.get_by_label("Status").select_option("in_review")
    page.get_by_label("Notitie").fill("eerste beoordeling")
    page.get_by_role("button", name="Opslaan").click()
    assert page.locator("h1 .badge").inner_text() == "in behandeling"
    shot(page, "12-online-netwerk")


def test_admin_users_and_audit(sites, new_page):
    page = new_page()
    log_in(page, sites.workspace, "beheerder")
    page.get_by_role("link", name="Beheer").first.click()
    shot(page, "13-beheer-gebruikers")
    page.get_by_role("link", name="Auditlog").click()
    assert "Het auditlog is intact" in page.get_by_role("status").inner_text()
    shot(page, "14-beheer-audit")
    page.get_by_role("link", name="English").click()
    assert "The audit log is intact" in page.get_by_role("status").inner_text()


AXE = Path(__file__).parent / "vendor" / "axe.min.js"  # axe-core 4.14.1 (MPL-2.0)


def violations(page) -> list[str]:
    """WCAG 2.1 A/AA rule violations axe-core finds on the page, as 'rule: target'."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [f"{v['id']}: {node['target']}" for v in result["violations"] for node in v["nodes"]]


def test_pages_pass_the_wcag_checks_of_axe_core(sites, new_page):
    pages = {
        "onderzoeker": (
            "/login", "/", "/onderzoek", "/onderzoek/import", "/onderzoek/statistiek",
            "/onderzoek/extractie",
        ),
        "analist": ("/online",),
        "beheerder": ("/beheer", "/beheer/audit"),
    }  # fmt: skip
    found = {}
    for username, paths in pages.items():
        page = new_page()
        log_in(page, sites.workspace, username)
        for path in paths:
            page.goto(f"{sites.workspace}{path}")
            found[path] = violations(page)
        if username == "analist":
            page.locator("ol.terms > li h2 a").first.click()
            found["/online/clusters/..."] = violations(page)
    professional = new_page()
    log_in(professional, sites.nodes["politie-oost"], "politie-professional")
    for path in ("/signalen", "/signalen/matches"):
        professional.goto(f"{sites.nodes['politie-oost']}{path}")
        found[path] = violations(professional)
    assert {path: v for path, v in found.items() if v} == {}
