"""Onderzoek: proposed codings of summaries, reviewed beside the text and imported."""

# No `from __future__ import annotations`: FastAPI reads the signatures at run time.
from dataclasses import dataclass
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ketenbeeld.accounts import Account
from ketenbeeld.cases import drafts as domain
from ketenbeeld.cases.codebook import Variable, load_codebook
from ketenbeeld.errors import InputError, Problem, ValidationFailed
from ketenbeeld.web.context import WebContext, job_runner, web_context
from ketenbeeld.web.i18n import translate
from ketenbeeld.web.jobs import JobRunner, Progress
from ketenbeeld.web.render import page
from ketenbeeld.web.routes.cases import shown_value
from ketenbeeld.web.security import language, require

__all__ = ["router"]

router = APIRouter(prefix="/onderzoek/extractie", include_in_schema=False)

Researcher = Annotated[Account, Depends(require("onderzoek"))]
Context = Annotated[WebContext, Depends(web_context)]
Runner = Annotated[JobRunner, Depends(job_runner)]
_MAX_TEXT = 2 * 1024 * 1024
_HIDDEN = ("pid", "vid", "case_id", "label", "synthetic")


@dataclass(frozen=True)
class Field:
    """One value of a draft as the review page shows it."""

    path: str
    label: str
    variable: Variable
    value: Any
    form_value: str
    shown: str
    evidence: list[tuple[int, str]]
    review: dict[str, Any] | None


@dataclass(frozen=True)
class Segment:
    text: str
    mark: int | None
    paths: str


def _form_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


Quotes = dict[str, list[tuple[int, str]]]


def _segments(text: str, evidence: list[dict[str, Any]]) -> tuple[list[Segment], Quotes]:
    """The text cut at the evidence spans (each span one mark, overlaps merged)."""
    spans = sorted(
        (int(e["start"]), int(e["end"]), str(e["path"]))
        for e in evidence
        if 0 <= int(e["start"]) < int(e["end"]) <= len(text)
    )
    merged: list[list[Any]] = []
    for start, end, path in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].append(path)
        else:
            merged.append([start, end, [path]])
    segments: list[Segment] = []
    by_path: Quotes = {}
    at = 0
    for number, (start, end, paths) in enumerate(merged, start=1):
        if start > at:
            segments.append(Segment(text[at:start], None, ""))
        segments.append(Segment(text[start:end], number, " ".join(paths)))
        for path in paths:
            by_path.setdefault(path, []).append((number, text[start:end]))
        at = end
    if at < len(text):
        segments.append(Segment(text[at:], None, ""))
    return segments, by_path


def _fields(draft: domain.DraftView, lang: str, by_path: Quotes) -> list[tuple[str, list[Field]]]:
    document = draft.document
    book = load_codebook(str(document.get("codebook_version", "1")))
    reviews = {entry["path"]: entry for entry in document.get("review", [])}
    groups: list[tuple[str, list[Field]]] = []
    records = [("case", book.case, document["case"], translate("cases.case_id", lang))]
    for key, entity, title in (
        ("perpetrators", book.perpetrator, "cases.perpetrators"),
        ("victims", book.victim, "cases.victims"),
    ):
        for record in document.get(key, []):
            ident = record.get(entity.key)
            name = f" · {record['label']}" if record.get("label") else ""
            records.append((f"{key}.{ident}", entity, record, f"{ident}{name}"))
        if not document.get(key):
            groups.append((f"{translate(title, lang)}: 0", []))
    for prefix, entity, record, title in records:
        fields = []
        for variable in entity.variables:
            if variable.name in _HIDDEN:
                continue
            path = f"{prefix}.{variable.name}"
            value = record.get(variable.name)
            fields.append(
                Field(
                    path,
                    variable.label.get(lang, variable.name),
                    variable,
                    value,
                    _form_value(value),
                    shown_value(variable, value, lang),
                    by_path.get(path, []),
                    reviews.get(path),
                )
            )
        groups.append((title, fields))
    return groups


@router.get("", response_class=HTMLResponse)
def drafts(request: Request, account: Researcher, context: Context) -> Response:
    return page(
        request, "drafts.html", title_key="drafts.title", drafts=domain.list_drafts(context.engine)
    )


async def _texts(files: list[UploadFile]) -> list[tuple[str, str]]:
    texts, problems = [], []
    for number, upload in enumerate(files, start=1):
        name = PurePath(upload.filename or f"upload-{number}.txt").name
        data = await upload.read(_MAX_TEXT + 1)
        if len(data) > _MAX_TEXT:
            problems.append(Problem(name, "", "", "is larger than 2 MB"))
            continue
        try:
            texts.append((name, data.decode("utf-8").lstrip("\ufeff")))
        except UnicodeDecodeError:
            problems.append(Problem(name, "", "", "is not UTF-8 text"))
    if problems:
        raise ValidationFailed(problems, what="nothing was extracted")
    return texts


@router.post("", response_class=HTMLResponse)
async def extract(
    request: Request,
    account: Researcher,
    context: Context,
    runner: Runner,
    files: list[UploadFile],
    deidentify: Annotated[bool, Form()] = False,
) -> Response:
    uploads = [f for f in files if f.filename]
    if not uploads:
        raise InputError(translate("cases.no_files", language(request)))
    texts = await _texts(uploads)
    actor = f"web:{account.username}"

    def work(progress: Progress) -> dict[str, object]:
        progress(0, len(texts))
        deidentifier = context.deidentifier() if deidentify else None
        if deidentifier is not None:
            deidentifier.warm_up()  # the word lists: seconds, minutes after an install
        ids = domain.create_drafts(
            context.engine,
            texts,
            by=actor,
            deidentifier=deidentifier,
            on_text=lambda done: progress(done, len(texts)),
        )
        return {
            "next": "/onderzoek/extractie" if len(ids) > 1 else f"/onderzoek/extractie/{ids[0]}"
        }

    job_id, _ = runner.submit(
        "cases.extract", work, organisation=account.organisation, by=account.username,
        total=len(texts),
    )  # fmt: skip
    return RedirectResponse(f"/taken/{job_id}", status_code=303)


@router.get("/{draft_id}", response_class=HTMLResponse)
def review(
    request: Request, draft_id: int, account: Researcher, context: Context, imported: int = 0
) -> Response:
    draft = domain.load_draft(context.engine, draft_id)
    lang = language(request)
    segments, by_path = _segments(draft.text, draft.document.get("evidence", []))
    groups = _fields(draft, lang, by_path)
    total = sum(len(fields) for _, fields in groups)
    message = translate("drafts.imported", lang, case_id=draft.case_id) if imported else None
    return page(
        request, "draft_review.html", title_key="drafts.title", draft=draft, segments=segments,
        groups=groups, total=total, message=message,
    )  # fmt: skip


@router.post("/{draft_id}/waarde")
def review_value(
    draft_id: int,
    account: Researcher,
    context: Context,
    path: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
    accept: Annotated[str, Form()] = "",
) -> Response:
    if accept:
        value = accept.removeprefix("=")  # the proposal, as the button carries it
    domain.review_draft(context.engine, draft_id, path, value, by=account.username)
    anchor = path.replace(".", "-")
    return RedirectResponse(f"/onderzoek/extractie/{draft_id}#f-{anchor}", status_code=303)


@router.post("/{draft_id}/importeren")
def import_(draft_id: int, account: Researcher, context: Context) -> Response:
    domain.import_draft(context.engine, draft_id, by=f"web:{account.username}")
    return RedirectResponse(f"/onderzoek/extractie/{draft_id}?imported=1", status_code=303)
