"""The case store (issue 9): one owner for every change to a case.

Each failure point of a change leaves the register exactly as it was (files, index, HEAD); a change
resting on uncommitted files is refused with their names; the whole case, chronologies included, is
validated on saving; `refer` seals by the register's policy in a clone without the git filter; and a
clean clone validates after every step."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import EXAMPLE, TODAY, copy_example, git

DAY = dt.date.fromisoformat(TODAY)
DEMO_KEY = (EXAMPLE.parent / "DEMO-board-key.txt").read_text().strip().splitlines()[-1].strip()


def _snapshot(root: Path) -> dict:
    """Every file of the work tree (outside .git) with its bytes, the index's state and HEAD."""
    files = {p.relative_to(root).as_posix(): p.read_bytes()
             for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.relative_to(root).parts}
    return {"files": files, "head": git(root, "rev-parse", "HEAD").strip(),
            "status": git(root, "status", "--porcelain", "--untracked-files=all")}


def _open(root: Path):
    from wbcr.model.register import open_register

    return open_register(str(root))


def _screening_edit(root: Path):
    from wbcr.operations import decisions
    from wbcr.store.case import CaseEdit

    edit = CaseEdit(_open(root), "WBCR-2017-010")
    decisions.record_screening(edit, on=DAY, by="CRG chair", outcome="sufficient", rationale="Enough to go on")
    return edit


def _save(edit):
    return edit.save(action="screen", summary="screening recorded", today=DAY, actor="Test Coordinator")


@pytest.fixture
def register(example) -> Path:
    return example


def test_a_change_is_written_and_committed_exactly(register):
    before = git(register, "rev-parse", "HEAD").strip()
    written = _save(_screening_edit(register))
    assert written == ["cases/WBCR-2017-010/decisions.yaml"]
    files = git(register, "show", "--name-only", "--format=", "HEAD").split()
    assert files == written
    assert git(register, "rev-parse", "HEAD~1").strip() == before
    assert "Wbcr-Action: screen" in git(register, "log", "-1", "--format=%B")
    assert git(register, "status", "--porcelain") == ""


@pytest.mark.parametrize("failure", ["write", "commit", "interrupt"])
def test_every_failure_point_leaves_the_register_as_it_was(register, monkeypatch, failure):
    from wbcr.core import gitrepo
    from wbcr.store import transaction

    edit = _screening_edit(register)
    edit.load("notifications")["notifications"] = [{"recipient": "notifier", "date": DAY, "method": "email",
                                                    "purpose": "screening_outcome"}]
    before = _snapshot(register)
    calls = {"n": 0}
    real_write = transaction.atomic_write

    def failing_write(path, data, mode=None):
        calls["n"] += 1
        if calls["n"] == 2:  # the second file: the first is already on disk
            raise OSError(28, "No space left on device")
        return real_write(path, data, mode)

    def failing_commit(*args, **kwargs):
        raise (KeyboardInterrupt() if failure == "interrupt" else gitrepo.WbcrError("git commit failed: hook"))

    if failure == "write":
        monkeypatch.setattr(transaction, "atomic_write", failing_write)
    else:
        monkeypatch.setattr(gitrepo, "commit", failing_commit)
    with pytest.raises((OSError, KeyboardInterrupt, gitrepo.WbcrError)):
        _save(edit)
    assert _snapshot(register) == before


def test_a_change_resting_on_uncommitted_files_is_refused_with_their_names(register):
    review = register / "cases" / "WBCR-2017-010" / "notes.txt"
    review.write_text("an untracked note\n")
    before = _snapshot(register)
    from wbcr.core.errors import WbcrError

    with pytest.raises(WbcrError) as caught:
        _save(_screening_edit(register))
    assert "cases/WBCR-2017-010/notes.txt" in caught.value.message
    assert caught.value.code == "git.dirty"
    assert _snapshot(register) == before


