"""Form fields that make the JSON columns of the data model editable by people who do not write JSON."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class JSONListField(forms.Field):
    """A list of short texts, edited one item per line in a text area.

    Stored as a JSON list of strings: blank lines are dropped and each line is trimmed.
    """

    widget = forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"})

    def __init__(self, *, encoder=None, decoder=None, **kwargs):
        # A model JSONField passes its encoder and decoder; plain lines of text need neither.
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if value is None:
            return ""
        if isinstance(value, str):
            # Bound data coming back to a re-displayed form is already the typed text.
            return value
        # The lists hold strings by design; anything else is shown as JSON rather than hidden.
        return "\n".join(item if isinstance(item, str) else json.dumps(item, ensure_ascii=False) for item in value)

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, list):
            return value
        return [line.strip() for line in str(value).splitlines() if line.strip()]

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        return self.to_python(initial if initial is not None else []) != self.to_python(data)


class PrettyJSONField(forms.JSONField):
    """A JSON list shown indented, one key per line, so structured citations can be read and corrected."""

    widget = forms.Textarea(attrs={"rows": 8, "class": "vLargeTextField", "spellcheck": "false"})
    default_error_messages = {"not_a_list": _("Enter a list in square brackets: [ … ].")}

    def to_python(self, value):
        if value in self.empty_values:
            return []
        value = super().to_python(value)
        if not isinstance(value, list):
            raise ValidationError(self.error_messages["not_a_list"], code="not_a_list")
        return value

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2, cls=self.encoder)


DOCUMENT_PREFIX = "document:"


class SourcesWidget(forms.Widget):
    """Citations as rows of three boxes — the citation, its address, what it supports — instead of raw JSON.

    Each row is one entry of the `sources` list: a quote from a document of the portal
    (address `document:<id>`) or a note on a web page or other reference (its address). Blank
    rows at the end take new citations; emptying a row removes it.
    """

    template_name = "core/widgets/sources.html"
    blank_rows = 2

    class Media:
        css = {"all": ["core/sources.css"]}

    def format_rows(self, value):
        rows = []
        for entry in value if isinstance(value, list) else []:
            entry = dict(entry) if isinstance(entry, dict) else {"note": str(entry)}
            if "document" in entry:
                address = f"{DOCUMENT_PREFIX}{entry.pop('document')}"
            else:
                address = str(entry.pop("ref", "") or "")
            kind = "quote" if "quote" in entry else "note"
            citation = str(entry.pop(kind, "") or "")
            entry.pop("note" if kind == "quote" else "quote", None)
            supports = entry.pop("supports", []) or []
            rows.append(
                {
                    "address": address,
                    "citation": citation,
                    "supports": ", ".join(map(str, supports)),
                    "kind": kind,
                    "extra": json.dumps(entry, ensure_ascii=False) if entry else "",
                }
            )
        return rows

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if isinstance(value, str):
            try:
                value = json.loads(value) if value.strip() else []
            except ValueError:
                value = []
        rows = value if _are_rows(value) else self.format_rows(value)
        blank = {"address": "", "citation": "", "supports": "", "kind": "", "extra": ""}
        context["rows"] = [{**row, "index": i} for i, row in enumerate([*rows, *([blank] * self.blank_rows)])]
        context["widget"]["total"] = len(context["rows"])
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates (not only the apps'), through the configured engine.
        from django.template.loader import render_to_string
        from django.utils.safestring import mark_safe

        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))

    def value_from_datadict(self, data, files, name):
        total = data.get(f"{name}-total")
        if total is None:
            return data.get(name)  # posted as JSON (an older form, a script): read as such
        rows = []
        for i in range(min(int(total) if str(total).isdigit() else 0, 500)):
            rows.append(
                {key: data.get(f"{name}-{i}-{key}", "") for key in ("address", "citation", "supports", "kind", "extra")}
            )
        return rows

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-total" not in data and name not in data


class SourcesField(forms.JSONField):
    """The `sources` list edited as rows (SourcesWidget); stored exactly as before."""

    widget = SourcesWidget
    default_error_messages = {
        "not_a_list": _("Enter a list in square brackets: [ … ]."),
        "no_address": _("Row %(row)s: give the web address or the document (document:<number>) it cites."),
        "bad_document": _("Row %(row)s: “%(value)s” is not a document number; write document:<number>."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, str):
            value = super().to_python(value)
            if not isinstance(value, list):
                raise ValidationError(self.error_messages["not_a_list"], code="not_a_list")
            return value
        entries, errors = [], []
        for number, row in enumerate(value, start=1):
            address, citation = row["address"].strip(), row["citation"].strip()
            supports = [item.strip() for item in row["supports"].split(",") if item.strip()]
            if not (address or citation or supports):
                continue  # a blank or emptied row
            if not address:
                errors.append(ValidationError(self.error_messages["no_address"] % {"row": number}, code="no_address"))
                continue
            try:
                entry = json.loads(row["extra"]) if row["extra"] else {}
            except ValueError:
                entry = {}
            if address.lower().startswith(DOCUMENT_PREFIX):
                raw = address[len(DOCUMENT_PREFIX) :].strip()
                if not raw.isdigit():
                    errors.append(
                        ValidationError(
                            self.error_messages["bad_document"] % {"row": number, "value": address}, code="bad_document"
                        )
                    )
                    continue
                entry["document"] = int(raw)
                kind = row["kind"] or "quote"
            else:
                entry["ref"] = address
                kind = row["kind"] or "note"
            if citation:
                entry[kind] = citation
            entry["supports"] = supports
            entries.append(entry)
        if errors:
            raise ValidationError(errors)
        return entries

    def prepare_value(self, value):
        # Rows posted back are shown as typed; stored entries travel as JSON (the widget reads either).
        if _are_rows(value) or isinstance(value, str):
            return value
        return json.dumps(value or [], ensure_ascii=False)

    def bound_data(self, data, initial):
        return data

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (initial or [])
        except ValidationError:
            return True


def _are_rows(value):
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict) and "citation" in value[0]
