"""Sealing without gaps (issue 13): `wbcr seal --history` takes a case's plain values out of every earlier
commit of the branch (after saying what that rewrites and what every clone must then do), `wbcr seal`
and `check-sealed` say when earlier commits hold plain values, and the git clean filter refuses a file
under cases/ that is not a record, as `check-sealed --staged` does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_example, git

DEMO_KEY = (ROOT / "examples" / "DEMO-board-key.txt").read_text().strip()
KEY = {"WBCR_BOARD_KEY": DEMO_KEY}
REF = "WBCR-2017-001"    # Child D: names, dates of birth and death
OTHER = "WBCR-2017-004"  # another case, left as it is


def _secrets(root: Path, reference: str) -> list[str]:
    """The fictional case's names and dates of birth, as they were committed in plain text."""
    people = yaml.safe_load((root / "cases" / reference / "people.yaml").read_text())["people"]
    found = [str(p[k]) for p in people for k in ("name", "date_of_birth", "date_of_death") if p.get(k)]
    found += [n for p in people for n in p.get("other_names", [])]
    assert len(found) >= 4, found
    return found


def _secrets_of_first_commit(root: Path) -> list[str]:
    """The case's names and dates of birth as the example holds them (the work tree is sealed now)."""
    from conftest import EXAMPLE  # noqa: PLC0415

    return _secrets(EXAMPLE, REF)


def _log_p(root: Path, *revs: str) -> str:
    return git(root, "log", "-p", "--format=%H %an <%ae> %ad %cn <%ce> %cd%n%B", *(revs or ("HEAD",)))


def _identities(root: Path, rev: str = "HEAD") -> list[str]:
    """Every commit's author, committer, dates and message (not its id)."""
    return git(root, "log", "--format=%an|%ae|%ad|%cn|%ce|%cd|%B%x00", rev).split("\0")


@pytest.fixture
def demo(tmp_path, env):
    """The example register with its DEMO key, committed in plain text, then a second commit (also
    plain) and a branch made from the first: the history `wbcr seal --history` is for."""
    reg = copy_example(tmp_path / "register", env, demo_key=True)
    config = reg / "wbcr.yaml"
    config.write_text(config.read_text().replace("scheme: keyed\n", "scheme: keyed\n  seal_records: true\n"))
    people = reg / "cases" / REF / "people.yaml"
    people.write_text(people.read_text() + "# checked with the referrer\n")
    git(reg, "commit", "-q", "-am", "Child D's people checked", env=env)
    git(reg, "branch", "old-work", "HEAD~1", env=env)
    return reg


def test_seal_history_leaves_no_plain_value_of_the_case_in_the_branch(wbcr, demo, env):
    secrets, others = _secrets(demo, REF), _secrets(demo, OTHER)
    sealed = wbcr("seal", REF, cwd=demo, extra_env=KEY)
    assert sealed.code == 0, sealed.err
    # the seal says the earlier commits still hold the plain values, and what to do about it
    assert f"{REF}: 2 earlier commit(s) of branch" in sealed.err and f"wbcr seal --history {REF}" in sealed.err
    checked = wbcr("check-sealed", "--format", "json", cwd=demo)
    assert f"{REF}: 2 earlier commit(s)" in checked.err and f"wbcr seal --history {REF}" in checked.err
    assert not any(s in sealed.out + sealed.err + checked.out + checked.err for s in secrets)
    assert all(s in _log_p(demo) for s in secrets)
    files = {p: p.read_bytes() for p in sorted(demo.rglob("*")) if p.is_file() and ".git" not in p.parts}
    tip, tree, identities = git(demo, "rev-parse", "HEAD").strip(), git(demo, "rev-parse", "HEAD^{tree}"), \
        _identities(demo)

    # without confirmation: the statement, and nothing rewritten
    asked = wbcr("seal", "--history", REF, cwd=demo, extra_env=KEY)
    assert asked.code == 2, asked.err
    statement = asked.err
    for said in (f"rewrites the history of branch {git(demo, 'branch', '--show-current').strip()}",
                 f"plain values of {REF}", "3 of its 3 commit(s) get new ids", "2 of them held plain values",
                 "The work tree and the index do not change", "refs/heads/old-work",
                 "git push --force-with-lease", "clone again",
                 "git update-ref -d refs/wbcr/before-seal-history/", "git reflog expire --expire=now --all",
                 "git gc --prune=now", "--yes-rewrite-history"):
        assert said in statement, said
    assert git(demo, "rev-parse", "HEAD").strip() == tip
    assert git(demo, "for-each-ref", "refs/wbcr") == ""

    done = wbcr("seal", "--history", REF, "--yes-rewrite-history", cwd=demo, extra_env=KEY)
    assert done.code == 0, done.err
    assert "history sealed: 3 commit(s)" in done.out
    assert not any(s in done.out + done.err for s in secrets)
    log = _log_p(demo)
    for secret in secrets:
        assert secret not in log, secret
    assert all(s in log for s in others)  # another case is not touched
    # the work tree, the index and the last commit's files are as they were; every commit keeps its
    # author, committer, dates and message; the old branch is kept until deleted
    assert {p: p.read_bytes() for p in files} == files
    assert git(demo, "status", "--porcelain") == ""
    assert git(demo, "rev-parse", "HEAD^{tree}") == tree
    assert _identities(demo) == identities
    branch = git(demo, "branch", "--show-current").strip()
    assert git(demo, "rev-parse", f"refs/wbcr/before-seal-history/{branch}").strip() == tip
    assert wbcr("validate", cwd=demo).code == 0
    # the sealed history opens with the key: the first commit's people are the people committed
    first = git(demo, "rev-list", "--max-parents=0", "HEAD").strip()
    past = git(demo, "show", f"{first}:cases/{REF}/people.yaml")
    assert "wbcr:sealed:v1:" in past
    from wbcr.security.sealing import CaseSeal, unseal_record_text  # noqa: PLC0415

    seal = CaseSeal.from_password(REF, wbcr("password", REF, cwd=demo, extra_env=KEY).out.strip())
    opened, _ = unseal_record_text(past, kind="people", record="people.yaml", display="p", seal=seal)
    assert all(s in opened for s in secrets)
    # no warning any more; the other branch still holds them (it was named), until deleted, and after the
    # documented clean-up no object of the repository holds any of them
    again = wbcr("check-sealed", cwd=demo)
    assert f"{REF}: " not in again.err and f"{OTHER}: 1 earlier commit(s)" in again.err
    assert any(s in _log_p(demo, "old-work") for s in secrets)
    git(demo, "branch", "-D", "old-work", env=env)
    git(demo, "update-ref", "-d", f"refs/wbcr/before-seal-history/{branch}", env=env)
    git(demo, "reflog", "expire", "--expire=now", "--all", env=env)
    git(demo, "gc", "-q", "--prune=now", env=env)
    objects = subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch"], cwd=demo, capture_output=True,
                             check=True).stdout
    for secret in secrets:
        assert secret.encode() not in objects, secret


