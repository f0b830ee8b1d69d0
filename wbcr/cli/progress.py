"""Progress on work that takes more than a moment (validating a large register, merging chronologies,
rendering many documents): a bar on standard error, shown only when standard error is a terminal and
only once the work has gone on for a second, and removed when it ends, so a quick command prints nothing
more and a piped or CI log (not a terminal; or `CI`, `WBCR_NO_PROGRESS` or `TERM=dumb` set) never
holds it. Standard output is never touched: what a command prints there is the same with or without it.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Callable

#: how long work goes on before its progress is shown (seconds)
SHOW_AFTER = 1.0


def wanted(stream=None, environ=None) -> bool:
    """Whether a progress bar belongs on `stream` (standard error): a terminal, not CI, not asked away."""
    stream = stream if stream is not None else sys.stderr
    environ = environ if environ is not None else os.environ
    if environ.get("CI") or environ.get("WBCR_NO_PROGRESS") or environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class ProgressDisplay:
    """A callable `(what, done, total)` for the core's progress hooks, and a context manager that
    removes the bar at the end (also on an error or Ctrl-C)."""

    def __init__(self, *, enabled: bool | None = None, console=None, delay: float = SHOW_AFTER,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.enabled = wanted() if enabled is None else enabled
        self._console = console
        self._delay = delay
        self._clock = clock
        self._start = clock()
        self._bar = None
        self._tasks: dict[str, int] = {}

    @property
    def shown(self) -> bool:
        return self._bar is not None

    def __call__(self, what: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            if self._clock() - self._start < self._delay or done >= total:
                return
            self._bar = self._open()
        task = self._tasks.get(what)
        if task is None:
            task = self._tasks[what] = self._bar.add_task(what, total=total)
        self._bar.update(task, completed=done, total=total)

    def _open(self):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        if self._console is None:
            from wbcr.cli import console  # noqa: PLC0415 - the console prints; this module only draws

            self._console = console.err()
        bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                       console=self._console, transient=True)
        bar.start()
        return bar

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self) -> "ProgressDisplay":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
