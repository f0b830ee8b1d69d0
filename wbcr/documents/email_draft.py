"""A rendered document handed to Outlook: an `.eml` draft written beside it (`wbcr render … --email`).

The draft is a plain MIME message with `X-Unsent: 1`, which Outlook (and Thunderbird, Apple Mail) open
as an unsent message to check and send, not as a received one. It holds:

- To: the recipient's address when the register knows it — an agency's designated senior manager (else
  its safeguarding lead) for a per-agency document, the `email` of the recipient named by `--to`
  (wbcr.yaml's external bodies, the LSCB's officers, the notifier from referral.yaml…); otherwise no To,
  to be filled in Outlook (the command says so);
- From: the board office's address (wbcr.yaml `board.email`), when there is one;
- Subject: the protective marking, the case reference and the document's title — never a name. A
  document for a member of the public (the family letter) shows neither marking nor reference, and
  its subject neither;
- a short body from the board: what is attached and that the password follows separately;
- the document, exactly as written (the protected file), with its MIME type.

The password is never in the message: not in the body, not in a header, not in the file name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

#: the MIME types of the files wbcr renders (mimetypes' answer depends on the machine)
MIME_TYPES = {
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pdf": ("application", "pdf"),
}


@dataclass(frozen=True)
class EmailDraft:
    path: Path
    to_name: str | None
    to_address: str | None
    subject: str
    missing: str  # why there is no To, when there is none (and where the address would go)


def _header(text: str | None) -> str:
    """A header value on one line (a record's text may hold line breaks; a header must not)."""
    return " ".join(str(text or "").split())


def _address(name: str | None, email: str | None):
    """An `Address`, or None when `email` is not one a mail program would take."""
    from email.errors import HeaderParseError
    from email.headerregistry import Address

    email = _header(email)
    if not email or email.count("@") != 1:
        return None
    try:
        return Address(display_name=_header(name), addr_spec=email)
    except (ValueError, IndexError, HeaderParseError):
        return None


def format_email_draft(*, attachment: bytes, filename: str, subject: str, body: str,
                       to: tuple[str | None, str | None] = (None, None),
                       sender: tuple[str | None, str | None] = (None, None),
                       date: dt.date | None = None) -> bytes:
    """The bytes of an unsent message (`X-Unsent: 1`) with `attachment` attached as `filename`."""
    from email.message import EmailMessage
    from email.utils import format_datetime

    message = EmailMessage()
    message["X-Unsent"] = "1"
    if (sender_address := _address(*sender)) is not None:
        message["From"] = sender_address
    if (to_address := _address(*to)) is not None:
        message["To"] = to_address
    message["Subject"] = _header(subject)
    if date is not None:
        message["Date"] = format_datetime(dt.datetime.combine(date, dt.time(9, 0), tzinfo=dt.timezone.utc))
    message.set_content(body)
    maintype, subtype = MIME_TYPES.get(Path(filename).suffix.lower(), ("application", "octet-stream"))
    message.add_attachment(attachment, maintype=maintype, subtype=subtype, filename=filename)
    # the same document gives the same draft (a boundary from its digest, not a random one)
    message.set_boundary("wbcr-" + hashlib.sha256(attachment).hexdigest()[:40])
    return bytes(message)


def recipient_contact(register, reference: str | None, *, agency: str | None, to: str | None,
                      person: str | None, password: str | None) -> tuple[str | None, str | None, str]:
    """Who the document goes to: (name, e-mail address or None, why there is no address when there is none)."""
    if agency is not None:
        entry = next((a for a in register.config.get("agencies") or []
                      if isinstance(a, dict) and a.get("id") == agency), None) or {}
        for key in ("designated_senior_manager", "safeguarding_lead"):
            contact = entry.get(key) if isinstance(entry.get(key), dict) else {}
            if contact.get("email"):
                return contact.get("name"), contact["email"], f"{entry.get('name', agency)} ({key.replace('_', ' ')})"
        manager = entry.get("designated_senior_manager") if isinstance(entry.get("designated_senior_manager"), dict) else {}
        return manager.get("name"), None, (f'wbcr.yaml has no e-mail address for agency "{agency}" (add `email:` '
                                           "to its designated_senior_manager)")
    if to is None:
        return None, None, "the document is not addressed to anyone in particular"
    from wbcr.documents.render import recipient_details  # noqa: PLC0415 - documents sibling
    from wbcr.store.case import load_case, open_sealed  # noqa: PLC0415 - only for a case's recipient

    records = open_sealed(register, reference, load_case(register, reference), password) if reference else {}
    details = recipient_details(register, records, to, person)
    person_record = details.get("person") if isinstance(details.get("person"), dict) else {}
    email = details.get("email") or person_record.get("email")
    return details.get("name"), email, f'the register has no e-mail address for recipient "{to}"'


def draft_body(*, board: dict, marking: str | None, title: str, reference: str | None, to_name: str | None,
               protected: bool, plain: bool) -> str:
    """The message's words: what is attached and, for a protected document, that the password follows."""
    board_name = board.get("name") or board.get("short_name") or "The case review office"
    about = f" about case {reference}" if reference and not plain else ""
    lines = [f"Dear {_header(to_name) or 'colleague'},", "",
             f"Please find attached: {title}{about}, from {board_name}.", ""]
    if protected:
        lines += ["The document is protected with a password. The password follows separately, by telephone "
                  "or in a separate message; it is not in this e-mail. Please keep the two apart.", ""]
    if marking and not plain:
        lines += [f"This e-mail and its attachment are {marking}: send and store them only by secure means.", ""]
    lines += ["Yours sincerely,", "", board_name, *[str(line) for line in board.get("address") or []]]
    if board.get("phone"):
        lines.append(f"Telephone: {board['phone']}")
    return "\n".join(lines) + "\n"


def write_email_draft(register, rendered, spec, reference: str | None, today: dt.date, *, agency: str | None = None,
                      to: str | None = None, person: str | None = None, password: str | None = None) -> EmailDraft:
    """Write the `.eml` draft of `rendered` (a `render.Rendered`) beside it; owner-only, as every export."""
    from wbcr.core.exports import write_export  # noqa: PLC0415 - core I/O

    config = register.config
    board = config.get("board") or {}
    marking = None if (spec.plain or spec.publication) else config.get("protective_marking", "OFFICIAL-SENSITIVE")
    name, email, who = recipient_contact(register, reference, agency=agency, to=to, person=person, password=password)
    shown_reference = reference if reference and not spec.plain else None
    subject = " ".join(p for p in (f"[{marking}]" if marking else "", f"{shown_reference}:" if shown_reference else "",
                                   spec.title) if p)
    body = draft_body(board=board, marking=marking, title=spec.title, reference=reference, to_name=name,
                      protected=rendered.protected, plain=spec.plain)
    data = format_email_draft(attachment=Path(rendered.path).read_bytes(), filename=Path(rendered.path).name,
                              subject=subject, body=body, to=(name, email),
                              sender=(board.get("name"), board.get("email")), date=today)
    path = write_export(Path(rendered.path).with_suffix(".eml"), data)
    to_address = email if _address(name, email) is not None else None
    if email and to_address is None:
        who = f"the register's address for them, {_header(email)!r}, is not an e-mail address"
    return EmailDraft(path=path, to_name=name, to_address=to_address, subject=_header(subject), missing=who)
