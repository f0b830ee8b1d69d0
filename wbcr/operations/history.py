"""A case's plain values taken out of the current branch's history (`wbcr seal --history`), and the
keyless look at that history that says whether it is needed.

Sealing a case seals its work tree and its next commits; the commits made before it keep the plain
values, and so does every clone that has them. `prepare_history_seal` rebuilds the branch with git's
plumbing only (no work tree, no index, no new dependency): every commit, parents before children
(`git rev-list --reverse --topo-order`), gets a tree in which each version of a record of the chosen
cases that holds plain sensitive values is replaced by its sealed text — sealed for its own case and
record path, as `wbcr seal` would seal it, one sealed version per original version (a cache) — and is
written again with its parents mapped and every other header (author, committer, their dates, the
encoding) and the message byte for byte; signatures are dropped, since they no longer match. Commits
before the first one that changes keep their ids. Nothing is visible until `apply_history_seal` moves the
branch, under the register lock and only if it still points where it did, keeping the old tip as
`refs/wbcr/before-seal-history/<branch>`.

The branch's last commit must already hold no plain value (`wbcr seal` first), so the rewritten tip has
the very same tree: the work tree and the index are right as they stand and are never touched.

What is not rewritten: other branches, tags, remote-tracking branches and stashes that reach the old
commits (they are listed), files under `cases/` that are not records, and other clones and remotes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wbcr.core import gitrepo
from wbcr.core.errors import UsageError, WbcrError
from wbcr.core.yamlio import decode_record, parse_yaml
from wbcr.security.sealing import CaseSeal, SealError, _sensitive_paths, case_record_of, plain_slots, seal_record_text
from wbcr.store.lock import register_lock

BACKUP_PREFIX = "refs/wbcr/before-seal-history/"


def backup_ref(branch: str) -> str:
    return BACKUP_PREFIX + branch


@dataclass
class HistoryRewrite:
    """What sealing a branch's history does (prepared, then applied): old ids throughout."""

    branch: str
    references: list[str]
    old_tip: str
    new_tip: str
    total: int                                           # commits on the branch
    rewritten: list[str] = field(default_factory=list)   # commits that get new ids, oldest first
    plain: list[str] = field(default_factory=list)       # commits whose files held plain values
    versions: int = 0                                    # distinct record versions sealed
    others: list[str] = field(default_factory=list)      # other refs that still reach plain commits
    first: tuple[str, str] = ("", "")                    # (date, subject) of the oldest rewritten commit
    applied: bool = False

    @property
    def backup(self) -> str:
        return backup_ref(self.branch)


def require_rewritable(root) -> str:
    """The branch to rewrite; a WbcrError (nothing changed) when its history cannot be rewritten safely."""
    if not gitrepo.is_repo(root):
        raise UsageError("the register is not a git repository: there is no history to rewrite")
    if gitrepo.is_shallow(root):
        raise WbcrError("this clone is shallow: it does not hold the whole history, so it cannot rewrite it; "
                        "nothing was changed", code="git.shallow",
                        hint="rewrite the history in a full clone (`git fetch --unshallow` first)")
    branch = gitrepo.current_branch(root)
    if branch is None or gitrepo.resolve(root, "HEAD") is None:
        raise WbcrError("HEAD is not on a branch with commits: there is no branch history to rewrite; nothing "
                        "was changed", code="git.detached", hint="switch to the register's branch first")
    gitrepo.ensure_can_commit(root)  # no merge or rebase under way
    if not gitrepo.work_tree_clean(root):
        raise WbcrError("the work tree is not clean (changed, staged or untracked files): the history is rewritten "
                        "only from a clean work tree; nothing was changed", code="git.dirty",
                        hint="commit or move away what `git status` lists, then run the command again")
    if gitrepo.ref_exists(root, backup_ref(branch)):
        raise WbcrError(f"{backup_ref(branch)} still holds the branch as it was before an earlier history rewrite "
                        "(with its plain values); nothing was changed", code="git.backup",
                        hint=f"when that rewrite is checked and pushed, delete it: `git update-ref -d "
                             f"{backup_ref(branch)}`, then run the command again")
    return branch


