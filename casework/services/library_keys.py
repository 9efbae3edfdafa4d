"""The library exchange's signatures: this deployment's Ed25519 key pair, canonical JSON, and
the partners' public keys an import is checked against (docs/LIBRARY.md, "Signature").

The private key lives in a file (``LIBRARY_SIGNING_KEY_FILE``), not in the database: database
dumps travel (backups, a copy restored for testing, a support request) and a key inside them
would travel too. The file is created on first use with mode 0600, readable by the server's
user only; nothing here ever prints, returns or exports it. Only the public half leaves.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import Conflict, Invalid
from casework.models import PartnerKey, PartnerOrganisation

ALGORITHM = "ed25519"


def canonical_json(document: Any) -> bytes:
    """Keys sorted, no insignificant whitespace, UTF-8: the bytes a signature covers."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def key_id(raw_public_key: bytes) -> str:
    """The first 16 hex digits of the SHA-256 of the raw 32-byte key: either side computes it."""
    return hashlib.sha256(raw_public_key).hexdigest()[:16]


def _raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _key_path() -> Path:
    return Path(settings.LIBRARY_SIGNING_KEY_FILE)


def _new_key_file(path: Path) -> Path:
    """A fresh key, written whole to a private temporary file beside ``path`` (mode 0600)."""
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=".library-key-")  # mode 0600
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return Path(name)


def _write_new_key(path: Path) -> None:
    """Put a key where none is. The file appears whole or not at all (a hard link of a complete
    file), and of two processes starting at once exactly one wins: the other finds the file
    and reads the winner's key, never half of one."""
    temporary = _new_key_file(path)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


def _private_key() -> Ed25519PrivateKey:
    path = _key_path()
    if not path.exists():
        _write_new_key(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key.")
    return key


def own_public_key() -> tuple[str, str]:
    """(key id, base64 of the raw public key): what a partner registers."""
    raw = _raw(_private_key().public_key())
    return key_id(raw), base64.b64encode(raw).decode("ascii")


def own_key_rotate() -> tuple[str, str]:
    """A new key pair replaces the old one. The old private key is deleted, not archived:
    exports are signed when they are made, so nothing ever needs it again, and files already
    signed stay verifiable for as long as partners keep the old public key registered."""
    path = _key_path()
    os.replace(_new_key_file(path), path)  # atomic: a signer reads the old key or the new one
    return own_public_key()


def document_sign(document: dict[str, Any]) -> dict[str, Any]:
    """The document with its ``signature`` over the canonical JSON of everything else."""
    body = {k: v for k, v in document.items() if k != "signature"}
    key = _private_key()
    return {
        **body,
        "signature": {
            "key_id": key_id(_raw(key.public_key())),
            "algorithm": ALGORITHM,
            "value": base64.b64encode(key.sign(canonical_json(body))).decode("ascii"),
        },
    }


# -- partners' keys ------------------------------------------------------------------------


def parse_public_key(text: str) -> bytes:
    """The raw 32 bytes of a base64 Ed25519 public key, or Invalid naming ``public_key``."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        raise Invalid(
            {"public_key": _("Expected the base64 of a raw 32-byte Ed25519 public key.")}
        ) from None
    return raw


@transaction.atomic
def partner_key_add(*, partner: PartnerOrganisation, public_key: str) -> PartnerKey:
    """Register one more public key for a partner (kept alongside the older ones, so files the
    partner signed before rotating still verify until the old key is retired)."""
    raw = parse_public_key(public_key)
    ident = key_id(raw)
    existing = PartnerKey.objects.filter(key_id=ident).first()
    if existing is not None and existing.partner_id != partner.pk:
        raise Conflict(_("This key is already registered for another partner."))
    if existing is not None:
        return existing
    return PartnerKey.objects.create(
        partner=partner, key_id=ident, public_key=base64.b64encode(raw).decode("ascii")
    )


def partner_key_retire(*, partner: PartnerOrganisation, key_id: str) -> PartnerKey:
    key = PartnerKey.objects.filter(partner=partner, key_id=key_id, retired_at=None).first()
    if key is None:
        raise Invalid({"key_id": _("This partner has no active key with this id.")})
    PartnerKey.objects.filter(pk=key.pk).update(retired_at=timezone.now())
    key.refresh_from_db()
    return key


def _refused(message: str) -> Invalid:
    return Invalid({"signature": message})


def document_verify(document: Any, *, partner: PartnerOrganisation) -> None:
    """Before anything else of the document is read: it is signed, by one of this partner's
    active keys, and nothing changed since. Invalid naming ``signature`` otherwise."""
    if not isinstance(document, dict):
        raise Invalid({"document": _("Expected a JSON object.")})
    signature = document.get("signature")
    if signature is None:
        if document.get("schema_version") == 1:
            raise _refused(
                _("Version 1 documents are unsigned: ask the partner for a version 2 export.")
            )
        raise _refused(_("The document is unsigned."))
    if (
        not isinstance(signature, dict)
        or set(signature) != {"key_id", "algorithm", "value"}
        or not all(isinstance(v, str) for v in signature.values())
    ):
        raise _refused(_("Expected an object with key_id, algorithm and value."))
    if signature["algorithm"] != ALGORITHM:
        raise _refused(_("Only ed25519 signatures are accepted."))
    key = PartnerKey.objects.filter(key_id=signature["key_id"], retired_at=None).first()
    if key is None or key.partner_id != partner.pk:
        raise _refused(_("Signed by a key that is not this partner's."))
    try:
        value = base64.b64decode(signature["value"], validate=True)
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key.public_key))
        body = {k: v for k, v in document.items() if k != "signature"}
        public.verify(value, canonical_json(body))
    except (binascii.Error, ValueError, InvalidSignature):
        raise _refused(_("The document was altered after it was signed.")) from None
