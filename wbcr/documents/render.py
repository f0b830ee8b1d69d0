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
from wbcr.model.case import action_rows, build_case, stale_after_days
from wbcr.model.register import Register
from wbcr.model.vocabulary import vocabulary
from wbcr.core.resources import case_templates_dir
from wbcr.core.exports import write_export
from wbcr.core.yamlio import load_record
from wbcr.core.calendar import Calendar
from wbcr.core.dates import as_date
from wbcr.documents.docx_writer import FIELD_KINDS, YES_NO, FormField, HouseStyle, Values, format_date, markdown_to_docx
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
    plain: bool = False            # to a member of the public (the family): no marking or reference in view

    def as_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "purpose": self.purpose, "appendix": self.appendix,
                "stages": list(self.stages), "kind": self.kind, "per_agency": self.per_agency,
                "recipients": list(self.recipients), "publication": self.publication, "template": self.template,
                "frameworks": list(self.frameworks), "instead": self.instead,
                "blank_form": self.blank_form and self.case == "optional"}

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
            instead=item.get("instead"), plain=bool(item.get("plain")))
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


def recipient_details(register: Register, records: dict, to: str, person: str | None = None) -> dict:
    """Name, role and address of a recipient named by id: an external body, the notifier, an agency…;
    for the family, the family member `person` (their id in people.yaml) with their name and address."""
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
        if person is None:
            return {"id": to, "name": "The family", "role": None, "person": None}
        people = {p.get("id"): p for p in (records.get("people") or {}).get("people") or [] if isinstance(p, dict)}
        if person not in people:
            raise UsageError(f'no person "{person}" in people.yaml',
                             hint="people: " + ", ".join(str(k) for k in people if k) if people else
                                  "record the family in people.yaml first")
        who = people[person]
        address = [line.strip() for line in str(who.get("address") or "").split(",") if line.strip()]
        if who.get("postcode"):
            address.append(str(who["postcode"]))
        return {"id": to, "name": who.get("name"), "role": who.get("relationship"), "person": who,
                "address": address}
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
                  to: str | None = None, password: str | None = None, person: str | None = None) -> dict[str, Any]:
    """What a template sees. `today` is the day the document speaks from: a letter's own date (the day
    it was or will be sent), so a letter re-rendered later says what it said then."""
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
        "chronology": {}, "deadlines": {}, "action_progress": {}, "agency": None, "recipient": None, "procedure": None, "model": None,
        "lscb": {},  # a case's lead LSCB; none for a blank form
        "without_days": without_days,
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
        # each action as `wbcr actions` reports it (the same rows): rating held since, stale updates
        context["action_progress"] = {row["action"]: row for row in action_rows(
            reference, case if isinstance(case, dict) else {}, records.get("recommendations") or {}, today,
            stale_after_days(config))}
        if to is not None:
            context["recipient"] = recipient_details(register, records, to, person)
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


_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December")
_EXACT_DATE = re.compile(rf"\b(?:(on)\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)({_MONTHS})\s+(\d{{4}})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-\d{2}\b")


def without_days(text: Any) -> str:
    """Text for publication: every exact date ("3 May 2016", "2016-05-03") said as its month and year."""
    import calendar

    out = _EXACT_DATE.sub(lambda m: ("in " if m.group(1) else "") + f"{m.group(2)} {m.group(3)}",
                          "" if text is None else str(text))
    out = re.sub(r"\bon (\d{4}-\d{2}-\d{2})\b", r"in \1", out)
    return _ISO_DATE.sub(lambda m: f"{calendar.month_name[int(m.group(2))]} {m.group(1)}"
                         if 1 <= int(m.group(2)) <= 12 else m.group(0), out)


def document_purpose(name: str) -> str:
    """The purpose a rendered document meets (what `wbcr notify` records for it)."""
    return DOCUMENT_PURPOSES.get(name, name.replace("-", "_"))


#: the purpose a rendered document meets, where it is not its own name: the purpose the procedures'
#: deadlines and guards name
DOCUMENT_PURPOSES = {
    "decision-notification": "decision_notification",
    "rapid-review-report": "rapid_review_report",
    "partners-decision-letter": "rapid_review_report",  # the covering letter of the rapid review report
    "serious-incident-notification": "serious_incident_notification",
    "pre-publication-letter": "pre_publication_copy",
    "delay-letter": "extension_letter",
    "final-reports-letter": "pre_publication_copy",  # the 2015 reports to Ofsted and the Panel before publication
    "reviewer-names-letter": "reviewer_names",
    "single-agency-review-request": "commissioning_letter",
    "audit-request": "commissioning_letter",
    "out-of-area-reports-letter": "agency_reports",  # what the out-of-area `submitted` guard asks for
}


