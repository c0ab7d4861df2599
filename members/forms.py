"""Forms of the members' area: invitations, first password, second factor."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from rcps import scoping
from rcps.models import FocalPoint, Membership, Process
from reference.models import Country

from . import figures
from .models import Indicator, Invitation, MailingList, Release


def bootstrap(form):
    """Bootstrap's classes on every widget of `form` (the members' templates render fields one by one)."""
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class InvitationForm(forms.ModelForm):
    """A secretariat invites a member State official to one of the processes it serves."""

    class Meta:
        model = Invitation
        fields = ["email", "process", "country", "ministry", "role"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        ids = scoping.served_process_ids(user)
        processes = Process.objects.order_by("name")
        self.fields["process"].queryset = processes if ids is None else processes.filter(pk__in=ids)
        self.fields["country"].queryset = Country.objects.order_by("name")
        bootstrap(self)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email, is_staff=True).exists():
            raise forms.ValidationError(_("This address belongs to a back-office account; participants are separate."))
        return email

    def clean(self):
        cleaned = super().clean()
        email, process, country, role = (cleaned.get(k) for k in ("email", "process", "country", "role"))
        if email and process and country and role:
            taken = Membership.objects.filter(
                user__email__iexact=email, process=process, country=country, role=role
            ).exists()
            if taken:
                raise forms.ValidationError(_("This person already holds this role for this country in this process."))
        return cleaned


class SetPasswordForm(forms.Form):
    """The invitee's first password, checked by the portal's password validators."""

    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()
        bootstrap(self)

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(_("The two passwords differ."))
        if first:
            password_validation.validate_password(first, self.user)
        return cleaned


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").strip()


class FigureForm(forms.Form):
    """One national figure, typed in by the country's focal point."""

    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=1950, max_value=2100)
    disaggregation = forms.CharField(label=_("Breakdown"), required=False, max_length=40)
    value = forms.CharField(label=_("Value"), max_length=40)
    release = forms.ChoiceField(
        label=_("Release"),
        choices=[(Release.MEMBERS, Release.MEMBERS.label), (Release.PUBLIC, Release.PUBLIC.label)],
        initial=Release.MEMBERS,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, process, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(processes=process)
        self.fields["country"].queryset = Country.objects.filter(pk__in=[c.pk for c in countries]).order_by("name")
        if len(countries) == 1:
            self.fields["country"].initial = countries[0].pk
        bootstrap(self)

    def clean_value(self):
        return figures.check_value(self.cleaned_data["value"])

    def clean(self):
        cleaned = super().clean()
        indicator = cleaned.get("indicator")
        breakdown = cleaned.get("disaggregation") or ""
        if indicator and breakdown not in dict(indicator.disaggregation_choices()):
            self.add_error("disaggregation", _("This is not a breakdown of this indicator."))
        cleaned["disaggregation"] = breakdown
        return cleaned


class FigureUploadForm(forms.Form):
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.none())
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("Columns: indicator (its code), year, breakdown (blank for the total), value, release, note."),
    )

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.filter(pk__in=[c.pk for c in countries]).order_by("name")
        if len(countries) == 1:
            self.fields["country"].initial = countries[0].pk
        bootstrap(self)


class ReleaseForm(forms.Form):
    release = forms.ChoiceField(label=_("Release"), choices=Release.choices)


class MailingListForm(forms.ModelForm):
    class Meta:
        model = MailingList
        fields = ["name", "scope", "ministry", "focal_points", "description"]

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focal_points"].queryset = (
            FocalPoint.objects.filter(process=process)
            .exclude(visibility="confidential")
            .select_related("country", "process")
        )
        self.fields["focal_points"].required = False
        bootstrap(self)
        self.fields["focal_points"].widget.attrs["class"] = "form-select"


class ListMessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
