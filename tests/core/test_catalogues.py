"""The French and Spanish catalogues are whole, and the committed .mo files match their .po files.

The .mo files are committed so that `make run` and `make test` need no gettext on a fresh
machine; `make compilemessages` rebuilds them (README, "Languages").
"""

import gettext

import pytest

from core.catalogues import catalogue_path, read_po

LANGUAGES = ["fr", "es"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    messages = read_po(catalogue_path(language))
    assert len(messages) > 1000  # the whole interface, not an empty file
    untranslated = [m.msgid for m in messages if not m.translated]
    fuzzy = [m.msgid for m in messages if m.fuzzy]
    assert untranslated == [], f"{len(untranslated)} untranslated in {language}, e.g. {untranslated[:5]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language}, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_says_what_the_po_says(language):
    po = catalogue_path(language)
    with open(po.with_suffix(".mo"), "rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    stale = []
    for message in read_po(po):
        if not message.translated or message.fuzzy:
            continue
        if message.msgid_plural:
            got = [
                mo.npgettext(message.msgctxt, message.msgid, message.msgid_plural, n)
                if message.msgctxt
                else mo.ngettext(message.msgid, message.msgid_plural, n)
                for n in (1, 5)
            ]
            expected = [message.msgstr_plural[0], message.msgstr_plural[1]]
        else:
            got = mo.pgettext(message.msgctxt, message.msgid) if message.msgctxt else mo.gettext(message.msgid)
            expected = message.msgstr
        if got != expected:
            stale.append(message.msgid)
    assert stale == [], f"run `make compilemessages`: {len(stale)} messages differ, e.g. {stale[:3]}"


def test_the_reader_understands_contexts_plurals_and_continuation_lines(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "One %(n)s"\nmsgstr "Un %(n)s"\n\n'
        'msgctxt "month"\nmsgid "May"\nmsgstr "mai"\n\n'
        'msgid "a file"\nmsgid_plural "files"\nmsgstr[0] "un fichier"\nmsgstr[1] ""\n\n'
        'msgid ""\n"Long "\n"text"\nmsgstr "Texte "\n"long"\n',
        encoding="utf-8",
    )
    fuzzy, month, plural, long = read_po(po)
    assert fuzzy.fuzzy and fuzzy.msgstr == "Un %(n)s"
    assert (month.msgctxt, month.msgstr) == ("month", "mai")
    assert plural.msgid_plural == "files" and not plural.translated
    assert (long.msgid, long.msgstr) == ("Long text", "Texte long")
