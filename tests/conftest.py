"""Shared fixtures: an isolated environment (no $HOME, fixed git identity, fixed today), the `wbcr`
command run in-process (`wbcr`) or as a real process (`wbcr_process`), and copies of the example
register in real git repositories."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import shutil
import subprocess
import sys
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "west-of-berkshire"
TODAY = "2026-11-26"
#: the day the West of Berkshire example (a 2015 tool kit register, 2016-17) stands at
EXAMPLE_TODAY = "2017-11-23"
#: the global options that run a command on the example register as of that day
AT_EXAMPLE = ["--register", str(EXAMPLE), "--today", EXAMPLE_TODAY]
WBCR = [sys.executable, "-m", "wbcr"]


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


def wbcr_environment(home: Path) -> dict[str, str]:
    """The environment wbcr runs in under test: its own home (key store, caches, git config), a git
    identity and a wide plain terminal. No date: `env` adds the suite's; a command may give its own."""
    return {
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "WBCR_CACHE_DIR": str(home / "wbcr-cache"),
        "GIT_AUTHOR_NAME": "Test Coordinator",
        "GIT_AUTHOR_EMAIL": "coordinator@example.org",
        "GIT_COMMITTER_NAME": "Test Coordinator",
        "GIT_COMMITTER_EMAIL": "coordinator@example.org",
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "COLUMNS": "200",
        "NO_COLOR": "1",
        "TERM": "dumb",
    }


#: what a test's environment never inherits from the developer's
NOT_INHERITED = ("WBCR_REGISTER", "WBCR_ACTOR", "WBCR_BOARD_KEY", "WBCR_TODAY")


@pytest.fixture
def env(tmp_path_factory, monkeypatch) -> dict:
    home = tmp_path_factory.mktemp("home")
    for key in NOT_INHERITED:
        monkeypatch.delenv(key, raising=False)
    for key, value in {**wbcr_environment(home), "WBCR_TODAY": TODAY}.items():
        monkeypatch.setenv(key, value)
    return {**os.environ}


@contextlib.contextmanager
def module_environment(tmp_path_factory):
    """`env` for a register a whole test module shares (a module-scoped fixture cannot use `env`)."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as mp:
        for key in NOT_INHERITED:
            mp.delenv(key, raising=False)
        for key, value in wbcr_environment(home).items():
            mp.setenv(key, value)
        yield


def wbcr_ok(today: str, *args: str, cwd: Path) -> str:
    """Run wbcr in-process on `today`; its output, or the test fails with the command and its error."""
    result = _run_in_process(("--today", today, *args), cwd, None, {})
    assert result.code == 0, f"wbcr {' '.join(args)}:\n{result.err}"
    return result.out


def referred_case(work: Path, referral: str, *, procedure: str, today: str) -> tuple[Path, str]:
    """(register, reference): a new register under `procedure` made by `wbcr init`, with one case
    referred from the referral YAML `referral`."""
    root = work / "register"
    wbcr_ok(today, "init", str(root), "--procedure", procedure, cwd=work)
    form = work / "referral.yaml"
    form.write_text(referral, encoding="utf-8")
    return root, wbcr_ok(today, "refer", "--from", str(form), cwd=root).strip().splitlines()[-1]


@pytest.fixture
def wbcr(env):
    """Run `wbcr` in this process, as a user would see it: wbcr("validate", cwd=path) -> Result.

    `wbcr.cli.main()` runs with its own argv, working folder, environment, standard streams (stdin not a
    terminal, as under a pipe) and warning state, and its exit code is taken from SystemExit. Fast: the
    suite would spend minutes starting Python otherwise. Use `wbcr_process` for what needs a real process.
    """

    def run(*args: str, cwd: Path | None = None, input: str | None = None, extra_env: dict | None = None) -> Result:
        return _run_in_process(args, cwd or ROOT, input, extra_env or {})

    return run


@pytest.fixture
def wbcr_process(env):
    """Run `wbcr` as a real process (`python -m wbcr`), exactly as a user's shell does.

    Kept on purpose for a handful of end-to-end tests of the real entry point (validating the example,
    usage errors, a piped stdin, warnings). Tests that need several processes at once, a killed or
    piped-into-`head` process, import-time checks or an installed wheel start their own processes
    (test_refer, test_cli_validate, test_imports, test_protection, test_install), and git starts the
    sealing filter as a process of its own."""

    def run(*args: str, cwd: Path | None = None, input: str | None = None, extra_env: dict | None = None) -> Result:
        proc = subprocess.run([*WBCR, *args], cwd=cwd or ROOT, env={**env, **(extra_env or {})},
                              capture_output=True, text=True, input=input, timeout=120)
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run


def _stream(data: bytes = b"", errors: str = "strict") -> io.TextIOWrapper:
    """A text stream over bytes, with `.buffer` (the git filter writes bytes) and isatty() False."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors=errors, write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    text = stream.buffer.getvalue().decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as subprocess.run(text=True) reads it


@functools.cache
def _wbcr_command():
    """wbcr's click command, built once: Typer builds it from the function signatures on every call
    (a tenth of a second, paid once per process in real use)."""
    import typer.main

    import wbcr.cli

    return typer.main.get_command(wbcr.cli.app)


