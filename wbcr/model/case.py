"""The domain model of a case: typed records built once from its validated YAML.

Dates are `datetime.date`, closed lists of values are enums, optional fields are None. Core
functions (moving a case on, what happens next, the status board, action plans, deadlines) take a
`Case` and read attributes, never dig into dicts by string keys. `Case.records` keeps the plain
records too, for the procedure's path language (`decisions.yaml#chair_decision.date`), which is data.

The enums mirror the schemas' `enum` lists; a test checks they agree, so a schema change that is not
made here fails the suite rather than reaching a user.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Mapping


class Intake(str, Enum):
    review_referral = "review_referral"
    out_of_area = "out_of_area"
    good_practice = "good_practice"


class ReviewKind(str, Enum):
    """What the Independent Chair (or the safeguarding partners) decided."""

    lcspr = "lcspr"  # Working Together 2023: a local child safeguarding practice review
    scr = "scr"
    silp = "silp"
    multi_agency_review = "multi_agency_review"
    single_agency_review = "single_agency_review"
    multi_agency_audit = "multi_agency_audit"
    single_agency_audit = "single_agency_audit"
    no_review = "no_review"


class ScreeningOutcome(str, Enum):
    sufficient = "sufficient"
    more_information = "more_information"
    not_for_review = "not_for_review"


class Method(str, Enum):
    email = "email"
    secure_email = "secure_email"
    letter = "letter"
    telephone = "telephone"
    meeting = "meeting"
    hand_delivered = "hand_delivered"


class Rag(str, Enum):
    """The action plan's ratings (REFERENCE.md): BLUE done, GREEN on track, AMBER at risk, RED off track."""

    BLUE = "BLUE"
    GREEN = "GREEN"
    AMBER = "AMBER"
    RED = "RED"


#: which enum each (record, field path) of the schemas holds, checked against the schemas by a test
SCHEMA_ENUMS: dict[tuple[str, tuple[str, ...]], type[Enum]] = {
    ("case", ("intake",)): Intake,
    ("case", ("review_kind",)): ReviewKind,
    ("decisions", ("screening", "outcome")): ScreeningOutcome,
    ("decisions", ("chair_decision", "decision")): ReviewKind,
    ("notifications", ("notifications", "*", "method")): Method,
    ("recommendations", ("recommendations", "*", "actions", "*", "updates", "*", "rag")): Rag,
}


