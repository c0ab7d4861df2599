"""The public digest subscription form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rcps.models import Process
from reference.models import Theme

from .models import Dispatch, Subscription


class SubscriptionForm(forms.ModelForm):
    directions = forms.MultipleChoiceField(
        label=_("Directions"),
        choices=Dispatch.Direction.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for both."),
    )
    processes = forms.ModelMultipleChoiceField(
        label=_("Processes"),
        queryset=Process.objects.public(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Dispatches sent by or addressed to these processes. Leave empty for all."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Dispatches on these themes. Leave empty for all."),
    )
    # A field people never see: bots that fill every input give themselves away.
    website = forms.CharField(required=False, widget=forms.HiddenInput, label="")

    class Meta:
        model = Subscription
        fields = ("email", "frequency", "directions", "processes", "themes")
        widgets = {"frequency": forms.RadioSelect}
