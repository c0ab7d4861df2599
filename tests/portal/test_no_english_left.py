"""Every public page and every back-office page, rendered in French and in Spanish, carries no English
interface string: no text of the page (or label, title, placeholder, alt text) is one of the catalogue's
English messages whose translation differs.

What is left out, and why:
- text inside an element marked with another language (`lang="en"`): content shown in its
  original language, marked as the fallback it is (README, "Languages");
- <script>, <style>, <option> of the directories' record lists and the admin's foreign-key
  selects: content (names of processes, countries, themes), not interface;
- messages that are the same word in the language (msgstr == msgid: "Total", "Document"…);
- names of records (processes, countries, themes…) that the catalogue also holds (a citation
  names a process's website by the process's name): content where they appear in a page;
- ALLOWED below, each with its reason.
"""

import html.parser
import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from core.catalogues import catalogue_path, read_po
from exchange.models import Dispatch
from meetings.models import Document, Meeting
from rcps.models import Process
from recommendations.models import Recommendation

pytestmark = pytest.mark.usefixtures("loaded")

# Interface words that are also the names of records in the real data (content, in English).
ALLOWED = {
    # Theme and kind names recorded in the data by their English source (reference data is not translated).
    "Other",
    # A practice's scope ("Global", translated in context) is also the first word of English record
    # names on the directories: the Global Forum on Migration and Development, the Global Commission.
    "Global",
}
PLACEHOLDER = re.compile(r"%(\(\w+\))?[sd]|\{\{|\{")


def english_messages(language):
    """The catalogue's English messages that read differently in `language` (plain text, no placeholders)."""
    messages = set()
    for message in read_po(catalogue_path(language)):
        if message.msgid_plural or PLACEHOLDER.search(message.msgid) or "<" in message.msgid:
            continue
        if message.msgstr and message.msgstr != message.msgid and len(message.msgid) > 2:
            messages.add(message.msgid.strip())
    return messages - ALLOWED - content_names()


def content_names():
    """Names of records (processes, countries, regions, themes, organizations): content, kept in English
    where no translation is recorded, even when the catalogue also has them (a citation's site name)."""
    from rcps.models import Process
    from reference.models import AddresseeGroup, Country, Organization, Region, Theme

    names = set()
    for model in (Process, Country, Region, Theme, Organization, AddresseeGroup):
        names.update(model.objects.values_list("name", flat=True))
    names.update(Process.objects.exclude(acronym="").values_list("acronym", flat=True))
    return names


class Texts(html.parser.HTMLParser):
    """The page's text nodes and readable attributes, outside elements in another language."""

    SKIPPED = {"script", "style", "option", "textarea"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, language):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack = []  # (tag, in another language or skipped)
        self.texts = []

    def hidden(self):
        return any(flag for _tag, flag in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        other = "lang" in attrs and attrs["lang"] and not attrs["lang"].startswith(self.language)
        if not (self.hidden() or other):
            for name in ("title", "aria-label", "placeholder", "alt"):
                if attrs.get(name):
                    self.texts.append(attrs[name].strip())
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.texts.append(attrs["value"].strip())
        if tag not in self.VOID:
            self.stack.append((tag, bool(other) or tag in self.SKIPPED))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.hidden():
            self.texts.append(text)


def english_left(content, language, messages):
    parser = Texts(language)
    parser.feed(content)
    found = set()
    for text in parser.texts:
        for candidate in (text, text.rstrip(":").strip(), text.rstrip(".").strip()):
            if candidate in messages:
                found.add(candidate)
    return found


def public_urls():
    with translation.override("en"):  # unprefixed: each test adds its language's prefix
        return _public_urls()


def _public_urls():
    process = Process.objects.public().get(slug="colombo-process")
    return [
        "/",
        "/processes/",
        process.get_absolute_url(),
        "/meetings/",
        Meeting.objects.public().filter(documents__isnull=False).first().get_absolute_url(),
        "/documents/",
        Document.objects.public().first().get_absolute_url(),
        "/recommendations/",
        Recommendation.objects.public().filter(follow_ups__isnull=False).first().get_absolute_url(),
        "/focal-points/",
        "/countries/",
        "/countries/lk/",
        "/overlap/",
        "/exchange/",
        Dispatch.objects.public().first().get_absolute_url(),
        "/exchange/subscribe/",
        "/search/?q=migration",
    ]


@pytest.mark.parametrize("language", ["fr", "es"])
def test_no_public_page_shows_an_english_interface_string(client, language):
    messages = english_messages(language)
    failures = {}
    for url in public_urls():
        response = client.get(f"/{language}{url}")
        assert response.status_code == 200, url
        found = english_left(response.content.decode(), language, messages)
        if found:
            failures[url] = sorted(found)
    assert failures == {}


def admin_urls():
    urls = [reverse("admin:index"), reverse("admin:notification_preferences"), reverse("admin:password_change")]
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        if model._meta.app_label == "axes":
            continue
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        first = model.objects.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
        if hasattr(model_admin, "import_action"):
            urls.append(reverse("admin:{}_{}_import".format(*info)))
    return urls


@pytest.mark.parametrize("language", ["fr", "es"])
def test_no_back_office_page_shows_an_english_interface_string(client, superuser, language):
    client.force_login(superuser)
    client.cookies["portal_language"] = language
    messages = english_messages(language)
    failures = {}
    for url in admin_urls():
        response = client.get(url)
        if response.status_code != 200:
            continue  # pages a model does not offer (no add page for read-only records)
        found = english_left(response.content.decode(), language, messages)
        if found:
            failures[url] = sorted(found)
    assert failures == {}


def test_a_colombo_process_secretariat_works_through_the_admin_in_spanish(client, roles):
    from tests.conftest import make_staff

    user = make_staff("colombo-es", "RCP secretariat", [Process.objects.get(slug="colombo-process")])
    client.force_login(user)
    client.cookies["portal_language"] = "es"
    messages = english_messages("es")
    urls = [
        reverse("admin:index"),
        reverse("admin:meetings_meeting_changelist"),
        reverse("admin:meetings_meeting_add"),
        reverse("admin:meetings_document_changelist"),
        reverse("admin:meetings_document_add"),
        reverse("admin:recommendations_followup_changelist"),
        reverse("admin:recommendations_followup_add"),
        reverse("admin:exchange_dispatch_changelist"),
        reverse("admin:exchange_dispatch_add"),
        reverse("admin:meetings_meeting_import"),
    ]
    failures = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="es"' in response.content.decode()
        found = english_left(response.content.decode(), "es", messages)
        if found:
            failures[url] = sorted(found)
    assert failures == {}


def test_the_check_finds_an_english_label_and_ignores_marked_content():
    messages = {"Search the portal", "Meetings"}
    page = (
        '<html lang="fr"><body><label>Search the portal</label>'
        '<h1><span lang="en">Meetings</span></h1><script>var x = "Meetings";</script></body></html>'
    )
    assert english_left(page, "fr", messages) == {"Search the portal"}
