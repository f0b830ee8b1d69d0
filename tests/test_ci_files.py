"""The CI files a board copies (the example registers' GitHub workflows, the pre-commit hooks) run
commands and options wbcr has, install wbcr from a pinned copy, and ask for no more than they need."""

from __future__ import annotations

import re
import shlex

import pytest
import yaml

from conftest import ROOT

HOOKS = ROOT / ".pre-commit-hooks.yaml"
WORKFLOWS = sorted((ROOT / "examples").glob("*/.github/workflows/*.y*ml"))
#: the oldest major version of each action a workflow may use (older ones run on a retired Node)
ACTIONS = {"actions/checkout": 4, "actions/setup-python": 5}


def _workflow(path):
    # PyYAML reads a bare `on:` key as True
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _steps(data):
    for job in data["jobs"].values():
        yield from job["steps"]


def _wbcr_commands():
    """(where, argv) of every wbcr command the hooks and workflows run."""
    for hook in yaml.safe_load(HOOKS.read_text(encoding="utf-8")):
        yield f"{HOOKS.name}:{hook['id']}", shlex.split(hook["entry"])
    for path in WORKFLOWS:
        for step in _steps(_workflow(path)):
            for line in str(step.get("run", "")).splitlines():
                if line.strip().startswith("wbcr "):
                    yield f"{path.relative_to(ROOT)}:{step.get('name')}", shlex.split(line)


def _readme_snippets():
    """The YAML snippets of the README's CI section, parsed (they must parse)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### In CI and before each commit"):]
    section = section[:section.index("\n## ")]
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", section, re.S)]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _readme_commands():
    for snippet in _readme_snippets():
        for text in _strings(snippet):
            if re.match(r"wbcr [a-z]", text):
                argv = shlex.split(text)
                cut = next((i for i, a in enumerate(argv) if a in (">", "||", "&&", "|")), len(argv))
                yield "README.md", argv[:cut]


def test_readme_ci_snippets():
    snippets = _readme_snippets()
    assert len(snippets) >= 3  # GitLab, Azure DevOps, pre-commit
    text = "\n".join(s for snippet in snippets for s in _strings(snippet))
    assert "wbcr-*.xml" in text and "JUnit" in text and "--format junit" in text
    assert any("PublishTestResults@2" == s.get("task") for snippet in snippets if isinstance(snippet, dict)
               for s in snippet.get("steps", []))
    assert not re.search(r"pip install\s+[\"']?wbcr[\"']?(?!\s*@)(\s|$)", text, re.M)
    hooks = {hook["id"] for hook in yaml.safe_load(HOOKS.read_text())}
    used = {h["id"] for snippet in snippets if isinstance(snippet, dict) for repo in snippet.get("repos", [])
            for h in repo["hooks"]}
    assert used and used <= hooks


def test_there_are_files_to_check():
    assert HOOKS.is_file()
    assert WORKFLOWS, "the example register's workflow is missing"
    assert {hook["id"] for hook in yaml.safe_load(HOOKS.read_text())} >= {"wbcr-validate", "wbcr-check-sealed"}


def test_hooks_are_python_hooks_on_the_whole_register():
    for hook in yaml.safe_load(HOOKS.read_text()):
        assert hook["language"] == "python", hook["id"]
        assert hook["pass_filenames"] is False, hook["id"]
        assert shlex.split(hook["entry"])[0] == "wbcr"
    entries = {hook["id"]: hook["entry"] for hook in yaml.safe_load(HOOKS.read_text())}
    assert entries["wbcr-validate"] == "wbcr validate"
    assert entries["wbcr-check-sealed"] == "wbcr check-sealed --staged"


@pytest.mark.parametrize("where,argv", [*_wbcr_commands(), *_readme_commands()], ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_and_option_exists(wbcr, where, argv):
    assert argv[0] == "wbcr"
    command = argv[1]
    assert re.search(rf"│ {re.escape(command)}\s", wbcr("--help").out), f"{where}: no command `wbcr {command}`"
    help_text = wbcr(command, "--help").out
    for i, arg in enumerate(argv[2:], start=2):
        if not arg.startswith("--"):
            continue
        assert re.search(rf"{re.escape(arg)}\b", help_text), f"{where}: `wbcr {command}` has no option {arg}"
        if arg == "--format":
            choices = re.search(r"--format\s+[<\[]([a-z|]+)[>\]]", help_text).group(1).split("|")
            assert argv[i + 1] in choices, f"{where}: --format {argv[i + 1]} is not one of {choices}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: str(p.relative_to(ROOT)))
def test_workflow_installs_a_pinned_wbcr_with_least_privilege(path):
    text = path.read_text(encoding="utf-8")
    data = _workflow(path)
    assert data.get("permissions") == {"contents": "read"}, "a top-level `permissions: contents: read` block"
    # wbcr is no PyPI package: never `pip install wbcr` on its own
    assert not re.search(r"pip install\s+(-\S+\s+)*[\"']?wbcr[\"']?\s*($|\n)", text, re.M), "pip install wbcr"
    installs = [step["run"] for step in _steps(data) if "pip install" in str(step.get("run", ""))]
    assert installs, "no step installs wbcr"
    spec = " ".join(installs) + " " + " ".join(str(v) for v in (data.get("env") or {}).values())
    pinned = re.search(r"wbcr @ git\+\S+@[\w.\-]+", spec) or re.search(r"wbcr-\S+\.whl", spec)
    assert pinned, f"wbcr is installed from a pinned copy (git URL at a tag or commit, or a wheel): {spec}"
    for step in _steps(data):
        uses = step.get("uses")
        if not uses:
            continue
        action, _, version = uses.partition("@")
        if action in ACTIONS:
            major = int(re.match(r"v(\d+)", version).group(1))
            assert major >= ACTIONS[action], f"{uses}: use {action}@v{ACTIONS[action]} or later"
    runs = "\n".join(str(step.get("run", "")) for step in _steps(data))
    assert "wbcr validate --strict --format github" in runs
    assert "wbcr check-sealed" in runs