def test_an_invalid_change_is_refused_and_nothing_is_written(register):
    from wbcr.core.errors import FindingsError
    from wbcr.store.case import CaseEdit

    before = _snapshot(register)
    edit = CaseEdit(_open(register), "WBCR-2017-010")
    edit.load("case")["lead_lscb"] = "atlantis"
    with pytest.raises(FindingsError) as caught:
        _save(edit)
    assert any(f.path == "cases/WBCR-2017-010/case.yaml" for f in caught.value.findings)
    assert _snapshot(register) == before


def test_the_lock_is_one_and_a_second_writer_waits_then_gives_up(register):
    from wbcr.core.errors import WbcrError
    from wbcr.store.lock import lock_path, register_lock

    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from filelock import FileLock
        lock = FileLock({str(lock_path(register))!r}); lock.acquire()
        print("held", flush=True); time.sleep(30)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(WbcrError, match="another wbcr command is changing this register"):
            with register_lock(register, wait=0.2):
                pass
    finally:
        holder.kill()
        holder.wait()
    with register_lock(register, wait=5):  # a killed holder leaves no lock behind
        pass


def test_references_are_parsed_in_one_place_and_spelt_as_their_folders(register):
    from wbcr.core.errors import UsageError
    from wbcr.store.case import case_folder

    reg = _open(register)
    with pytest.raises(UsageError, match="did you mean WBCR-2017-010"):  # the password derives from the spelling
        case_folder(reg, "wbcr-2017-010")
    for bad in ("", "../wbcr.yaml", ".git", "a/b", "c:\\x", "WBCR-2090-001"):
        with pytest.raises(UsageError):
            case_folder(reg, bad)


def test_advance_takes_a_review_past_analysis_with_its_chronologies(wbcr, register, env, tmp_path):
    """The bug of the first round: saving checked the case without its chronologies."""
    result = wbcr("advance", "WBCR-2017-002", cwd=register)
    assert result.code == 0, result.err
    assert "evidence -> analysis" in result.out
    subject = git(register, "log", "-1", "--format=%s").strip()
    assert subject == "WBCR-2017-002: advanced from evidence to analysis (23 Nov 2017)"
    # a clean clone validates exactly as the work tree does
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(register), str(clone), env=env)
    here = wbcr("validate", "--format", "json", cwd=register)
    there = wbcr("validate", "--format", "json", cwd=clone)
    assert here.code == there.code == 0, there.out
    assert here.out == there.out


def _sealing_register(tmp_path, env, monkeypatch) -> Path:
    """The example register with the DEMO key and `passwords.seal_records: true`, in a clone without the
    wbcr filter installed; the key in the environment."""
    reg = copy_example(tmp_path / "sealed", env, demo_key=True)
    config = reg / "wbcr.yaml"
    config.write_text(config.read_text().replace("  scheme: keyed\n", "  scheme: keyed\n  seal_records: true\n"))
    git(reg, "commit", "-q", "-am", "seal records", env=env)
    monkeypatch.setenv("WBCR_BOARD_KEY", DEMO_KEY)
    return reg


def _incoming_referral(tmp_path) -> Path:
    """A referral record with its people (those of WBCR-2017-004), as an agency would send it."""
    source = tmp_path / "incoming.yaml"
    people = (EXAMPLE / "cases" / "WBCR-2017-004" / "people.yaml").read_text()
    referral = (EXAMPLE / "cases" / "WBCR-2017-004" / "referral.yaml").read_text()
    source.write_text(referral + "people:\n" + people.split("people:\n", 1)[1])
    return source


def test_refer_on_a_sealed_register_without_the_filter_commits_no_plain_value(wbcr, env, tmp_path, monkeypatch):
    reg = _sealing_register(tmp_path, env, monkeypatch)
    result = wbcr("refer", "--from", str(_incoming_referral(tmp_path)), cwd=reg,
                  extra_env={"WBCR_BOARD_KEY": DEMO_KEY})
    assert result.code == 0, result.err
    reference = result.out.strip()
    # every git object of the new commit: no name, date of birth, address or NHS number in plain text
    blobs = git(reg, "ls-tree", "-r", "HEAD", "--", f"cases/{reference}", env=env).split("\n")
    stored = "".join(git(reg, "cat-file", "blob", line.split()[2], env=env) for line in blobs if line.strip())
    for value in ("Harper Grace Lindqvist", "2010-08-19", "19 Quarrywood Lane", "936 671 2762", "RG24 9ZN"):
        assert value not in stored, value
    assert "wbcr:sealed:v1:" in stored
    assert wbcr("validate", cwd=reg).code == 0


