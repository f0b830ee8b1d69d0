"""The tool kit's documents: the catalogue, the context a template sees, and rendering to Word.

Each document is a Jinja template in `case_templates/documents/` (a register may override any of them
in its own `templates/` folder), written in the Markdown subset of `wbcr.docx_writer`, and listed in
`catalogue.yaml` with what it is for and at which stage it is used. Adding a letter is a data change:
a template and a catalogue entry.

Jinja runs sandboxed with strict undefined values. Every value a template prints (`{{ … }}`) becomes a
marker that the Word writer replaces with the value's text, so nothing a user typed is ever read as
markup. A template error names the template, the line and the missing field.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from wbcr.core.errors import FindingsError, UsageError, WbcrError
from wbcr.model.case import build_case
from wbcr.model.register import Register
from wbcr.model.vocabulary import vocabulary
from wbcr.core.resources import case_templates_dir
from wbcr.core.yamlio import atomic_write, load_record
from wbcr.core.calendar import Calendar
from wbcr.documents.docx_writer import FormField, HouseStyle, Values, format_date, markdown_to_docx
from wbcr.documents.flowchart import format_mermaid, png_file
from wbcr.documents.publication import check_publication_bytes
from wbcr.security.passwords import case_password
from wbcr.security.protection import protect_bytes
from wbcr.store.case import load_case, open_sealed
from wbcr.workflow.deadlines import compute_deadlines, procedure_for


@dataclass(frozen=True)
class DocumentSpec:
    name: str
    title: str
    purpose: str
    appendix: int | None
    stages: tuple[str, ...]
    kind: str                      # form, letter, report
    template: str
    per_agency: bool = False
    recipients: tuple[str, ...] = ()
    blank_form: bool = False
    landscape: bool = False
    publication: bool = False
    needs: tuple[str, ...] = ()     # extra context: "flowchart"
    case: bool | str = True        # "optional": with or without a case (a blank form)
    frameworks: tuple[str, ...] = ()  # the frameworks whose cases use it (empty: every one)
    instead: str | None = None     # the document a case of another framework uses for the same purpose

    def as_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "purpose": self.purpose, "appendix": self.appendix,
                "stages": list(self.stages), "kind": self.kind, "per_agency": self.per_agency,
                "recipients": list(self.recipients), "publication": self.publication, "template": self.template,
                "frameworks": list(self.frameworks), "instead": self.instead}

    def applies_to(self, procedure) -> bool:
        """Whether a case under `procedure` uses this document (None: the register has no readable one)."""
        return not self.frameworks or procedure is None or procedure.framework in self.frameworks


def documents_dir() -> Path:
    return case_templates_dir() / "documents"


@cache
def catalogue() -> dict[str, DocumentSpec]:
    data = load_record(documents_dir() / "catalogue.yaml", "case_templates/documents/catalogue.yaml")
    out = {}
    for item in data["documents"]:
        out[item["name"]] = DocumentSpec(
            name=item["name"], title=item["title"], purpose=item["purpose"], appendix=item.get("appendix"),
            stages=tuple(item.get("stages") or ()), kind=item["kind"], template=item["template"],
            per_agency=bool(item.get("per_agency")), recipients=tuple(item.get("recipients") or ()),
            blank_form=bool(item.get("blank_form")), landscape=bool(item.get("landscape")),
            publication=bool(item.get("publication")), needs=tuple(item.get("needs") or ()),
            case=item.get("case", True), frameworks=tuple(item.get("frameworks") or ()),
            instead=item.get("instead"))
    return out


def get_spec(name: str) -> DocumentSpec:
    specs = catalogue()
    if name not in specs:
        import difflib

        near = difflib.get_close_matches(name, list(specs), n=1)
        raise UsageError(f'no document called "{name}"',
                         hint=(f'did you mean "{near[0]}"? ' if near else "") + "`wbcr documents` lists them")
    return specs[name]


# --- the context a template sees -------------------------------------------------------------------


def _directory(config: dict, key: str) -> dict[str, dict]:
    return {item["id"]: item for item in config.get(key) or [] if isinstance(item, dict) and "id" in item}


#: national bodies a letter may go to whether or not the register's external_bodies list them
STATUTORY_BODIES = ("ofsted", "dfe", "national_panel", "secretary_of_state")


def recipient_details(register: Register, records: dict, to: str) -> dict:
    """Name, role and address of a recipient named by id: an external body, the notifier, an agency…"""
    config = register.config
    external = config.get("external_bodies") or {}
    if to in external:
        return {"id": to, **external[to]}
    if to == "notifier":
        referrer = (records.get("referral") or {}).get("referrer") or {}
        agency = _directory(config, "agencies").get(referrer.get("agency"), {})
        return {"id": to, "name": referrer.get("name", "The referrer"), "role": referrer.get("role"),
                "agency": agency.get("name"), "email": referrer.get("email")}
    if to == "family":
        return {"id": to, "name": "The family", "role": None}
    if to == "safeguarding_partners":
        partners = [p.get("name") for p in config.get("safeguarding_partners") or [] if isinstance(p, dict) and p.get("name")]
        return {"id": to, "name": "The safeguarding partners", "role": "; ".join(partners) or None}
    if to == "requesting_board":
        out_of_area = (records.get("referral") or {}).get("out_of_area") or {}
        contact = out_of_area.get("contact") if isinstance(out_of_area.get("contact"), dict) else {}
        return {"id": to, "name": contact.get("name") or out_of_area.get("requesting_board") or "The requesting partnership",
                "role": contact.get("role"), "agency": out_of_area.get("requesting_board"), "email": contact.get("email")}
    if to == "independent_chair":
        return {"id": to, **(config.get("independent_chair") or {})}
    if to == "crg_chair":
        return {"id": to, **((config.get("crg") or {}).get("chair") or {})}
    lscb = _directory(config, "lscbs").get((records.get("case") or {}).get("lead_lscb"), {})
    if to == "business_manager":
        return {"id": to, **(lscb.get("business_manager") or {})}
    if to == "head_of_safeguarding":
        return {"id": to, **(lscb.get("head_of_safeguarding") or {})}
    if to in STATUTORY_BODIES:  # a body every register may write to, though its wbcr.yaml does not list it
        return {"id": to, "name": vocabulary(None, config).label("recipient", to), "role": None}
    raise UsageError(f'unknown recipient "{to}"',
                     hint="one of: " + ", ".join(sorted([*external, "notifier", "family", "independent_chair",
                                                         "crg_chair", "business_manager", "head_of_safeguarding",
                                                         "safeguarding_partners", "requesting_board"])))


def _default_procedure(register: Register) -> Any:
    """The register's default procedure, or None when it names none wbcr can read (a validation finding)."""
    try:
        return register.procedure()
    except WbcrError:
        return None