def test_seal_history_seals_the_case_first_and_then_has_nothing_left_to_do(wbcr, demo):
    done = wbcr("seal", "--history", REF, "--yes-rewrite-history", cwd=demo, extra_env=KEY)
    assert done.code == 0, done.err
    assert f"{REF}: sealed " in done.out and "history sealed: 3 commit(s)" in done.out
    secrets = _secrets_of_first_commit(demo)
    assert secrets and not any(s in _log_p(demo) for s in secrets)
    branch = git(demo, "branch", "--show-current").strip()
    git(demo, "update-ref", "-d", f"refs/wbcr/before-seal-history/{branch}")
    again = wbcr("seal", "--history", REF, cwd=demo, extra_env=KEY)
    assert again.code == 0, again.err
    assert "nothing to rewrite" in again.out


def _at_a_terminal(root: Path, env: dict, answer: str, *args: str) -> subprocess.CompletedProcess:
    """`wbcr` as a real process whose standard input is a terminal (a pseudo-terminal) answering `answer`."""
    import os
    import pty

    main, secondary = pty.openpty()
    os.write(main, answer.encode() + b"\n")
    try:
        return subprocess.run([sys.executable, "-m", "wbcr", *args], cwd=root, env={**env, **KEY}, stdin=secondary,
                              capture_output=True, text=True, timeout=120)
    finally:
        os.close(secondary)
        os.close(main)


def test_at_a_terminal_the_rewrite_is_asked_for_and_no_means_no(wbcr, demo, env):
    assert wbcr("seal", REF, cwd=demo, extra_env=KEY).code == 0
    tip = git(demo, "rev-parse", "HEAD")
    declined = _at_a_terminal(demo, env, "n", "seal", "--history", REF)
    assert declined.returncode == 2, declined.stderr
    assert "Rewrite 3 commit(s) of branch" in declined.stderr and "not confirmed" in declined.stderr
    assert git(demo, "rev-parse", "HEAD") == tip and git(demo, "for-each-ref", "refs/wbcr") == ""
    accepted = _at_a_terminal(demo, env, "y", "seal", "--history", REF)
    assert accepted.returncode == 0, accepted.stderr
    assert "history sealed: 3 commit(s)" in accepted.stdout
    assert not any(s in _log_p(demo) for s in _secrets_of_first_commit(demo))


