"""The respondent's form: one field per question, of the question's type, validated before anything is saved."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.languages import translated
from meetings.models import Document, Meeting
from recommendations.models import Recommendation
from reference.models import Country

from .models import Question, validate_survey_upload

Kind = Question.Kind
YES, NO = "yes", "no"


def _records(kind, process):
    """The records of `process` a "pick records" question offers (its own, whatever their publication)."""
    model = {Kind.MEETINGS: Meeting, Kind.DOCUMENTS: Document, Kind.RECOMMENDATIONS: Recommendation}[kind]
    if process is None:
        return model.objects.none()  # the Support Unit's preview answers for no process
    return model.objects.belonging_to([process.pk]).order_by("pk")


def _marked(question, field):
    """The question's `field` in the active language; the original marked with its language when missing."""
    value = translated(question, field)
    return format_html('<span lang="{}">{}</span>', value.language, value.text) if value.fallback else value.text


def question_field(question, process):
    """The form field for one question; every field is optional while saving (required is checked on submit).

    Labels and choices are shown in the active language where the question has a version; a choice's
    value is the original line whatever the language (surveys.models.Question.choice_labels).
    """
    common = {"label": _marked(question, "text"), "help_text": _marked(question, "help_text"), "required": False}
    kind = question.kind
    if kind == Kind.SHORT_TEXT:
        return forms.CharField(max_length=500, **common)
    if kind == Kind.LONG_TEXT:
        return forms.CharField(max_length=20_000, widget=forms.Textarea(attrs={"rows": 5}), **common)
    if kind == Kind.SINGLE_CHOICE:
        return forms.ChoiceField(choices=question.choice_labels(), widget=forms.RadioSelect, **common)
    if kind == Kind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=question.choice_labels(), widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == Kind.YES_NO:
        return forms.ChoiceField(choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect, **common)
    if kind == Kind.NUMBER:
        return forms.DecimalField(max_digits=18, decimal_places=4, **common)
    if kind == Kind.YEAR:
        return forms.IntegerField(validators=[MinValueValidator(1900), MaxValueValidator(2100)], **common)
    if kind == Kind.COUNTRIES:
        return forms.ModelMultipleChoiceField(queryset=Country.objects.order_by("name"), to_field_name="code", **common)
    if kind == Kind.FILE:
        return forms.FileField(validators=[validate_survey_upload], **common)
    return forms.ModelMultipleChoiceField(
        queryset=_records(kind, process), widget=forms.CheckboxSelectMultiple, **common
    )


def stored_value(question, value):
    """The JSON value kept for a cleaned form value (None for no answer)."""
    if value in (None, "") or (isinstance(value, (list, tuple)) or hasattr(value, "model")) and not len(value):
        return None
    kind = question.kind
    if kind == Kind.NUMBER:
        return str(value.normalize()) if isinstance(value, Decimal) else str(value)
    if kind == Kind.COUNTRIES:
        return sorted(country.code for country in value)
    if kind in (Kind.MEETINGS, Kind.DOCUMENTS, Kind.RECOMMENDATIONS):
        return sorted(obj.pk for obj in value)
    if kind == Kind.MULTIPLE_CHOICE:
        return list(value)
    return value


def initial_value(question, value):
    """The form's initial value for a stored JSON value."""
    if value is None:
        return None
    if question.kind in (Kind.NUMBER,):
        return Decimal(value)
    return value


def _style(widget):
    """Bootstrap's classes for each kind of input."""
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.CheckboxInput)):
        css = "form-check-input"
    elif isinstance(widget, forms.SelectMultiple):
        css = "form-select"
        widget.attrs.setdefault("size", 8)
    else:
        css = "form-control"
    widget.attrs["class"] = css


class ResponseForm(forms.Form):
    """All of a survey's questions for one process, plus its consent to publication and its materials."""

    consent_to_publish = forms.BooleanField(
        label=_("We agree that our answers to the survey's public questions appear on the published results page."),
        required=False,
    )
    material = forms.FileField(
        label=_("Add a file (materials sent with the answers, or instead of them)"),
        required=False,
        validators=[validate_survey_upload],
    )
    materials_note = forms.CharField(
        label=_("Note on the materials"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, response, answers, disabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.response = response
        self.questions = list(response.survey.questions.select_related("section"))
        stored = {a.question_id: a for a in answers}
        fields = {}
        for question in self.questions:
            field = question_field(question, response.process)
            answer = stored.get(question.pk)
            if answer is not None:
                field.initial = initial_value(question, answer.value)
            field.question = question
            field.answer = answer
            field.disabled = disabled
            fields[f"q{question.pk}"] = field
        # Questions first, in their order; consent and materials after them.
        self.fields = {**fields, **self.fields}
        for form_field in self.fields.values():
            _style(form_field.widget)
        self.fields["consent_to_publish"].initial = response.consent_to_publish
        self.fields["materials_note"].initial = response.materials_note
        if disabled:
            for name in ("consent_to_publish", "material", "materials_note"):
                self.fields[name].disabled = True

    def question_fields(self):
        return [self[f"q{q.pk}"] for q in self.questions]

    def answers(self):
        """{question: JSON value or uploaded file} from the cleaned data."""
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            result[question] = value if question.kind == Kind.FILE else stored_value(question, value)
        return result


class SendOnForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(
        label=_("Message to the GFMD"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: *emphasis*, **bold**, lists, [links](https://…)."),
    )


class CopyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    slug = forms.SlugField(label=_("Slug"), max_length=100)
    year = forms.IntegerField(label=_("Year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)])
