"""Reading Word forms back: the referral form and the information request an agency filled in.

A form wbcr renders carries a content control tagged with each field's name; Word keeps them, and
LibreOffice keeps them in recent versions. Where an editor dropped them, the two-column form tables
(label | value) are read instead, by their labels. A `.docx` is a zip of XML from outside the
partnership: it is opened with limits (size, entries, no external entities) and any failure is one
clear error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wbcr.core.errors import FindingsError, WbcrError

from wbcr.documents.ooxml import W, check_file_size, load_package_bytes, open_package, read_docx_xml
from wbcr.core.dates import parse_uk_date
from wbcr.core.findings import ERROR, Finding
from wbcr.documents.docx_writer import (CHECKED, FIELD_PLACEHOLDER, PROMPTS, UNCHECKED, _MARKER, _element_text, _text_of,
                                        iter_content_controls)
from wbcr.documents.render import build_context, get_spec, render_markdown
from wbcr.model.referral import Referral
from wbcr.security.protection import is_protected, open_returned


def read_form_fields(data: bytes, display: str, form: "FormLayout") -> dict[str, str]:
    """Field name -> text, from content controls, else from the form's tables by their layout
    (LibreOffice drops content controls when it saves a .docx; the table text survives)."""
    root = read_docx_xml(data, "word/document.xml", display)  # validates the file first
    values: dict[str, str] = {}
    by_alias = {}
    for name, label in form.labels.items():
        by_alias.setdefault(label, name)
    for tag, text in iter_content_controls(data):
        name = by_alias.get(tag[6:]) if tag.startswith("alias:") else tag
        # the first control of a name wins: LibreOffice may split one control into several
        if name in form.labels and name not in values:
            values[name] = form.from_words(name, text)
    if len(values) < len(form.labels):
        for table in root.iter(f"{W}tbl"):
            rows = [[_cell_text(c) for c in row.findall(f"{W}tc")] for row in table.findall(f"{W}tr")]
            if not rows or not rows[0]:
                continue
            header = _norm(rows[0][0])
            for i, cells in enumerate(rows[1:], start=1):
                if not cells:
                    continue
                slots = form.cells.get((header, _norm(cells[0]))) or form.cells.get((header, f"#{i}")) or {}
                for j, name in slots.items():
                    if name not in values and j < len(cells):
                        values[name] = form.from_words(name, cells[j])
    return {name: "" if text in EMPTY else text for name, text in values.items()}


EMPTY = ("", FIELD_PLACEHOLDER, UNCHECKED) + PROMPTS  # what an untouched field shows


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _cell_text(cell) -> str:
    return _element_text(cell, W)


def set_path(target: dict, dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


# --- the forms wbcr reads back ---------------------------------------------------------------------


class FormLayout:
    """A form's fields: name -> label, and where each sits in the form's tables."""

    def __init__(self, markdown: str, values) -> None:
        self.labels = {f.name: f.label for f in values.fields}
        # a drop-down's options by the words shown, for a form whose controls an editor dropped
        self.options = {f.name: {_norm(words): value for value, words in f.options} for f in values.fields if f.options}
        self.checkboxes = {f.name for f in values.fields if f.kind == "check"}
        self.cells: dict[tuple[str, str], dict[int, str]] = {}

        def plain(cell: str) -> str:
            return _MARKER.sub(lambda m: _text_of(values.values[int(m.group(2))]) if m.group(1) == "V" else "",
                               cell).replace("**", "").strip()

        header, row = None, 0
        for line in markdown.splitlines():
            stripped = line.strip()
            if not stripped.startswith("|"):
                header = None
                continue
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if header is None:
                header, row = _norm(plain(cells[0])), 0
                continue
            if all(set(c) <= set("-: ") for c in cells):
                continue
            row += 1
            slots = {}
            for j, cell in enumerate(cells):
                for match in _MARKER.finditer(cell):
                    if match.group(1) == "F":
                        slots[j] = values.fields[int(match.group(2))].name
            if not slots:
                continue
            key = f"#{row}" if 0 in slots else _norm(plain(cells[0]))
            self.cells[(header, key)] = slots

    def from_words(self, name: str, text: str) -> str:
        """A field's value from the text of its table cell: a drop-down's option by its words, a
        checkbox's box as "X" or ""."""
        text = text.strip()
        if name in self.checkboxes:
            return "X" if text == CHECKED else ("" if text == UNCHECKED else text)
        return self.options.get(name, {}).get(_norm(text), text)


