"""Personal API keys: made once, stored only as a SHA-256 hash, sent as ``Authorization: Bearer <key>``."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from torsion.web.accounts.models import ApiToken, User

KEY_PREFIX = "tsn_"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new key for ``user``; returns the stored token and the key, which is never stored."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:10], key_hash=_hash(key))
    return token, key


def user_for_key(key: str) -> User | None:
    """The active user a key belongs to, or None for an unknown, revoked or malformed key."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
