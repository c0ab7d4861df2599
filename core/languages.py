"""The portal's languages: URLs per language, the remembered choice, content translations.

Public pages live under `i18n_patterns(prefix_default_language=False)`: English unprefixed,
French under /fr/ and Spanish under /es/ (paths are not translated). The back office and the API
have no prefix: they speak the language remembered in the language cookie (set by the switcher,
and by every login from the user's stored preference), else the browser's.

Content (names, titles, descriptions, texts) keeps its original in the unsuffixed column and may
carry `<field>_fr` / `<field>_es` columns on the same table (`translation_field`): no join, no
prefetch, so a page's query count does not change. `translated(obj, "title")` picks the active
language's version and says when it fell back to the original, so templates can mark it.
"""

import dataclasses
import re

from django.conf import settings
from django.db import models
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

CONTENT_LANGUAGES = ("fr", "es")
LANGUAGE_NAMES = {"en": _("English"), "fr": _("French"), "es": _("Spanish")}
# Each language named in itself, for the switcher (a reader of French finds "Français").
NATIVE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}
_PREFIX = re.compile(r"^/(fr|es)(/|$)")
# Paths outside the language prefixes (no twin in another language).
UNPREFIXED = ("/admin/", "/api/", "/members/", "/static/", "/media/", "/sitemap.xml", "/language/")


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def split_language(path):
    """('fr', '/processes/') for '/fr/processes/'; ('en', path) for an unprefixed path."""
    match = _PREFIX.match(path)
    if not match:
        return settings.LANGUAGE_CODE, path
    return match.group(1), "/" + path[match.end() :]


def path_in_language(path, language):
    """The same page in `language`: '/processes/x/' → '/fr/processes/x/' (admin and API unchanged)."""
    _current, bare = split_language(path)
    if bare.startswith(UNPREFIXED) or language == settings.LANGUAGE_CODE:
        return bare
    return f"/{language}{bare}"


def is_public_path(path):
    _language, bare = split_language(path)
    return not bare.startswith(UNPREFIXED)


# Middleware ---------------------------------------------------------------------------------


class PreferredLanguageRedirectMiddleware:
    """An English (unprefixed) public page asked for by a browser preferring French or Spanish,
    with no language chosen yet (no cookie), answers with a redirect to its /fr/ or /es/ twin.

    Choosing English in the switcher sets the cookie, so the English page then stays English.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and self._should_redirect(request):
            language = translation.get_language_from_request(request)
            if language != settings.LANGUAGE_CODE:
                response = HttpResponseRedirect(path_in_language(request.get_full_path(), language))
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                return response
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and is_public_path(request.path) and not _PREFIX.match(request.path):
            patch_vary_headers(response, ("Accept-Language",))
        return response

    @staticmethod
    def _should_redirect(request):
        return (
            settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and "HTTP_ACCEPT_LANGUAGE" in request.META
            and not _PREFIX.match(request.path)
            and is_public_path(request.path)
        )


class UnprefixedLanguageMiddleware:
    """The back office and the API speak the remembered language; a login restores the user's.

    LocaleMiddleware gives every unprefixed path the default language (English public pages);
    paths outside the public pages take the cookie, else the browser's Accept-Language.
    `remember_language(request, code)` asks for the cookie to be set on this response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_path(request.path):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        remembered = getattr(request, "_remember_language", None)
        if remembered:
            set_language_cookie(response, remembered)
        return response


def remember_language(request, language):
    """Set the language cookie on this request's response (e.g. from the user's preference at login)."""
    request._remember_language = language


def set_language_cookie(response, language):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


# Content translations -----------------------------------------------------------------------


def translation_field(original, language):
    """A `<field>_<language>` column like `original`, optional ("title (French)")."""
    name, path, args, kwargs = original.deconstruct()
    for key in ("db_index", "unique", "null", "default", "verbose_name", "help_text"):
        kwargs.pop(key, None)
    kwargs.update(
        blank=True, default="", verbose_name=format_lazy("{} ({})", original.verbose_name, LANGUAGE_NAMES[language])
    )
    return type(original)(*args, **kwargs)


def original_language(obj):
    """The language a record's original text is written in: English unless the record says otherwise."""
    declared = getattr(obj, "content_language", None)
    return declared or settings.LANGUAGE_CODE


@dataclasses.dataclass(frozen=True)
class TranslatedText:
    text: str
    language: str
    fallback: bool  # the active language's version is missing: this is the original

    def __str__(self):
        return self.text


def translated(obj, field, language=None):
    """The value of `field` in the active language, or the original (marked as a fallback)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    language = language.split("-")[0]
    original = getattr(obj, field) or ""
    source = original_language(obj)
    if language in CONTENT_LANGUAGES and language != source:
        version = getattr(obj, f"{field}_{language}", "")
        if version:
            return TranslatedText(version, language, False)
        return TranslatedText(original, source, bool(original))
    return TranslatedText(original, source, False)


def translated_text(obj, field):
    return str(translated(obj, field))


class TranslatedFieldsMixin(models.Model):
    """Helpers for a model with `<field>_fr` / `<field>_es` columns (abstract)."""

    TRANSLATED_FIELDS = ()

    class Meta:
        abstract = True

    def translation_fields(self):
        return [f"{field}_{language}" for field in self.TRANSLATED_FIELDS for language in CONTENT_LANGUAGES]

    def missing_translation(self):
        """True when the active language is neither the original nor translated (the page falls back)."""
        return any(translated(self, field).fallback for field in self.TRANSLATED_FIELDS)
