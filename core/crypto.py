"""Personal data at rest (Law 91/2025 on personal data protection, Decree 356/2025): encryption and blind
indexes. The model fields that use these are in ``core.fields``.

- ``encrypt`` / ``decrypt``: Fernet (AES-128-CBC with HMAC-SHA256, random IV, timestamped) with the keys of
  ``settings.FIELD_ENCRYPTION_KEYS``: the first key encrypts, every key decrypts, so a key is rotated by
  putting a new one first and re-encrypting (``manage.py encryption_rotate``) before the old one is removed.
- ``blind_index``: HMAC-SHA256 of a normalised value under ``settings.BLIND_INDEX_KEY`` (a different key),
  so that equality (a unique constraint, a lookup) works on a column that reveals nothing without the key.
- ``seal`` / ``unseal``: AES-256-GCM under a key derived (HKDF-SHA256) from the first key of
  ``FIELD_ENCRYPTION_KEYS`` and a random salt kept elsewhere, with no timestamp in the result (unlike
  Fernet); once the salt is destroyed, no copy of what was sealed opens, even with the application's keys.
  The sealed ballot box of a council session uses them (``councils.services``).

This module imports nothing of Django's at load time but ``django.conf``, so that the settings can use
``derived_key`` for development and tests.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class DecryptionError(Exception):
    """A stored value that none of the configured keys opens (a key removed too early, or a wrong key).
    The message never contains the value."""


def derived_key(secret: str, purpose: str) -> str:
    """A Fernet-format key (url-safe base64 of 32 bytes) derived from ``secret`` for one purpose.
    Development and tests only: production sets its own keys, independent of SECRET_KEY."""
    digest = hashlib.sha256(f"nghenhan:{purpose}:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")


def new_key() -> str:
    """A fresh random key for FIELD_ENCRYPTION_KEYS or BLIND_INDEX_KEY."""
    return Fernet.generate_key().decode("ascii")


def is_valid_key(key: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return False


@functools.lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise DecryptionError("FIELD_ENCRYPTION_KEYS is empty")
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    """The Fernet token (ASCII) of ``text`` under the first key."""
    return _current().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError, ValueError):
        raise DecryptionError(
            "a stored value could not be decrypted with any key of FIELD_ENCRYPTION_KEYS"
        ) from None


def reencrypt(token: str) -> str:
    """The same value under the first key (``MultiFernet.rotate``), for key rotation."""
    try:
        return _current().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, ValueError):
        raise DecryptionError(
            "a stored value could not be decrypted with any key of FIELD_ENCRYPTION_KEYS"
        ) from None


def is_encrypted_with_first_key(token: str) -> bool:
    first = Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode("ascii"))
    try:
        first.decrypt(token.encode("ascii"))
    except (InvalidToken, ValueError):
        return False
    return True


def blind_index(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 (hex) of ``value`` for ``purpose`` (e.g. "artisan.cccd"), under BLIND_INDEX_KEY. The
    purpose is part of the message, so the same number gives different indexes in different columns."""
    key = settings.BLIND_INDEX_KEY.encode("utf-8")
    return hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


NONCE_BYTES = 12


def _sealing_key(key: str, salt: bytes, context: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"nghenhan:sealed:" + context).derive(
        base64.urlsafe_b64decode(key.encode("ascii"))
    )


def seal(plaintext: bytes, *, salt: bytes, context: bytes) -> bytes:
    """``plaintext`` encrypted (AES-256-GCM, random nonce) under the key derived from the first key of
    FIELD_ENCRYPTION_KEYS, ``salt`` and ``context``; ``context`` is also authenticated, so a sealed value
    does not open in another context. The result is as long as the plaintext plus 28 bytes, and carries no
    time. Fixed-length plaintexts give fixed-length results."""
    if not settings.FIELD_ENCRYPTION_KEYS:
        raise DecryptionError("FIELD_ENCRYPTION_KEYS is empty")
    nonce = os.urandom(NONCE_BYTES)
    key = _sealing_key(settings.FIELD_ENCRYPTION_KEYS[0], salt, context)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, context)


def unseal(sealed: bytes, *, salt: bytes, context: bytes) -> bytes:
    """The plaintext of ``seal``, trying every key of FIELD_ENCRYPTION_KEYS (a key rotated while values were
    sealed still opens them as long as it is listed)."""
    sealed = bytes(sealed)
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    for key in settings.FIELD_ENCRYPTION_KEYS:
        try:
            return AESGCM(_sealing_key(key, salt, context)).decrypt(nonce, body, context)
        except (InvalidTag, ValueError):
            continue
    raise DecryptionError(
        "a sealed value could not be opened with this salt and any key of FIELD_ENCRYPTION_KEYS"
    )


def rotate_all(*, batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt every encrypted column of every model under the first key of FIELD_ENCRYPTION_KEYS, and
    recompute every blind index under the current BLIND_INDEX_KEY (so either key can be rotated). Row by
    row with QuerySet.update (no save(), no signals), one transaction per model. Returns rows per model."""
    from django.apps import apps
    from django.db import transaction

    from .fields import BlindIndexField, EncryptedJSONField, EncryptedTextField

    done = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = model._meta.concrete_fields
        encrypted = [f for f in fields if isinstance(f, EncryptedTextField | EncryptedJSONField)]
        indexes = [f for f in fields if isinstance(f, BlindIndexField)]
        if not encrypted and not indexes:
            continue
        sources = {f.source for f in indexes} | {f.name for f in encrypted}
        manager = model._base_manager
        count = 0
        with transaction.atomic():
            for row in manager.values("pk", *sorted(sources)).iterator(chunk_size=batch_size):
                changes = {f.name: row[f.name] for f in encrypted}
                changes.update({f.name: f.index_of(row[f.source]) for f in indexes})
                manager.filter(pk=row["pk"]).update(**changes)
                count += 1
        done[model._meta.label] = count
    return done