def _run_in_process(args: tuple[str, ...], cwd: Path, input: str | None, extra_env: dict) -> Result:
    import typer.main

    import wbcr.cli
    from wbcr.cli import console, security_commands

    get_command, command = typer.main.get_command, _wbcr_command()
    stdin, stdout, stderr = _stream((input or "").encode()), _stream(), _stream(errors="backslashreplace")
    with pytest.MonkeyPatch.context() as mp, warnings.catch_warnings():
        for key, value in extra_env.items():
            mp.setenv(key, value)
        mp.chdir(cwd)
        mp.setattr(sys, "argv", ["wbcr", *args])
        # click names the program after __main__ (here pytest's): as the installed `wbcr` script instead
        mp.setattr(sys.modules["__main__"], "__package__", None, raising=False)
        mp.setattr(sys, "stdin", stdin)
        mp.setattr(sys, "stdout", stdout)
        mp.setattr(sys, "stderr", stderr)
        # state a fresh process would not have: consoles bound to earlier streams, earlier options
        mp.setattr(console, "_out", None)
        mp.setattr(console, "_err", None)
        mp.setattr(wbcr.cli.options, "register", None)
        mp.setattr(wbcr.cli.options, "today", None)
        mp.setattr(typer.main, "get_command",
                   lambda app: command if app is wbcr.cli.app else get_command(app))
        mp.setattr(sys, "excepthook", sys.excepthook)  # Typer installs its own on every call
        # a fresh process's warning filters (each warning shown once per run) and wbcr's own printer
        # of them, which pytest's warning capture would otherwise take over
        warnings.resetwarnings()
        warnings.simplefilter("default")
        for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
            warnings.filterwarnings("ignore", category=category)
        warnings.showwarning = security_commands._print_wbcr_warning
        try:
            wbcr.cli.main()
            code = 0
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                stderr.write(f"{exc.code}\n")
                code = 1
        except Exception:  # noqa: BLE001 - what Python does with an uncaught exception (WBCR_DEBUG=1)
            stderr.write(traceback.format_exc())
            code = 1
    return Result(code, _text(stdout), _text(stderr))


def git(cwd: Path, *args: str, env: dict | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def copy_example(dest: Path, env: dict, *, demo_key: bool = False) -> Path:
    """The example register copied to `dest` as a git repository with one commit. Without `demo_key`
    the DEMO key's fingerprint is taken out of wbcr.yaml, so tests start from a register with no key."""
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns("output"))
    if not demo_key:
        config = dest / "wbcr.yaml"
        config.write_text("".join(line for line in config.read_text().splitlines(keepends=True)
                                  if "key_fingerprint:" not in line))
    git(dest, "init", "-q", env=env)
    git(dest, "add", "-A", env=env)
    git(dest, "commit", "-q", "-m", "example register", env=env)
    return dest


@pytest.fixture
def example(tmp_path, env, monkeypatch) -> Path:
    """A copy of the example register (without its DEMO key), as a git repository with one commit; the
    test's today is the day the example stands at (EXAMPLE_TODAY)."""
    monkeypatch.setenv("WBCR_TODAY", EXAMPLE_TODAY)
    env["WBCR_TODAY"] = EXAMPLE_TODAY
    return copy_example(tmp_path / "register", env)


# Working Together 2018 abolished the LSCBs, their Independent Chairs and Case Review Groups, Serious
# Case Reviews, the National Panel and the LSCB Regulations 2006: a 2023 document names none of them.
WORDS_OF_2015 = ["Local Safeguarding Children Board", "LSCB", "Independent Chair", "National Panel of Independent Experts",
                 "Serious Case Review", "Regulations 2006", "Case Review Group"]

# A referral under Working Together 2023 for the modules that build a case of their own (`referred_case`).
WT2023_REFERRAL = """\
schema_version: 1
reference: NEW
received: 2027-01-11
became_aware: 2027-01-11
lead_lscb: reading
intake: review_referral
route: agency
referrer: {name: Imogen Invented-Manager, agency: bffc, role: Head of Service, date: 2027-01-11}
subjects: [child-b]
criteria: {must_notify: [serious_harm_concern, life_threatening_injury]}
incident: {date: 2027-01-10, description: Child B was brought to hospital with a skull fracture and older rib fractures.}
summary: Child B, aged 9 months, has fractures that nobody explains; abuse is suspected.
immediate_actions: Strategy discussion on 11 January 2027; Child B to foster care on discharge.
other_children_at_risk: false
parallel_processes: {police_investigation: true, criminal_proceedings: true}
agencies_involved: [{agency: tvp}, {agency: bffc}]
records_secured: true
people:
  - {id: child-b, pseudonym: Child B, role: subject, name: Lowen Invented-Trevaskis, date_of_birth: 2026-04-02,
     gender: Male, ethnicity: White British, postcode: RG1 7ZZ}
  - {id: mother, pseudonym: Mother, role: parent, name: Demelza Invented-Trevaskis}
"""


@pytest.fixture(autouse=True)
def _no_register_lock_left_held():
    """Every test leaves the register lock released in this process: a command that stops on an error
    must close the case it opened (a lock counted as held makes the next prompt refuse to ask)."""
    yield
    lock = sys.modules.get("wbcr.store.lock")
    if lock is None:
        return
    held = sorted(str(path) for path, depth in lock._depth.items() if depth)
    lock._depth.clear()  # the next test starts clean whatever this one did
    assert not held, f"the register lock is still counted as held after the test: {held}"
