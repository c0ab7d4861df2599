"""`{% sources record %}`: a record's citations, each seed or outcome document a link to its page.

Lives in portal (the app that gathers every app) because any record's sources may cite a
document of `meetings`, whichever app the record belongs to.
"""

from django import template

from core.citations import site_name, uncertainty_sentences
from meetings.models import Document

register = template.Library()


def cited_document_ids(records):
    return {source["document"] for record in records for source in (record.sources or []) if "document" in source}


def citations(record, documents):
    """The record's citations as dicts a template reads: a document, a web page, or a plain reference."""
    entries = []
    for source in record.sources or []:
        text = source.get("quote") or source.get("note") or ""
        if "document" in source:
            entries.append(
                {
                    "document": documents.get(source["document"]),
                    "quote": source.get("quote", ""),
                    "note": source.get("note", ""),
                }
            )
        elif str(source.get("ref", "")).startswith(("http://", "https://")):
            entries.append({"url": source["ref"], "site": site_name(source["ref"]), "note": text})
        elif source.get("ref"):
            entries.append(
                {"reference": source["ref"], "quote": source.get("quote", ""), "note": source.get("note", "")}
            )
    return entries


@register.inclusion_tag("includes/_sources.html")
def sources(record, heading=True):
    """The sources block of a record's page; cited documents are read in one query (public ones only)."""
    ids = cited_document_ids([record])
    documents = Document.objects.public().in_bulk(ids) if ids else {}
    return {
        "record": record,
        "citations": citations(record, documents),
        "uncertain": uncertainty_sentences(record),
        "notes": [line for line in (getattr(record, "notes", "") or "").splitlines() if line.strip()],
        "heading": heading,
    }
