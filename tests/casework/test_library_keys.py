"""The library's signing key and the partners' keys: key ids, the commands, rotation, and the
private key staying on the server."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from casework.models import PartnerKey, PartnerOrganisation
from casework.services.library_format import SCHEMA_FILE, build_schema
from casework.services.library_keys import (
    canonical_json,
    document_sign,
    document_verify,
    own_public_key,
)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_it_computes_the_key_id_from_the_raw_public_key() -> None:
    ident, public = own_public_key()
    raw = base64.b64decode(public)
    assert len(raw) == 32
    assert ident == hashlib.sha256(raw).hexdigest()[:16]


def test_it_serialises_canonical_json() -> None:
    assert canonical_json({"b": [1, 2.5], "a": "ă"}) == '{"a":"ă","b":[1,2.5]}'.encode()


def test_it_keeps_the_private_key_in_a_file_only_the_server_reads(settings: Any) -> None:
    own_public_key()
    path = Path(settings.LIBRARY_SIGNING_KEY_FILE)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    shown = _run("library_key", "show")
    assert "PRIVATE" not in shown and path.read_text().strip().splitlines()[1] not in shown


def test_it_shows_the_key_id_and_public_key() -> None:
    ident, public = own_public_key()
    assert _run("library_key", "show").splitlines() == [
        f"key id: {ident}",
        f"public key: {public}",
    ]


def test_it_rotates_only_when_told_to(settings: Any, tmp_path: Path) -> None:
    settings.LIBRARY_SIGNING_KEY_FILE = tmp_path / "key.pem"
    before = own_public_key()
    _run("library_key", "rotate")
    assert own_public_key() == before
    assert f"key id: {before[0]}" not in _run("library_key", "rotate", "--yes")
    assert own_public_key() != before


@pytest.mark.django_db
def test_it_registers_a_partner_with_its_key_and_retires_it(settings: Any, tmp_path: Path) -> None:
    ident, public = own_public_key()
    document = document_sign({"schema_version": 2, "entries": []})
    _run("library_partner", "add", "evbb", "--name", "EVBB", "--country", "DE",
         "--public-key", public)  # fmt: skip
    partner = PartnerOrganisation.objects.get(code="evbb")
    assert list(partner.keys.values_list("key_id", flat=True)) == [ident]
    document_verify(document, partner=partner)
    assert f"key {ident}\tactive" in _run("library_partner", "list")
    _run("library_partner", "retire-key", "evbb", ident)
    assert PartnerKey.objects.get().retired_at is not None


@pytest.mark.django_db
def test_it_refuses_a_key_that_is_no_ed25519_key_or_already_anothers() -> None:
    with pytest.raises(CommandError, match="public_key"):
        _run("library_partner", "add", "evbb", "--name", "EVBB", "--public-key", "abc")
    assert not PartnerOrganisation.objects.exists()
    public = own_public_key()[1]
    _run("library_partner", "add", "evbb", "--name", "EVBB", "--public-key", public)
    with translation.override("en"), pytest.raises(CommandError, match="another partner"):
        _run("library_partner", "add", "dayana", "--name", "DAYANA", "--public-key", public)
    assert PartnerKey.objects.count() == 1


def test_it_ships_the_schema_the_code_describes() -> None:
    """After a vocabulary changes: manage.py library_schema > the shipped file."""
    shipped = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(build_schema()))
    assert shipped["properties"]["schema_version"] == {"const": 2}


def test_it_never_replaces_a_key_another_process_made_first(settings: Any, tmp_path: Path) -> None:
    """Two processes signing their first export at once: the second finds the first's key."""
    from casework.services.library_keys import _write_new_key

    settings.LIBRARY_SIGNING_KEY_FILE = tmp_path / "key.pem"
    first = own_public_key()
    _write_new_key(tmp_path / "key.pem")
    assert own_public_key() == first
    assert [p.name for p in tmp_path.iterdir()] == ["key.pem"]  # no temporary file left