class _Rewriter:
    """Trees of the branch with the chosen cases' record versions sealed; every result cached by id."""

    def __init__(self, root, reader: gitrepo.ObjectReader, prefix: str, seals: dict[str, CaseSeal]) -> None:
        self.root, self.reader, self.seals = root, reader, seals
        self.steps = [p for p in prefix.split("/") if p] + ["cases"]
        self.prefix = prefix
        self.trees: dict[tuple[str, str], str] = {}
        self.blobs: dict[tuple[str, str, str], str] = {}
        self.commit = ""

    def tree(self, tree_id: str) -> str:
        return self._down(tree_id, 0)

    def _entries(self, tree_id: str) -> list[list[bytes]]:
        kind, data = self.reader.read(tree_id)
        size = len(tree_id) // 2
        entries, i = [], 0
        while i < len(data):
            space = data.index(b" ", i)
            nul = data.index(b"\0", space)
            entries.append([data[i:space], data[space + 1:nul], data[nul + 1:nul + 1 + size]])
            i = nul + 1 + size
        return entries

    def _write(self, entries: list[list[bytes]]) -> str:
        data = b"".join(mode + b" " + name + b"\0" + raw for mode, name, raw in entries)
        return gitrepo.write_object(self.root, "tree", data)

    def _replace(self, tree_id: str, key: str, change) -> str:
        """`tree_id` with `change(mode, name, id)` applied to each entry (it returns the new id)."""
        if (tree_id, key) in self.trees:
            return self.trees[(tree_id, key)]
        entries, changed = self._entries(tree_id), False
        for entry in entries:
            new = change(entry[0], entry[1].decode("utf-8", "surrogateescape"), entry[2].hex())
            if new is not None and new != entry[2].hex():
                entry[2], changed = bytes.fromhex(new), True
        result = self._write(entries) if changed else tree_id
        self.trees[(tree_id, key)] = result
        return result

    def _down(self, tree_id: str, depth: int) -> str:
        if depth == len(self.steps):  # the cases folder
            return self._replace(tree_id, "cases", lambda mode, name, oid: (
                self._case(oid, name, "") if mode == b"40000" and name in self.seals else None))
        step = self.steps[depth]
        return self._replace(tree_id, f"{depth}", lambda mode, name, oid: (
            self._down(oid, depth + 1) if mode == b"40000" and name == step else None))

    def _case(self, tree_id: str, reference: str, sub: str) -> str:
        def change(mode: bytes, name: str, oid: str) -> str | None:
            if mode == b"40000":
                return self._case(oid, reference, f"{sub}{name}/")
            if mode in (b"100644", b"100755"):
                return self._blob(oid, reference, sub + name)
            return None  # a symbolic link or a submodule: not a record

        return self._replace(tree_id, f"case {reference} {sub}", change)

    def _blob(self, blob: str, reference: str, record: str) -> str | None:
        located = case_record_of(f"cases/{reference}/{record}")
        if located is None or not _sensitive_paths(located[2]):
            return None
        key = (blob, reference, record)
        if key not in self.blobs:
            kind = located[2]
            display = f"{self.prefix}cases/{reference}/{record}"
            try:
                text = decode_record(self.reader.read(blob)[1], display)
                if plain_slots(kind, parse_yaml(text, display)):
                    new, _ = seal_record_text(text, kind=kind, record=record, display=display,
                                              seal=self.seals[reference])
                    self.blobs[key] = gitrepo.write_object(self.root, "blob", new.encode("utf-8"))
                else:
                    self.blobs[key] = blob
            except WbcrError as exc:
                raise SealError(f"cannot seal {display} as commit {self.commit[:10]} holds it: {exc.message}; "
                                "nothing was rewritten", hint="put the record right in that commit by hand, or "
                                "ask for help: wbcr seals only records it can read") from None
        return self.blobs[key]