def sent_notice(spec: DocumentSpec, context: dict, *, to: str | None, agency: str | None,
                person: str | None = None) -> dict | None:
    """The notice in notifications.yaml recording this letter as sent to this recipient (the latest, if
    it went more than once), or None: a letter to the same recipient for the document's purpose, or a
    notice whose document file is this one."""
    recipient = f"agency:{agency}" if agency is not None and (to is None or to == agency) else to
    if recipient is None:
        return None
    purpose = document_purpose(spec.name)
    who = ((context.get("recipient") or {}).get("person") or {}) if person is not None else {}
    found = []
    for notice in (context.get("notifications") or {}).get("notifications") or []:
        if not isinstance(notice, dict) or notice.get("recipient") != recipient or not notice.get("date"):
            continue
        document = Path(str(notice.get("document") or "")).stem
        if notice.get("purpose") != purpose and f"-{spec.name}" not in f"-{document}":
            continue
        if person is not None:  # a letter to one family member: hers, by its file name or her name (a
            # notice that names nobody may be hers)
            named = set(str(notice.get("recipient_name") or "").split())
            if (named or document) and not (document.endswith(f"-{person}")
                                            or (named and named <= set(str(who.get("name") or "").split()))):
                continue
        found.append(notice)
    return max(found, key=lambda n: str(n["date"])) if found else None




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


def contained_loader(paths: list[str]):
    """A template loader that opens only regular files inside its folders: a symbolic link (to a key
    file, to anything outside) or a path out of the folder is refused, never read — a template is text
    anyone who can push to the register can write."""
    import os

    import jinja2
    from jinja2.loaders import split_template_path

    class ContainedLoader(jinja2.FileSystemLoader):
        def get_source(self, environment, template):
            pieces = split_template_path(template)  # refuses ".." already
            for base in self.searchpath:
                root = Path(base)
                candidate = root.joinpath(*pieces)
                if not os.path.lexists(candidate):
                    continue
                step = root
                for piece in pieces:
                    step = step / piece
                    if step.is_symlink():
                        raise jinja2.TemplateNotFound(
                            f"{template} (a symbolic link in {base}: templates must be plain files, never links)")
                inside = candidate.resolve().is_relative_to(root.resolve())
                if not inside or not candidate.is_file():
                    raise jinja2.TemplateNotFound(f"{template} (not a plain file inside {base})")
                text = candidate.read_text(encoding="utf-8")
                mtime = candidate.stat().st_mtime
                return text, str(candidate), lambda: candidate.exists() and candidate.stat().st_mtime == mtime
            raise jinja2.TemplateNotFound(template)

    return ContainedLoader(paths, followlinks=False)


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

    def form_field(name: str, value: Any = "", label: str | None = None, multiline: bool = False,
                   kind: str = "text", options: Any = None) -> Markup:
        """A form field (a Word content control): kind "text", "date" (a date picker; value a date, ISO or
        UK date), "check" (a checkbox, ticked when value is true), "choice" (a drop-down of `options`: a
        mapping or pairs of value -> words shown) or "yesno" (a Yes / No drop-down; value true, false or
        none)."""
        if kind not in FIELD_KINDS:
            raise ValueError(f'field "{name}": kind "{kind}" is not one of {", ".join(FIELD_KINDS)}')
        if kind == "yesno":
            choices = YES_NO
        elif kind == "choice":
            if not options:
                raise ValueError(f'field "{name}": a choice needs options (value -> words shown)')
            pairs = options.items() if hasattr(options, "items") else options
            choices = tuple((str(v), str(shown)) for v, shown in pairs)
        else:
            choices = ()
        return Markup(values.field_marker(FormField(name, "" if value is None else value, label or name, multiline,
                                                    kind, choices)))

    def image(name: str, path: Any) -> Markup:
        values.images[name] = Path(str(path))
        return Markup(f"![{name}]({name})")

    env = SandboxedEnvironment(loader=contained_loader(template_search_path(register)),
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
    except WbcrError:
        raise
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
        # an expression of the template failed ({{ 1/0 }}, a filter given the wrong kind of value): the
        # template's line and whose template it is, not an internal error
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
                 password: str | None = None, draft: bool = False, date: dt.date | None = None,
                 person: str | None = None) -> tuple[bytes, str, DocumentSpec]:
    """The document as Word bytes. A document whose template says it must not be sent yet is refused
    (exit 1, saying everything it needs) unless `draft`: then every page is watermarked DRAFT.

    Its date is a recorded fact: `date` when given; else, for a letter already sent, the date of the
    notice that records it (notifications.yaml); else `today`, the day it will be sent."""
    spec = get_spec(name)
    if spec.case is True and reference is None:
        raise UsageError(f'"{name}" is a case document: give the case reference')
    if spec.per_agency and agency is None and not (reference is None and spec.blank_form):
        # a blank form (no case) may leave the agency to be chosen on the form itself
        raise UsageError(f'"{name}" is written to one agency: give --agency ID',
                         hint=f"agencies: {', '.join(sorted(register.agency_ids()))}")
    if spec.recipients and to is None and not spec.per_agency:
        raise UsageError(f'"{name}" needs a recipient: give --to ({", ".join(spec.recipients)})')
    if to is not None and spec.recipients and to not in spec.recipients:
        raise UsageError(f'"{name}" is not written to "{to}"', hint=f"recipients: {', '.join(spec.recipients)}")
    if person is not None and to != "family":
        raise UsageError("--person names the family member a letter to the family goes to: give --to family")
    context = build_context(register, reference, date or today, agency=agency, to=to, password=password,
                            person=person)
    notice = None
    if reference is not None and spec.kind == "letter":
        notice = sent_notice(spec, context, to=to, agency=agency, person=person)
    dated = date or (as_date(notice["date"]) if notice else None) or today
    if dated != (date or today):  # a letter already sent speaks from the day it went
        context = build_context(register, reference, dated, agency=agency, to=to, password=password, person=person)
    context["letter"] = {"date": dated, "notice": notice,
                         "dated_by": "--date" if date else ("notice" if notice else "today")}
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
            missing = list(dict.fromkeys(values.not_ready))
            raise FindingsError(f"{what} must not be sent yet: {'; '.join(missing)}; nothing was written",
                                hint=f"record what it needs first (`wbcr next {reference}` says how), or render a "
                                     "watermarked draft with --draft (never to be sent or recorded as sent)")
        data = _to_docx(register, spec, context, markdown, values, reference, dated, draft=draft)
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
    # a publication document carries no reference and no exact date (its date: the first of the month);
    # a letter to the family no marking; a form filled in for a case is marked as it is, not "when completed"
    style = HouseStyle(board=board.get("name", "Safeguarding Children Board"), reference=reference or "register",
                       title=spec.title, marking="" if spec.publication or spec.plain else context["marking"],
                       produced=today.replace(day=1) if spec.publication else today,
                       address=list(board.get("address") or []), logo=logo, landscape=spec.landscape,
                       blank_form=spec.blank_form and reference is None, draft=draft)
    data = markdown_to_docx(markdown, values, style)
    if spec.publication or spec.plain:
        data = _without_reference(data, style, month_only=spec.publication)
    return data