def form_layout(register, name: str, today: dt.date, reference: str | None = None,
                agency: str | None = None) -> FormLayout:
    """The layout of a form, from its template (rendered blank, in memory, as of `today`)."""
    spec = get_spec(name)
    context = build_context(register, reference, today, agency=agency)
    context["document"] = spec
    markdown, values = render_markdown(register, spec, context)
    return FormLayout(markdown, values)


class _Reader:
    """Turns form text into typed values, collecting every problem instead of stopping at the first."""

    def __init__(self, fields: dict[str, str], labels: dict[str, str], display: str) -> None:
        self.fields, self.labels, self.display = fields, labels, display
        self.problems: list = []

    def problem(self, name: str, message: str, hint: str | None = None) -> None:
        label = self.labels.get(name, name)
        self.problems.append(Finding("form.field", ERROR, f'field "{label}" ({name}): {message}', self.display,
                                     hint=hint))

    def text(self, name: str, required: bool = False) -> str | None:
        value = (self.fields.get(name) or "").strip()
        if not value:
            if required:
                self.problem(name, "is empty", "fill it in and send the form again")
            return None
        return value

    def date(self, name: str, required: bool = False):
        value = self.text(name, required)
        if value is None:
            return None
        try:
            return parse_uk_date(value).isoformat()
        except ValueError as exc:
            if name.rsplit(".", 1)[-1] in ("date_of_birth", "date_of_death"):  # identifying: never quoted
                real = "real date" in str(exc)
                self.problem(name, f"is not a {'real date' if real else 'date wbcr can read'} (not shown here: "
                             "it identifies a person)", "write it as 29/01/2014, 29 Jan 2014 or 2014-01-29")
            else:
                self.problem(name, str(exc))
            return None

    def yesno(self, name: str, required: bool = False) -> bool | None:
        value = self.text(name, required)
        if value is None:
            return None
        word = value.strip().lower().rstrip(".")
        if word in ("yes", "y", "true", "x", "✓", "✔"):
            return True
        if word in ("no", "n", "false"):
            return False
        self.problem(name, f'"{value}" is not yes or no')
        return None

    def ticked(self, name: str) -> bool:
        value = (self.fields.get(name) or "").strip().lower()
        return value not in ("", "no", "n", "-", "false")

    def choice(self, name: str, options: dict[str, str], required: bool = False, default: str | None = None):
        """An id, given as the id or as (part of) its name."""
        value = self.text(name, required and default is None)
        if value is None:
            return default
        key = value.strip().lower()
        for ident, title in options.items():
            if key in (ident.lower(), title.lower()):
                return ident
        matches = [ident for ident, title in options.items() if key in title.lower()]
        if len(matches) == 1:
            return matches[0]
        self.problem(name, f'"{value}" is not one of: {", ".join(options)}')
        return None