def _headers(raw: bytes) -> tuple[str, list[str]]:
    tree, parents = "", []
    for line in raw.partition(b"\n\n")[0].split(b"\n"):
        if line.startswith(b"tree "):
            tree = line[5:].decode("ascii")
        elif line.startswith(b"parent "):
            parents.append(line[7:].decode("ascii"))
    return tree, parents


def _commit_with(raw: bytes, tree: str, parents: list[str]) -> bytes:
    """A commit object's text with another tree and parents, every other header and the message kept
    byte for byte; a signature is dropped (it signs the old text)."""
    head, sep, message = raw.partition(b"\n\n")
    out = [b"tree " + tree.encode("ascii")] + [b"parent " + p.encode("ascii") for p in parents]
    skipping = False
    for line in head.split(b"\n"):
        if line.startswith(b" "):  # a continuation of the header above
            if not skipping:
                out.append(line)
            continue
        name = line.split(b" ", 1)[0]
        skipping = name in (b"gpgsig", b"gpgsig-sha256")
        if not skipping and name not in (b"tree", b"parent"):
            out.append(line)
    return b"\n".join(out) + sep + message


def prepare_history_seal(register, seals: dict[str, CaseSeal]) -> HistoryRewrite:
    """Write the sealed history of the current branch for the cases in `seals` (objects only: no ref,
    no work tree, no index changes) and say what moving the branch to it would rewrite."""
    root = register.root
    with register_lock(root):
        branch = require_rewritable(root)
        old_tip = gitrepo.resolve(root, "HEAD")
        commits = gitrepo.rev_list(root, old_tip)
        plan = HistoryRewrite(branch, sorted(seals), old_tip, old_tip, len(commits))
        mapping: dict[str, str] = {}
        with gitrepo.ObjectReader(root) as reader:
            rewriter = _Rewriter(root, reader, gitrepo.repo_prefix(root), seals)
            for commit in commits:
                raw = reader.read(commit)[1]
                tree, parents = _headers(raw)
                rewriter.commit = commit
                new_tree = rewriter.tree(tree)
                new_parents = [mapping.get(p, p) for p in parents]
                if new_tree == tree and new_parents == parents:
                    mapping[commit] = commit
                    continue
                if new_tree != tree:
                    plan.plain.append(commit)
                mapping[commit] = gitrepo.write_object(root, "commit", _commit_with(raw, new_tree, new_parents))
                plan.rewritten.append(commit)
                if commit == old_tip and new_tree != tree:
                    cases = ", ".join(sorted(seals))
                    raise SealError(f"the branch's last commit still holds plain values of {cases}: the case is "
                                    "sealed first, then its history; nothing was rewritten",
                                    hint=f"run `wbcr seal {cases}` (with its commit), then this command again")
            plan.versions = sum(1 for (old, *_), new in rewriter.blobs.items() if old != new)
        plan.new_tip = mapping[old_tip]
        if plan.rewritten:
            plan.first = gitrepo.commit_dates(root, [plan.rewritten[0]]).get(plan.rewritten[0], ("", ""))
            mine = {f"refs/heads/{branch}", plan.backup}
            for i in range(0, len(plan.plain), 200):
                plan.others += [r for r in gitrepo.refs_containing(root, plan.plain[i:i + 200]) if r not in mine]
            plan.others = sorted(set(plan.others))
    return plan


def apply_history_seal(register, plan: HistoryRewrite) -> None:
    """Move the branch to its sealed history, keeping the old tip as the backup ref; only if the branch
    still points where it did when `plan` was made and the work tree is still clean."""
    root = register.root
    message = f"wbcr seal --history {' '.join(plan.references)}"
    with register_lock(root):
        branch = require_rewritable(root)
        if branch != plan.branch or gitrepo.resolve(root, "HEAD") != plan.old_tip:
            raise WbcrError(f"branch {plan.branch} changed while the rewrite waited for confirmation; nothing was "
                            "rewritten", code="git.moved", hint="run the command again")
        gitrepo.update_ref(root, plan.backup, plan.old_tip, None, message + ": the branch before")
        gitrepo.update_ref(root, f"refs/heads/{plan.branch}", plan.new_tip, plan.old_tip, message)
    plan.applied = True