def _without_reference(data: bytes, style: HouseStyle, *, month_only: bool) -> bytes:
    """The pages of a document for the public or the family: the header names the board only, the footer
    gives the page (and, for publication, the month and year); for publication, no reference in the
    document properties either."""
    import io

    from docx import Document

    doc = Document(io.BytesIO(data))
    given = f"Reference {style.reference}"
    when = style.produced.strftime("%B %Y")
    for section in doc.sections:
        for para in [*section.header.paragraphs, *section.footer.paragraphs]:
            for run in para.runs:
                if given not in run.text:
                    continue
                if run.text.startswith(given) and "Page" in run.text:  # the footer
                    run.text = (f"{when}  ·  " if month_only else "") + "Page "
                else:
                    run.text = run.text.replace(f"  ·  {given}", "").replace(given, "")
    if month_only:
        props = doc.core_properties
        props.subject = props.keywords = props.identifier = ""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


#: the end of a draft's file name: `wbcr notify --document` refuses such a file
DRAFT_SUFFIX = "DRAFT"


def is_draft_name(filename: str) -> bool:
    return Path(filename).stem.upper().endswith("-" + DRAFT_SUFFIX)


def output_path(register: Register, reference: str | None, name: str, agency: str | None, to: str | None,
                draft: bool = False, person: str | None = None) -> Path:
    parts = [reference or "register", name]
    if agency:
        parts.append(agency)
    if person:
        parts.append(person)
    elif to and to != agency:
        parts.append(to)
    if draft:
        parts.append(DRAFT_SUFFIX)
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", "-".join(parts))
    return register.root / "output" / (reference or "register") / f"{safe}.docx"


def render_document(register: Register, name: str, reference: str | None, today: dt.date, *,
                    agency: str | None = None, to: str | None = None, out: Path | None = None,
                    protect: bool = True, password: str | None = None, draft: bool = False,
                    date: dt.date | None = None, person: str | None = None) -> Rendered:
    """Render, check a publication document, protect with the case password, verify, write atomically."""
    data, markdown, spec = render_bytes(register, name, reference, today, agency=agency, to=to, password=password,
                                        draft=draft, date=date, person=person)
    if spec.publication and reference is not None:
        problems = check_publication_bytes(register, reference, data, display=name)
        if problems:
            raise FindingsError(f"{name} would identify the child or family: nothing was written",
                                findings=problems, hint="use pseudonyms and roles only in published documents")
    protected = False
    if protect and reference is not None:
        data = protect_bytes(data, password or case_password(register, reference))
        protected = True
    path = out or output_path(register, reference, name, agency, to, draft, person)
    if out is not None and out.is_dir():
        path = out / output_path(register, reference, name, agency, to, draft, person).name
    if draft and not is_draft_name(path.name):
        path = path.with_name(f"{path.stem}-{DRAFT_SUFFIX}{path.suffix}")
    write_export(path, data)
    return Rendered(name=name, path=path, sha256=hashlib.sha256(data).hexdigest(), protected=protected,
                    markdown=markdown)
