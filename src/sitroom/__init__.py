"""sitroom: sourced, mapped, deduplicated records of what happened, from crisis and conflict news.

Library first: ``sitroom.analyze(Document(...))`` gives a ``Report``; the CLI and the web app are
thin shells over this API.
"""

from .model import Document, Report
from .pipeline import Failure, analyze, analyze_many
from .settings import Settings
from .store import Store

__all__ = ["Document", "Failure", "Report", "Settings", "Store", "analyze", "analyze_many"]
__version__ = "0.1.0"