def test_a_configured_filter_that_does_not_apply_does_not_excuse_sealing(wbcr, env, tmp_path, monkeypatch):
    """The clean filter counts only where git's attributes route the case's files through it."""
    reg = _sealing_register(tmp_path, env, monkeypatch)
    git(reg, "config", "filter.wbcr.clean", "wbcr filter clean %f", env=env)  # configured, no .gitattributes
    result = wbcr("refer", "--from", str(_incoming_referral(tmp_path)), cwd=reg,
                  extra_env={"WBCR_BOARD_KEY": DEMO_KEY})
    assert result.code == 0, result.err
    stored = git(reg, "show", f"HEAD:cases/{result.out.strip()}/people.yaml", env=env)
    assert "Harper Grace Lindqvist" not in stored and "wbcr:sealed:v1:" in stored


def test_unseal_edit_then_seal_commits_the_edit_sealed(wbcr, env, tmp_path, monkeypatch):
    reg = copy_example(tmp_path / "reg", env, demo_key=True)
    monkeypatch.setenv("WBCR_BOARD_KEY", DEMO_KEY)
    extra = {"WBCR_BOARD_KEY": DEMO_KEY}
    assert wbcr("seal", "WBCR-2017-003", cwd=reg, extra_env=extra).code == 0
    assert wbcr("unseal", "WBCR-2017-003", cwd=reg, extra_env=extra).code == 0
    people = reg / "cases" / "WBCR-2017-003" / "people.yaml"
    people.write_text(people.read_text().replace("relationship: Subject child", "relationship: Subject child (edited)", 1))
    sealed = wbcr("seal", "WBCR-2017-003", cwd=reg, extra_env=extra)
    assert sealed.code == 0, sealed.err
    assert git(reg, "status", "--porcelain", env=env) == ""
    assert "relationship: Subject child (edited)" in git(reg, "show", "HEAD:cases/WBCR-2017-003/people.yaml", env=env)


def test_a_change_resting_on_an_uncommitted_procedure_is_refused(register):
    from wbcr.core.errors import WbcrError

    (register / "procedures").mkdir()
    (register / "procedures" / "wt2015.yaml").write_text(
        (Path(__file__).resolve().parents[1] / "wbcr" / "procedures" / "wt2015.yaml").read_text())
    with pytest.raises(WbcrError) as caught:
        _save(_screening_edit(register))
    assert "procedures/wt2015.yaml" in caught.value.message


@pytest.mark.parametrize("point", ["staged", "written", "added"])
def test_a_change_killed_at_any_point_is_undone_by_the_next_lock(register, env, point):
    """Issue 13: `kill -9` while a change is prepared, moved into place or staged in git. The work tree
    never holds a half-written file; whoever takes the register lock next puts the register back exactly
    as it was (files, index, HEAD) from the journal in .git/wbcr-tmp, and says so."""
    import warnings

    from test_faults import Paused
    from wbcr.store.lock import register_lock
    from wbcr.store.transaction import RecoveredWarning

    before = _snapshot(register)
    killed = Paused(["request", "WBCR-2017-009", "--agency", "bffc", "--sent", "2017-11-20"], register, env, point)
    killed.kill()
    if point != "staged":
        assert git(register, "status", "--porcelain").strip() != ""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        with register_lock(register):
            pass
    assert _snapshot(register) == before
    assert [w for w in said if issubclass(w.category, RecoveredWarning) and "its changes were undone" in str(w.message)]
    assert not (register / ".git" / "wbcr-tmp").exists() or not list((register / ".git" / "wbcr-tmp").iterdir())
