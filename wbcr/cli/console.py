r"""The console: the only place that prints. Data goes to stdout, diagnostics to stderr.

Text printed here may come from records or from an agency's file, so it is made safe once, here, on
every path to the terminal:

- control characters cannot act on the terminal: C0 (except newline and tab), DEL, C1 (which includes
  the 8-bit CSI) and the bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069), which can
  make a line read differently from what it holds, are shown as escapes (`\x1b`, `\u202e`); ESC shown
  as `\x1b` starts no sequence, so an OSC title change or a screen clear prints as harmless text;
- nothing is parsed as rich markup or emoji codes: a narrative holding `[redacted]`, `[bold]` or
  `:warning:` prints as typed.

Plain lines are escaped as they are written; everything rich renders (tables, panels, the renderables
the views build) passes through a render hook that escapes the text of every segment, so a view cannot
forget. JSON stays exact: `json.dumps` escapes C0 already, and C1 and bidi controls are written as
`\uXXXX` escapes, which a JSON reader turns back into the same characters.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any, Iterable

_out = None
_err = None

#: what must not reach a terminal raw (newline and tab are layout, and stay)
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def format_visible(text: str) -> str:
    """`text` safe to show on a terminal: every control character (see the module's docstring) written as
    a visible escape; a Windows line ending as a plain newline. Idempotent."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_escape, text.replace("\r\n", "\n"))


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _console(stderr: bool):
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False, soft_wrap=True, markup=False, emoji=False)
    console.push_render_hook(_VisibleHook())
    return console


def out():
    global _out
    if _out is None:
        _out = _console(stderr=False)
    return _out


def err():
    global _err
    if _err is None:
        _err = _console(stderr=True)
    return _err


class _Visible:
    """A renderable rendered as it is, with the text of every segment passed through `format_visible`
    (rich's own control segments, such as cursor moves, are its own and kept)."""

    def __init__(self, renderable) -> None:
        self.renderable = renderable

    def __rich_console__(self, console, options):
        from rich.segment import Segment

        for segment in console.render(self.renderable, options):
            if segment.control or not _UNSAFE.search(segment.text):
                yield segment
            else:
                yield Segment(format_visible(segment.text), segment.style)


class _VisibleHook:
    """rich's render hook (`Console.push_render_hook`): every renderable printed is wrapped in `_Visible`."""

    def process_renderables(self, renderables: list) -> list:
        return [_Visible(r) for r in renderables]


