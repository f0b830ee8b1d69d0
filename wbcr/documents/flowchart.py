"""The process flow chart (tool kit Appendix 7), drawn from the procedure's data.

Mermaid and Graphviz DOT text are produced here; SVG and PNG pictures come from Graphviz's `dot`
program when it is installed, with a clear message when it is not.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from wbcr.core.errors import WbcrError
from wbcr.model.procedure import Procedure

_KIND_TITLES = {
    "scr": "SCR", "silp": "SILP", "multi_agency_review": "Multi-agency review",
    "single_agency_review": "Single-agency review", "multi_agency_audit": "Multi-agency audit",
    "single_agency_audit": "Single-agency audit", "no_review": "No review",
}


def _edges(procedure: Procedure) -> list[tuple[str, str, str]]:
    """(from, to, label) for every move: along each intake, into each review path, and each exit."""
    edges: list[tuple[str, str, str]] = []
    index: dict[tuple[str, str], int] = {}

    def add(a: str, b: str, label: str = "") -> None:
        if (a, b) in index:
            i = index[(a, b)]
            old = edges[i][2]
            if label and label not in old.split(" / "):
                edges[i] = (a, b, f"{old} / {label}" if old else label)
            return
        index[(a, b)] = len(edges)
        edges.append((a, b, label))

    for intake in procedure.intakes.values():
        stages = intake["stages"]
        for a, b in zip(stages, stages[1:]):
            add(a, b)
    last = procedure.intakes.get("review_referral", {}).get("stages", [])[-1:] or []
    for kind, stages in procedure.review_paths.items():
        if last and stages:
            add(last[0], stages[0], _KIND_TITLES.get(kind, kind))
        for a, b in zip(stages, stages[1:]):
            add(a, b)
    for name, stage in procedure.stages.items():
        for exit_ in stage.get("exits") or []:
            add(name, exit_["to"], "not for review" if name == "screening" else "exit")
    return edges


def _nodes(procedure: Procedure, edges) -> list[str]:
    order: list[str] = []
    for a, b, _ in edges:
        for n in (a, b):
            if n not in order:
                order.append(n)
    return order


def format_mermaid(procedure: Procedure) -> str:
    edges = _edges(procedure)
    lines = ["flowchart TD", f"  %% {procedure.title}"]
    for node in _nodes(procedure, edges):
        title = procedure.title_of(node).replace('"', "'")
        lines.append(f'  {node}["{title}"]')
    for a, b, label in edges:
        lines.append(f"  {a} -->|{label}| {b}" if label else f"  {a} --> {b}")
    return "\n".join(lines) + "\n"


def format_dot(procedure: Procedure) -> str:
    edges = _edges(procedure)

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["digraph procedure {", f"  label={q(procedure.title)}; labelloc=t; fontname=Helvetica;",
             "  rankdir=TB; node [shape=box, style=\"rounded,filled\", fillcolor=\"#EEF3FA\", fontname=Helvetica,"
             " fontsize=10]; edge [fontname=Helvetica, fontsize=9];"]
    for node in _nodes(procedure, edges):
        lines.append(f"  {node} [label={q(procedure.title_of(node))}];")
    for a, b, label in edges:
        lines.append(f"  {a} -> {b}" + (f" [label={q(label)}]" if label else "") + ";")
    lines.append("}")
    return "\n".join(lines) + "\n"


def have_graphviz() -> bool:
    return shutil.which("dot") is not None


def render_image(procedure: Procedure, fmt: str) -> bytes:
    """SVG or PNG bytes from Graphviz's `dot`."""
    if not have_graphviz():
        raise WbcrError(f"drawing a {fmt.upper()} needs Graphviz's `dot` program, which is not installed",
                        code="flowchart.graphviz",
                        hint="install Graphviz (apt-get install graphviz), or use --format mermaid or dot")
    try:
        result = subprocess.run(["dot", f"-T{fmt}"], input=format_dot(procedure).encode(), capture_output=True,
                                timeout=60)
    except subprocess.TimeoutExpired:
        raise WbcrError("Graphviz took too long to draw the flow chart", code="flowchart.graphviz") from None
    if result.returncode != 0 or not result.stdout:
        raise WbcrError(f"Graphviz could not draw the flow chart: {result.stderr.decode(errors='replace').strip()}",
                        code="flowchart.graphviz")
    return result.stdout


def png_file(procedure: Procedure, folder: Path) -> Path | None:
    """A PNG of the flow chart in `folder`, or None when Graphviz is absent."""
    if not have_graphviz():
        return None
    path = folder / f"flowchart-{procedure.id}.png"
    path.write_bytes(render_image(procedure, "png"))
    return path
