"""Base classes shared by every back-office page of the portal.

Every ModelAdmin of the project derives from `PortalModelAdmin` (reference data) or
`PortalHistoryAdmin` (records with a change history), and every inline from
`PortalTabularInline` / `PortalStackedInline`. They share one `PortalAdminMixin`, which wires
the portal's row scoping (`rcps.scoping`: each model's `visible_to` / `managed_by`) into
`get_queryset`, `has_*_permission`, the form field choices and the autocompletes, once.
"""

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.forms import JSONListField, PrettyJSONField, SourcesField
from core.models import Confidence, PublishableModel
from core.pagecache import cached_value
from core.preview import confirm_url
from rcps import publishing, scoping

# JSON columns that hold a plain list of texts, edited one item per line.
LINE_LIST_FIELDS = {"other_names", "stated_priorities", "stated_themes", "low_confidence_fields"}

LINE_LIST_HELP = _("One per line.")
SOURCES_HELP = _(
    "One citation a row: what the source says (a quote from a document, or a note on a web page), "
    "its address (a web address, or document:<number> for a document of the portal), and the fields "
    "it supports, e.g. name, year_established. Empty a row to remove it; save to get more blank rows."
)


class ScopedModelForm(forms.ModelForm):
    """An admin form that refuses a record which would not belong to one of the user's processes.

    The admin sets `scope_user` on the form class it builds for each request. Links the record
    already has stay selectable (a joint meeting keeps its other organizers), while new choices
    come from `scoping.choices`.
    """

    scope_user = None
    check_owner = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.scope_user is None or self.instance.pk is None:
            return
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField) or name not in self.initial:
                continue
            current = self.initial[name]
            current = [getattr(v, "pk", v) for v in current] if isinstance(current, list | tuple) else [current]
            current = [pk for pk in current if pk is not None]
            if current:
                manager = field.queryset.model._default_manager
                field.queryset = manager.filter(Q(pk__in=field.queryset.values("pk")) | Q(pk__in=current))

    def clean(self):
        cleaned_data = super().clean()
        model = self._meta.model
        fields = [name for name in scoping.owner_fields(model) if name in self.fields]
        if self.scope_user is not None and self.check_owner and fields and not self.errors:
            values = {name: cleaned_data.get(name) for name in fields}
            scoping.check_owner(self.scope_user, model, values, self.instance)
        return cleaned_data


class PortalAdminMixin:
    """What every back-office page of the portal has in common, row scoping included.

    Which rows a user sees, changes, picks in a form or an autocomplete, deletes in bulk or
    reverts in the history is decided by `rcps.scoping` and wired in here once; a ModelAdmin
    says nothing about it (each model declares its `process_lookups`).
    """

    # As many rows a page as the public directories (core.directory.DirectoryView.paginate_by).
    list_per_page = 25
    # One COUNT per changelist (the filtered one), not a second over the whole table.
    show_full_result_count = False
    save_on_top = True
    empty_value_display = "—"
    form = ScopedModelForm

    # Rows ------------------------------------------------------------------------------

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        # Django's own markup, without rendering a form widget through a template for every row.
        label = format_html(gettext("Select this object for an action - {}"), obj)
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete" and "field_name" in request.GET:
            # Django's autocomplete asks the *target* admin for rows; offer exactly the choices
            # of the field being filled in, as its form would.
            return autocomplete_choices(
                request.user,
                request.GET.get("app_label"),
                request.GET.get("model_name"),
                request.GET.get("field_name"),
                queryset,
            )
        return queryset.visible_to(request.user) if scoping.is_scoped(self.model) else queryset

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another process's record is reached by URL: answer as if it did not exist.
        raise Http404

    def _object_check(self, request, obj, check):
        return obj is None or check(request.user, obj)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._object_check(request, obj, scoping.can_view)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._object_check(request, obj, scoping.can_manage)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._object_check(request, obj, scoping.can_manage)

    def delete_queryset(self, request, queryset):
        # A bulk action can be posted with any ids: refuse all when one is not the user's to delete.
        if scoping.is_scoped(self.model) and queryset.managed_by(request.user).count() != queryset.count():
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    # Forms -----------------------------------------------------------------------------

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            formfield.queryset = scoping.choices(request.user, self.model, db_field, formfield.queryset)
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            formfield.queryset = scoping.choices(request.user, self.model, db_field, formfield.queryset)
        return formfield

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.scope_user = request.user  # the class is built afresh for each request
        return form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Last guard, inside the admin's transaction: whatever was posted, every saved row must
        # belong to the user's processes, or nothing is saved.
        scoping.ensure_managed(request.user, form.instance)
        for formset in formsets:
            for obj in [*formset.new_objects, *(obj for obj, _changed in formset.changed_objects)]:
                scoping.ensure_managed(request.user, obj)

    def save_model(self, request, obj, form, change):
        if getattr(obj, "_change_reason", None) is None:
            # The history says what happened, not "Change reason: None".
            obj._change_reason = change_reason(form, change)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for row in formset.forms:
            if row.has_changed() and getattr(row.instance, "_change_reason", None) is None:
                row.instance._change_reason = change_reason(row, row.instance.pk is not None)
        super().save_formset(request, form, formset, change)

    def get_list_filter(self, request):
        return tuple(cached_list_filter(self.model, spec) for spec in super().get_list_filter(request))

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
            elif db_field.name == "sources":
                kwargs.setdefault("form_class", SourcesField)
                kwargs.setdefault("help_text", format_lazy("{} {}", db_field.help_text, SOURCES_HELP))
            else:
                kwargs.setdefault("form_class", PrettyJSONField)
            return db_field.formfield(**kwargs)
        if isinstance(db_field, models.URLField):
            # Django 6 makes https the scheme assumed for a typed address without one; do so now.
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def change_reason(form, change):
    """ "Added in the back office" or "Changed: title, dates" for the history of a record saved by a form."""
    if not change:
        return "Added in the back office"
    labels = [str(form.fields[name].label or name) for name in form.changed_data if name in form.fields]
    reason = "Changed: " + ", ".join(labels) if labels else "Saved without changes"
    return reason if len(reason) <= 100 else reason[:99] + "…"


