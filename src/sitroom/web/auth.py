"""Who may write: a bearer token from ``SITROOM_TOKEN`` or a token file beside the store.

Reads are open when the server listens on a loopback address only. Listening anywhere else
needs a token the operator chose (``SITROOM_TOKEN`` or an existing token file): the server
refuses to start otherwise, so a store is never served to a network without one.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
from pathlib import Path

from ..errors import SitroomError

TOKEN_ENV = "SITROOM_TOKEN"


class NoTokenError(SitroomError):
    """Binding to a non-loopback address without a token."""


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve anywhere


def token_file(db: str | Path) -> Path:
    return Path(f"{db}.token")


def resolve_token(db: str | Path, host: str, env: dict[str, str] | None = None) -> tuple[str, str]:
    """The write token and where it came from ("env", "file" or "new file")."""
    env = os.environ if env is None else env
    value = (env.get(TOKEN_ENV) or "").strip()
    if value:
        return value, "env"
    path = token_file(db)
    if path.exists():
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value, "file"
    if not is_loopback(host):
        raise NoTokenError(
            f"refusing to serve on {host} without a token: set {TOKEN_ENV} (or create {path}); "
            "reads and writes will then need 'Authorization: Bearer <token>'"
        )
    value = secrets.token_urlsafe(32)
    # Created readable by the owner only: the token is a password.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value + "\n")
    return value, "new file"


def check_bearer(header: str | None, token: str | None) -> bool:
    if not token or not header:
        return False
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())