def as_date(value: Any) -> dt.date | None:
    """A record's date (a date, or ISO text; an uncertain chronology date's `?` dropped), else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.lstrip("?")
        try:
            return dt.date.fromisoformat(text) if len(text) == 10 else None
        except ValueError:
            return None
    return None


def _enum(kind: type[Enum], value: Any):
    try:
        return kind(value) if value is not None else None
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _map(value: Any) -> Mapping:
    return value if isinstance(value, Mapping) else {}


def _items(value: Any) -> list[Mapping]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


# --- case.yaml -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageEntry:
    stage: str
    date: dt.date | None
    by: str | None = None
    note: str | None = None
    late_reason: str | None = None


@dataclass(frozen=True)
class CaseRecord:
    reference: str
    lead_lscb: str | None
    procedure: str | None
    intake: Intake | None
    review_kind: ReviewKind | None
    stage: str
    opened: dt.date | None
    closed: dt.date | None
    pseudonym: str | None
    flags: Mapping[str, Any]
    history: tuple[StageEntry, ...]

    @property
    def is_closed(self) -> bool:
        return self.stage == "closed"

    @property
    def reached(self) -> dt.date | None:
        """The date the case reached its current stage."""
        return self.history[-1].date if self.history else self.opened

    @property
    def kind(self) -> str | None:
        """The review kind, or for an intake that is not a referral for review, the intake."""
        if self.review_kind is not None:
            return self.review_kind.value
        if self.intake is Intake.review_referral:
            return "referral"
        return self.intake.value if self.intake is not None else None


def case_record_of(data: Mapping) -> CaseRecord:
    """The typed case.yaml (a view that needs only the case's own record, e.g. a closed case's status row)."""
    history = tuple(StageEntry(str(h.get("stage")), as_date(h.get("date")), _text(h.get("by")), _text(h.get("note")),
                               _text(h.get("late_reason"))) for h in _items(data.get("stage_history")))
    return CaseRecord(
        reference=str(data.get("reference", "")), lead_lscb=_text(data.get("lead_lscb")),
        procedure=_text(data.get("procedure")), intake=_enum(Intake, data.get("intake")),
        review_kind=_enum(ReviewKind, data.get("review_kind")), stage=str(data.get("stage", "")),
        opened=as_date(data.get("opened")), closed=as_date(data.get("closed")),
        pseudonym=_text(data.get("pseudonym")), flags=dict(_map(data.get("flags"))), history=history)


# --- decisions.yaml, notifications.yaml --------------------------------------------------------------


@dataclass(frozen=True)
class Screening:
    date: dt.date | None
    by: str | None
    outcome: ScreeningOutcome | None
    outside_meeting: bool


@dataclass(frozen=True)
class InformationRequest:
    agency: str
    sent: dt.date | None
    due: dt.date | None
    received: dt.date | None
    involved: bool | None


@dataclass(frozen=True)
class ChairDecision:
    date: dt.date | None
    by: str | None
    decision: ReviewKind | None


@dataclass(frozen=True)
class Notification:
    recipient: str
    date: dt.date | None
    purpose: str | None
    method: Method | None = None
    document: str | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class CrgConsideration:
    meeting_date: dt.date | None
    recommendation: ReviewKind | None
    members_present: tuple[str, ...]
    member_recommendations: int


@dataclass(frozen=True)
class Referral:
    received: dt.date | None
    route: str | None
    referrer_agency: str | None
    criteria: Mapping[str, Any]
    agencies_involved: tuple[str, ...]


@dataclass(frozen=True)
class Person:
    """A person of the case as views may show them: pseudonym and role only, never a name."""

    pseudonym: str | None
    role: str | None


# --- review.yaml, recommendations.yaml --------------------------------------------------------------


@dataclass(frozen=True)
class AgencyReport:
    agency: str
    requested: dt.date | None
    due: dt.date | None
    received: dt.date | None
    chronology_due: dt.date | None
    chronology_received: dt.date | None
    signed_off: dt.date | None


@dataclass(frozen=True)
class Review:
    scope_from: dt.date | None
    scope_to: dt.date | None
    panel_members: int
    extensions: int


@dataclass(frozen=True)
class RagUpdate:
    date: dt.date | None
    rag: Rag | None
    note: str | None
    by: str | None = None


#: the default number of days after which an open action's last update is stale (wbcr.yaml
#: `actions: stale_after_days:`)
STALE_AFTER_DAYS = 90


@dataclass(frozen=True)
class Action:
    id: str
    recommendation: str
    text: str | None
    lead_agency: str | None
    lead_officer: str | None
    target_date: dt.date | None
    updates: tuple[RagUpdate, ...]
    signed_off: dt.date | None
    signed_off_by: str | None
    carried_to: str | None = None  # carried to another plan (with a reason): finished as far as this case goes
    carried_on: dt.date | None = None

    @property
    def done(self) -> bool:
        return self.signed_off is not None or self.carried_to is not None

    @property
    def latest(self) -> RagUpdate | None:
        dated = [u for u in self.updates if u.date is not None]
        return max(dated, key=lambda u: u.date) if dated else (self.updates[-1] if self.updates else None)

    @property
    def rag(self) -> Rag | None:
        latest = self.latest
        return latest.rag if latest else None

    def overdue_on(self, today: dt.date) -> bool:
        return not self.done and self.target_date is not None and today > self.target_date

    def progress(self, today: dt.date, stale_after_days: int = STALE_AFTER_DAYS,
                 adopted: dt.date | None = None) -> ActionProgress:
        """Where the action stands for the board meeting's RAG report: its latest dated update, the
        day since which it has held its current rating, and whether its updates have gone stale (no
        update for more than `stale_after_days` days, counted from the plan's adoption when it has none)."""
        dated = sorted((u for u in self.updates if u.date is not None and u.date <= today), key=lambda u: u.date)
        latest = dated[-1] if dated else None
        rated_since = None
        if latest is not None and latest.rag is not None:
            rated_since = latest.date
            for update in reversed(dated[:-1]):
                if update.rag != latest.rag:
                    break
                rated_since = update.date
        quiet_since = latest.date if latest is not None else adopted
        days_quiet = (today - quiet_since).days if quiet_since is not None else None
        return ActionProgress(
            latest=latest, rated_since=rated_since,
            days_at_rating=(today - rated_since).days if rated_since is not None else None,
            days_since_update=(today - latest.date).days if latest is not None else None,
            stale=not self.done and days_quiet is not None and days_quiet > stale_after_days,
            stale_after_days=stale_after_days)


def stale_after_days(config: Mapping) -> int:
    """wbcr.yaml's `actions: stale_after_days:` (validated by the register schema), or the default."""
    value = (config.get("actions") or {}).get("stale_after_days") if isinstance(config.get("actions"), Mapping) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else STALE_AFTER_DAYS


@dataclass(frozen=True)
class ActionProgress:
    """An action's progress as at a day (`Action.progress`): the same figures for `wbcr actions`, its
    workbook and the rag-progress-report document."""

    latest: RagUpdate | None  # the latest dated update on or before the day
    rated_since: dt.date | None  # the first update of the run of updates that gave the current rating
    days_at_rating: int | None
    days_since_update: int | None
    stale: bool  # open, and no update for more than stale_after_days days
    stale_after_days: int

    def as_dict(self) -> dict[str, Any]:
        latest = self.latest
        return {"latest_update": None if latest is None else {
                    "date": latest.date.isoformat(), "rag": latest.rag.value if latest.rag else None,
                    "note": latest.note, "by": latest.by},
                "rated_since": self.rated_since.isoformat() if self.rated_since else None,
                "days_at_rating": self.days_at_rating, "days_since_update": self.days_since_update,
                "stale": self.stale, "stale_after_days": self.stale_after_days}


@dataclass(frozen=True)
class Recommendation:
    id: str
    text: str | None
    scope: str | None
    adopted_by_panel: dt.date | None
    actions: tuple[Action, ...]
    themes: tuple[str, ...] = ()  # learning theme ids of wbcr.yaml's themes


# --- the case --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One case, every record typed. `records` holds the plain records the model was built from."""

    case: CaseRecord
    received: dt.date | None
    screening: Screening | None
    information_requests: tuple[InformationRequest, ...]
    chair_decision: ChairDecision | None
    notifications: tuple[Notification, ...]
    agency_reports: tuple[AgencyReport, ...]
    recommendations: tuple[Recommendation, ...]
    chronology_agencies: tuple[str, ...]
    referral: Referral | None = None
    crg: CrgConsideration | None = None
    review: Review | None = None
    people: tuple[Person, ...] = ()
    chronology_entries: Mapping[str, int] = field(default_factory=dict)
    records: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @property
    def reference(self) -> str:
        return self.case.reference

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(a for r in self.recommendations for a in r.actions)

    def open_actions(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if not a.done)

    def notified(self, recipient: str, purpose: str | None = None) -> tuple[Notification, ...]:
        """Notices sent to `recipient` (for `purpose`), earliest first."""
        found = [n for n in self.notifications if n.recipient == recipient and (purpose is None or n.purpose == purpose)]
        return tuple(sorted(found, key=lambda n: n.date or dt.date.max))


def build_case(records: Mapping[str, Any]) -> Case:
    """The typed case from its plain records (`case`, `referral`, …, `chronology` by agency), which
    `wbcr validate` has checked against their schemas."""
    decisions = _map(records.get("decisions"))
    screening = _map(decisions.get("screening"))
    chair = _map(decisions.get("chair_decision"))
    crg = _map(decisions.get("crg_consideration"))
    referral = _map(records.get("referral"))
    review = _map(records.get("review"))
    scope = _map(_map(review.get("terms_of_reference")).get("scope"))
    recommendations = recommendations_of(_map(records.get("recommendations")))
    return Case(
        case=case_record_of(_map(records.get("case"))),
        received=as_date(referral.get("received")),
        screening=Screening(as_date(screening.get("date")), _text(screening.get("by")),
                            _enum(ScreeningOutcome, screening.get("outcome")),
                            bool(screening.get("outside_meeting"))) if screening else None,
        information_requests=tuple(
            InformationRequest(str(r.get("agency", "")), as_date(r.get("sent")), as_date(r.get("due")),
                               as_date(r.get("received")), r.get("involved") if isinstance(r.get("involved"), bool)
                               else None) for r in _items(decisions.get("information_requests"))),
        chair_decision=ChairDecision(as_date(chair.get("date")), _text(chair.get("by")),
                                     _enum(ReviewKind, chair.get("decision"))) if chair else None,
        notifications=tuple(
            Notification(str(n.get("recipient", "")), as_date(n.get("date")), _text(n.get("purpose")),
                         _enum(Method, n.get("method")), _text(n.get("document")), _text(n.get("sha256")))
            for n in _items(_map(records.get("notifications")).get("notifications"))),
        agency_reports=tuple(
            AgencyReport(str(r.get("agency", "")), as_date(r.get("requested")), as_date(r.get("due")),
                         as_date(r.get("received")), as_date(r.get("chronology_due")),
                         as_date(r.get("chronology_received")), as_date(r.get("signed_off")))
            for r in _items(review.get("agency_reports"))),
        recommendations=recommendations,
        chronology_agencies=tuple(sorted(_map(records.get("chronology")))),
        referral=Referral(as_date(referral.get("received")), _text(referral.get("route")),
                          _text(_map(referral.get("referrer")).get("agency")), dict(_map(referral.get("criteria"))),
                          tuple(str(a.get("agency")) for a in _items(referral.get("agencies_involved"))))
        if referral else None,
        crg=CrgConsideration(as_date(crg.get("meeting_date")), _enum(ReviewKind, crg.get("recommendation")),
                             tuple(str(m) for m in crg.get("members_present") or [] if m is not None)
                             if isinstance(crg.get("members_present"), list) else (),
                             len(_items(crg.get("recommendations")))) if crg else None,
        review=Review(as_date(scope.get("from")), as_date(scope.get("to")), len(_items(review.get("panel"))),
                      len(_items(review.get("extensions")))) if review else None,
        people=tuple(Person(_text(p.get("pseudonym")), _text(p.get("role")))
                     for p in _items(_map(records.get("people")).get("people"))),
        chronology_entries={agency: len(_items(_map(data).get("entries")))
                            for agency, data in sorted(_map(records.get("chronology")).items())},
        records=records,
    )


def recommendations_of(data: Mapping) -> tuple[Recommendation, ...]:
    """The typed recommendations.yaml: each recommendation with its actions and their RAG updates."""
    recommendations = []
    for rec in _items(_map(data).get("recommendations")):
        actions = tuple(
            Action(id=str(a.get("id", "")), recommendation=str(rec.get("id", "")), text=_text(a.get("action")),
                   lead_agency=_text(a.get("lead_agency")), lead_officer=_text(a.get("lead_officer")),
                   target_date=as_date(a.get("target_date")),
                   updates=tuple(RagUpdate(as_date(u.get("date")), _enum(Rag, u.get("rag")), _text(u.get("note")),
                                           _text(u.get("by"))) for u in _items(a.get("updates"))),
                   signed_off=as_date(_map(a.get("signed_off")).get("date")),
                   signed_off_by=_text(_map(a.get("signed_off")).get("by")),
                   carried_to=_text(_map(a.get("carried_forward")).get("to")),
                   carried_on=as_date(_map(a.get("carried_forward")).get("date")))
            for a in _items(rec.get("actions")))
        themes = tuple(t for t in rec.get("themes") if isinstance(t, str)) if isinstance(rec.get("themes"), list) else ()
        recommendations.append(Recommendation(str(rec.get("id", "")), _text(rec.get("text")), _text(rec.get("scope")),
                                              as_date(rec.get("adopted_by_panel")), actions, themes))
    return tuple(recommendations)


def action_rows(reference: str, case: Mapping, recommendations: Mapping, today: dt.date,
                stale_days: int = STALE_AFTER_DAYS) -> list[dict[str, Any]]:
    """A case's actions as the board meeting's RAG report reads them, one plain row per action: the
    rows of `wbcr actions` (and its JSON and workbook) and of the rag-progress-report document.
    `rag` is the rating of the latest update on or before `today` (by date, wherever it is listed),
    `derived_rag` the one the dates say (BLUE signed off, RED past the target and not signed off), and
    `Action.progress` says how long it has held its rating."""
    lead_lscb = case.get("lead_lscb") if isinstance(case.get("lead_lscb"), str) else None
    pseudonym = case.get("pseudonym") if isinstance(case.get("pseudonym"), str) else None
    opened = as_date(case.get("opened"))
    rows = []
    for rec in recommendations_of(recommendations):
        for action in rec.actions:
            # quiet since the plan's adoption; without that date, since the case was opened (an action
            # nobody has updated is flagged rather than never)
            progress = action.progress(today, stale_days, rec.adopted_by_panel or opened)
            latest = progress.latest  # the latest update on or before the day: the rating as at that day
            signed = action.signed_off
            overdue = action.overdue_on(today)
            rows.append({
                "reference": reference, "pseudonym": pseudonym, "lead_lscb": lead_lscb,
                "recommendation": rec.id, "action": action.id, "scope": rec.scope, "text": action.text,
                "lead_agency": action.lead_agency, "lead_officer": action.lead_officer,
                "target_date": _iso(action.target_date),
                "days_overdue": (today - action.target_date).days if overdue and action.target_date else None,
                "rag": latest.rag.value if latest and latest.rag else None,
                "rag_date": _iso(latest.date) if latest else None,
                "derived_rag": "BLUE" if signed else ("RED" if overdue else None),
                "overdue": overdue, "signed_off": _iso(signed), "carried_to": action.carried_to,
                **progress.as_dict(),
            })
    return rows


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None