def test_seal_history_refuses_and_changes_nothing(wbcr, demo, env):
    assert wbcr("seal", REF, cwd=demo, extra_env=KEY).code == 0
    tip = git(demo, "rev-parse", "HEAD")
    (demo / "notes.txt").write_text("an untracked file\n")
    dirty = wbcr("seal", "--history", REF, "--yes-rewrite-history", cwd=demo, extra_env=KEY)
    assert dirty.code == 3 and "work tree is not clean" in dirty.err
    (demo / "notes.txt").unlink()
    wrong = wbcr("seal", "--yes-rewrite-history", REF, cwd=demo, extra_env=KEY)
    assert wrong.code == 2 and "give both" in wrong.err
    branch = git(demo, "branch", "--show-current").strip()
    git(demo, "update-ref", f"refs/wbcr/before-seal-history/{branch}", "HEAD~1", env=env)
    kept = wbcr("seal", "--history", REF, "--yes-rewrite-history", cwd=demo, extra_env=KEY)
    assert kept.code == 3 and "earlier history rewrite" in kept.err and "git update-ref -d" in kept.err
    assert git(demo, "rev-parse", "HEAD") == tip and git(demo, "status", "--porcelain") == ""


def test_the_rewrite_keeps_merges_and_a_register_inside_a_larger_repository(wbcr, tmp_path, env):
    """A register in a folder of a larger repository, with a merge in its history: every parent mapped."""
    top = tmp_path / "top"
    top.mkdir()
    git(top, "init", "-q", env=env)
    (top / "README").write_text("the office's repository\n")
    git(top, "add", "README", env=env)
    git(top, "commit", "-q", "-m", "start", env=env)
    import shutil

    from conftest import EXAMPLE

    reg = top / "registers" / "ours"
    shutil.copytree(EXAMPLE, reg, ignore=shutil.ignore_patterns("output"))
    git(top, "add", "registers", env=env)
    git(top, "commit", "-q", "-m", "the register", env=env)
    git(top, "switch", "-q", "-c", "side", env=env)
    (top / "side.txt").write_text("side\n")
    git(top, "add", "side.txt", env=env)
    git(top, "commit", "-q", "-m", "side work", env=env)
    git(top, "switch", "-q", "-", env=env)
    (top / "main.txt").write_text("main\n")
    git(top, "add", "main.txt", env=env)
    git(top, "commit", "-q", "-m", "main work", env=env)
    git(top, "merge", "-q", "--no-edit", "side", env=env)
    secrets = _secrets(reg, REF)
    done = wbcr("seal", "--history", REF, "--yes-rewrite-history", cwd=reg, extra_env=KEY)
    assert done.code == 0, done.err
    log = _log_p(top)
    assert not any(s in log for s in secrets)
    assert git(top, "log", "--format=%s", "HEAD").splitlines() == [
        f"{REF}: sensitive values sealed", "Merge branch 'side'", "main work", "side work", "the register", "start"]
    assert len(git(top, "log", "-1", "--format=%P", "HEAD~1").split()) == 2  # still a merge
    assert git(top, "rev-list", "--max-parents=0", "HEAD") == git(top, "rev-list", "--max-parents=0", "side")
    assert git(top, "status", "--porcelain") == ""


def test_a_rewritten_commit_keeps_every_header_and_the_message_byte_for_byte_but_not_a_signature():
    from wbcr.operations.history import _commit_with, _headers

    raw = (b"tree " + b"a" * 40 + b"\nparent " + b"b" * 40 + b"\nparent " + b"c" * 40
           + b"\nauthor A\xc3\xa9 Person <a@example.org> 1500000000 +0100"
           + b"\ncommitter C Person <c@example.org> 1500000001 -0500\nencoding ISO-8859-1"
           + b"\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n abcdef\n -----END PGP SIGNATURE-----"
           + b"\n\nSubject line\n\n  body kept as it is  \n\nWbcr-Action: seal\n")
    new = _commit_with(raw, "d" * 40, ["e" * 40, "c" * 40])
    assert _headers(new) == ("d" * 40, ["e" * 40, "c" * 40])
    assert b"gpgsig" not in new and b"PGP" not in new and b"abcdef" not in new
    kept = [line for line in raw.split(b"\n\n", 1)[0].split(b"\n") if line.startswith((b"author", b"committer",
                                                                                      b"encoding"))]
    assert all(line in new.split(b"\n") for line in kept)
    assert new.split(b"\n\n", 1)[1] == raw.split(b"\n\n", 1)[1]


# --- the clean filter and check-sealed agree on files under cases/ that are not records -------------


@pytest.fixture
def filtered(wbcr, demo, env):
    """The demo register sealed, with the wbcr filter installed (`wbcr key filters`)."""
    assert wbcr("key", "filters", cwd=demo, extra_env=KEY).code == 0
    assert wbcr("seal", "--all", cwd=demo, extra_env=KEY).code == 0
    assert "cases/** filter=wbcr" in (demo / ".gitattributes").read_text()
    assert git(demo, "status", "--porcelain") == ""
    return demo


