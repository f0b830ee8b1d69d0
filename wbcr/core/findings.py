"""A finding: one problem in one place, as data (code, severity, message, `path:line:col`, hint)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    path: str                 # relative to the register root, with forward slashes
    line: int | None = None
    col: int | None = None
    hint: str | None = None

    @property
    def location(self) -> str:
        loc = self.path
        if self.line:
            loc += f":{self.line}"
            if self.col:
                loc += f":{self.col}"
        return loc

    def as_dict(self) -> dict:
        return asdict(self)

    def sort_key(self):
        return (self.path, self.line or 0, self.col or 0, self.code, self.message)

    def with_severity(self, severity: str) -> "Finding":
        return Finding(self.code, severity, self.message, self.path, self.line, self.col, self.hint)
