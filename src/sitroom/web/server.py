"""``sitroom serve``: run the web app with uvicorn, deciding who may read and write first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .auth import is_loopback, resolve_token, token_file

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8000,
          say: Callable[[str], None] = print) -> None:
    """Serve the store at ``db``. Refuses a non-loopback ``host`` without a token (``NoTokenError``)."""
    import uvicorn

    from .app import create_app

    loopback = is_loopback(host)
    token, origin = resolve_token(db, host)
    if origin == "new file":
        say(f"write token created in {token_file(db)} (send it as 'Authorization: Bearer <token>')")
    elif origin == "file":
        say(f"write token read from {token_file(db)}")
    else:
        say("write token taken from SITROOM_TOKEN")
    # On loopback, only loopback Host names are served: a web page elsewhere cannot rebind a
    # name of its own to 127.0.0.1 and read the store.
    allowed = LOOPBACK_NAMES | {host.lower()} if loopback else None
    app = create_app(db, token=token, reads_open=loopback, allowed_hosts=allowed)
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    say(f"serving {db} at http://{shown}:{port}/  (Ctrl+C stops)")
    if not loopback:
        say("not on loopback: reads need the token too")
    uvicorn.run(app, host=host.strip("[]"), port=port, log_level="warning", server_header=False)
