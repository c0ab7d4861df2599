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
