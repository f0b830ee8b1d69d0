"""Faults and concurrency (issue 13): nothing lost, nothing plain left where git can see it.

Every changing command holds the register lock from its first read to its commit (seal, unseal,
chronology import, request); a command killed at a known moment (the `WBCR_TEST_PAUSE` seam) leaves
nothing git can see, and the next command undoes what it left half-done; a killed `seal` is finished by
the next one; a full disk, a read-only register, a refusing pre-commit hook, a detached HEAD and hand
edits each end with a clear message naming the path and the register exactly as it was; a command
waiting for the lock says who holds it; prompts are answered before the lock is taken."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE, EXAMPLE_TODAY, WBCR, copy_example, git

REF = "WBCR-2017-009"  # at information_requests: `request` may record a request to bffc
REQUEST = ("request", REF, "--agency", "bffc", "--sent", "2017-11-20")
DEMO_KEY = (EXAMPLE.parent / "DEMO-board-key.txt").read_text().strip().splitlines()[-1].strip()
GP_CSV = Path(__file__).parent / "chronology_files" / "gp-export.csv"


# --- helpers ---------------------------------------------------------------------------------------


def _snapshot(root: Path) -> dict:
    """The work tree (every file outside .git, with its bytes), git's index (every entry's blob), HEAD
    and the status: what "the register exactly as it was" means."""
    files = {p.relative_to(root).as_posix(): p.read_bytes()
             for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.relative_to(root).parts}
    return {"files": files, "index": git(root, "ls-files", "--stage"), "head": git(root, "rev-parse", "HEAD"),
            "status": git(root, "status", "--porcelain", "--untracked-files=all")}


def _scratch(root: Path) -> list[str]:
    folder = root / ".git" / "wbcr-tmp"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.fixture
def keyed(tmp_path, env, monkeypatch) -> Path:
    """The example register with the DEMO key (in the environment), its cases plain in git, no filter
    installed in this clone, and `passwords.seal_records: true`: what `refer` and `seal` write is sealed."""
    monkeypatch.setenv("WBCR_TODAY", EXAMPLE_TODAY)
    monkeypatch.setenv("WBCR_BOARD_KEY", DEMO_KEY)
    env.update(WBCR_TODAY=EXAMPLE_TODAY, WBCR_BOARD_KEY=DEMO_KEY)
    reg = copy_example(tmp_path / "register", env, demo_key=True)
    config = reg / "wbcr.yaml"
    config.write_text(config.read_text().replace("  scheme: keyed\n", "  scheme: keyed\n  seal_records: true\n"))
    git(reg, "commit", "-q", "-am", "seal records", env=env)
    return reg


class Paused:
    """A wbcr command run as its own process and stopped at a point of the `WBCR_TEST_PAUSE` seam:
    `release()` lets it go on, `kill()` kills it there (SIGKILL: no clean-up of its own)."""

    def __init__(self, args, cwd: Path, env: dict, point: str) -> None:
        from wbcr.store.transaction import PAUSE_ENV

        self.gate = cwd.parent / f"gate-{point}-{os.getpid()}-{id(self)}"
        self.proc = subprocess.Popen([*WBCR, *args], cwd=cwd, env={**env, PAUSE_ENV: f"{point}:{self.gate}"},
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        said = []
        while True:
            line = self.proc.stderr.readline()
            if not line:
                self.proc.wait(timeout=60)
                raise AssertionError(f"wbcr {' '.join(args)} ended before {point}:\n{''.join(said)}"
                                     f"{self.proc.stdout.read()}")
            if line.startswith(f"wbcr-test-paused: {point} "):
                self.pid = int(line.split()[-1])
                break
            said.append(line)

    def release(self, timeout: float = 120) -> tuple[int, str, str]:
        self.gate.touch()
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out, err

    def kill(self) -> None:
        self.proc.kill()
        self.proc.communicate(timeout=60)


def _run(args, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([*WBCR, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def _referral(tmp_path) -> Path:
    """A referral with its people (those of WBCR-2017-004: plain names, addresses, dates of birth)."""
    source = tmp_path / "incoming.yaml"
    people = (EXAMPLE / "cases" / "WBCR-2017-004" / "people.yaml").read_text()
    referral = (EXAMPLE / "cases" / "WBCR-2017-004" / "referral.yaml").read_text()
    source.write_text(referral + "people:\n" + people.split("people:\n", 1)[1])
    return source


PLAIN = ("Harper Grace Lindqvist", "19 Quarrywood Lane")  # in WBCR-2017-004's people.yaml


# --- leftovers of a killed command -----------------------------------------------------------------


@pytest.mark.parametrize("point", ["staged", "written"])
def test_a_killed_refer_leaves_nothing_plain_git_can_see_and_the_next_refer_works(keyed, env, tmp_path, point):
    """staged: the new case prepared in .git/wbcr-tmp, nothing in the work tree; written: the new case
    folder moved into place (sealed), not committed. Either way `git add -A && wbcr check-sealed --staged`
    is clean, and the next refer undoes the leftover and takes the same reference."""
    before = _snapshot(keyed)
    source = _referral(tmp_path)
    paused = Paused(["refer", "--from", str(source)], keyed, env, point)
    assert any(name.startswith("txn-") for name in _scratch(keyed))  # stopped half-way indeed
    paused.kill()
    status = git(keyed, "status", "--porcelain", "--untracked-files=all")
    if point == "staged":
        assert status == ""
        assert _snapshot(keyed) == before
    else:
        assert status == "?? cases/WBCR-2017-011/case.yaml\n?? cases/WBCR-2017-011/people.yaml\n" \
                         "?? cases/WBCR-2017-011/referral.yaml\n"
    git(keyed, "add", "-A", env=env)
    checked = _run(["check-sealed", "--staged"], keyed, env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    stored = b"".join(git(keyed, "show", f":{p}", env=env).encode() for p in git(keyed, "diff", "--cached",
                                                                             "--name-only").split())
    assert not any(value.encode() in stored for value in PLAIN)
    # the next command undoes the stopped one (index included) and says so; the reference is free again
    again = _run(["refer", "--from", str(source)], keyed, env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "WBCR-2017-011"
    assert "was stopped before it had committed; its changes were undone" in again.stderr
    assert git(keyed, "status", "--porcelain", "--untracked-files=all") == ""
    assert git(keyed, "log", "-1", "--format=%s").startswith("WBCR-2017-011: referral registered")
    assert _scratch(keyed) == []


def test_in_a_register_without_git_a_killed_refer_leaves_only_ignored_scratch(env, tmp_path):
    from conftest import WT2023_REFERRAL

    root = tmp_path / "register"
    today = ["--today", "2027-01-12"]
    assert _run([*today, "init", str(root), "--no-git", "--procedure", "wt2023"], tmp_path, env).returncode == 0
    source = tmp_path / "referral.yaml"
    source.write_text(WT2023_REFERRAL)
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    Paused([*today, "refer", "--from", str(source)], root, env, "staged").kill()
    after = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    left = [p for p in after if p not in before]
    assert left and all(p.startswith(".wbcr-") for p in left), left  # `.wbcr-*` is in the .gitignore
    assert ".wbcr-*" in (root / ".gitignore").read_text().splitlines()
    again = _run([*today, "refer", "--from", str(source)], root, env)
    assert again.returncode == 0 and again.stdout.strip().endswith("-001"), again.stderr
    assert not [p for p in (root / ".wbcr-tmp").iterdir()]


def test_a_killed_write_leaves_its_temporary_file_inside_git_and_the_next_command_removes_it(keyed, env):
    """The issue's `.people.yaml.xxxx.tmp` beside the record held the child's name: now the temporary file
    of an atomic write is made inside .git/, where `git add -A` never looks."""
    target = keyed / "cases" / "WBCR-2017-004" / "people.yaml"
    killer = ("import os, sys; from pathlib import Path; from wbcr.core import yamlio\n"
              "os.replace = lambda a, b: os._exit(9)  # killed between writing and renaming\n"
              f"yamlio.atomic_write(Path({str(target)!r}), 'name: Harper Grace Lindqvist\\n')\n")
    assert subprocess.run([sys.executable, "-c", killer], env=env).returncode == 9
    assert git(keyed, "status", "--porcelain", "--untracked-files=all") == ""
    left = _scratch(keyed)
    assert len(left) == 1 and left[0].startswith(".people.yaml.") and left[0].endswith(".tmp")
    assert b"Harper" in (keyed / ".git" / "wbcr-tmp" / left[0]).read_bytes()
    done = _run(REQUEST, keyed, env)
    assert done.returncode == 0, done.stderr
    assert _scratch(keyed) == []


def test_leftovers_of_a_commit_made_by_hand_meanwhile_are_left_alone_and_reported(keyed, env, tmp_path):
    paused = Paused(["refer", "--from", str(_referral(tmp_path))], keyed, env, "written")
    paused.kill()
    git(keyed, "add", "-A", env=env)
    git(keyed, "commit", "-q", "-m", "committed by hand", env=env)
    head = git(keyed, "rev-parse", "HEAD")
    done = _run(REQUEST, keyed, env)
    assert done.returncode == 0, done.stderr
    assert "the repository has had other commits since, so its changes were left as they are" in done.stderr
    assert git(keyed, "rev-parse", "HEAD~1") == head
    assert (keyed / "cases" / "WBCR-2017-011" / "people.yaml").is_file()
    assert git(keyed, "status", "--porcelain") == ""


# --- a killed seal ---------------------------------------------------------------------------------


@pytest.mark.parametrize("journal", [True, False], ids=["next-command-undoes", "seal-finishes-its-commit"])
def test_a_seal_killed_before_its_commit_is_finished_by_the_next_seal(keyed, env, journal):
    """The issue: a killed `seal` left HEAD plain and a rerun said "already sealed" and committed nothing.
    With its journal the next command undoes it and the rerun seals; without one (an older wbcr, or
    `--no-commit`) the rerun sees the work tree sealed and git plain, and commits."""
    people = f"cases/{REF}/people.yaml"
    assert "wbcr:sealed:" not in git(keyed, "show", f"HEAD:{people}")
    paused = Paused(["seal", REF], keyed, env, "written")
    paused.kill()
    assert "wbcr:sealed:" in (keyed / people).read_text()  # the work tree is sealed, git is not
    git(keyed, "add", "-A", env=env)
    assert _run(["check-sealed", "--staged"], keyed, env).returncode == 0  # nothing plain to pick up
    git(keyed, "reset", "-q", env=env)
    if not journal:
        shutil.rmtree(keyed / ".git" / "wbcr-tmp")
    again = _run(["seal", REF], keyed, env)
    assert again.returncode == 0, again.stderr
    assert "committed" in again.stdout
    if not journal:
        assert "the seal's commit was missing, now made" in again.stdout
    assert git(keyed, "status", "--porcelain", "--untracked-files=all") == ""
    assert "wbcr:sealed:" in git(keyed, "show", f"HEAD:{people}")
    # the case as committed (the work tree is clean) holds no plain sensitive value
    assert _run(["check-sealed", *git(keyed, "ls-files", f"cases/{REF}").split()], keyed, env).returncode == 0


def test_seal_no_commit_then_seal_commits_what_it_sealed(keyed, env):
    assert _run(["seal", "--no-commit", REF], keyed, env).returncode == 0
    assert git(keyed, "status", "--porcelain").strip()
    again = _run(["seal", REF], keyed, env)
    assert again.returncode == 0 and "the seal's commit was missing, now made" in again.stdout, again.stderr
    assert git(keyed, "status", "--porcelain") == ""


# --- the lock: from the first read to the commit ---------------------------------------------------


@pytest.mark.parametrize("point", ["locked", "written"])
def test_seal_holds_the_lock_from_its_first_read_to_its_commit(keyed, env, point):
    """While `seal` is stopped before its first read (locked) or after writing, before committing
    (written), nobody else gets the lock; a `request` started meanwhile runs after the seal's commit,
    and neither change is lost (the issue: the request was reverted in the seal's commit)."""
    from wbcr.core.errors import WbcrError
    from wbcr.store.lock import register_lock

    sealing = Paused(["seal", REF], keyed, env, point)
    with pytest.raises(WbcrError) as busy:
        with register_lock(keyed, wait=0.2):
            pass
    assert busy.value.code == "lock.busy"
    assert f"`wbcr seal {REF}`, process {sealing.pid}" in busy.value.message
    request = subprocess.Popen([*WBCR, *REQUEST], cwd=keyed, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    code, _out, err = sealing.release()
    assert code == 0, err
    out, err = request.communicate(timeout=120)
    assert request.returncode == 0, err
    log = git(keyed, "log", "-2", "--format=%s").splitlines()
    assert log[0].startswith(f"{REF}: information requested from bffc") and log[1] == f"{REF}: sensitive values sealed"
    decisions = git(keyed, "show", f"HEAD:cases/{REF}/decisions.yaml")
    assert "agency: bffc" in decisions and "wbcr:sealed:" in decisions
    assert git(keyed, "status", "--porcelain") == ""


def test_unseal_holds_the_lock_until_git_is_told(keyed, env):
    from wbcr.core.errors import WbcrError
    from wbcr.store.lock import register_lock

    assert _run(["seal", REF], keyed, env).returncode == 0
    opening = Paused(["unseal", REF], keyed, env, "written")
    with pytest.raises(WbcrError, match="`wbcr unseal WBCR-2017-009`"):
        with register_lock(keyed, wait=0.2):
            pass
    code, out, err = opening.release()
    assert code == 0 and "opened" in out, err


def test_chronology_import_holds_the_lock_from_its_first_read(example, env, tmp_path):
    from wbcr.core.errors import WbcrError
    from wbcr.store.lock import register_lock

    importing = Paused(["chronology", "import", "WBCR-2016-004", "--agency", "gp", str(GP_CSV)], example, env,
                       "locked")
    with pytest.raises(WbcrError, match="`wbcr chronology import WBCR-2016-004`"):
        with register_lock(example, wait=0.2):
            pass
    code, _out, err = importing.release()
    assert code == 0, err


def _variant(tmp_path: Path, n: int) -> Path:
    path = tmp_path / f"gp-{n}.csv"
    path.write_text(GP_CSV.read_text("utf-8").replace("Booked a review", f"Booked review number {n}"), "utf-8")
    return path


ROUNDS = 3


def test_concurrent_imports_commit_each_file_under_its_own_hash(example, env, tmp_path):
    """The issue: concurrent imports committed one file's content under another's Wbcr-Source-Sha256."""
    files = [_variant(tmp_path, n) for n in range(2 * ROUNDS)]
    marker = {hashlib.sha256(f.read_bytes()).hexdigest(): f"Booked review number {n}" for n, f in enumerate(files)}
    for r in range(ROUNDS):
        procs = [subprocess.Popen([*WBCR, "chronology", "import", "WBCR-2016-004", "--agency", "gp", str(f),
                                   "--replace"], cwd=example, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for f in files[2 * r:2 * r + 2]]
        for proc in procs:
            _out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
    commits = git(example, "log", "--format=%H", "--grep=Wbcr-Action: chronology-import").split()
    assert len(commits) == 2 * ROUNDS
    for commit in commits:
        trailer = git(example, "log", "-1", "--format=%(trailers:key=Wbcr-Source-Sha256,valueonly)", commit).strip()
        stored = git(example, "show", f"{commit}:cases/WBCR-2016-004/chronology/gp.yaml")
        assert marker[trailer] in stored
        assert all(other not in stored for sha, other in marker.items() if sha != trailer)


def test_seal_and_request_at_once_lose_nothing(keyed, env):
    for _ in range(ROUNDS):
        sealing = subprocess.Popen([*WBCR, "seal", REF], cwd=keyed, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        request = subprocess.Popen([*WBCR, *REQUEST], cwd=keyed, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        for proc in (sealing, request):
            _out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
        decisions = git(keyed, "show", f"HEAD:cases/{REF}/decisions.yaml")
        assert "agency: bffc" in decisions and "wbcr:sealed:" in decisions
        assert git(keyed, "status", "--porcelain") == ""
        git(keyed, "reset", "-q", "--hard", "HEAD~2", env=env)


def test_a_waiting_command_says_who_holds_the_lock(wbcr, keyed, env, monkeypatch):
    """The issue: a prompt holding the lock blocked every other command silently."""
    from wbcr.store import lock

    monkeypatch.setattr(lock, "WAIT_SECONDS", 1.0)
    monkeypatch.setattr(lock, "NOTICE_SECONDS", 0.3)
    before = _snapshot(keyed)
    holder = Paused(["seal", REF], keyed, env, "locked")
    assert lock.read_holder(keyed)["pid"] == holder.pid
    waiting = wbcr(*REQUEST, cwd=keyed)
    assert waiting.code == 3
    assert f"waiting for `wbcr seal {REF}`, process {holder.pid}" in waiting.err
    assert f"another wbcr command is changing this register (`wbcr seal {REF}`, process {holder.pid}" in waiting.err
    assert _snapshot(keyed) == before
    assert holder.release()[0] == 0
    assert lock.read_holder(keyed) is None and not lock.holder_path(keyed).exists()


def test_the_lock_names_only_command_words():
    from wbcr.store.lock import command_line

    assert command_line(["--register", "x", "--today", "2017-01-01", "seal", "WBCR-2017-009", "--password", "S3CRET"]) \
        == "wbcr seal WBCR-2017-009"
    assert command_line(["chronology", "import", "WBCR-2016-004", "Jane-Doe.csv"]) == \
        "wbcr chronology import WBCR-2016-004"


def test_refer_asks_its_questions_before_taking_the_lock(example, monkeypatch):
    """`refer` without --from on a terminal: every prompt is answered while the lock is free."""
    import typer

    import wbcr.cli
    from wbcr.cli import prompts, register_commands
    from wbcr.store import lock

    asked = []

    def answer(label, default=None, **_kwargs):
        asked.append(lock.held(example))
        answers = {"Referrer's name": "Pat Invented", "Referrer's role": "Named Nurse",
                   "Summary of the incident and reasons for referral": "Invented summary",
                   "Child's full name": "Invented Child", "Lead LSCB": "reading", "Referrer's agency": "rbft"}
        for start, value in answers.items():
            if label.startswith(start):
                return value
        return default if default is not None else ""

    monkeypatch.setattr(prompts.typer, "prompt", answer)
    monkeypatch.setattr(prompts.typer, "confirm", lambda label, default=None, **_k: asked.append(lock.held(example))
                        or bool(default))
    monkeypatch.setattr(typer, "echo", lambda *a, **k: None)
    monkeypatch.setattr(register_commands.sys, "stdin", type("Tty", (), {"isatty": staticmethod(lambda: True)})())
    monkeypatch.setattr(wbcr.cli.options, "register", str(example))
    monkeypatch.setattr(wbcr.cli.options, "today", EXAMPLE_TODAY)
    register_commands.refer(from_file=None, no_commit=False)
    assert asked and not any(asked)
    assert git(example, "log", "-1", "--format=%s").startswith("WBCR-2017-011: referral registered")


# --- faults: full disk, read-only register, a refusing hook, detached HEAD, hand edits -------------


def _two_file_edit(root: Path):
    from wbcr.model.register import open_register
    from wbcr.operations import decisions
    from wbcr.store.case import CaseEdit
    import datetime as dt

    edit = CaseEdit(open_register(str(root)), "WBCR-2017-010")
    day = dt.date(2017, 11, 23)
    decisions.record_screening(edit, on=day, by="CRG chair", outcome="sufficient", rationale="Enough to go on")
    edit.load("notifications")["notifications"] = [{"recipient": "notifier", "date": day, "method": "email",
                                                    "purpose": "screening_outcome"}]
    return edit


def _save(edit):
    import datetime as dt

    return edit.save(action="screen", summary="screening recorded", today=dt.date(2017, 11, 23), actor="Test")


@pytest.mark.parametrize("where", ["first write", "second write", "moving into place", "journal", "git index"])
def test_a_full_disk_leaves_work_tree_and_index_exactly_as_they_were(example, monkeypatch, where):
    """The issue: a full disk left changes in the work tree or index while the message said nothing was
    left half-written. ENOSPC at each step of a two-file save: the register (work tree, index, HEAD) as
    it was, the message names the path, and no scratch file is left."""
    from wbcr.core import gitrepo
    from wbcr.core.errors import WbcrError
    from wbcr.store import transaction

    edit = _two_file_edit(example)
    before = _snapshot(example)
    full = OSError(errno.ENOSPC, "No space left on device")
    calls = {"write": 0, "move": 0}
    real_write, real_move, real_add = transaction.atomic_write, transaction._move, gitrepo.add

    def write(path, data, mode=None):
        calls["write"] += 1
        if (where == "first write" and calls["write"] == 1) or (where == "second write" and calls["write"] == 2) \
                or (where == "journal" and Path(path).name == "journal.json"):
            raise full
        return real_write(path, data, mode)

    def move(source, target):
        calls["move"] += 1
        if where == "moving into place" and calls["move"] == 2:  # the first file is in place already
            raise full
        return real_move(source, target)

    def add(root, paths):
        real_add(root, paths)  # the index is written, then git fails as a full disk makes it fail
        raise WbcrError("git add failed: error: unable to write new index file", code="git")

    monkeypatch.setattr(transaction, "atomic_write", write)
    monkeypatch.setattr(transaction, "_move", move)
    if where == "git index":
        monkeypatch.setattr(gitrepo, "add", add)
    with pytest.raises(WbcrError) as caught:
        _save(edit)
    assert _snapshot(example) == before
    assert _scratch(example) == []
    assert "nothing was changed" in caught.value.message
    if where != "git index":
        assert caught.value.path.startswith("cases/WBCR-2017-010/") or where == "journal"
        assert "No space left on device" in caught.value.message
        assert caught.value.hint.startswith("free some space")


def test_a_full_disk_through_the_command_line_is_one_clear_message(wbcr, example, monkeypatch):
    from wbcr.store import transaction

    def full(path, data, mode=None):
        raise OSError(errno.ENOSPC, "No space left on device")

    before = _snapshot(example)
    monkeypatch.setattr(transaction, "atomic_write", full)
    result = wbcr(*REQUEST, cwd=example)
    assert result.code == 3
    assert f"cases/{REF}/decisions.yaml: cannot write the file: No space left on device; nothing was changed" \
        in result.err
    assert "internal error" not in result.err
    assert _snapshot(example) == before


def _permissions_ignored(folder: Path) -> bool:
    """Whether this process writes into a read-only folder anyway (root, with its usual capabilities)."""
    probe = folder / "read-only-probe"
    probe.mkdir()
    probe.chmod(0o555)
    try:
        (probe / "x").write_text("x")
        return True
    except PermissionError:
        return False
    finally:
        probe.chmod(0o755)
        shutil.rmtree(probe)


@pytest.mark.parametrize("what", ["case folder", "whole register"])
def test_a_read_only_register_is_one_clear_message_naming_the_path(wbcr, example, tmp_path, what):
    if _permissions_ignored(tmp_path):
        pytest.skip("this process ignores file permissions (root: os.geteuid() == 0)")
    before = _snapshot(example)
    folder = example / "cases" / REF if what == "case folder" else example
    modes = {}
    for path in [folder, *folder.rglob("*")]:
        modes[path] = path.stat().st_mode
        path.chmod(modes[path] & ~0o222)
    try:
        result = wbcr(*REQUEST, cwd=example)
    finally:
        for path, mode in modes.items():
            path.chmod(mode)
    assert result.code == 3, result.err
    assert "internal error" not in result.err and "Permission denied" in result.err
    expected = f"cases/{REF}/decisions.yaml" if what == "case folder" else str(example / ".git")
    assert expected in result.err and "nothing was changed" in result.err
    assert _snapshot(example) == before


def test_a_refusing_pre_commit_hook_is_a_clear_message_and_the_register_as_it_was(wbcr, example):
    hook = example / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'checking the register' >&2\necho 'refused by the board policy' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = _snapshot(example)
    result = wbcr(*REQUEST, cwd=example)
    assert result.code == 3
    assert "git refused the commit: refused by the board policy; nothing was changed" in result.err
    assert "pre-commit hook" in result.err
    assert _snapshot(example) == before and _scratch(example) == []


def test_a_detached_head_is_refused_before_anything_is_written(wbcr, example):
    git(example, "checkout", "-q", "--detach")
    before = _snapshot(example)
    result = wbcr(*REQUEST, cwd=example)
    assert result.code == 3
    assert "detached HEAD" in result.err and "git switch" in result.err and "nothing was changed" in result.err
    assert _snapshot(example) == before


def test_hand_edits_are_never_swept_into_wbcrs_commit(wbcr, example):
    decisions = example / "cases" / REF / "decisions.yaml"
    decisions.write_text(decisions.read_text() + "# a note typed by hand\n")
    before = _snapshot(example)
    result = wbcr(*REQUEST, cwd=example)
    assert result.code == 3
    assert f"cases/{REF}/decisions.yaml" in result.err and "not committed" in result.err
    assert "git checkout --" in result.err
    assert _snapshot(example) == before


def test_hand_edits_of_wbcr_yaml_are_not_swept_into_key_init(wbcr, example, tmp_path, monkeypatch):
    monkeypatch.setenv("WBCR_KEY_DIR", str(tmp_path / "keys"))
    config = example / "wbcr.yaml"
    config.write_text(config.read_text() + "# edited by hand, not committed\n")
    before = _snapshot(example)
    result = wbcr("key", "init", cwd=example)
    assert result.code == 3
    assert "wbcr.yaml: changed by hand and not committed" in result.err
    assert _snapshot(example) == before


def test_key_init_on_an_existing_register_requires_sealed_records(wbcr, example, tmp_path, monkeypatch):
    """The issue: `key init` on an existing register left `seal_records` unset (`wbcr init` sets it)."""
    import yaml

    monkeypatch.setenv("WBCR_KEY_DIR", str(tmp_path / "keys"))
    result = wbcr("key", "init", cwd=example)
    assert result.code == 0, result.err
    assert yaml.safe_load((example / "wbcr.yaml").read_text())["passwords"]["seal_records"] is True
    assert "wbcr seal --all" in result.err
    # one commit holds the key's fingerprint and the sealing policy: no commit has one without the other
    assert git(example, "log", "-1", "--format=%s").strip() == "Board key created"
    assert "seal_records: true" in git(example, "show", "HEAD", "--", "wbcr.yaml")
    assert "seal_records: true" in result.err
    assert git(example, "status", "--porcelain") == ""


def test_key_init_can_record_the_key_and_sealed_records_in_one_commit(example, tmp_path, monkeypatch):
    """`adopt_key(seal_records=True)`: the fingerprint and `seal_records: true` are one write and one commit,
    so no commit of the register has a key without its sealing policy."""
    import yaml

    from wbcr.model.register import open_register
    from wbcr.operations.setup import adopt_key
    from wbcr.security.passwords import generate_key

    monkeypatch.setenv("WBCR_KEY_DIR", str(tmp_path / "keys"))
    before = int(git(example, "rev-list", "--count", "HEAD"))
    setup = adopt_key(open_register(str(example), validated=False), generate_key(), action="key-init",
                      actor="Test Coordinator", seal_records=True)
    assert int(git(example, "rev-list", "--count", "HEAD")) == before + 1
    assert git(example, "log", "-1", "--format=%s").strip() == "Board key created"
    assert setup.sealing_required and sorted(setup.changed) == [".gitattributes", "wbcr.yaml"]
    passwords = yaml.safe_load((example / "wbcr.yaml").read_text())["passwords"]
    assert passwords["seal_records"] is True and passwords["key_fingerprint"] == setup.fingerprint
    assert git(example, "status", "--porcelain") == ""


def test_init_refuses_the_demo_key_left_in_the_environment(wbcr, tmp_path, monkeypatch):
    """Trying the examples means `export WBCR_BOARD_KEY=$(cat examples/DEMO-board-key.txt)`; a register
    made by `wbcr init` afterwards must not silently take that published key."""
    from wbcr.operations.setup import DEMO_KEY_FINGERPRINTS
    from wbcr.security.passwords import key_from_environment

    monkeypatch.setenv("WBCR_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.setenv("WBCR_BOARD_KEY", DEMO_KEY)
    assert key_from_environment().fingerprint in DEMO_KEY_FINGERPRINTS
    root = tmp_path / "ours"
    result = wbcr("init", str(root), "--procedure", "wt2023", cwd=tmp_path)
    assert result.code == 3, result.err
    assert "DEMO key" in result.err and "unset WBCR_BOARD_KEY" in result.err and "nothing was created" in result.err
    assert DEMO_KEY not in result.err + result.out
    assert not root.exists() and not (tmp_path / "keys").exists()
    monkeypatch.delenv("WBCR_BOARD_KEY")
    made = wbcr("init", str(root), "--procedure", "wt2023", cwd=tmp_path)
    assert made.code == 0, made.err
    assert "9dab3a1ee882ce1a" not in (root / "wbcr.yaml").read_text()


def test_init_with_another_key_in_the_environment_says_it_took_it(wbcr, tmp_path, monkeypatch):
    from wbcr.security.passwords import format_key, generate_key

    key = generate_key()
    monkeypatch.setenv("WBCR_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.setenv("WBCR_BOARD_KEY", format_key(key.secret))
    result = wbcr("init", str(tmp_path / "ci"), "--procedure", "wt2023", cwd=tmp_path)
    assert result.code == 0, result.err
    assert f"warning: the board key was taken from WBCR_BOARD_KEY (fingerprint {key.fingerprint})" in result.err
    assert "unset WBCR_BOARD_KEY" in result.err
    assert f"key_fingerprint: {key.fingerprint}" in (tmp_path / "ci" / "wbcr.yaml").read_text()


@pytest.mark.parametrize("fault", [RuntimeError("a bug"), KeyboardInterrupt()])
def test_an_unexpected_stop_says_what_it_knows_and_how_to_check(wbcr, example, monkeypatch, fault):
    """The last-resort handler cannot know that nothing was left half-written: it says what wbcr
    guarantees (whole files, the case store's rollback) and to check with `git status`."""
    from wbcr.core.errors import EXIT_FAILURE, EXIT_INTERRUPTED
    from wbcr.operations import decisions

    def broken(*args, **kwargs):
        raise fault

    monkeypatch.setattr(decisions, "record_request_sent", broken)
    result = wbcr(*REQUEST, cwd=example)
    assert result.code == (EXIT_FAILURE if isinstance(fault, RuntimeError) else EXIT_INTERRUPTED), result.err
    assert "half-written" not in result.err and "Traceback" not in result.err
    assert "the case store rolls back its own unfinished changes" in result.err
    assert "hint: run `git status`" in result.err
    assert ("internal error (RuntimeError)" in result.err) == isinstance(fault, RuntimeError)
    assert git(example, "status", "--porcelain") == ""
