"""The board key and the case passwords derived from it (SPEC §8).

The guidance protects every document of a referral with "the reference number". A bare reference is
guessable, so wbcr keys the scheme:

* **Board key**: 32 random bytes per register, kept *outside* the register, owner-only, in
  `$WBCR_KEY_DIR`, else `$XDG_CONFIG_HOME/wbcr/keys`, else `~/.config/wbcr/keys`, in a file named
  `<fingerprint>.key`. `WBCR_BOARD_KEY` supplies it instead (CI). Its text form, used in the key file,
  in `WBCR_BOARD_KEY` and by `wbcr key export`, is `wbcr-board-key-v1:` + the key in unpadded base64url.
* **Fingerprint**: the first 16 hex digits of SHA-256(`"wbcr key fingerprint v1\\0"` + key), recorded
  in `wbcr.yaml` as `passwords.key_fingerprint`, so a wrong key is refused at once. It reveals nothing
  about the key.
* **Case password**: HMAC-SHA256(key, `"wbcr case password v1\\0"` + reference as UTF-8); the first 80
  bits, most significant first, as 16 characters of `23456789ABCDEFGHJKLMNPQRSTUVWXYZ` (5 bits each;
  no 0/O, 1/I), in four groups of four joined by `-`: `7KQM-R2XD-…`. Deterministic, different for every
  reference, and unrelated to any other case's password without the key.
* **Literal scheme** (`passwords.scheme: literal`): the password is the reference itself. Weak by
  design (anyone who knows the reference knows the password); every use raises a
  `LiteralSchemeWarning`, which the command line prints.

Nothing here prints, and key material never enters a message, a repr or an exception.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import stat
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from wbcr.core.errors import UsageError, WbcrError
from wbcr.core.yamlio import atomic_write, dump_text, load_roundtrip
from wbcr.model.register import CONFIG_NAME

KEY_BYTES = 32
KEY_PREFIX = "wbcr-board-key-v1:"
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PASSWORD_CHARS = 16  # 16 x 5 bits = 80 bits
GROUP = 4
_FINGERPRINT_DOMAIN = b"wbcr key fingerprint v1\0"
_PASSWORD_DOMAIN = b"wbcr case password v1\0"

SCHEME_KEYED = "keyed"
SCHEME_LITERAL = "literal"


class LiteralSchemeWarning(UserWarning):
    """The register uses the literal scheme: the case password is the bare reference."""


# Every use must warn, not just the first one per call site.
warnings.filterwarnings("always", category=LiteralSchemeWarning)


class BoardKeyError(WbcrError):
    """The board key is missing, unreadable, too widely readable, or not this register's."""

    def __init__(self, message: str, **kwargs) -> None:
        kwargs.setdefault("code", "key")
        super().__init__(message, **kwargs)


# --- derivations -----------------------------------------------------------------------------------


def key_fingerprint(key: bytes) -> str:
    """16 hex digits naming a board key (safe to show, store and compare)."""
    return hashlib.sha256(_FINGERPRINT_DOMAIN + key).hexdigest()[:16]


def derive_case_password(key: bytes, reference: str) -> str:
    """The case password of `reference` under the board key (see the module docstring)."""
    if not reference:
        raise UsageError("a case reference is needed to derive its password")
    digest = hmac.new(key, _PASSWORD_DOMAIN + reference.encode("utf-8"), hashlib.sha256).digest()
    number = int.from_bytes(digest[:10], "big")  # the first 80 bits
    chars = [ALPHABET[(number >> (5 * (PASSWORD_CHARS - 1 - i))) & 31] for i in range(PASSWORD_CHARS)]
    return "-".join("".join(chars[i:i + GROUP]) for i in range(0, PASSWORD_CHARS, GROUP))


def normalise_password(text: str) -> str:
    """A password as typed: a keyed-scheme password in any case, spacing or grouping becomes its
    canonical form (`7KQM-R2XD-…`); anything else (a literal-scheme reference, a password someone set in
    Word) is used exactly as given."""
    compact = "".join(ch for ch in text.strip().upper() if ch not in " -")
    if len(compact) == PASSWORD_CHARS and all(ch in ALPHABET for ch in compact):
        return "-".join(compact[i:i + GROUP] for i in range(0, PASSWORD_CHARS, GROUP))
    return text.strip("\r\n")


