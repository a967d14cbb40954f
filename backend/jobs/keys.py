"""Job keys: the secret that controls a job, given once to its creator and stored only hashed."""

from __future__ import annotations

import hashlib
import hmac
import secrets

KEY_BYTES = 32  # 256 random bits, url-safe text of 43 characters


def new_key() -> tuple[str, str]:
    """A fresh key and the hash the store keeps of it."""
    key = secrets.token_urlsafe(KEY_BYTES)
    return key, key_hash(key)


def key_hash(key: str) -> str:
    """SHA-256 of the key, hex: a stolen database does not give the keys away."""
    return hashlib.sha256(key.encode()).hexdigest()


def controls(given: str | None, stored_hash: str | None, admin_key: str | None = None) -> bool:
    """Whether `given` is the job's key, or the operator's key; compared in constant time."""
    if not given:
        return False
    if admin_key and hmac.compare_digest(given.encode(), admin_key.encode()):
        return True
    return stored_hash is not None and hmac.compare_digest(key_hash(given), stored_hash)