def autocomplete_choices(user, app_label, model_name, field_name, queryset):
    """The rows an admin autocomplete offers for `app_label.model_name.field_name`: as its form would."""
    try:
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(field_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return queryset.none()
    if not isinstance(field, models.Field | models.ForeignObjectRel):
        return queryset.none()
    return scoping.choices(user, model, field, queryset)


# List filters whose options come from the cache ------------------------------------------
# Django asks the database for a filter's options on every page of a changelist: the related
# rows in use (a DISTINCT over the whole table), every value of a column, every related row.
# They change only with the data, so they are kept until the next write (core.pagecache), for
# each user apart where the options depend on the rows the user may see.


def _filter_cache_key(kind, request, model_admin, field_path, per_user=True):
    user = request.user.pk if per_user else "all"
    return f"admin-filter:{kind}:{model_admin.model._meta.label}:{field_path}:{user}:{get_language()}"


class CachedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """Every related row as an option (a short vocabulary: themes, calls), cached until the data changes."""

    def field_choices(self, field, request, model_admin):
        compute = super().field_choices
        key = _filter_cache_key("related", request, model_admin, self.field_path, per_user=False)
        return cached_value(key, lambda: list(compute(field, request, model_admin)))


class CachedRelatedOnlyFieldListFilter(admin.RelatedOnlyFieldListFilter):
    """The related rows used by the rows this user sees, cached for the user until the data changes."""

    def field_choices(self, field, request, model_admin):
        compute = super().field_choices
        key = _filter_cache_key("related-only", request, model_admin, self.field_path)
        return cached_value(key, lambda: list(compute(field, request, model_admin)))


class CachedAllValuesFieldListFilter(admin.AllValuesFieldListFilter):
    """The values of a column among the rows this user sees, cached for the user until the data changes."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        values = self.lookup_choices
        key = _filter_cache_key("values", request, model_admin, field_path)
        self.lookup_choices = cached_value(key, lambda: list(values))


CACHED_LIST_FILTERS = {
    admin.RelatedFieldListFilter: CachedRelatedFieldListFilter,
    admin.RelatedOnlyFieldListFilter: CachedRelatedOnlyFieldListFilter,
    admin.AllValuesFieldListFilter: CachedAllValuesFieldListFilter,
}


def cached_list_filter(model, spec):
    """`spec` (a `list_filter` entry) with its options from the cache where Django would query them."""
    if isinstance(spec, tuple):
        field_path, filter_class = spec
        return (field_path, CACHED_LIST_FILTERS.get(filter_class, filter_class))
    if not isinstance(spec, str):
        return spec
    field = get_fields_from_path(model, spec)[-1]
    if field.is_relation:
        return (spec, CachedRelatedFieldListFilter)
    if isinstance(field, models.BooleanField | models.DateField) or field.flatchoices:
        return spec  # options without a query
    return (spec, CachedAllValuesFieldListFilter)


class PortalModelAdmin(PortalAdminMixin, admin.ModelAdmin):
    """Back-office pages for reference data, which keeps no change history."""


class PortalHistoryAdmin(PortalAdminMixin, SimpleHistoryAdmin):
    """Back-office pages for records whose every change is kept and can be reverted."""

    change_list_template = "admin/backoffice/change_list.html"

    def _hidden(self, request, object_id):
        # A record that exists but is not the user's: its history is as unreachable as its page.
        object_id = unquote(object_id)
        return (
            self.model._default_manager.filter(pk=object_id).exists()
            and not self.get_queryset(request).filter(pk=object_id).exists()
        )

    def history_view(self, request, object_id, extra_context=None):
        if self._hidden(request, object_id):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if self._hidden(request, object_id):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    # Restoring deleted records -----------------------------------------------------------

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path("deleted/", self.admin_site.admin_view(self.deleted_view), name=f"{info[0]}_{info[1]}_deleted"),
            *super().get_urls(),
        ]

    def deleted_records(self, request):
        """The last version of each deleted record that this user may restore, newest first."""
        history = self.model.history
        existing = self.model._default_manager.values("pk")
        records = history.filter(history_type="-").exclude(**{f"{self.model._meta.pk.attname}__in": existing})
        records = records.select_related("history_user").order_by("-history_date")[:200]
        return [r for r in records if scoping.can_manage(request.user, r.instance, history_m2m_values(r))]

    def deleted_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        records = self.deleted_records(request)
        if request.method == "POST":
            wanted = request.POST.get("history_id")
            record = next((r for r in records if str(r.history_id) == wanted), None)
            if record is None:
                raise Http404
            restored = record_restore(historical=record, user=request.user)
            self.log_addition(request, restored, [{"added": {}}])
            self.message_user(request, _("Restored “%(obj)s”.") % {"obj": restored})
            return redirect(reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Recently deleted %(name)s") % {"name": self.model._meta.verbose_name_plural},
            "opts": self.model._meta,
            "records": records,
        }
        return TemplateResponse(request, "admin/backoffice/deleted_list.html", context)


def history_m2m_values(record):
    """The many-to-many links kept with a historical version (simple-history `m2m_fields`), by field name."""
    values = {}
    for field in getattr(record, "_history_m2m_fields", None) or []:
        name = getattr(field, "name", field)
        rows = getattr(record, name).all()
        if not rows and record.prev_record is not None:
            rows = getattr(record.prev_record, name).all()
        values[name] = [getattr(row, field.related_model._meta.model_name + "_id", None) for row in rows]
    return values


@transaction.atomic
def record_restore(*, historical, user):
    """Bring a deleted record back as it was last kept, with its many-to-many links, in the history as added."""
    instance = historical.instance
    instance._history_user = user
    instance._change_reason = "Restored"
    instance.save(force_insert=True)
    for name, ids in history_m2m_values(historical).items():
        getattr(instance, name).set([pk for pk in ids if pk is not None])
    return instance


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

    # An inline's `obj` is the parent record: its rows may be changed when the parent may.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._object_check(request, obj, scoping.can_manage)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.scope_user = request.user
        # A row's link to its parent is checked with the parent, and again after saving.
        formset.form.check_owner = False
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PortalTabularInline(PortalInlineMixin, admin.TabularInline):
    pass


class PortalStackedInline(PortalInlineMixin, admin.StackedInline):
    pass


class ReadOnlyInline(PortalTabularInline):
    """Rows kept by a workflow (transitions, answers, reminders sent): shown, never written here."""

    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


class UncertaintyListFilter(admin.SimpleListFilter):
    """Lets an editor find the records that still need checking."""

    title = _("uncertainty")
    parameter_name = "uncertain"

    def lookups(self, request, model_admin):
        return [("yes", _("Flagged uncertain")), ("no", _("Nothing flagged"))]

    def queryset(self, request, queryset):
        flagged = Q(confidence=Confidence.LOW) | ~Q(low_confidence_fields=[])
        if self.value() == "yes":
            return queryset.filter(flagged)
        if self.value() == "no":
            return queryset.exclude(flagged)
        return queryset


class CurrentListFilter(admin.SimpleListFilter):
    """Current or past, for records with an open-ended period (`<prefix>_year` left empty)."""

    title = _("period")
    parameter_name = "current"
    end_field = "until_year"

    def lookups(self, request, model_admin):
        return [("yes", _("Current")), ("no", _("Ended"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(**{f"{self.end_field}__isnull": True})
        if self.value() == "no":
            return queryset.filter(**{f"{self.end_field}__isnull": False})
        return queryset


class PublishableAdminMixin:
    """Draft → published for a process's own records: new records start as drafts; "Publish" is the owner's act.

    The change page shows the record's publication at the top with "Preview on the site" and
    "Publish" (confirmed on the preview, which is the public page itself); lists filter by
    publication and offer "Publish the selected drafts" (for a batch, e.g. after an import).
    Inline rows added to a new record are drafts too and are published with it.
    """

    change_form_template = "admin/backoffice/publishable_change_form.html"
    actions = ("publish_selected",)

    def get_list_display(self, request):
        return (*super().get_list_display(request), "publication")

    def get_list_filter(self, request):
        return ("publication", *super().get_list_filter(request))

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "<path:object_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="{}_{}_publish".format(*info),
            ),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        if not change:
            publishing.start_as_draft(obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            instance = inline_form.instance
            if instance.pk is None and isinstance(instance, PublishableModel):
                # A row added now starts as a draft, like the record; it is published with it.
                publishing.start_as_draft(instance)
        super().save_formset(request, form, formset, change)

    def response_add(self, request, obj, post_url_continue=None):
        if "_addanother" not in request.POST and "_popup" not in request.POST:
            # Straight to the new record, where "Preview" and "Publish" are.
            self.message_user(
                request,
                _("“%(obj)s” is saved as a draft: preview it, then publish it when it is ready.") % {"obj": obj},
                messages.SUCCESS,
            )
            return redirect(reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if obj.is_draft and not {"_addanother", "_saveasnew", "_popup"} & set(request.POST):
            # A draft stays open after saving: "Preview" and "Publish" are on it.
            self.message_user(request, _("“%(obj)s” is saved, still as a draft.") % {"obj": obj}, messages.SUCCESS)
            return redirect(reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]))
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            url = obj.get_absolute_url()
            context["publication"] = {
                "is_draft": obj.is_draft,
                "may_publish": publishing.can_publish(request.user, obj),
                "preview_url": url,
                "publish_url": confirm_url(url, "publish"),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def publish_view(self, request, object_id):
        """POST: publish the record (and its drafts); GET: the preview, where publishing is confirmed."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if request.method != "POST":
            return redirect(obj.get_absolute_url())
        try:
            published = publishing.record_publish(record=obj, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, _published_message(published), messages.SUCCESS)
        return redirect(reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]))

    @admin.action(description=_("Publish the selected drafts"))
    def publish_selected(self, request, queryset):
        published = []
        for obj in queryset.drafts():
            try:
                published += publishing.record_publish(record=obj, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"“{obj}”: {text}", messages.ERROR)
        if published:
            self.message_user(request, _published_message(published), messages.SUCCESS)


def _published_message(published):
    first = published[0]
    if len(published) == 1:
        return _("“%(obj)s” is published.") % {"obj": first}
    return _("“%(obj)s” is published, with %(count)d more record(s).") % {"obj": first, "count": len(published) - 1}


def with_translations(fieldsets, *fields, extra=()):
    """`fieldsets` plus, second, the French and Spanish versions of `fields` (folded until opened)."""
    translated = [f"{field}_{language}" for language in ("fr", "es") for field in fields]
    section = (
        _("French and Spanish versions"),
        {
            "classes": ("collapse",),
            "fields": (*extra, *translated),
            "description": _(
                "Optional. A version left empty is shown in the original language, marked as such on the page."
            ),
        },
    )
    return (fieldsets[0], section, *fieldsets[1:])
