"""Read the portal's gettext catalogues (locale/<lang>/LC_MESSAGES/django.po) without gettext tools.

Used by the tests that keep the catalogues whole (every message translated, none fuzzy, the
committed .mo in step with its .po) and by the check that pages carry no English interface text.
"""

import ast
import dataclasses
from pathlib import Path

from django.conf import settings


@dataclasses.dataclass
class Message:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict = dataclasses.field(default_factory=dict)
    flags: tuple = ()

    @property
    def fuzzy(self):
        return "fuzzy" in self.flags

    @property
    def translated(self):
        if self.msgid_plural:
            return bool(self.msgstr_plural) and all(self.msgstr_plural.values())
        return bool(self.msgstr)


def catalogue_path(language, domain="django"):
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / f"{domain}.po"


def read_po(path):
    """The messages of a .po file (the header entry and obsolete `#~` entries left out)."""
    messages, current, key, flags = [], {}, None, ()

    def finish():
        nonlocal current, key, flags
        if "msgid" in current and current["msgid"] != "":
            plural = {int(k[7:-1]): v for k, v in current.items() if k.startswith("msgstr[")}
            messages.append(
                Message(
                    msgid=current["msgid"],
                    msgctxt=current.get("msgctxt"),
                    msgid_plural=current.get("msgid_plural"),
                    msgstr=current.get("msgstr", ""),
                    msgstr_plural=plural,
                    flags=flags,
                )
            )
        current, key, flags = {}, None, ()

    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            if "msgid" in current:
                finish()
            flags = tuple(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, _space, value = line.partition(" ")
            if key == "msgctxt" and "msgid" in current:
                finish()
                key = "msgctxt"
            current[key] = ast.literal_eval(value)
    finish()
    return messages
