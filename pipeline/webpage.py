"""Main text and metadata of an HTML page (part of ingest)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Webpage:
    text: str
    title: str = ""
    author: str = ""
    outlet: str = ""
    publish_date: str = ""  # YYYY-MM-DD or ""


def extract_webpage(html: str, url: str = "") -> Webpage:
    """Main text, title, author, outlet and date of a decoded HTML page."""
    import trafilatura

    text = trafilatura.extract(
        html, url=url or None, include_comments=False, include_tables=True, favor_recall=True
    )
    meta = trafilatura.extract_metadata(html, default_url=url or None)
    return Webpage(
        text=text or "",
        title=(meta.title if meta and meta.title else "") or "",
        author=(meta.author if meta and meta.author else "") or "",
        outlet=(meta.sitename if meta and meta.sitename else "") or "",
        publish_date=(meta.date if meta and meta.date else "") or "",
    )
