"""The one user-facing exception type and the exit codes it maps to.

Findings (invalid records) are data, not exceptions; a WbcrError means the command cannot go on:
not a register, an unreadable file, git refused, and so on.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_FAILURE = 3
EXIT_INTERRUPTED = 130


class WbcrError(Exception):
    """A problem the user can act on: message, optional `path:line:col` location and a hint."""

    exit_code = EXIT_FAILURE

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        col: int | None = None,
        hint: str | None = None,
        code: str = "error",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        self.hint = hint
        self.code = code

    @property
    def location(self) -> str:
        if not self.path:
            return ""
        parts = [self.path]
        if self.line:
            parts.append(str(self.line))
            if self.col:
                parts.append(str(self.col))
        return ":".join(parts)

    def __str__(self) -> str:
        loc = self.location
        text = f"{loc}: {self.message}" if loc else self.message
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class UsageError(WbcrError):
    """Arguments that do not make sense (exit 2)."""

    exit_code = EXIT_USAGE


class FindingsError(WbcrError):
    """The input was read but does not pass checks (exit 1), e.g. a referral that would not validate."""

    exit_code = EXIT_FINDINGS

    def __init__(self, message: str, findings: list | None = None, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.findings = findings or []
