"""The situation room: web app and JSON API over a sitroom store (``sitroom serve``)."""

from .app import create_app
from .server import serve

__all__ = ["create_app", "serve"]
