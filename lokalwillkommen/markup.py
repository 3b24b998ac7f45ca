"""Escaping for the markup the portal writes in Python rather than by template nodes (office
and offer cards, staff list rows, the report's figures): one definition, so that every such
module escapes alike."""

from __future__ import annotations

from html import escape


def escaped(value) -> str:
    """``value`` as text, safe in element content and in quoted attributes (``& < > " '``)."""
    return escape(str(value), quote=True)