# --- the key's text form ---------------------------------------------------------------------------


def format_key(key: bytes) -> str:
    return KEY_PREFIX + base64.urlsafe_b64encode(key).decode("ascii").rstrip("=")


def decode_key_text(raw: bytes) -> str:
    """The text of a key file as any Windows tool may have saved it: UTF-8 with or without a byte-order
    mark, or UTF-16 (what `>` writes in Windows PowerShell 5.1), little- or big-endian."""
    import codecs

    for mark, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                           (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(mark):
            return raw[len(mark):].decode(encoding, errors="replace")
    if len(raw) >= 4 and raw[1:4:2] == b"\0\0" and raw[0:4:2] != b"\0\0":  # UTF-16-LE without its mark
        return raw.decode("utf-16-le", errors="replace")
    if len(raw) >= 4 and raw[0:4:2] == b"\0\0" and raw[1:4:2] != b"\0\0":  # UTF-16-BE without its mark
        return raw.decode("utf-16-be", errors="replace")
    return raw.decode("utf-8", errors="replace")


def parse_key(text: str, source: str) -> bytes:
    """Key bytes from the text form; the error names the source, never the text."""
    body = text.strip()
    if not body.startswith(KEY_PREFIX):
        raise BoardKeyError(f"{source} does not hold a wbcr board key",
                            hint=f"a board key's text form starts with {KEY_PREFIX} (as `wbcr key export` prints it)")
    encoded = body[len(KEY_PREFIX):]
    try:
        key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES or format_key(key) != body:
        raise BoardKeyError(f"{source} holds a damaged wbcr board key",
                            hint="copy the whole line `wbcr key export` printed, without changes")
    return key


# --- where keys live -------------------------------------------------------------------------------


def key_dir() -> Path:
    explicit = os.environ.get("WBCR_KEY_DIR")
    if explicit:
        return Path(explicit).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME")
    base = Path(config).expanduser() if config else Path.home() / ".config"
    return base / "wbcr" / "keys"


def key_path(fingerprint: str) -> Path:
    return key_dir() / f"{fingerprint}.key"


@dataclass(frozen=True)
class BoardKey:
    """A board key and where it came from. Its repr shows the fingerprint only."""

    secret: bytes = field(repr=False)
    source: str

    @property
    def fingerprint(self) -> str:
        return key_fingerprint(self.secret)


def generate_key() -> BoardKey:
    return BoardKey(secrets.token_bytes(KEY_BYTES), "new")


def _check_permissions(path: Path, info: os.stat_result) -> None:
    if os.name == "nt":  # no POSIX modes; the user profile's ACLs protect it
        return
    if info.st_mode & 0o077:
        raise BoardKeyError(f"{path}: the board key can be read or changed by other users "
                            f"(permissions {stat.filemode(info.st_mode)}); wbcr will not use it",
                            hint=f"chmod 600 {path}  (and consider the key compromised if others could read it)")
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise BoardKeyError(f"{path}: the board key file belongs to another user; wbcr will not use it",
                            hint="import the key as yourself with `wbcr key import`")


def read_key_file(path: Path) -> BoardKey:
    """The key in `path`, refusing a file that group or others can read (as ssh does)."""
    try:
        fd = os.open(path, os.O_RDONLY)  # permissions are checked on what was opened, symlink or not
    except FileNotFoundError:
        raise  # the caller knows where the key should have come from, and says so
    except OSError as exc:
        raise BoardKeyError(f"{path}: cannot read the board key: {exc.strerror}") from None
    with os.fdopen(fd, "r", encoding="ascii", errors="replace") as fh:
        _check_permissions(path, os.fstat(fh.fileno()))
        text = fh.read(4096)
    return BoardKey(parse_key(text, str(path)), str(path))


def store_key(key: BoardKey) -> Path:
    """Write the key to the key folder, owner-only (folder 0700, file 0600); returns its path.

    Storing the same key again is harmless; the file is written atomically.
    """
    folder = key_dir()
    path = key_path(key.fingerprint)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if os.name != "nt":
            os.chmod(folder, 0o700)
        if path.exists():
            existing = read_key_file(path)
            if existing.secret == key.secret:
                return path
        fd, tmp = tempfile.mkstemp(prefix=".wbcr-key-", dir=folder)  # mkstemp creates it 0600
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(format_key(key.secret) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise BoardKeyError(f"cannot store the board key in {folder}: {exc.strerror}",
                            hint="set WBCR_KEY_DIR to a private folder you can write to") from None
    return path


# --- the register's scheme -------------------------------------------------------------------------


def password_settings(config: dict) -> dict:
    settings = config.get("passwords") if isinstance(config, dict) else None
    return settings if isinstance(settings, dict) else {}


def scheme_of(config: dict) -> str:
    scheme = password_settings(config).get("scheme") or SCHEME_KEYED
    if scheme not in (SCHEME_KEYED, SCHEME_LITERAL):
        raise WbcrError(f'wbcr.yaml: passwords.scheme "{scheme}" is not known', path="wbcr.yaml",
                        hint="use keyed (the default) or literal")
    return scheme


def fingerprint_of(config: dict) -> str | None:
    value = password_settings(config).get("key_fingerprint")
    return value if isinstance(value, str) and value else None


def seal_required(config: dict) -> bool:
    return password_settings(config).get("seal_records") is True


def load_board_key(register) -> BoardKey:
    """The register's board key: `WBCR_BOARD_KEY`, else the key file named by its fingerprint."""
    expected = fingerprint_of(register.config)
    if expected is None:
        raise BoardKeyError("this register has no board key yet (no passwords.key_fingerprint in wbcr.yaml)",
                            path="wbcr.yaml",
                            hint="create one with `wbcr key init`, or join with `wbcr key import` if it has one")
    env = os.environ.get("WBCR_BOARD_KEY")
    if env:
        key = BoardKey(parse_key(env, "WBCR_BOARD_KEY"), "WBCR_BOARD_KEY")
        if key.fingerprint != expected:
            raise BoardKeyError(f"WBCR_BOARD_KEY holds another board's key (fingerprint {key.fingerprint}); "
                                f"this register's key has fingerprint {expected}",
                                hint="set WBCR_BOARD_KEY to this register's key, or unset it to use the key file")
        return key
    path = key_path(expected)
    try:
        key = read_key_file(path)
    except FileNotFoundError:
        raise BoardKeyError(f"this register's board key (fingerprint {expected}) is not on this computer: "
                            f"no {path}",
                            hint="ask a business manager who has it to run `wbcr key export` and pass it to "
                                 "you securely, then `wbcr key import`; in CI set WBCR_BOARD_KEY") from None
    if key.fingerprint != expected:
        raise BoardKeyError(f"{path} holds a key with fingerprint {key.fingerprint}, not {expected}",
                            hint="the file was renamed or replaced; import the right key with `wbcr key import`")
    return key


def case_password(register, reference: str) -> str:
    """The password of one case, by the register's scheme. Under the literal scheme it is the
    reference, and a `LiteralSchemeWarning` is raised on every call."""
    if scheme_of(register.config) == SCHEME_LITERAL:
        warnings.warn(LiteralSchemeWarning(
            f"{reference}: this register uses the literal password scheme: the password is the reference "
            "itself, which anyone who knows the reference can guess (set passwords.scheme: keyed)"),
            stacklevel=2)
        return reference
    return derive_case_password(load_board_key(register).secret, reference)


# --- giving a register its key ---------------------------------------------------------------------


def key_from_environment() -> BoardKey | None:
    text = os.environ.get("WBCR_BOARD_KEY")
    return BoardKey(parse_key(text, "WBCR_BOARD_KEY"), "WBCR_BOARD_KEY") if text else None


def password_settings_text(root: Path, **values) -> str:
    """wbcr.yaml's text with fields under `passwords:` set, keeping its comments and layout."""
    data = load_roundtrip(root / CONFIG_NAME, CONFIG_NAME)
    if not isinstance(data, dict):
        raise WbcrError(f"{CONFIG_NAME} must be a mapping of settings", path=CONFIG_NAME, line=1, col=1)
    if not isinstance(data.get("passwords"), dict):
        data["passwords"] = {"scheme": SCHEME_KEYED}
    for key, value in values.items():
        data["passwords"][key] = value
    return dump_text(data)


def set_password_settings(root: Path, **values) -> None:
    """Set fields under `passwords:` in a new register's wbcr.yaml (`wbcr init`, before its first commit)."""
    atomic_write(root / CONFIG_NAME, password_settings_text(root, **values))