def format_history_statement(plan: HistoryRewrite) -> list[str]:
    """What the rewrite does and what everyone must do afterwards: shown before anyone confirms it."""
    cases = ", ".join(plan.references)
    date, subject = plan.first
    lines = [
        f"`wbcr seal --history` rewrites the history of branch {plan.branch} to remove the plain values of {cases}:",
        f"  {len(plan.rewritten)} of its {plan.total} commit(s) get new ids, from {plan.rewritten[0][:10]} "
        f"({date}, \"{subject}\") to the last; {len(plan.plain)} of them held plain values "
        f"({plan.versions} version(s) of the case's records, now sealed). Authors, committers, dates and "
        "messages are kept; signatures are dropped.",
        "  The work tree and the index do not change (the last commit's files stay as they are).",
        f"  Only branch {plan.branch} is rewritten, in this clone only."
        + (f" Still reaching the old commits, and not rewritten: {', '.join(plan.others)}." if plan.others else
           " No other branch, tag or ref here reaches the old commits."),
        f"  The old branch is kept as {plan.backup} until you delete it.",
        "Afterwards, every copy must follow, or the plain values come back with its next push:",
        f"  - push the branch with force: git push --force-with-lease origin {plan.branch} (and delete or "
        "rewrite any other branch or tag above on the remote);",
        "  - every other clone: clone again (or, with its own work saved, `git fetch` then `git reset --hard "
        f"origin/{plan.branch}`); a backup or a copy of the old repository still holds the plain values;",
        "  - here, the backup ref and the reflog keep the old commits until:",
        f"      git update-ref -d {plan.backup}",
        "      git reflog expire --expire=now --all",
        "      git gc --prune=now",
        "  - a hosting service may keep old commits (pull requests, caches): ask its administrator to purge them.",
    ]
    return lines


# --- the keyless look at the history ---------------------------------------------------------------


def plain_history(register, references: list[str] | None = None) -> dict[str, list[str]]:
    """`{reference: commits}`: the commits of the current branch that introduced a version of a record
    of the case holding plain sensitive values, oldest first (every case under `cases/` unless named).
    Needs no key; reads each distinct version once. Empty outside git or before the first commit."""
    root = register.root
    if not gitrepo.is_repo(root) or gitrepo.resolve(root, "HEAD") is None:
        return {}
    prefix = gitrepo.repo_prefix(root)
    folders = [f"cases/{r}" for r in references] if references is not None else ["cases"]
    versions = gitrepo.blobs_in_history(root, "HEAD", *folders) if folders else []
    order = {c: i for i, c in enumerate(gitrepo.rev_list(root, "HEAD"))} if versions else {}
    seen: dict[tuple[str, str], bool] = {}
    found: dict[str, set[str]] = {}
    with gitrepo.ObjectReader(root) as reader:
        for commit, path, blob in versions:
            rel = path[len(prefix):] if path.startswith(prefix) else path
            located = case_record_of(rel)
            if located is None or not _sensitive_paths(located[2]):
                continue
            key = (blob, located[2])
            if key not in seen:
                try:
                    data = parse_yaml(decode_record(reader.read(blob)[1], rel), rel)
                    seen[key] = bool(plain_slots(located[2], data))
                except WbcrError:
                    seen[key] = False  # unreadable: nothing to say about its values
            if seen[key]:
                found.setdefault(located[0], set()).add(commit)
    return {ref: sorted(commits, key=lambda c: order.get(c, -1)) for ref, commits in sorted(found.items())}