def referral_from_form(register, data: bytes, display: str, today: dt.date):
    """A `Referral` (record and people) read from a completed referral form (Appendix 1)."""
    open_package(data, display)  # a file that is no form, or a hostile one, is refused before any rendering
    layout = form_layout(register, "referral-form", today)
    labels = layout.labels
    fields = read_form_fields(data, display, layout)
    if not any(v for v in fields.values()):
        raise WbcrError(f"{display} has none of the referral form's fields",
                        hint="send the agency the form from `wbcr render referral-form` and read that back",
                        code="form.unknown")
    r = _Reader(fields, labels, display)
    lscbs = {l["id"]: l.get("name", l["id"]) for l in register.config.get("lscbs", [])}
    agencies = {a["id"]: a.get("name", a["id"]) for a in register.config.get("agencies", [])}
    criteria_labels = _criteria(labels)
    referral: dict = {"schema_version": 1, "reference": "PENDING"}
    referral["received"] = r.date("received") or today.isoformat()
    referral["lead_lscb"] = r.choice("lead_lscb", lscbs, required=True)
    referral["intake"] = r.choice("intake", {"review_referral": "referral", "out_of_area": "out of area",
                                             "good_practice": "good practice"}, default="review_referral")
    referral["route"] = r.choice("route", {"agency": "agency", "rapid_response": "rapid response", "coroner": "coroner",
                                           "cdop": "child death overview panel", "other_lscb": "other lscb"},
                                 default="agency")
    referrer = {"name": r.text("referrer.name", True), "agency": r.choice("referrer.agency", agencies),
                "role": r.text("referrer.role", True), "email": r.text("referrer.email"),
                "phone": r.text("referrer.phone"), "date": r.date("referrer.date")}
    referral["referrer"] = {k: v for k, v in referrer.items() if v is not None}
    consulted = r.yesno("dsl_consulted.consulted")
    if consulted is not None:
        dsl = {"consulted": consulted, "name": r.text("dsl_consulted.name"), "role": r.text("dsl_consulted.role")}
        referral["dsl_consulted"] = {k: v for k, v in dsl.items() if v is not None}
    referral["subjects"] = ["child-a"]
    referral["criteria"] = {group: [ident for ident in ids if r.ticked(f"criteria.{group}.{ident}")]
                            for group, ids in criteria_labels.items()}
    incident = {"date": r.date("incident.date"), "description": r.text("incident.description")}
    if incident["description"]:
        referral["incident"] = {k: v for k, v in incident.items() if v is not None}
    referral["summary"] = r.text("summary", True)
    for key in ("immediate_actions",):
        if r.text(key):
            referral[key] = r.text(key)
    at_risk = r.yesno("other_children_at_risk")
    if at_risk is not None:
        referral["other_children_at_risk"] = at_risk
    parallel = {}
    for key in ("police_investigation", "criminal_proceedings", "coroner", "health_serious_incident", "lado",
                "domestic_homicide_review"):
        value = r.yesno(f"parallel_processes.{key}")
        if value is not None:
            parallel[key] = value
    if parallel:
        referral["parallel_processes"] = parallel
    involved = []
    for n in range(1, 9):
        agency = r.choice(f"agencies.{n}.agency", agencies)
        if agency:
            item = {"agency": agency, "worker": r.text(f"agencies.{n}.worker"),
                    "contact": r.text(f"agencies.{n}.contact"), "still_involved": r.yesno(f"agencies.{n}.still_involved")}
            involved.append({k: v for k, v in item.items() if v is not None})
    if involved:
        referral["agencies_involved"] = involved
    secured = r.yesno("records_secured")
    if secured is not None:
        referral["records_secured"] = secured
    child = {"id": "child-a", "pseudonym": r.text("child.pseudonym") or "Child A", "role": "subject",
             "relationship": "Subject child", "name": r.text("child.name", True),
             "other_names": [n.strip() for n in (r.text("child.other_names") or "").split(",") if n.strip()] or None,
             "date_of_birth": r.date("child.date_of_birth"), "date_of_death": r.date("child.date_of_death")}
    for key in ("gender", "address", "postcode", "ethnicity", "first_language", "religion", "legal_status",
                "school", "gp_practice", "nhs_number"):
        child[key] = r.text(f"child.{key}")
    plan = r.choice("child.child_protection_plan", {"current": "current", "previous": "previous", "never": "never",
                                                    "unknown": "unknown"})
    child["child_protection_plan"] = plan
    people = [{k: v for k, v in child.items() if v is not None}]
    for n in range(1, 6):
        name = r.text(f"family.{n}.name")
        if not name:
            continue
        relationship = r.text(f"family.{n}.relationship") or f"Family member {n}"
        person = {"id": f"family-{n}", "pseudonym": relationship, "role": _role(relationship),
                  "relationship": relationship, "name": name, "date_of_birth": r.date(f"family.{n}.date_of_birth"),
                  "address": r.text(f"family.{n}.address")}
        people.append({k: v for k, v in person.items() if v is not None})
    if r.problems:
        raise FindingsError(f"{display}: the form is not complete or has mistakes; nothing was registered",
                            findings=r.problems)
    return Referral(referral=referral, people={"schema_version": 1, "people": people}, source=display)


