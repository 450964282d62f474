"""Bedside: evidence-based clinical question answering, grounded in a knowledge base."""

from bedside.config import Settings, load_settings
from bedside.domain import Document, DocumentKind, Passage

__all__ = ["Document", "DocumentKind", "Passage", "Settings", "load_settings"]
__version__ = "0.1.0"
