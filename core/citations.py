"""How a record's sources read on a page: sites by name, uncertain fields as sentences.

A record's `sources` is a list of citations, each either a document record of the portal
(`{"document": 12, "quote": "…"}`) or a web page (`{"ref": "https://…", "note": "…"}`), with
the fields it `supports`. Pages never show file names or field names: this module turns web
addresses into their site's name and field names into words.
"""

from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

# Sites cited often, by the name a reader knows them by; any other site shows its address's host.
SITE_NAMES = {
    "iom.int": "IOM",
    "gfmd.org": "GFMD",
    "un.org": _("United Nations"),
    "unescap.org": "ESCAP",
    "icmpd.org": "ICMPD",
    "pragueprocess.eu": _("Prague Process"),
    "rabat-process.org": _("Rabat Process"),
    "khartoumprocess.net": _("Khartoum Process"),
    "baliprocess.net": _("Bali Process"),
    "abudhabidialogue.org": _("Abu Dhabi Dialogue"),
    "colomboprocess.org": _("Colombo Process"),
    "csmigraciones.org": _("South American Conference on Migration"),
    "apcprocess.net": "APC",
    "pidcsec.org": "PIDC",
    "europa.eu": _("European Union"),
    "gub.uy": _("Government of Uruguay"),
}

# What each field a source may leave uncertain is, in words: "The list of observer States is uncertain."
FIELD_PHRASES = {
    "member_states": _("The list of member States"),
    "observer_states": _("The list of observer States"),
    "observer_organizations": _("The list of observer organizations"),
    "member_organizations": _("The list of member organizations"),
    "named_participants_partial": _("The list of participants"),
    "counts": _("The number of members"),
    "year_established": _("The year of establishment"),
    "established_note": _("The account of its establishment"),
    "thematic_priorities": _("The list of its themes"),
    "secretariat": _("Who runs its secretariat"),
    "chair_note": _("The account of its chairs"),
    "member_states_note": _("The note on its members"),
    "participants_note": _("The account of who took part"),
    "outcome_documents": _("The list of its outcome documents"),
    "title": _("The title"),
    "session_code": _("The session number"),
    "city": _("The city"),
    "country": _("The country"),
    "year": _("The year"),
    "month": _("The month"),
    "date": _("The date"),
    "date_start": _("The date"),
    "date_text": _("The date"),
    "start_year": _("The first year"),
    "end_year": _("The last year"),
    "since_year": _("The year it began"),
    "theme": _("The theme"),
    "author": _("The author or issuer"),
    "reference": _("The reference"),
    "description": _("The summary"),
    "meeting": _("The meeting it belongs to"),
    "chapter": _("The chapter"),
    "summary": _("The summary"),
    "status": _("Whether it took place"),
    "sender_note": _("Who sent it"),
    "related_meeting_ids": _("Which meetings it concerns"),
    "proposed_value": _("The correction"),
    "process_id": _("The process"),
    "rcp_related_sessions": _("The list of its sessions on RCPs"),
}
CONFIDENCE_SENTENCES = {
    "medium": _("This record rests in part on a secondary source, an inference or a partial list."),
    "low": _("Sources differ on this record or do not confirm it."),
}


def site_name(url):
    """The name of the site a web address belongs to: 'IOM' for www.iom.int/…, else its host."""
    host = urlsplit(url).hostname or url
    host = host.removeprefix("www.")
    for domain, name in SITE_NAMES.items():
        if host == domain or host.endswith("." + domain):
            return str(name)
    return host


def uncertainty_sentences(record):
    """Sentences saying what of a record is uncertain, one per field, then its overall confidence."""
    sentences = []
    for field in getattr(record, "low_confidence_fields", None) or []:
        what = FIELD_PHRASES.get(field)
        sentence = (
            _("%(what)s is uncertain: sources differ or do not confirm it.") % {"what": what}
            if what
            else _("Part of this record is uncertain: sources differ or do not confirm it.")
        )
        if sentence not in sentences:
            sentences.append(sentence)
    overall = CONFIDENCE_SENTENCES.get(getattr(record, "confidence", ""))
    if overall:
        sentences.append(overall)
    return sentences