def _criteria(labels: dict[str, str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {"must_notify": [], "wider": [], "good_practice": []}
    for name in labels:
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "criteria" and parts[1] in groups:
            groups[parts[1]].append(parts[2])
    return groups


def _role(relationship: str) -> str:
    words = relationship.lower()
    if any(w in words for w in ("mother", "father", "parent")):
        return "parent"
    if "partner" in words:
        return "partner"
    if any(w in words for w in ("brother", "sister", "sibling")):
        return "sibling"
    if any(w in words for w in ("grand", "aunt", "uncle", "cousin")):
        return "relative"
    if "carer" in words:
        return "carer"
    return "significant_other"


def information_from_form(register, reference: str, agency: str, data: bytes, display: str,
                          today: dt.date) -> dict:
    """The fields of a returned information request (Appendix 2), typed, for decisions.yaml."""
    check_file_size(data, display)  # before it is decrypted
    data = open_returned(register, reference, data, display)  # it went out, and may come back, protected
    open_package(data, display)  # a file that is no form, or a hostile one, is refused before any rendering
    layout = form_layout(register, "information-request", today, reference, agency)
    labels = layout.labels
    fields = read_form_fields(data, display, layout)
    r = _Reader(fields, labels, display)
    form_reference = r.text("reference")
    if form_reference is not None and form_reference != reference:
        r.problem("reference", f'the form is for case "{form_reference}", not "{reference}"',
                  "read it into the case it was sent for")
    given = r.text("agency")
    if given and given != agency:
        r.problem("agency", f'the form is from "{given}", not "{agency}"', "check which agency returned it")
    out = {
        "author": r.text("author"), "author_role": r.text("author_role"), "involved": r.yesno("involved", True),
        "subjects_known": r.text("subjects_known"), "summary": r.text("summary"),
        "key_contacts": r.text("key_contacts"), "immediate_learning": r.text("immediate_learning"),
        "safeguarding_action": r.text("safeguarding_action"), "records_secured": r.date("records_secured"),
        "signed_off_by": r.text("signed_off_by"), "received": r.date("returned"),
    }
    period = {"from": r.date("period.from"), "to": r.date("period.to")}
    if any(period.values()):
        out["period"] = {k: v for k, v in period.items() if v}
    risks = [k for k in ("domestic_abuse", "substance_misuse", "mental_ill_health", "neglect")
             if r.ticked(f"risk_factors.{k}")]
    if risks:
        out["risk_factors"] = risks
    if out["involved"] and not out["summary"]:
        r.problem("summary", "is empty although the agency was involved", "ask the agency for its summary")
    if r.problems:
        raise FindingsError(f"{display}: the returned form is not complete or has mistakes; nothing was recorded",
                            findings=r.problems)
    return {k: v for k, v in out.items() if v is not None}


#: content controls only the referral form carries (each field of a form wbcr renders is tagged with its
#: name; the information request and the other forms have none of these)
REFERRAL_FORM_TAGS = frozenset({"lead_lscb", "referrer.name", "referrer.agency", "child.name",
                                "child.date_of_birth", "dsl_consulted.consulted"})


def is_referral_form(register, reference: str | None, path, display: str | None = None) -> bool:
    """Whether the .docx at `path` is the referral form (Appendix 1), by what it holds (its fields'
    content controls), whatever it is called. A protected one is opened with the case password of
    `reference`; one that cannot be opened (another password, no board key here) or that is no Word
    document is not recognised: False."""
    shown = display or str(path)
    try:
        data = load_package_bytes(path, shown)
        if is_protected(data):
            if reference is None:
                return False
            data = open_returned(register, reference, data, shown)
        open_package(data, shown)
        tags = {tag for tag, _text in iter_content_controls(data)}
    except WbcrError:
        return False
    return len(tags & REFERRAL_FORM_TAGS) >= 2 or any(tag.startswith("criteria.") for tag in tags)
