"""Template helpers for the portal's languages (built in: every template has them).

`{{ meeting|translated:"title" }}`: the active language's version, or the original wrapped in
`<span lang="en">` (so screen readers and browsers know) when the translation is missing.
`{{ meeting|translated_text:"title" }}`: the same as plain text (for attributes, truncation).
`{% language_versions as versions %}`: this page in each language (switcher, hreflang).
"""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language

from core.dates import date_range as _date_range
from core.languages import NATIVE_NAMES, path_in_language, split_language, translated

register = template.Library()


@register.filter
def translated_text(obj, field):
    return str(translated(obj, field)) if obj is not None else ""


@register.filter(name="translated")
def translated_markup(obj, field):
    if obj is None:
        return ""
    value = translated(obj, field)
    if value.fallback:
        return format_html('<span lang="{}">{}</span>', value.language, value.text)
    return value.text


@register.filter
def fallback_language(obj, field):
    """The original's language code when `field` is shown untranslated, else ''."""
    value = translated(obj, field)
    return value.language if value.fallback else ""


@register.simple_tag(takes_context=True)
def language_versions(context):
    """This page in each language: code, name in itself, page address, switch link, current?"""
    request = context.get("request")
    if request is None:
        return []
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    full_path = request.get_full_path()
    versions = []
    for code, _name in settings.LANGUAGES:
        page = path_in_language(request.path, code)
        target = path_in_language(full_path, code)
        versions.append(
            {
                "code": code,
                "native": NATIVE_NAMES[code],
                "path": page,
                "url": f"{request.scheme}://{request.get_host()}{page}",
                "switch": reverse("switch_language", args=[code]) + "?" + urlencode({"next": target}),
                "current": code == current,
            }
        )
    return versions


@register.simple_tag(takes_context=True)
def default_language_url(context):
    request = context["request"]
    _language, bare = split_language(request.path)
    return f"{request.scheme}://{request.get_host()}{bare}"


@register.simple_tag
def date_range(start, end=None, precision="day"):
    return _date_range(start, end, precision)


@register.inclusion_tag("includes/_translation_note.html")
def translation_note(obj):
    """A visible note when this record is shown (in part) in its original language."""
    from core.languages import LANGUAGE_NAMES, original_language

    missing = obj is not None and hasattr(obj, "missing_translation") and obj.missing_translation()
    language = original_language(obj) if missing else ""
    name = str(LANGUAGE_NAMES.get(language, language))
    if missing and getattr(obj, "language", None) == language and hasattr(obj, "get_language_display"):
        name = str(obj.get_language_display())  # a document in Arabic, Russian…
    if (get_language() or "en").split("-")[0] != "en":
        name = name.lower()  # "(original in English)" but "(original en anglais)", "(original en inglés)"
    return {"missing": missing, "language": language, "language_name": name}


@register.simple_tag
def translated_block(obj, field, linebreaks=True):
    """A text field in the active language, as paragraphs-with-line-breaks, marked when it is the original."""
    from django.template.defaultfilters import linebreaksbr

    value = translated(obj, field)
    text = linebreaksbr(value.text, autoescape=True) if linebreaks else value.text
    if value.fallback:
        return format_html('<span lang="{}">{}</span>', value.language, text)
    return text