STRAYS = {f"cases/{REF}/notes.yaml": "said: Harper Grace Lindqvist rang the office\n",
          f"cases/.{OTHER}/people.yaml": "people: [{name: Harper Grace Lindqvist}]\n",
          f"cases/{REF}/.people.yaml.4242.k2j4h5g6.tmp": "name: Harper Grace Lindqvist\n",
          f"cases/{REF}/chronology/notes.txt": "Harper Grace Lindqvist\n"}


def test_git_add_refuses_a_file_under_cases_that_is_not_a_record(filtered, wbcr, env, tmp_path):
    reg = filtered
    for relpath, text in STRAYS.items():
        (reg / relpath).parent.mkdir(parents=True, exist_ok=True)
        (reg / relpath).write_text(text)
    (reg / f"cases/{REF}/chronology/.gitkeep").write_text("")  # empty: nothing to hide
    for relpath in [*STRAYS, f"cases/{REF}/chronology/.gitkeep"]:
        added = subprocess.run(["git", "add", "--", relpath], cwd=reg, env={**env, **KEY}, capture_output=True,
                               text=True)
        if relpath.endswith(".gitkeep"):
            assert added.returncode == 0, added.stderr
            continue
        assert added.returncode != 0, relpath
        assert f"{relpath} is not a wbcr record; it was not added, so its text cannot reach git unsealed" \
            in added.stderr
        assert "move it out of cases/" in added.stderr and "Harper" not in added.stderr
    everything = subprocess.run(["git", "add", "-A"], cwd=reg, env={**env, **KEY}, capture_output=True, text=True)
    assert everything.returncode != 0 and "is not a wbcr record" in everything.stderr
    staged = git(reg, "diff", "--cached", "--name-only")
    assert not any(p in staged for p in STRAYS)
    assert not subprocess.run(["git", "grep", "--cached", "-q", "Harper"], cwd=reg).returncode == 0
    checked = wbcr("check-sealed", "--staged", cwd=reg)
    assert checked.code == 0, checked.out
    # where git adds them anyway (a clone without the filter), the check refuses the very same files
    clone = tmp_path / "keyless"
    git(tmp_path, "clone", "-q", str(reg), str(clone), env=env)
    for relpath, text in STRAYS.items():
        (clone / relpath).parent.mkdir(parents=True, exist_ok=True)
        (clone / relpath).write_text(text)
    git(clone, "add", "-A", env=env)
    report = wbcr("check-sealed", "--staged", "--format", "json", cwd=clone)
    assert report.code == 1
    found = json.loads(report.out)["findings"]
    assert sorted(f["path"] for f in found) == sorted(STRAYS)
    assert {f["code"] for f in found} == {"seal.unknown-file"} and "Harper" not in report.out


def test_the_filter_process_refuses_what_the_clean_command_refuses(filtered, wbcr):
    for relpath, text in STRAYS.items():
        refused = wbcr("filter", "clean", relpath, cwd=filtered, input=text, extra_env=KEY)
        assert refused.code == 3 and refused.out == "" and "is not a wbcr record" in refused.err, relpath
    passed = wbcr("filter", "clean", f"cases/{REF}/chronology/.gitkeep", cwd=filtered, input="", extra_env=KEY)
    assert passed.code == 0 and passed.out == ""
    from io import BytesIO

    from wbcr.security.sealing import GitFilter, run_filter_process

    def pkt(text: bytes) -> bytes:
        return b"%04x" % (len(text) + 4) + text

    stream = (pkt(b"git-filter-client\n") + pkt(b"version=2\n") + b"0000"
              + pkt(b"capability=clean\n") + pkt(b"capability=smudge\n") + b"0000"
              + pkt(b"command=clean\n") + pkt(f"pathname=cases/{REF}/notes.yaml\n".encode()) + b"0000"
              + pkt(b"said: Harper\n") + b"0000")
    out, said = BytesIO(), []
    run_filter_process(GitFilter(cwd=filtered), BytesIO(stream), out, said.append)
    assert b"status=error" in out.getvalue() and b"Harper" not in out.getvalue()
    assert "is not a wbcr record" in said[0]


def test_key_filters_adds_the_line_for_every_file_to_an_older_register(wbcr, demo, env):
    (demo / ".gitattributes").write_text("cases/*/*.yaml filter=wbcr\ncases/*/chronology/*.yaml filter=wbcr\n")
    git(demo, "add", ".gitattributes", env=env)
    git(demo, "commit", "-q", "-m", "an older register's attributes", env=env)
    assert wbcr("key", "filters", cwd=demo, extra_env=KEY).code == 0
    assert "cases/** filter=wbcr" in (demo / ".gitattributes").read_text().splitlines()
    assert git(demo, "check-attr", "filter", "--", f"cases/{REF}/notes.txt").strip().endswith(": wbcr")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))
