"""The daily views validate makes for the cases it checks again (from the summaries it has at hand), so
the first `status`, `deadlines`, `actions` or `report decisions` after a validate answers from the
cache. The views are this layer's; `wbcr.validation.engine` only keeps them."""

from __future__ import annotations

import datetime as dt

from wbcr.reports.audit import _action_rows, _decision_base
from wbcr.reports.next_steps import _open_deadline_rows
from wbcr.reports.status import _status_fields
from wbcr.model.case import stale_after_days
from wbcr.validation.engine import validate_register


def daily_view_computations(register, daily, today: dt.date, calendar) -> list[tuple[str, object]]:
    """`[(view name, compute)]` for one case (`daily`: a `wbcr.validation.engine.DailyCase`)."""
    return [("status", lambda: _status_fields(register, daily, today, calendar)),
            ("deadlines", lambda: _open_deadline_rows(register, daily, today, calendar)),
            ("actions", lambda: _action_rows(daily, today, stale_after_days(register.config))),
            ("decision", lambda: _decision_base(register, daily, calendar, today)),
            ("invalid", lambda: daily.invalid())]


def validate_with_views(register_root, targets=(), *, today: dt.date, strict: bool = False, use_cache: bool = True,
                        progress=None):
    """`wbcr validate`: every finding, and the daily views of the cases checked again kept for later."""
    return validate_register(register_root, targets, today=today, strict=strict, use_cache=use_cache,
                             daily_views=daily_view_computations, progress=progress)
