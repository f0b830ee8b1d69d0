"""The register: a folder with `wbcr.yaml`, `cases/<REF>/` and optional `templates/`.

Finding it (walk up from the current folder, or `--register` / `WBCR_REGISTER`), reading its
configuration, and listing its case folders.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from wbcr.core.errors import UsageError, WbcrError
from wbcr.core.yamlio import YamlError, load_record

CONFIG_NAME = "wbcr.yaml"


#: recipients every register has, besides its external bodies and `agency:<id>` / `lscb:<id>` / `partner:<id>`
ROLE_RECIPIENTS = ("ofsted", "dfe", "national_panel", "secretary_of_state", "coroner", "notifier", "family",
                   "independent_chair", "crg_chair", "business_manager", "head_of_safeguarding",
                   "safeguarding_partners", "requesting_board", "qa_subgroup")


def recipient_ids(config: dict) -> list[str]:
    """Every recipient a notice of this register may name (`wbcr notify --recipient`): a deadline names
    its body by id, so a notice to an unknown one would meet nothing."""
    def ids(key: str) -> list[str]:
        return [str(item["id"]) for item in config.get(key) or [] if isinstance(item, dict) and item.get("id")]

    external = config.get("external_bodies") if isinstance(config.get("external_bodies"), dict) else {}
    return list(dict.fromkeys([*ROLE_RECIPIENTS, *external, *(f"agency:{a}" for a in ids("agencies")),
                               *(f"lscb:{a}" for a in ids("lscbs")), *(f"partner:{a}" for a in ids("safeguarding_partners"))]))


def _items(value) -> list[dict]:
    """The mappings of a list setting (a hand-edited wbcr.yaml may hold anything; validate says what)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


