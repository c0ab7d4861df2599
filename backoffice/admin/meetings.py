"""Back office for meetings, their sessions and the documents they produce."""

from django.contrib import admin
from django.db.models import OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _

from backoffice.admin.base import (
    PortalHistoryAdmin,
    PortalTabularInline,
    PublishableAdminMixin,
    SourcedAdminMixin,
    UncertaintyListFilter,
    visibility_fieldset,
    with_translations,
)
from backoffice.imports import PortalImportExportMixin
from backoffice.resources import DocumentResource, MeetingResource
from core.pagecache import cached_value
from core.queries import count_subquery
from meetings.models import Document, Meeting
from rcps.models import Process


class SessionListFilter(admin.SimpleListFilter):
    """Whole meetings apart from their sessions (e.g. GFMD roundtables)."""

    title = _("meeting or session")
    parameter_name = "session"

    def lookups(self, request, model_admin):
        return [("no", _("Whole meetings")), ("yes", _("Sessions of a meeting"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(parent__isnull=True)
        if self.value() == "yes":
            return queryset.filter(parent__isnull=False)
        return queryset


class StartYearListFilter(admin.SimpleListFilter):
    """Meetings of one year, among the years of the user's meetings (cached until the data changes).

    It stands for a date hierarchy, whose links query the whole table on every page.
    """

    title = _("year")
    parameter_name = "start_date__year"

    def lookups(self, request, model_admin):
        meetings = Meeting.objects.visible_to(request.user)
        years = cached_value(
            f"admin-filter:meeting-years:{request.user.pk}",
            lambda: [day.year for day in meetings.dates("start_date", "year", order="DESC")],
        )
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        return queryset.filter(start_date__year=self.value()) if self.value() else queryset


class SessionInline(PortalTabularInline):
    model = Meeting
    fk_name = "parent"
    fields = ("session_code", "title", "kind", "start_date", "end_date", "visibility")
    verbose_name = _("session")
    verbose_name_plural = _("sessions (roundtables and other parts of this meeting)")


class DocumentInline(PortalTabularInline):
    # The meeting names the process: a row needs only the document itself.
    model = Document
    fields = ("title", "kind", "language", "date", "url", "reference", "file", "visibility")
    verbose_name_plural = _("documents of this meeting (give each a file, a web address or a reference)")


@admin.register(Meeting)
class MeetingAdmin(PublishableAdminMixin, SourcedAdminMixin, PortalImportExportMixin, PortalHistoryAdmin):
    resource_classes = [MeetingResource]
    list_display = (
        "title",
        "dates",
        "kind",
        "organizers",
        "place",
        "session_count",
        "document_count",
        "visibility",
        "uncertain_flag",
    )
    list_filter = (
        "kind",
        "level",
        "visibility",
        ("organizing_processes", admin.RelatedOnlyFieldListFilter),
        ("country", admin.RelatedOnlyFieldListFilter),
        "start_date",
        StartYearListFilter,
        SessionListFilter,
        "date_precision",
        "confidence",
        UncertaintyListFilter,
    )
    list_select_related = ("country", "parent")
    search_fields = (
        "title",
        "session_code",
        "city",
        "host",
        "country__name",
        "organizing_processes__name",
        "organizing_processes__acronym",
    )
    autocomplete_fields = (
        "organizing_processes",
        "parent",
        "country",
        "chairs",
        "themes",
        "participating_countries",
        "participating_organizations",
        "represented_processes",
        "invited_processes",
    )
    inlines = (SessionInline, DocumentInline)
    fieldsets = (
        (_("What"), {"fields": ("title", "kind", "kind_note", "level", "description", "website")}),
        (
            _("Organized by"),
            {
                "fields": ("organizing_processes", "parent", "session_code"),
                "description": _(
                    "Choose more than one process for a joint meeting. For a roundtable or session, "
                    "choose the meeting it belongs to."
                ),
            },
        ),
        (_("When"), {"fields": ("start_date", "end_date", "date_precision", "date_text", "status", "status_note")}),
        (_("Where"), {"fields": ("city", "country", "host")}),
        (
            _("Who took part"),
            {
                "fields": (
                    "chairs",
                    "participating_countries",
                    "participating_organizations",
                    "represented_processes",
                    "invited_processes",
                    "participants_note",
                ),
                "classes": ("collapse",),
            },
        ),
        (_("Themes"), {"fields": ("themes", "gcm_objectives", "sdg_targets")}),
        SourcedAdminMixin.sources_fieldset,
        visibility_fieldset(),
    )
    fieldsets = with_translations(fieldsets, "title", "description")

    def save_formset(self, request, form, formset, change):
        if formset.model is Document:
            # A document added on the meeting's page belongs to the meeting's process, unnamed by hand.
            organizers = list(form.instance.organizing_processes.all()[:2])
            for row in formset.forms:
                document = row.instance
                if row.has_changed() and document.pk is None and not document.process_id and len(organizers) == 1:
                    document.process = organizers[0]
        super().save_formset(request, form, formset, change)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("organizing_processes", queryset=Process.objects.only("name", "acronym")))
            # Counted per row of the page by subquery: a JOIN + GROUP BY would group every meeting first.
            .annotate(
                session_count=count_subquery(Meeting.objects.filter(parent=OuterRef("pk"))),
                document_count=count_subquery(Document.objects.filter(meeting=OuterRef("pk"))),
            )
        )

    @admin.display(description=_("dates"), ordering="start_date")
    def dates(self, obj):
        return obj.date_display

    @admin.display(description=_("organized by"))
    def organizers(self, obj):
        return ", ".join(process.short_name for process in obj.organizing_processes.all())

    @admin.display(description=_("place"), ordering="city")
    def place(self, obj):
        return obj.place_display

    @admin.display(description=_("sessions"), ordering="session_count")
    def session_count(self, obj):
        return obj.session_count

    @admin.display(description=_("documents"), ordering="document_count")
    def document_count(self, obj):
        return obj.document_count


@admin.register(Document)
class DocumentAdmin(PublishableAdminMixin, SourcedAdminMixin, PortalImportExportMixin, PortalHistoryAdmin):
    resource_classes = [DocumentResource]
    list_display = ("title", "kind", "language", "date", "meeting", "process", "access", "visibility")
    list_filter = (
        "kind",
        "language",
        "visibility",
        ("process", admin.RelatedOnlyFieldListFilter),
        "year",
        "confidence",
        UncertaintyListFilter,
    )
    # No date_hierarchy: its year links scan the whole table on every page; the year filter serves.
    list_select_related = ("meeting", "process")
    search_fields = (
        "title",
        "reference",
        "author",
        "description",
        "meeting__title",
        "process__name",
        "process__acronym",
    )
    autocomplete_fields = ("meeting", "process", "translation_of")
    fieldsets = (
        (
            _("Document"),
            {"fields": ("title", "kind", "language", "date", "year", "date_text", "author", "description")},
        ),
        (
            _("Belongs to"),
            {
                "fields": ("meeting", "process"),
                "description": _(
                    "Attach the document to a meeting, a process, or both; only a reference work about processes "
                    "in general (an IOM study, say) stays unattached."
                ),
            },
        ),
        (
            _("File, link or reference"),
            {
                "fields": ("file", "url", "reference"),
                "description": _("Upload a file, give a web address, or cite the document's reference."),
            },
        ),
        SourcedAdminMixin.sources_fieldset,
        visibility_fieldset(),
    )
    fieldsets = with_translations(fieldsets, "title", "description", extra=("translation_of",))

    @admin.display(description=_("available as"))
    def access(self, obj):
        return ", ".join(
            str(label)
            for label, present in ((_("file"), obj.file), (_("link"), obj.url), (_("reference"), obj.reference))
            if present
        )
