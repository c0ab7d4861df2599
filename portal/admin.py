"""Base classes shared by every back-office page of the portal.

Every ModelAdmin of the project derives from `PortalModelAdmin` (reference data) or
`PortalHistoryAdmin` (records with a change history), and every inline from
`PortalTabularInline` / `PortalStackedInline`. They share one `PortalAdminMixin`, which is
the single place where row-level scoping per secretariat will be added
(`get_queryset`, `has_*_permission`, `formfield_for_foreignkey`), rather than in each admin.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from rcps.forms import JSONListField, PrettyJSONField
from rcps.models import Confidence

# JSON columns that hold a plain list of texts, edited one item per line.
LINE_LIST_FIELDS = {"other_names", "stated_priorities", "stated_themes", "low_confidence_fields"}

LINE_LIST_HELP = _("One per line.")
SOURCES_HELP = _(
    'A list of citations, each like {"ref": "004_b4e4fa340c46d091.txt", "quote": "…", '
    '"supports": ["name", "year_established"]}; use "note" instead of "quote" for a paraphrase '
    "of a web page. Leave [] if there is none beyond the main citation above."
)


class PortalAdminMixin:
    """What every back-office page of the portal has in common."""

    list_per_page = 50
    save_on_top = True
    empty_value_display = "—"

    def get_ordering(self, request):
        # Explicit, so that querysets annotated with counts (GROUP BY, where Django drops
        # Meta.ordering) still list in a stable order, in changelists and autocompletes alike.
        return self.ordering or self.model._meta.ordering

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.JSONField):
            if db_field.name in LINE_LIST_FIELDS:
                kwargs.setdefault("form_class", JSONListField)
                help_text = (
                    format_lazy("{} {}", db_field.help_text, LINE_LIST_HELP) if db_field.help_text else LINE_LIST_HELP
                )
                kwargs.setdefault("help_text", help_text)
            else:
                kwargs.setdefault("form_class", PrettyJSONField)
                if db_field.name == "sources":
                    kwargs.setdefault("help_text", format_lazy("{} {}", db_field.help_text, SOURCES_HELP))
            return db_field.formfield(**kwargs)
        if isinstance(db_field, models.URLField):
            # Django 6 makes https the scheme assumed for a typed address without one; do so now.
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class PortalModelAdmin(PortalAdminMixin, admin.ModelAdmin):
    """Back-office pages for reference data, which keeps no change history."""


class PortalHistoryAdmin(PortalAdminMixin, SimpleHistoryAdmin):
    """Back-office pages for records whose every change is kept and can be reverted."""


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose selected option's label can come from objects its formset loaded at once.

    Django's own widget runs one query per row to label the selected option, so a process
    with 60 participants would cost 120 queries; `PortalInlineFormSet` fills
    `preloaded` for all rows with one query per column instead.
    """

    preloaded = None

    def optgroups(self, name, value, attr=None):
        if self.preloaded is None:
            return super().optgroups(name, value, attr)
        options = []
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for key in sorted(selected & self.preloaded.keys()):
            obj = self.preloaded[key]
            label = self.choices.field.label_from_instance(obj)
            options.append(self.create_option(name, obj.pk, label, selected, len(options)))
        return [(None, options, 0)]


class PortalInlineFormSet(BaseInlineFormSet):
    """An inline formset that does not query once per row to label its rows and autocompletes."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.instance.pk is not None:
            # Django sets only the parent's id on each row, so a row's __str__ that names the
            # parent (e.g. "Sri Lanka — Member of CP") would fetch the parent once per row.
            setattr(form.instance, self.fk.name, self.instance)
        return form

    @cached_property
    def forms(self):
        # Load the objects selected in each autocomplete column once for all the rows.
        forms = super().forms
        for name, field in self.form.base_fields.items():
            if not isinstance(getattr(field.widget, "widget", field.widget), PreloadedAutocompleteSelect):
                continue
            pks = set()
            for form in forms:
                try:
                    pks.add(field.queryset.model._meta.pk.to_python(form[name].value()))
                except ValidationError:
                    pass  # A mistyped id in posted data: the row shows no choice and fails validation.
            pks.discard(None)
            preloaded = {str(pk): obj for pk, obj in field.queryset.in_bulk(pks).items()} if pks else {}
            for form in forms:
                widget = form.fields[name].widget
                getattr(widget, "widget", widget).preloaded = preloaded
        return forms


class PortalInlineMixin(PortalAdminMixin):
    extra = 0
    show_change_link = True
    formset = PortalInlineFormSet

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PortalTabularInline(PortalInlineMixin, admin.TabularInline):
    pass


class PortalStackedInline(PortalInlineMixin, admin.StackedInline):
    pass


class SourcedAdminMixin:
    """Fieldset, list column and read-only marker for records that carry sources and a confidence."""

    sources_fieldset = (
        _("Sources and confidence"),
        {
            "fields": ("confidence", "uncertainty", "low_confidence_fields", "source", "sources", "notes"),
            "description": _(
                "Where this information comes from and how sure we are of it. "
                "Lower the confidence, or list uncertain fields, rather than leave doubtful data unmarked."
            ),
        },
    )
    readonly_fields = ("uncertainty",)

    @admin.display(description=_("uncertain?"), ordering="confidence")
    def uncertain_flag(self, obj):
        return "⚠ " + str(_("uncertain")) if obj.is_low_confidence else ""

    @admin.display(description=_("uncertainty"))
    def uncertainty(self, obj):
        if obj is None or obj.pk is None:
            return _("Set when the record is saved.")
        if obj.confidence == Confidence.LOW:
            return _("⚠ Low confidence: read the whole record as uncertain.")
        if obj.low_confidence_fields:
            return format_lazy(
                "{} {}", _("⚠ Read these fields as uncertain:"), ", ".join(map(str, obj.low_confidence_fields))
            )
        return _("No uncertainty flagged.")


def visibility_fieldset(*extra_fields):
    return (
        _("Visibility"),
        {
            "fields": (*extra_fields, "visibility"),
            "description": _(
                "Public records are shown to everyone. “Participants only” and “Confidential” records "
                "are seen only by people who log in to the back office."
            ),
        },
    )
