"""`wbcr templates check`: lint the board's own templates (the overrides in the register's `templates/`).

`wbcr.cli.app` registers `templates_app`; this module does not import it (that would be a cycle), so it
reads the global `--register` and `--today` from the command line's root context.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from wbcr.cli import console
from wbcr.core.errors import EXIT_FINDINGS

templates_app = typer.Typer(help="The board's own document templates (the overrides in templates/).",
                            no_args_is_help=True)


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


@templates_app.command("check")
def check(
    ctx: typer.Context,
    fmt: Annotated[CheckFormat, typer.Option("--format", help="text or json.")] = CheckFormat.text,
) -> None:
    """Check every template in the register's templates/ folder without rendering it: a name that
    overrides no document, syntax errors (at the line where the problem starts), fields no record can
    have, and Markdown the Word writer does not read (links, raw HTML, images not made by image()).

    Prints one line per problem (path:line:col: error[code]: message (hint: …)) and exits 1 when there is any.

    Example: wbcr templates check --format json
    """
    from wbcr.core.dates import today  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.documents.render import build_context, catalogue, documents_dir  # noqa: PLC0415
    from wbcr.documents.template_check import check_overrides  # noqa: PLC0415
    from wbcr.model.register import open_register  # noqa: PLC0415

    root_params = ctx.find_root().params
    register = open_register(root_params.get("register"), validated=False)
    context = build_context(register, None, today(root_params.get("today")))
    findings = check_overrides(register.root, catalogue(), context, register.config, documents_dir())
    errors = [f for f in findings if f.severity == "error"]
    if fmt is CheckFormat.json:
        console.print_json({"ok": not errors, "errors": len(errors), "findings": [f.as_dict() for f in findings]})
    else:
        console.print_findings(_from_here(register.root, findings))
        folder = register.root / "templates"
        count = sum(1 for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0
        console.print_note(f"{count} template(s) in templates/: {len(errors)} error(s)")
    if errors:
        raise typer.Exit(EXIT_FINDINGS)


def _from_here(root, findings):
    """Findings with paths relative to the current folder, as `wbcr validate` prints them."""
    import os
    from dataclasses import replace
    from pathlib import Path

    shown = []
    for f in findings:
        try:
            rel = os.path.relpath(root / f.path, Path.cwd())
        except ValueError:
            rel = str(root / f.path)
        shown.append(replace(f, path=rel.replace(os.sep, "/")))
    return shown