@dataclass
class Register:
    root: Path
    config: dict = field(repr=False)
    _vocabularies: dict = field(default_factory=dict, repr=False, compare=False)  # by procedure id

    @property
    def cases_dir(self) -> Path:
        return self.root / "cases"

    def case_dir(self, reference: str) -> Path:
        return self.cases_dir / reference

    def case_folder(self, reference: str, *, must_exist: bool = True) -> Path:
        """The folder of the case `reference` names: the one place a typed reference becomes a path.
        A reference is one path segment and must be spelt as the folder is (the case password and seal
        key derive from it); one that differs only in letter case is refused with the right spelling."""
        text = (reference or "").strip() if isinstance(reference, str) else ""
        if not text or any(ch in text for ch in "/\\\0:") or text.startswith(".") or len(text) > 100:
            raise UsageError(f'"{reference}" is not a case reference', hint="`wbcr status` lists the cases")
        folder = self.case_dir(text)
        if folder.is_dir() and not self._spelt_otherwise(text):
            return folder
        if not must_exist and not folder.exists():
            return folder
        wanted = text.casefold()
        for candidate in self.iter_case_dirs():
            if candidate.name.casefold() == wanted:
                raise UsageError(f'no case "{reference}" in this register; did you mean {candidate.name}?',
                                 hint="references are spelt as their folders are")
        raise UsageError(f'no case "{reference}" in this register', hint="`wbcr status` lists the cases")

    def _spelt_otherwise(self, name: str) -> bool:
        """Whether the existing folder `cases/<name>` is spelt otherwise on disk: on a file system that
        ignores letter case (Windows, macOS) `cases/wbcr-2026-004` opens `WBCR-2026-004`, and the typed
        spelling must not reach the password or the seal key. Two stats on a file system that tells
        cases apart; a listing only where it does not."""
        twin = name.swapcase()
        if twin == name or not self.case_dir(twin).is_dir():
            return False
        try:
            return name not in os.listdir(self.cases_dir)
        except OSError:
            return False

    def lscb_ids(self) -> set[str]:
        return {l["id"] for l in _items(self.config.get("lscbs")) if isinstance(l.get("id"), str)}

    def lscb_name(self, lscb_id: str) -> str:
        for item in _items(self.config.get("lscbs")):
            if item.get("id") == lscb_id and isinstance(item.get("name"), str):
                return item["name"]
        return lscb_id

    def agency_ids(self) -> set[str]:
        return {a["id"] for a in _items(self.config.get("agencies")) if isinstance(a.get("id"), str)}

    def agency_name(self, agency_id: str) -> str:
        for item in _items(self.config.get("agencies")):
            if item.get("id") == agency_id and isinstance(item.get("name"), str):
                return item["name"]
        return agency_id

    @property
    def default_procedure(self) -> str:
        procedure = self.config.get("procedure")
        return procedure if isinstance(procedure, str) and procedure else "wt2015"

    def procedure(self, procedure_id: str | None = None):
        """A procedure by id (default: the register's), the register's own `procedures/` first."""
        from wbcr.model.procedure import load_procedure, with_anchors  # noqa: PLC0415 - keeps the procedure files off --help

        procedure = load_procedure(procedure_id or self.default_procedure, self.root)
        chosen = self.config.get("deadline_anchors")
        return with_anchors(procedure, chosen if isinstance(chosen, dict) else None)

    def vocabulary(self, procedure=None):
        """The words of `procedure` (default: the register's) under this register's own `labels:`,
        merged once per procedure (a report asks for them case by case)."""
        from wbcr.model.vocabulary import vocabulary  # noqa: PLC0415 - keeps the labels off --help

        procedure = procedure if procedure is not None else self.procedure()
        if procedure.id not in self._vocabularies:
            self._vocabularies[procedure.id] = vocabulary(procedure, self.config)
        return self._vocabularies[procedure.id]

    def iter_case_dirs(self) -> Iterator[Path]:
        """Case folders in reference order (hidden folders and stray files skipped)."""
        try:
            entries = sorted(os.scandir(self.cases_dir), key=lambda e: e.name)
        except FileNotFoundError:
            return
        for entry in entries:
            if entry.is_dir() and not entry.name.startswith("."):
                yield Path(entry.path)

    def relpath(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def find_root(start: Path | None = None, explicit: str | None = None) -> Path:
    """The register folder: `--register`, else `WBCR_REGISTER`, else the nearest `wbcr.yaml` upwards."""
    given = explicit or os.environ.get("WBCR_REGISTER")
    if given:
        root = Path(given).expanduser()
        if root.is_file() and root.name == CONFIG_NAME:
            root = root.parent
        if not (root / CONFIG_NAME).is_file():
            source = "--register" if explicit else "WBCR_REGISTER"
            raise UsageError(f"{source} {given}: no {CONFIG_NAME} there",
                             hint="point it at a register folder, or create one with `wbcr init`")
        return root.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise UsageError(f"not inside a wbcr register (no {CONFIG_NAME} in {here} or any folder above it)",
                     hint="cd into a register, pass --register PATH, or create one with `wbcr init`")


def load_config(root: Path) -> Any:
    """The parsed `wbcr.yaml` (unvalidated; `validate` reports its schema problems)."""
    return load_record(root / CONFIG_NAME, CONFIG_NAME)


def open_register(explicit: str | None = None, *, validated: bool = True) -> Register:
    """Find and read the register; with `validated`, refuse a `wbcr.yaml` that breaks its schema (and a
    reference format that cannot make unique references); without, drop the settings that break it."""
    root = find_root(explicit=explicit)
    config = load_config(root)
    if not isinstance(config, dict):
        raise YamlError(f"{CONFIG_NAME} must be a mapping of settings", path=CONFIG_NAME, line=1, col=1,
                        code="schema")
    from wbcr.model.schemas import type_problems  # noqa: PLC0415 - keeps the schemas off --help

    if not validated:
        # the commands that do not need wbcr.yaml valid (the status board, the key and password commands;
        # no schema validator: they stay light) read only the settings whose values have the types the
        # schema says, as validate's own checks read only the settings that pass; a broken password
        # policy is never guessed at: it is refused as `validated` refuses it
        broken = {path[0] for path in type_problems("register", config) if path}
        if not broken:
            return Register(root=root, config=config)
        if "passwords" not in broken:
            return Register(root=root, config={key: value for key, value in config.items() if key not in broken})
    from wbcr.model.schemas import check_record  # noqa: PLC0415 - keeps jsonschema off light commands

    problems = check_record("register", config)
    if not validated:
        problems = [problem for problem in problems if problem.path and problem.path[0] == "passwords"]
    if problems:
        from wbcr.core.yamlio import locate, read_record  # noqa: PLC0415 - only on an error

        first = problems[0]
        line, col = locate(read_record(root / CONFIG_NAME), first.path, key=first.at_key)
        more = f" (and {len(problems) - 1} more; run `wbcr validate`)" if len(problems) > 1 else ""
        raise WbcrError(first.message + more, path=CONFIG_NAME, line=line, col=col, hint=first.hint,
                        code="schema")
    if not validated:
        return Register(root=root, config=config)
    from wbcr.model.reference import format_problem  # noqa: PLC0415 - only on this path

    problem = format_problem(config["references"]["format"])
    if problem is not None:
        raise WbcrError(f'references: format "{config["references"]["format"]}" {problem}', path=CONFIG_NAME,
                        code="reference.format", hint='e.g. "{prefix}-{year}-{seq:03d}"; `wbcr validate` '
                        "says more")
    return Register(root=root, config=config)
