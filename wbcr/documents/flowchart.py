"""The process flow chart (tool kit Appendix 7), drawn from the procedure's data.

Mermaid and Graphviz DOT text are produced here; SVG and PNG pictures come from Graphviz's `dot`
program when it is installed, with a clear message when it is not.

The whole chart is too wide to be read on an A4 page: fitted to the page, its words come out at about
4 pt. The document (`png_file`) therefore draws it in parts, each a picture whose words are at least
`MIN_PRINTED_PT` once fitted to the document's landscape page: from the referral to the decision, the paths after
the decision, and the other ways a case comes in. The first part is `flowchart-<procedure>.png`; the
others are beside it as `flowchart-<procedure>-<part>.png` (`PARTS`), for the template to place.
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

from wbcr.core.errors import WbcrError
from wbcr.model.procedure import Procedure

_KIND_TITLES = {
    "scr": "SCR", "lcspr": "LCSPR", "silp": "SILP", "multi_agency_review": "Multi-agency review",
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


#: The parts the printed chart is drawn in: (file suffix, what the part shows).
PARTS = (("", "from the referral to the decision"), ("review", "after the decision, each kind of review"),
         ("other", "the other ways a case comes in"))
#: The least size a word of the chart is printed at, fitted to the document's landscape A4 page (tested).
MIN_PRINTED_PT = 9
_PRINT_FONT_PT = 22
# A part's PNG says it is of 144 dpi, not Graphviz's 72: at its natural size (a picture is never enlarged
# beyond it) its words are half _PRINT_FONT_PT; a larger part is scaled down to the page, its words never
# below MIN_PRINTED_PT (tested).
_PART_DPI = 144
_WRAP = 32  # characters a line of a box (a move's label: half as many again)


def _part_edges(procedure: Procedure, part: str) -> list[tuple[str, str, str]]:
    """The moves one part of the printed chart shows (see PARTS)."""
    referral = list(procedure.intakes.get("review_referral", {}).get("stages", []))
    on_path = {s for stages in procedure.review_paths.values() for s in stages}
    ends = {exit_["to"] for stage in procedure.stages.values() for exit_ in stage.get("exits") or []}
    out = []
    for a, b, label in _edges(procedure):
        if a in referral:  # the decision's move into a review path opens the second part
            which = "review" if referral and a == referral[-1] and b in on_path and b not in ends else ""
        elif a in on_path:
            which = "review"
        else:
            which = "other"
        if which == part:
            out.append((a, b, label))
    return out


def format_dot(procedure: Procedure, part: str | None = None) -> str:
    """The chart as Graphviz DOT: the whole of it, or one part of the printed chart (PARTS) with its
    labels wrapped and set large, so that it can be fitted to a page and still read."""
    edges = _edges(procedure) if part is None else _part_edges(procedure, part)

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def label(text: str, wrap: int = _WRAP) -> str:
        return q(text) if part is None else q("\n".join(textwrap.wrap(text, wrap)) or text)

    node_pt, edge_pt = (10, 9) if part is None else (_PRINT_FONT_PT, _PRINT_FONT_PT - 1)
    spacing = "" if part is None else " nodesep=0.12; ranksep=0.22; margin=0;"
    # a part's title is the document's own text, above the picture, not words drawn small inside it
    title = f"  label={q(procedure.title)}; labelloc=t; fontname=Helvetica;" if part is None else "  fontname=Helvetica;"
    lines = ["digraph procedure {", title,
             f"  rankdir=TB;{spacing} node [shape=box, style=\"rounded,filled\", fillcolor=\"#EEF3FA\","
             f" fontname=Helvetica, fontsize={node_pt}]; edge [fontname=Helvetica, fontsize={edge_pt}];"]
    for node in _nodes(procedure, edges):
        lines.append(f"  {node} [label={label(procedure.title_of(node))}];")
    for a, b, text in edges:
        lines.append(f"  {a} -> {b}" + (f" [label={label(text, _WRAP * 3 // 2)}]" if text else "") + ";")
    lines.append("}")
    return "\n".join(lines) + "\n"


def have_graphviz() -> bool:
    return shutil.which("dot") is not None


def render_image(procedure: Procedure, fmt: str, part: str | None = None) -> bytes:
    """SVG or PNG bytes from Graphviz's `dot`: the whole chart, or one part of the printed chart."""
    if not have_graphviz():
        raise WbcrError(f"drawing a {fmt.upper()} needs Graphviz's `dot` program, which is not installed",
                        code="flowchart.graphviz",
                        hint="install Graphviz (apt-get install graphviz), or use --format mermaid or dot")
    try:
        result = subprocess.run(["dot", f"-T{fmt}"], input=format_dot(procedure, part).encode(), capture_output=True,
                                timeout=60)
    except subprocess.TimeoutExpired:
        raise WbcrError("Graphviz took too long to draw the flow chart", code="flowchart.graphviz") from None
    if result.returncode != 0 or not result.stdout:
        raise WbcrError(f"Graphviz could not draw the flow chart: {result.stderr.decode(errors='replace').strip()}",
                        code="flowchart.graphviz")
    return result.stdout


def _with_dpi(png: bytes, dpi: int) -> bytes:
    """The PNG with a pHYs chunk saying how many pixels make an inch (Graphviz writes none)."""
    import struct
    import zlib

    ppm = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", ppm, ppm, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    end_of_ihdr = 8 + 4 + 4 + 13 + 4
    return png[:end_of_ihdr] + chunk + png[end_of_ihdr:]


def png_file(procedure: Procedure, folder: Path) -> Path | None:
    """The printed chart's parts as PNGs in `folder` (see PARTS), or None when Graphviz is absent:
    the path of the first; each other part with moves to show is beside it, its suffix added."""
    if not have_graphviz():
        return None
    first = folder / f"flowchart-{procedure.id}.png"
    for part, _what in PARTS:
        if _part_edges(procedure, part):
            path = first.with_name(f"{first.stem}-{part}.png") if part else first
            path.write_bytes(_with_dpi(render_image(procedure, "png", part), _PART_DPI))
    return first