def build_context(register: Register, reference: str | None, today: dt.date, *, agency: str | None = None,
                  to: str | None = None, password: str | None = None) -> dict[str, Any]:
    config = register.config
    agencies = _directory(config, "agencies")
    lscbs = _directory(config, "lscbs")
    context: dict[str, Any] = {
        "board": config.get("board") or {}, "lscbs": list(lscbs.values()),
        "independent_chair": config.get("independent_chair") or {}, "crg": config.get("crg") or {},
        "safeguarding_partners": [p for p in config.get("safeguarding_partners") or [] if isinstance(p, dict)],
        "external": config.get("external_bodies") or {}, "agencies": agencies, "today": today,
        "marking": config.get("protective_marking", "OFFICIAL-SENSITIVE"),
        "reference": reference or "", "case": {}, "referral": {}, "decisions": {}, "review": {},
        "notifications": {}, "recommendations": {}, "people": [], "subjects": [], "child": {},
        "chronology": {}, "deadlines": {}, "agency": None, "recipient": None, "procedure": None, "model": None,
    }
    procedure = None
    if reference is not None:
        records = open_sealed(register, reference, load_case(register, reference), password)
        case = records["case"]
        context["model"] = build_case(records)  # the typed case: dates as dates, each action's latest rating
        context.update({k: records.get(k) or {} for k in ("case", "referral", "decisions", "review", "notifications",
                                                           "recommendations")})
        context["chronology"] = records.get("chronology") or {}
        people = (records.get("people") or {}).get("people") or []
        context["people"] = people
        subjects = set((records.get("referral") or {}).get("subjects") or [])
        context["subjects"] = [p for p in people if p.get("id") in subjects or p.get("role") == "subject"]
        context["child"] = context["subjects"][0] if context["subjects"] else {"pseudonym": case.get("pseudonym")}
        context["lscb"] = lscbs.get(case.get("lead_lscb"), {})
        try:
            procedure = procedure_for(context["model"].case, register)
        except WbcrError:
            procedure = None  # an unknown procedure is a validation finding; letters still render
        if procedure is not None:
            with contextlib.suppress(WbcrError):  # a record the deadlines cannot read: said by validate
                context["deadlines"] = {d.id: d.as_dict(today)
                                        for d in compute_deadlines(procedure, records, Calendar.from_config(config))}
        if to is not None:
            context["recipient"] = recipient_details(register, records, to)
    # the words of the case's procedure (a blank form, or a case whose procedure is unknown: the
    # register's default one) under the register's own `labels:`
    procedure = procedure or _default_procedure(register)
    vocab = register.vocabulary(procedure) if procedure is not None else vocabulary(None, config)
    context.update(procedure=procedure, vocabulary=vocab, words=vocab.words, labels=vocab.labels)
    if agency is not None:
        if agency not in agencies:
            raise UsageError(f'unknown agency "{agency}"', hint=f"agencies: {', '.join(sorted(agencies))}")
        context["agency"] = agencies[agency]
        if context["recipient"] is None:
            dsm = agencies[agency].get("designated_senior_manager") or {}
            context["recipient"] = {"id": f"agency:{agency}", **dsm, "agency": agencies[agency]["name"]}
    return context


