"""Onderzoek: coded cases (list, detail, import), statistics with plots, the report."""

# No `from __future__ import annotations`: FastAPI reads the signatures at run time.
import shutil
import tempfile
from pathlib import Path, PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from ketenbeeld import cases as domain
from ketenbeeld.accounts import Account
from ketenbeeld.cases.codebook import Entity, Variable
from ketenbeeld.web.cache import ViewCache
from ketenbeeld.web.context import WebContext, job_runner, view_cache, web_context
from ketenbeeld.web.i18n import translate
from ketenbeeld.web.jobs import JobRunner, Progress
from ketenbeeld.web.render import page
from ketenbeeld.web.security import language, require

__all__ = ["router", "shown_value", "statistics_of"]

router = APIRouter(prefix="/onderzoek", include_in_schema=False)

Researcher = Annotated[Account, Depends(require("onderzoek"))]
Context = Annotated[WebContext, Depends(web_context)]
Runner = Annotated[JobRunner, Depends(job_runner)]
Cache = Annotated[ViewCache, Depends(view_cache)]
PAGE_SIZE = 100
CASES_CHANGED = ("cases.import", "cases.delete")
"""The audit actions after which statistics and the report are computed again."""
_MAX_UPLOAD = 50 * 1024 * 1024


@router.get("", response_class=HTMLResponse)
def case_list(request: Request, account: Researcher, context: Context, pagina: int = 1) -> Response:
    total = domain.count_cases(context.engine)
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(1, pagina), pages)
    shown = domain.list_cases(context.engine, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return page(
        request, "cases_list.html", title_key="cases.title", cases=shown, total=total,
        page_number=number, pages=pages,
    )  # fmt: skip


def shown_value(variable: Variable, value: Any, lang: str) -> str:
    """A coded value as people read it: the codebook's label, yes/no, or unknown."""
    if value is None:
        return translate("cases.unknown", lang)
    if isinstance(value, bool):
        return translate("yes" if value else "no", lang)
    if isinstance(value, list):
        return ", ".join(variable.value_labels.get(v, {}).get(lang, str(v)) for v in value)
    return variable.value_labels.get(str(value), {}).get(lang, str(value))


def _fields(entity: Entity, record: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    return [
        (v.label.get(lang, v.name), shown_value(v, record.get(v.name), lang))
        for v in entity.variables
    ]


@router.get("/zaken/{case_id:path}", response_class=HTMLResponse)
def case_detail(request: Request, case_id: str, account: Researcher, context: Context) -> Response:
    case = domain.load_case(context.engine, case_id)
    book = domain.load_codebook(case.codebook_version)
    lang = language(request)
    return page(
        request,
        "case_detail.html",
        title_key="cases.title",
        case=case,
        case_fields=_fields(book.case, case.case, lang),
        perpetrators=[(p, _fields(book.perpetrator, p, lang)) for p in case.perpetrators],
        victims=[(v, _fields(book.victim, v, lang)) for v in case.victims],
    )


@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request, account: Researcher) -> Response:
    return page(request, "cases_import.html", title_key="cases.import_title")


async def _save_uploads(files: list[UploadFile], folder: Path) -> list[Path]:
    paths = []
    for number, upload in enumerate(files, start=1):
        # Keep the user's file name (messages name it) but never its directories.
        name = PurePath(upload.filename or f"upload-{number}").name or f"upload-{number}"
        path = folder / f"{number:03d}" / name
        path.parent.mkdir()
        data = await upload.read(_MAX_UPLOAD + 1)
        path.write_bytes(data[:_MAX_UPLOAD])
        paths.append(path)
    return paths


@router.post("/import", response_class=HTMLResponse)
async def import_files(
    request: Request,
    account: Researcher,
    context: Context,
    runner: Runner,
    files: list[UploadFile],
    dry_run: Annotated[bool, Form()] = False,
) -> Response:
    lang = language(request)
    uploads = [f for f in files if f.filename]
    if not uploads:
        message = translate("cases.no_files", lang)
        return page(
            request, "cases_import.html", status_code=422, title_key="cases.import_title",
            message=message, message_kind="error",
        )  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="kb-import-"))
    paths = await _save_uploads(uploads, folder)
    actor = f"web:{account.username}"

    def work(progress: Progress) -> dict[str, object]:
        try:
            return _import(
                context, paths, dry_run=dry_run, actor=actor, lang=lang, progress=progress
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    job_id, _ = runner.submit(
        "cases.import", work, organisation=account.organisation, by=account.username
    )
    return RedirectResponse(f"/taken/{job_id}", status_code=303)


def _import(
    context: WebContext,
    paths: list[Path],
    *,
    dry_run: bool,
    actor: str,
    lang: str,
    progress: Progress,
) -> dict[str, object]:
    """Read, validate and (unless a dry run) import the files: the job's work."""
    book = domain.load_codebook("1")
    read = 0

    def on_case() -> None:
        nonlocal read
        read += 1
        if read % 50 == 0:
            progress(read, None)

    case_files = domain.read_case_files(paths, book, on_case=on_case)
    n_cases = sum(len(f.cases) for f in case_files)
    progress(n_cases, n_cases)
    if dry_run:
        return {"message": translate("cases.dry_ok", lang, n=n_cases), "next": "/onderzoek"}
    summary = domain.import_cases(context.engine, case_files, actor=actor)
    message = translate(
        "cases.import_ok", lang, n=summary.n_cases, new=summary.n_new, replaced=summary.n_replaced
    )
    return {"message": message, "next": "/onderzoek"}


def statistics_of(context: WebContext, cache: ViewCache) -> "domain.CaseStatistics | None":
    def compute() -> "domain.CaseStatistics | None":
        cases = domain.load_cases(context.engine)
        if not cases:
            return None
        return domain.compute_statistics(cases, min_cell=context.min_cell)

    return cache.get("cases.statistics", compute, depends=CASES_CHANGED)


def _plots(stats: "domain.CaseStatistics", lang: str, cache: ViewCache) -> dict[str, Markup]:
    from ketenbeeld.cases.plots import proportions_svg, recruitment_curve_svg, trend_svg

    def compute() -> dict[str, Markup]:
        # Markup: the plots are our own SVG, with every text escaped by matplotlib.
        cell = stats.min_cell
        return {
            "proportions": Markup(proportions_svg(stats.rows, lang=lang, min_cell=cell)),  # noqa: S704
            "recruitment": Markup(recruitment_curve_svg(stats.recruitment, lang=lang)),  # noqa: S704
            "trend": Markup(trend_svg(stats.trend, lang=lang, min_cell=cell)),  # noqa: S704
        }

    return cache.get(f"cases.plots.{lang}", compute, depends=CASES_CHANGED)


@router.get("/statistiek", response_class=HTMLResponse)
def statistics(request: Request, account: Researcher, context: Context, cache: Cache) -> Response:
    stats = statistics_of(context, cache)
    plots = _plots(stats, language(request), cache) if stats is not None else {}
    return page(request, "stats.html", title_key="stats.title", stats=stats, plots=plots)


@router.get("/rapport.{kind}")
def report(
    request: Request, kind: str, account: Researcher, context: Context, cache: Cache
) -> Response:
    from ketenbeeld.errors import InputError, NotFoundError

    if kind not in ("html", "pdf"):
        raise NotFoundError("the report is available as rapport.html and rapport.pdf")
    stats = statistics_of(context, cache)
    if stats is None:
        raise InputError("the database holds no cases yet", hint="import coded cases first")
    lang = language(request)
    html = cache.get(
        f"cases.report.{lang}",
        lambda: domain.render_report_html(stats, lang=lang),
        depends=CASES_CHANGED,
    )
    if kind == "html":
        return Response(html, media_type="text/html; charset=utf-8")
    pdf = cache.get(
        f"cases.report.pdf.{lang}", lambda: domain.report_pdf_bytes(html), depends=CASES_CHANGED
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="ketenbeeld-rapport.pdf"'},
    )