def _utf8(stream) -> bool:
    return (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")


def safe_streams() -> None:
    """stdout and stderr never fail on a character: on a console or pipe whose code page cannot show one
    (Windows' cp1252 and a name like "Łucja", or wbcr's own "→"), it is replaced rather than crashing."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None or _utf8(stream):
            continue
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):  # not a text stream wbcr can reconfigure: left as it is
            pass


def print_json(data: Any) -> None:
    # on a stream that is not UTF-8, every character outside ASCII is written as a JSON escape: the
    # data stays exact whatever the code page
    text = json.dumps(data, indent=2, ensure_ascii=not _utf8(sys.stdout))
    sys.stdout.write(_UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def print_line(text: str = "") -> None:
    sys.stdout.write(format_visible(text) + "\n")


def print_error(message: str, hint: str | None = None) -> None:
    from rich.text import Text

    line = Text("error: ", style="bold red")
    line.append(format_visible(message))
    err().print(line)
    if hint:
        err().print(Text("  hint: ", style="cyan") + Text(format_visible(hint)))


def print_warning(message: str) -> None:
    from rich.text import Text

    err().print(Text("warning: ", style="bold yellow") + Text(format_visible(message)))


def print_note(message: str) -> None:
    from rich.text import Text

    err().print(Text(format_visible(message), style="dim"))


def format_finding(f) -> str:
    text = f"{f.location}: {f.severity}[{f.code}]: {f.message}"
    return format_visible(f"{text} (hint: {f.hint})" if f.hint else text)


def print_findings(findings: Iterable, fmt: str = "text") -> None:
    """Findings one per line: `path:line:col: severity[code]: message (hint: …)`."""
    if fmt == "github":
        for f in findings:
            level = "error" if f.severity == "error" else "warning"
            props = f"file={_gh(f.path, True)}"
            if f.line:
                props += f",line={f.line}"
                if f.col:
                    props += f",col={f.col}"
            props += f",title={_gh(f.code, True)}"
            message = f.message + (f" (hint: {f.hint})" if f.hint else "")
            sys.stdout.write(format_visible(f"::{level} {props}::{_gh(message)}") + "\n")
        return
    for f in findings:
        sys.stdout.write(format_finding(f) + "\n")


def _gh(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


#: cells that are never broken across lines nor cut: a single word (a reference, an id, a stage, a
#: number), a date or a date and time, or anything as short as a date with a few words after it
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?")
_SHORT = 12
#: the narrowest a column of free text is made before its text moves to a line of its own
_READABLE = 24
#: the longest word of free text that sets a column's width (a longer one, a URL, is folded)
_LONG_WORD = 30


def _words(text: str) -> list[str]:
    return text.split() or [""]


def _unbreakable(cell: str) -> bool:
    return len(cell) <= _SHORT or len(_words(cell)) == 1 or bool(_DATE_TIME.fullmatch(cell))


def _table_layout(columns: list[str], cells: list[list[str]], keep: set[str], width: int, overhead) -> dict | None:
    """The width of each column in a table `width` wide (of which `overhead(n)` is rules and padding),
    such that no cell that must stay whole is cut or broken and free text keeps a readable width; the
    columns that hold free text may be moved to a line of their own under each row (`moved`). None when
    even that cannot fit."""
    from rich.cells import cell_len  # a wide character (CJK, an emoji) takes two columns

    n = len(columns)
    whole = [name in keep or all(_unbreakable(row[i]) for row in cells) for i, name in enumerate(columns)]
    natural, least = [], []
    for i, name in enumerate(columns):
        values = [row[i] for row in cells]
        header_word = max(cell_len(w) for w in _words(name))
        longest = max((max(cell_len(line) for line in v.split("\n")) for v in values), default=0)
        natural.append(max(cell_len(name), longest))
        if whole[i]:
            least.append(max(header_word, longest))
        else:
            word = max((cell_len(w) for v in values for w in _words(v)), default=0)
            least.append(max(header_word, min(longest, max(_READABLE, min(word, _LONG_WORD)))))
    kept = list(range(n))
    moved: list[int] = []
    while True:
        budget = width - overhead(len(kept))
        if sum(least[i] for i in kept) <= budget:
            break
        # free text moves to its own line, the widest first; the first column stays (it names the row)
        movable = [i for i in kept[1:] if not whole[i]]
        if not movable:
            return None
        widest = max(movable, key=lambda i: natural[i])
        kept.remove(widest)
        moved.append(widest)
    widths = {i: least[i] for i in kept}
    spare = budget - sum(widths.values())
    while spare > 0:  # the room left goes to the columns still narrower than their text, evenly
        short = [i for i in kept if widths[i] < natural[i]]
        if not short:
            break
        for i in short:
            if spare == 0:
                break
            widths[i] += 1
            spare -= 1
    return {"kept": kept, "moved": sorted(moved), "widths": widths, "whole": whole}


def print_table(columns: list[str], rows: list[list[Any]], styles: list[str | None] | None = None,
                title: str | None = None, *, keep: Iterable[str] = ()) -> None:
    """A table as wide as the terminal at most, whose references, ids, dates, stages and numbers are
    never cut nor broken across lines (nor any column named in `keep`); free text wraps.

    Drawn with a box when it fits; narrower, without the box; narrower still, each row's free text on a
    line of its own under the row (`Header: text`); and, when not even the other columns fit, one
    `Header: value` line per cell."""
    from rich import box
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    console = out()
    width = console.width
    names = [format_visible(name) for name in columns]
    cells = [[format_visible("" if v is None else str(v)) for v in row] for row in rows]
    row_styles = [(styles[i] if styles else None) or "" for i in range(len(rows))]
    keep = set(keep)

    boxed = _table_layout(names, cells, keep, width, lambda k: 3 * k + 1)
    layout = boxed if boxed and not boxed["moved"] else _table_layout(names, cells, keep, width, lambda k: 3 * k - 3)
    if layout is None:
        if title:
            console.print(Text(format_visible(title), style="bold"))
        for i, row in enumerate(cells):
            if i:
                console.print()
            for name, value in zip(names, row):
                if value:
                    console.print(Text(f"{name}: {value}", style=row_styles[i], overflow="fold"), soft_wrap=False)
        return

    def table(show_header: bool = True) -> Table:
        framed = layout is boxed
        t = Table(title=Text(format_visible(title)) if title and show_header and framed else None,
                  show_lines=False, header_style="bold", show_header=show_header,
                  box=box.HEAVY_HEAD if framed else box.SIMPLE_HEAD, show_edge=framed, pad_edge=framed)
        for i in layout["kept"]:
            t.add_column(Text(names[i]), width=layout["widths"][i], no_wrap=layout["whole"][i], overflow="fold")
        return t

    if not layout["moved"]:
        t = table()
        if title and layout is not boxed:
            console.print(Text(format_visible(title), style="italic"))
        for i, row in enumerate(cells):
            t.add_row(*[Text(row[c]) for c in layout["kept"]], style=row_styles[i] or None)
        console.print(t, soft_wrap=False)
        return
    # free text under each row: one table per row, all with the same widths, so the columns line up
    if title:
        console.print(Text(format_visible(title), style="italic"))
    header = table()
    header.add_row(*["" for _ in layout["kept"]])
    for line in console.render_lines(header, console.options, pad=False)[:-1]:
        console.print(Text.assemble(*[(s.text, s.style) for s in line]), soft_wrap=False)
    for i, row in enumerate(cells):
        t = table(show_header=False)
        t.add_row(*[Text(row[c]) for c in layout["kept"]], style=row_styles[i] or None)
        console.print(t, soft_wrap=False)
        under = " · ".join(f"{names[c]}: {row[c]}" for c in layout["moved"] if row[c])
        if under:
            console.print(Padding(Text(under, style=row_styles[i], overflow="fold"), (0, 0, 0, 4), expand=False), soft_wrap=False)


def print_wrapped(text: str, style: str | None = None, indent: str = "", first: str | None = None,
                  max_width: int | None = None) -> None:
    """`text` as lines wrapped to the terminal's width (80 in a log; at most `max_width`), each after
    `indent` (the first after `first` when given); words and `commands` are never broken."""
    import textwrap

    from rich.text import Text

    width = max(40, min(out().width, max_width or out().width))
    lead = indent if first is None else first
    for line in textwrap.wrap(text, width, initial_indent=lead, subsequent_indent=indent, break_long_words=False,
                              break_on_hyphens=False) or [lead]:
        print_text(Text(line, style=style or ""))


def print_text(renderable) -> None:
    out().print(renderable)