# --- rendering -------------------------------------------------------------------------------------


@dataclass
class Rendered:
    name: str
    path: Path
    sha256: str
    protected: bool
    markdown: str = field(repr=False, default="")


def template_search_path(register: Register | None) -> list[str]:
    paths = []
    if register is not None and (register.root / "templates").is_dir():
        paths.append(str(register.root / "templates"))
    paths.append(str(documents_dir()))
    return paths


def render_markdown(register: Register | None, spec: DocumentSpec, context: dict) -> tuple[str, Any]:
    """The template's Markdown (values as markers) and the values it refers to."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment
    from markupsafe import Markup


    values = Values()

    def finalize(value):
        if isinstance(value, Markup):
            return str(value)
        if isinstance(value, jinja2.Undefined):
            str(value)  # raises UndefinedError here, where the traceback still points at the template line
        return values.value_marker(value)

    def form_field(name: str, value: Any = "", label: str | None = None, multiline: bool = False) -> Markup:
        return Markup(values.field_marker(FormField(name, "" if value is None else value, label or name, multiline)))

    def image(name: str, path: Any) -> Markup:
        values.images[name] = Path(str(path))
        return Markup(f"![{name}]({name})")

    env = SandboxedEnvironment(loader=jinja2.FileSystemLoader(template_search_path(register)),
                               undefined=jinja2.StrictUndefined, finalize=finalize, autoescape=False,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["date"] = lambda v: format_date(v)
    vocab = context.get("vocabulary") or vocabulary(None, None)
    env.filters["label"] = lambda v, group: vocab.label(group, v)
    env.filters["yesno"] = lambda v: "Yes" if v else "No"
    def not_ready(reason: str) -> Markup:
        """Marks the document as not to be sent (a template says why, where it says so to the reader)."""
        values.not_ready.append(str(reason))
        return Markup("")

    env.globals.update(field=form_field, image=image, md=Markup, not_ready=not_ready)
    try:
        template = env.get_template(spec.template)
        text = template.render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise _template_error(exc, register, spec, context) from None
    except jinja2.UndefinedError as exc:
        raise _template_error(exc, register, spec, context) from None
    except jinja2.TemplateNotFound as exc:
        raise _template_error(exc, register, spec, context) from None
    except jinja2.exceptions.SecurityError as exc:
        raise _template_error(exc, register, spec, context) from None
    return text, values


def _template_error(exc: BaseException, register: Register | None, spec: DocumentSpec, context: dict) -> WbcrError:
    """One message for a template's error: whose template, the line where the problem starts, and the
    record and field a missing value comes from (see `wbcr.documents.template_check`)."""
    from wbcr.documents.template_check import explain_template_error

    return explain_template_error(exc, register.root if register is not None else None, documents_dir(),
                                  spec.template, context, register.config if register is not None else {})


def render_bytes(register: Register, name: str, reference: str | None, today: dt.date, *,
                 agency: str | None = None, to: str | None = None,
                 password: str | None = None, draft: bool = False) -> tuple[bytes, str, DocumentSpec]:
    """The document as Word bytes. A document whose template says it must not be sent yet is refused
    (exit 1, saying why) unless `draft`: then every page is watermarked DRAFT."""
    spec = get_spec(name)
    if spec.case is True and reference is None:
        raise UsageError(f'"{name}" is a case document: give the case reference')
    if spec.per_agency and agency is None:
        raise UsageError(f'"{name}" is written to one agency: give --agency ID',
                         hint=f"agencies: {', '.join(sorted(register.agency_ids()))}")
    if spec.recipients and to is None and not spec.per_agency:
        raise UsageError(f'"{name}" needs a recipient: give --to ({", ".join(spec.recipients)})')
    if to is not None and spec.recipients and to not in spec.recipients:
        raise UsageError(f'"{name}" is not written to "{to}"', hint=f"recipients: {', '.join(spec.recipients)}")
    context = build_context(register, reference, today, agency=agency, to=to, password=password)
    procedure = context["procedure"]
    if not spec.applies_to(procedure):
        whose = f"{reference} follows" if reference else "this register follows"
        raise UsageError(f'"{name}" is a document of {" and ".join(spec.frameworks)}; {whose} {procedure.title}',
                         hint=(f"use {spec.instead} for the same purpose; " if spec.instead else "")
                              + "`wbcr documents` lists every document and the frameworks it serves")
    context["document"] = spec
    with tempfile.TemporaryDirectory(prefix="wbcr-render-") as scratch:
        if "flowchart" in spec.needs:
            context["flowchart"] = _flowchart_context(register, context, Path(scratch))
        markdown, values = render_markdown(register, spec, context)
        if values.not_ready and not draft:
            what = f"{reference} {name}" if reference else name
            raise FindingsError(f"{what} must not be sent yet: {values.not_ready[0]}; nothing was written",
                                hint=f"record what it needs first (`wbcr next {reference}`), or render a watermarked "
                                     "draft with --draft (never to be sent or recorded as sent)")
        data = _to_docx(register, spec, context, markdown, values, reference, today, draft=draft)
    return data, markdown, spec


def _flowchart_context(register: Register, context: dict, scratch: Path) -> dict:
    procedure = context.get("procedure") or register.procedure()
    stages = [{"id": s, "title": procedure.title_of(s), "owner": procedure.owner_of(s), "action": procedure.action_of(s)}
              for s in procedure.stages]
    paths = {"intakes": {k: v["stages"] for k, v in procedure.intakes.items()}, "review_paths": procedure.review_paths}
    deadlines = [{"title": d.title, "offset": d.offset, "owner": d.owner} for d in procedure.deadlines]
    return {"png": png_file(procedure, scratch), "mermaid": format_mermaid(procedure), "title": procedure.title,
            "stages": stages, "paths": paths, "deadlines": deadlines}


def _to_docx(register: Register, spec: DocumentSpec, context: dict, markdown: str, values, reference, today,
             draft: bool = False) -> bytes:
    board = register.config.get("board") or {}
    logo = Path(register.root / board["logo"]) if board.get("logo") else None
    style = HouseStyle(board=board.get("name", "Safeguarding Children Board"), reference=reference or "register",
                       title=spec.title, marking="" if spec.publication else context["marking"], produced=today,
                       address=list(board.get("address") or []), logo=logo, landscape=spec.landscape,
                       blank_form=spec.blank_form, draft=draft)
    return markdown_to_docx(markdown, values, style)


#: the end of a draft's file name: `wbcr notify --document` refuses such a file
DRAFT_SUFFIX = "DRAFT"


def is_draft_name(filename: str) -> bool:
    return Path(filename).stem.upper().endswith("-" + DRAFT_SUFFIX)


def output_path(register: Register, reference: str | None, name: str, agency: str | None, to: str | None,
                draft: bool = False) -> Path:
    parts = [reference or "register", name]
    if agency:
        parts.append(agency)
    if to and to != agency:
        parts.append(to)
    if draft:
        parts.append(DRAFT_SUFFIX)
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", "-".join(parts))
    return register.root / "output" / (reference or "register") / f"{safe}.docx"


def render_document(register: Register, name: str, reference: str | None, today: dt.date, *,
                    agency: str | None = None, to: str | None = None, out: Path | None = None,
                    protect: bool = True, password: str | None = None, draft: bool = False) -> Rendered:
    """Render, check a publication document, protect with the case password, verify, write atomically."""
    data, markdown, spec = render_bytes(register, name, reference, today, agency=agency, to=to, password=password,
                                        draft=draft)
    if spec.publication and reference is not None:
        problems = check_publication_bytes(register, reference, data, display=name)
        if problems:
            raise FindingsError(f"{name} would identify the child or family: nothing was written",
                                findings=problems, hint="use pseudonyms and roles only in published documents")
    protected = False
    if protect and reference is not None:
        data = protect_bytes(data, password or case_password(register, reference))
        protected = True
    path = out or output_path(register, reference, name, agency, to, draft)
    if out is not None and out.is_dir():
        path = out / output_path(register, reference, name, agency, to, draft).name
    if draft and not is_draft_name(path.name):
        path = path.with_name(f"{path.stem}-{DRAFT_SUFFIX}{path.suffix}")
    atomic_write(path, data)
    return Rendered(name=name, path=path, sha256=hashlib.sha256(data).hexdigest(), protected=protected,
                    markdown=markdown)
