"""Template errors that point at the fix, and the lint of a register's own templates (`wbcr templates check`).

Two jobs, both about a document's Jinja template:

* `explain_template_error` turns an error Jinja raised while rendering into one WbcrError that says whose
  template it is (the board's override in `templates/`, or wbcr's built-in one), the line where the
  problem starts (an unclosed block's opening tag, not the end of the file), and, for a field the records
  lack, the record and field to fill in ("wbcr.yaml: external_bodies.ofsted.email is not recorded").
* `check_overrides` reads every file in a register's `templates/` folder without rendering it and returns
  findings: a name no catalogue document has, a syntax error, a field no record can have (by the records'
  schemas), and Markdown outside the subset the Word writer reads (links, raw HTML, images not made by
  `image()`).

It imports nothing from `wbcr.documents.render` (which calls it): the caller passes the catalogue and the
context a template sees.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, Iterable, Iterator

from wbcr.core.errors import WbcrError
from wbcr.core.findings import ERROR, Finding
from wbcr.model.schemas import load_schema

#: where a register keeps its own templates
OVERRIDES = "templates"
#: a template's file name ends so
SUFFIX = ".md.j2"

#: the names the render adds to the context besides `build_context`'s, and the globals and filters it sets
RENDER_NAMES = ("document", "flowchart", "lscb", "field", "image", "md", "not_ready")
#: Jinja's own globals and the names a template may use without them being in the context
JINJA_NAMES = ("range", "dict", "lipsum", "cycler", "joiner", "namespace", "loop", "caller", "varargs", "kwargs",
               "self", "super", "true", "false", "none", "True", "False", "None")

#: context name -> the case record file it comes from
CASE_RECORD_FILES = {"case": "case.yaml", "referral": "referral.yaml", "decisions": "decisions.yaml",
                     "review": "review.yaml", "notifications": "notifications.yaml",
                     "recommendations": "recommendations.yaml", "people": "people.yaml"}
#: context name -> its place in wbcr.yaml
CONFIG_KEYS = {"board": "board", "independent_chair": "independent_chair", "crg": "crg", "external": "external_bodies",
               "safeguarding_partners": "safeguarding_partners", "lscbs": "lscbs"}
#: dict methods a template may call (`words.items()`): never a field
_METHODS = frozenset({"items", "keys", "values", "get", "update", "append", "startswith", "endswith", "split",
                      "upper", "lower", "strip", "replace", "join", "format", "title", "capitalize"})


#: the filters `render_markdown` adds to Jinja's own (a template that uses another cannot compile)
RENDER_FILTERS = ("date", "label", "yesno")


def _environment():
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment()
    env.filters.update({name: (lambda value, *args: value) for name in RENDER_FILTERS})
    return env


# --- whose template -------------------------------------------------------------------------------


def whose(register_root: Path | None, name: str, filename: str | None = None) -> str:
    """ "the board's override templates/X.md.j2" or "wbcr's built-in template X.md.j2"."""
    base = Path(filename).name if filename and filename.endswith(".j2") else name
    if filename and filename.endswith(".j2"):
        override = register_root is not None and Path(filename).parent == register_root / OVERRIDES
    else:
        override = register_root is not None and (register_root / OVERRIDES / name).is_file()
    return f"the board's override {OVERRIDES}/{base}" if override else f"wbcr's built-in template {base}"


def _source_of(register_root: Path | None, builtin_dir: Path, name: str, filename: str | None) -> tuple[str, str | None]:
    """(the template's text, its file) as the render's loader finds it."""
    candidates = [Path(filename)] if filename and filename.endswith(".j2") else []
    if register_root is not None:
        candidates.append(register_root / OVERRIDES / name)
    candidates.append(builtin_dir / name)
    for path in candidates:
        if path.is_file():
            return path.read_text(encoding="utf-8"), str(path)
    return "", None


# --- syntax errors: the line where the problem starts -----------------------------------------------

_OPENERS = frozenset({"if", "for", "macro", "call", "filter", "block", "with", "autoescape", "trans", "set"})


def _block_tags(source: str) -> Iterator[tuple[str, int, bool]]:
    """(tag, line, is a block) for each `{% tag … %}`; `set` is a block only without `=`."""
    tokens = [t for t in _environment().lex(source) if t[1] != "whitespace"]
    for i, (line, kind, _value) in enumerate(tokens):
        if kind != "block_begin" or i + 1 >= len(tokens) or tokens[i + 1][1] != "name":
            continue
        tag = tokens[i + 1][2]
        inline = False
        for _l, k, v in tokens[i + 2:]:
            if k == "block_end":
                break
            if k == "operator" and v == "=":
                inline = True
                break
        yield tag, line, not (tag == "set" and inline)


def unbalanced_block(source: str) -> tuple[str, int, str | None, int | None] | None:
    """The first block that is not closed as it should be: (opening tag, its line, the closing tag met
    instead or None at the end of the file, that tag's line), or None when every block closes."""
    from jinja2 import TemplateSyntaxError

    stack: list[tuple[str, int]] = []
    try:
        for tag, line, block in _block_tags(source):
            if tag in _OPENERS and block:
                stack.append((tag, line))
            elif tag.startswith("end") and tag != "end":
                if stack and stack[-1][0] == tag[3:]:
                    stack.pop()
                else:
                    opener = stack[-1] if stack else ("", line)
                    return opener[0], opener[1], tag, line
    except TemplateSyntaxError:
        return None  # the lexer's own error carries its line
    if stack:
        return stack[-1][0], stack[-1][1], None, None
    return None


def explain_syntax_error(message: str, lineno: int | None, source: str) -> tuple[int | None, str, str]:
    """(line, message, hint) for a syntax error, the line being where the problem starts."""
    hint = "fix the template's tags; `wbcr templates check` lists every problem in a register's templates"
    found = unbalanced_block(source) if source else None
    if found and ("end of template" in message or "Encountered unknown tag 'end" in message):
        tag, line, closer, closer_line = found
        if closer is None:
            return line, f"{{% {tag} %}} on line {line} is never closed", f"add {{% end{tag} %}} where the block ends"
        if tag:
            return line, (f"{{% {tag} %}} on line {line} is not closed before {{% {closer} %}} on line {closer_line}"), \
                f"add {{% end{tag} %}} before line {closer_line}, or remove the {{% {closer} %}}"
        return closer_line, f"{{% {closer} %}} on line {closer_line} closes no block", "remove it, or open the block it closes"
    return lineno, message, hint


# --- undefined fields: the record and field to fill in -----------------------------------------------


def _chain(node) -> tuple[str, ...] | None:
    """`a.b["c"].d` as ("a", "b", "c", "d"); "*" for a subscript by a variable; None if not rooted in a name."""
    from jinja2 import nodes

    parts: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem):
            arg = node.arg
            parts.append(str(arg.value) if isinstance(arg, nodes.Const) else "*")
            node = node.node
        elif isinstance(node, nodes.Name):
            parts.append(node.name)
            return tuple(reversed(parts))
        else:
            return None


def _aliases(ast) -> dict[str, tuple[str, ...]]:
    """`{% set chair = decisions.chair_decision | default({}) %}`: chair -> ("decisions", "chair_decision")."""
    from jinja2 import nodes

    out: dict[str, tuple[str, ...]] = {}
    for assign in ast.find_all(nodes.Assign):
        if not isinstance(assign.target, nodes.Name):
            continue
        value = assign.node
        while isinstance(value, nodes.Filter) and value.name == "default" and value.node is not None:
            value = value.node
        chain = _chain(value)
        if chain and len(chain) > 1:
            out.setdefault(assign.target.name, chain)
    return out


def _expand(chain: tuple[str, ...], aliases: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    seen = set()
    while chain[0] in aliases and chain[0] not in seen:
        seen.add(chain[0])
        chain = aliases[chain[0]] + chain[1:]
    return chain


def _find_path(context: dict, target: Any, limit: int = 5) -> tuple | None:
    """Where in the context `target` (a dict or list) is, by identity: ("external", "ofsted")."""
    todo: list[tuple[tuple, Any]] = [((k,), v) for k, v in context.items()
                                     if k not in ("model", "procedure", "vocabulary", "document")]
    while todo:
        path, value = todo.pop(0)
        if value is target:
            return path
        if len(path) >= limit:
            continue
        if isinstance(value, dict):
            todo.extend((path + (str(k),), v) for k, v in value.items())
        elif isinstance(value, list):
            todo.extend((path + (str(i),), v) for i, v in enumerate(value))
    return None


def _lookup(value: Any, key: str) -> tuple[bool, Any]:
    if isinstance(value, dict):
        return (key in value, value.get(key))
    if isinstance(value, list) and key.isdigit() and int(key) < len(value):
        return True, value[int(key)]
    return False, None


def _missing_field(message: str, source: str, line: int | None, scope: dict, context: dict) -> tuple | None:
    """The full path, in the context's terms, of the field the error is about, e.g. ("external", "ofsted",
    "email"); None when it cannot be told."""
    top = re.match(r"^'([^']+)' is undefined$", message)
    if top:
        return (top.group(1),)
    m = re.search(r"has no (?:attribute|element) '?([^']+?)'?$", message)
    if not m or not source or not line:
        return None
    name = m.group(1)
    from jinja2 import TemplateSyntaxError, nodes

    try:
        ast = _environment().parse(source)
    except TemplateSyntaxError:
        return None
    aliases = _aliases(ast)
    candidates = []
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        chain = _chain(node)
        if chain and node.lineno == line and name in chain[1:]:
            candidates.append(chain)
    candidates.sort(key=len, reverse=True)  # the whole of `review.terms_of_reference.scope_from`, not a part
    for chain in candidates:
        # follow the chain through the template's own values: the missing key is where it stops
        root = chain[0]
        value = scope.get(root, context.get(root))
        ok = root in scope or root in context
        for i, key in enumerate(chain[1:], 1):
            if not ok:
                break
            found, child = _lookup(value, key)
            if not found:
                if key != name:
                    break  # it stops at another key than the error's: another candidate
                where = _find_path(context, value) if isinstance(value, (dict, list)) else None
                if where is None:
                    return _expand(chain, aliases)
                return where + chain[i:]
            value = child
    return _expand(candidates[0], aliases) if candidates else None


def _agency_label(agency_id: str) -> str:
    return f"agencies[{agency_id}]"


def describe_field(path: tuple, context: dict, config: dict) -> tuple[str, str] | None:
    """("wbcr.yaml: external_bodies.ofsted.email", what to do) for a context path; None for a value wbcr
    works out rather than one somebody records."""
    root, rest = path[0], list(path[1:])
    case_ref = context.get("reference") or "REF"
    record_hint = (f"record it (`wbcr next {case_ref}` says which command records what the case needs next), "
                   "or guard it in the template with {% if … is defined %} or | default(…)")
    config_hint = ("add it to wbcr.yaml and run `wbcr validate`, or guard it in the template with "
                   "{% if … is defined %} or | default(…)")

    def dotted(parts: Iterable[str]) -> str:
        out = ""
        for p in parts:
            out += f"[{p}]" if p.isdigit() else (f".{p}" if out else p)
        return out

    if root in CASE_RECORD_FILES:
        return f"{CASE_RECORD_FILES[root]}: {dotted(rest) or '(the record)'}", record_hint
    if root in ("child", "subjects"):
        return f"people.yaml: {dotted(['people', *rest[1 if root == 'subjects' else 0:]])}", record_hint
    if root == "agencies" and rest:
        return f"wbcr.yaml: {dotted([_agency_label(rest[0]), *rest[1:]])}", config_hint
    if root == "agency" and not context.get("agency"):
        return (f"the agency's {dotted(rest)}", "this document is rendered without --agency: guard it with "
                                                "{% if agency %}")
    if root == "agency":
        agency_id = (context.get("agency") or {}).get("id", "*")
        return f"wbcr.yaml: {dotted([_agency_label(agency_id), *rest])}", config_hint
    if root == "lscb":
        lscb_id = (context.get("case") or {}).get("lead_lscb", "*")
        return f"wbcr.yaml: {dotted([f'lscbs[{lscb_id}]', *rest])}", config_hint
    if root in CONFIG_KEYS:
        return f"wbcr.yaml: {dotted([CONFIG_KEYS[root], *rest])}", config_hint
    if root == "recipient":
        recipient = context.get("recipient") or {}
        to = str(recipient.get("id", ""))
        external = config.get("external_bodies") or {}
        if to in external or to in ("ofsted", "dfe", "national_panel", "secretary_of_state"):
            return f"wbcr.yaml: {dotted(['external_bodies', to, *rest])}", config_hint
        if to == "notifier":
            return f"referral.yaml: {dotted(['referrer', *rest])}", record_hint
        if to == "requesting_board":
            return f"referral.yaml: {dotted(['out_of_area', 'contact', *rest])}", record_hint
        if to == "independent_chair":
            return f"wbcr.yaml: {dotted(['independent_chair', *rest])}", config_hint
        if to == "crg_chair":
            return f"wbcr.yaml: {dotted(['crg', 'chair', *rest])}", config_hint
        if to in ("business_manager", "head_of_safeguarding"):
            lscb_id = (context.get("case") or {}).get("lead_lscb", "*")
            return f"wbcr.yaml: {dotted([f'lscbs[{lscb_id}]', to, *rest])}", config_hint
        if to.startswith("agency:"):
            return (f"wbcr.yaml: {dotted([_agency_label(to[7:]), 'designated_senior_manager', *rest])}",
                    config_hint)
        return f"the recipient's {dotted(rest)} (--to {to or '…'})", "this recipient has no such detail: guard it with | default(…)"
    if root == "words" and rest:
        return (f"wbcr.yaml: labels.words.{rest[0]}",
                "no procedure uses this word: `wbcr labels` lists them; add it under labels: words: in wbcr.yaml")
    if root == "labels" and rest:
        return (f"wbcr.yaml: {dotted(['labels', *rest])}", "`wbcr labels` lists the label groups and their ids")
    if root == "deadlines" and rest:
        return (f"the deadline {rest[0]}", "the case's procedure has no such deadline (see its `deadlines:`), or its "
                                           "anchor is not recorded yet: guard it with {% if deadlines.X is defined %}")
    return None


# --- a render's error, explained ------------------------------------------------------------------


def _template_frame(exc: BaseException) -> tuple[str | None, int | None, dict]:
    """(file, line, the template's local values) of the innermost template frame of the traceback."""
    found: tuple[str | None, int | None, dict] = (None, None, {})
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename == "<template>":
            found = (filename, tb.tb_lineno, dict(tb.tb_frame.f_locals))
        tb = tb.tb_next
    return found


def template_line(exc: BaseException) -> int | None:
    """The template line a runtime error was raised at."""
    return _template_frame(exc)[1]


def explain_template_error(exc: BaseException, register_root: Path | None, builtin_dir: Path, name: str,
                           context: dict, config: dict | None = None) -> WbcrError:
    """One WbcrError for an error Jinja raised rendering the template `name`: whose template, which line
    (where the problem starts), and for a missing field the record and field to fill in."""
    import jinja2

    config = config or {}
    if isinstance(exc, jinja2.TemplateNotFound):
        return WbcrError(f"template {exc.name} not found", code="template.missing",
                         hint=f"looked in {OVERRIDES}/ and wbcr's built-in templates; the override's name must "
                              "be the catalogue's (`wbcr templates check` says which names match no document)")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        filename = exc.filename or None
        shown = Path(filename).name if filename else (exc.name or name)
        source = exc.source or _source_of(register_root, builtin_dir, shown, filename)[0]
        line, message, hint = explain_syntax_error(exc.message or str(exc), exc.lineno, source)
        return WbcrError(f"template {shown}{f' line {line}' if line else ''} "
                         f"({whose(register_root, shown, filename)}): {message}", code="template.syntax", hint=hint)
    filename, line, scope = _template_frame(exc)
    shown = Path(filename).name if filename and filename.endswith(".j2") else name
    at = f"template {shown}{f' line {line}' if line else ''} ({whose(register_root, shown, filename)})"
    if isinstance(exc, jinja2.UndefinedError):
        message = exc.message or str(exc)
        source = _source_of(register_root, builtin_dir, shown, filename)[0]
        path = _missing_field(message, source, line, scope, context)
        described = describe_field(path, context, config) if path else None
        if path and len(path) == 1 and path[0] not in context:
            known = ", ".join(sorted(k for k in context if not k.startswith("_")))
            return WbcrError(f"{at}: {path[0]} is not a value documents have", code="template.undefined",
                             hint=f"the names a template can use: {known}")
        if described:
            field, hint = described
            return WbcrError(f"{at}: {field} is not recorded ({'.'.join(path)} in the template)",
                             code="template.undefined", hint=hint)
        return WbcrError(f"{at}: {message}", code="template.undefined",
                         hint="the template uses a field the records do not have; record it, or guard it with "
                              "{% if … is defined %}")
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return WbcrError(f"{at}: not allowed in a template: {exc}", code="template.unsafe",
                         hint="templates run sandboxed: use the record's fields, filters and the globals "
                              "field(), image(), md() and not_ready(), not Python internals")
    return WbcrError(f"{at}: {exc}", code="template.error", hint="fix the template")


# --- the lint of a register's templates/ --------------------------------------------------------------


def _schema_node(schema: dict, node: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return {}
        target: Any = schema
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node = target
    return node if isinstance(node, dict) else {}


def _known_keys(schema: dict, node: dict) -> tuple[set[str], dict] | None:
    """The keys an object of the schema may have (None: any), with their schemas."""
    node = _schema_node(schema, node)
    if node.get("type") != "object" or node.get("additionalProperties", True) is not False or node.get("patternProperties"):
        return None
    props = node.get("properties") or {}
    return set(props), props


def _items(schema: dict, node: dict) -> dict:
    node = _schema_node(schema, node)
    return _schema_node(schema, node.get("items") or {}) if node.get("type") == "array" else {}


def _root_schema(root: str) -> tuple[str, dict, dict, str] | None:
    """(record label, its schema, the node the context name stands for, the path shown) for a context name."""
    if root in CASE_RECORD_FILES and root != "people":
        schema = load_schema(root)
        return CASE_RECORD_FILES[root], schema, schema, ""
    register = load_schema("register")
    props = register.get("properties") or {}
    if root in ("board", "independent_chair", "crg", "external"):
        key = CONFIG_KEYS[root]
        return "wbcr.yaml", register, props.get(key) or {}, key
    if root == "agency":
        return "wbcr.yaml", register, _items(register, props.get("agencies") or {}), "agencies[…]"
    if root == "lscb":
        return "wbcr.yaml", register, _items(register, props.get("lscbs") or {}), "lscbs[…]"
    if root == "agencies":  # a mapping by id here: the first key is an agency's id
        return "wbcr.yaml", register, {"type": "object", "_by_id": _items(register, props.get("agencies") or {})}, "agencies"
    return None


def _check_chain(chain: tuple[str, ...], config: dict) -> tuple[str, str] | None:
    """(the field shown, the keys it may have) for the first key of `chain` its record cannot have."""
    found = _root_schema(chain[0])
    if found is None:
        return None
    label, schema, node, shown = found
    for key in chain[1:]:
        if key == "*":
            return None
        if "_by_id" in node:
            ids = {a.get("id") for a in config.get("agencies") or [] if isinstance(a, dict)}
            if ids and key not in ids:
                return f"{label}: agencies[{key}]", "agencies: " + ", ".join(sorted(str(i) for i in ids))
            node, shown = node["_by_id"], f"agencies[{key}]"
            continue
        keys = _known_keys(schema, node)
        if keys is None:
            return None
        names, props = keys
        if key not in names:
            return f"{label}: {f'{shown}.' if shown else ''}{key}", "it may have: " + ", ".join(sorted(names))
        node = _schema_node(schema, props[key])
        shown = f"{shown}.{key}" if shown else key
    return None


_JINJA_SYNTAX = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_MARKDOWN = [
    ("template.markdown-image", re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"),
     "an image the Word writer cannot find: only images made by {{ image(name, path) }} are drawn",
     "use the template's image() call, or remove it"),
    ("template.markdown-link", re.compile(r"(?<!!)\[[^\]\n]+\]\([^)\n]*\)|(?<!!)\[[^\]\n]+\]\[[^\]\n]*\]|<(?:https?|mailto):[^>\s]+>"),
     "a Markdown link: the Word writer prints only its text, the address is lost",
     "write the address out as text"),
    ("template.markdown-html", re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>|<!--"),
     "raw HTML: the Word writer does not read it and prints the tag as it stands",
     "use the Markdown subset: headings, emphasis, lists, tables, > notes, \\newpage, field()"),
]


def _blank_jinja(source: str) -> str:
    """The template with its Jinja tags, expressions and comments blanked out, lines and columns kept."""
    return _JINJA_SYNTAX.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)


def check_template_source(source: str, relpath: str, *, context_names: Iterable[str], config: dict,
                          whose_text: str) -> list[Finding]:
    """Every problem of one template's text: syntax (with the line where it starts), names and fields the
    context cannot have, Markdown the Word writer does not read."""
    import jinja2
    from jinja2 import meta, nodes

    findings: list[Finding] = []
    try:
        ast = _environment().parse(source)
    except jinja2.TemplateSyntaxError as exc:
        line, message, hint = explain_syntax_error(exc.message or str(exc), exc.lineno, source)
        return [Finding("template.syntax", ERROR, f"{message} ({whose_text})", relpath, line, None, hint)]
    try:
        undeclared = meta.find_undeclared_variables(ast)
    except jinja2.TemplateSyntaxError as exc:  # compiling it: an unknown filter or test
        return [Finding("template.syntax", ERROR, f"{exc.message} ({whose_text})", relpath, exc.lineno, None,
                        "the filters a template can use: Jinja's own and " + ", ".join(RENDER_FILTERS))]
    # a name set anywhere in the template (in a branch, a loop, a macro's parameters) is its own
    local = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    local |= {m.name for m in ast.find_all(nodes.Macro)}
    undeclared -= local
    known = set(context_names) | set(RENDER_NAMES) | set(JINJA_NAMES)
    lines: dict[str, int] = {}
    for node in ast.find_all(nodes.Name):
        if node.ctx == "load":
            lines.setdefault(node.name, node.lineno)
    for name in sorted(undeclared - known, key=lambda n: (lines.get(n, 0), n)):
        near = difflib.get_close_matches(name, sorted(known - set(JINJA_NAMES)), n=1)
        findings.append(Finding("template.unknown-name", ERROR, f"{name} is not a value documents have ({whose_text})",
                                relpath, lines.get(name), None,
                                (f'did you mean "{near[0]}"? ' if near else "")
                                + "the names a template can use: " + ", ".join(sorted(set(context_names) | set(RENDER_NAMES)))))
    # attribute chains on the record's own names (not shadowed by a {% set %} or a loop variable)
    calls = {id(c.node) for c in ast.find_all(nodes.Call)}
    seen = set()
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        chain = _chain(node)
        if not chain or len(chain) < 2 or chain[0] in local:
            continue
        if id(node) in calls and chain[-1] in _METHODS:
            chain = chain[:-1]
            if len(chain) < 2:
                continue
        problem = _check_chain(chain, config)
        if problem and problem[0] not in seen:
            seen.add(problem[0])
            field, hint = problem
            findings.append(Finding("template.unknown-field", ERROR,
                                    f"{'.'.join(chain)}: {field} is not a field the records can have ({whose_text})",
                                    relpath, node.lineno, None, hint))
    blanked = _blank_jinja(source)
    for number, text in enumerate(blanked.splitlines(), 1):
        taken: list[tuple[int, int]] = []
        for code, pattern, message, hint in _MARKDOWN:
            for m in pattern.finditer(text):
                if any(a <= m.start() < b for a, b in taken):
                    continue
                taken.append((m.start(), m.end()))
                findings.append(Finding(code, ERROR, f"{message}: {m.group(0)[:60]} ({whose_text})",
                                        relpath, number, m.start() + 1, hint))
    return findings


def _did_you_mean(name: str, documents: dict[str, Any], templates: list[str]) -> list[str]:
    """The template a misnamed override was probably meant to be: one addressed to a body its name
    mentions (ofsted-notice.md.j2: the documents to Ofsted), else the nearest name."""
    words = set(re.split(r"[-_.]+", name.removesuffix(SUFFIX).lower()))
    words |= {"national_panel"} if {"national", "panel"} <= words else set()
    addressed = sorted({spec.template for spec in documents.values()
                        if words & {r.lower() for r in getattr(spec, "recipients", ())}})
    if addressed:
        return (difflib.get_close_matches(name, addressed, n=1, cutoff=0) or addressed)[:1]
    return difflib.get_close_matches(name, templates, n=1, cutoff=0.5)


def _included(paths: Iterable[Path]) -> set[str]:
    """The templates other templates include, import or extend by name (a partial such as `_x.md.j2`)."""
    from jinja2 import TemplateSyntaxError, nodes

    names: set[str] = set()
    env = _environment()
    for path in paths:
        try:
            ast = env.parse(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, TemplateSyntaxError):
            continue  # reported on its own
        for node in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            if isinstance(node.template, nodes.Const) and isinstance(node.template.value, str):
                names.add(node.template.value)
    return names


def check_overrides(register_root: Path, documents: dict[str, Any], context: dict, config: dict,
                    builtin_dir: Path) -> list[Finding]:
    """Findings for every file in the register's templates/ folder: `documents` is the catalogue (name ->
    spec with a `template`), `context` the context a template sees (its top-level names are what a
    template may read)."""
    folder = register_root / OVERRIDES
    if not folder.is_dir():
        return []
    templates = sorted({spec.template for spec in documents.values()})
    included = _included(list(builtin_dir.glob(f"*{SUFFIX}")) + list(folder.rglob(f"*{SUFFIX}")))
    findings: list[Finding] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        relpath = path.relative_to(register_root).as_posix()
        name = path.relative_to(folder).as_posix()
        used = name in templates or name in included
        if not used:
            near = _did_you_mean(name, documents, templates)
            findings.append(Finding(
                "template.unknown-override", ERROR,
                f"{name} overrides no document: wbcr never reads it", relpath, None, None,
                (f'did you mean "{OVERRIDES}/{near[0]}"? ' if near else "")
                + "an override is named as the catalogue's template (`wbcr documents --format json` lists them)"))
            if not name.endswith(".j2"):
                continue
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            findings.append(Finding("template.unreadable", ERROR, f"cannot read it: {exc}", relpath))
            continue
        whose_text = f"the board's override {relpath}"
        findings.extend(check_template_source(source, relpath, context_names=context, config=config,
                                              whose_text=whose_text))
    return sorted(findings, key=Finding.sort_key)

