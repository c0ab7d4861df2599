"""Back office for processes, their participants, focal points, recommendations and surveys."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.mail import send_mail
from django.db.models import Count, OuterRef, Q
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.admin import (
    PortalHistoryAdmin,
    PortalTabularInline,
    SourcedAdminMixin,
    visibility_fieldset,
)
from portal.imports import PortalImportExportMixin

from .models import (
    AddresseeGroup,
    Chairmanship,
    Confidence,
    Country,
    FocalPoint,
    FollowUp,
    Organization,
    Participation,
    Process,
    Recommendation,
    Region,
    SecretariatAssignment,
    Survey,
    SurveyResponse,
    Theme,
    count_subquery,
)
from .resources import (
    ChairmanshipResource,
    FocalPointResource,
    FollowUpResource,
    ParticipationResource,
    ProcessResource,
    RecommendationResource,
)
from .users import set_password_link


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


class ChairmanshipCurrentListFilter(CurrentListFilter):
    end_field = "end_year"


# Reference data -------------------------------------------------------------------


@admin.register(Region)
class RegionAdmin(PortalHistoryAdmin):
    list_display = ("name", "code", "level", "parent", "country_count")
    list_filter = ("level",)
    list_select_related = ("parent",)
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "code", "level", "parent")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(country_count=Count("countries"))

    @admin.display(description=_("countries"), ordering="country_count")
    def country_count(self, obj):
        return obj.country_count


@admin.register(Country)
class CountryAdmin(PortalHistoryAdmin):
    list_display = ("name", "code", "alpha3", "region", "process_count")
    list_filter = (("region", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("region",)
    search_fields = ("name", "official_name", "code", "alpha3")
    autocomplete_fields = ("region",)
    fieldsets = (
        (None, {"fields": ("name", "official_name", "region")}),
        (_("Codes"), {"fields": ("code", "alpha3", "numeric")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(process_count=Count("participations__process", distinct=True))

    @admin.display(description=_("processes"), ordering="process_count")
    def process_count(self, obj):
        return obj.process_count


@admin.register(Organization)
class OrganizationAdmin(PortalHistoryAdmin):
    list_display = ("name", "acronym", "kind", "website", "secretariat_count", "participation_count")
    list_filter = ("kind",)
    search_fields = ("name", "acronym")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "acronym", "slug", "kind", "website")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                secretariat_count=Count("secretariat_of", distinct=True),
                participation_count=Count("participations", distinct=True),
            )
        )

    @admin.display(description=_("secretariat of"), ordering="secretariat_count")
    def secretariat_count(self, obj):
        return obj.secretariat_count

    @admin.display(description=_("participations"), ordering="participation_count")
    def participation_count(self, obj):
        return obj.participation_count


@admin.register(Theme)
class ThemeAdmin(PortalHistoryAdmin):
    list_display = ("name", "slug", "process_count")
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "description")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(process_count=Count("processes"))

    @admin.display(description=_("processes"), ordering="process_count")
    def process_count(self, obj):
        return obj.process_count


@admin.register(AddresseeGroup)
class AddresseeGroupAdmin(PortalHistoryAdmin):
    list_display = ("name", "slug", "recommendation_count")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(recommendation_count=Count("recommendations"))

    @admin.display(description=_("recommendations"), ordering="recommendation_count")
    def recommendation_count(self, obj):
        return obj.recommendation_count


# Processes ------------------------------------------------------------------------


class ParticipationInline(PortalTabularInline):
    model = Participation
    fields = ("country", "organization", "role", "since_year", "until_year", "confidence")
    autocomplete_fields = ("country", "organization")
    verbose_name = _("participant")
    verbose_name_plural = _("participants (name a country or an organization in each row, not both)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country", "organization")


class ChairmanshipInline(PortalTabularInline):
    model = Chairmanship
    fields = ("country", "start_year", "end_year", "is_co_chair", "confidence")
    autocomplete_fields = ("country",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country")


class FocalPointInline(PortalTabularInline):
    model = FocalPoint
    fields = ("role", "country", "institution", "position", "name", "consent_to_publish", "visibility")
    autocomplete_fields = ("country",)
    classes = ("collapse",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country")


@admin.register(Process)
class ProcessAdmin(SourcedAdminMixin, PortalImportExportMixin, PortalHistoryAdmin):
    resource_classes = [ProcessResource]
    list_display = (
        "name",
        "acronym",
        "kind",
        "year_established",
        "md_stance",
        "status",
        "member_count",
        "secretariat",
        "visibility",
        "uncertain_flag",
    )
    list_filter = (
        "kind",
        "status",
        "md_stance",
        "level",
        ("regions", admin.RelatedOnlyFieldListFilter),
        ("themes", admin.RelatedOnlyFieldListFilter),
        "visibility",
        "confidence",
        UncertaintyListFilter,
    )
    list_select_related = ("secretariat",)
    search_fields = ("name", "acronym", "other_names", "slug", "secretariat__name", "secretariat__acronym")
    autocomplete_fields = ("secretariat", "regions", "themes")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (ParticipationInline, ChairmanshipInline, FocalPointInline)
    fieldsets = (
        (
            _("Identity"),
            {"fields": ("name", "acronym", "slug", "other_names", "kind", "kind_note", "status", "level")},
        ),
        (
            _("History and description"),
            {"fields": ("year_established", "established_note", "description", "website", "website_note")},
        ),
        (_("Scope"), {"fields": ("regions", "region_note")}),
        (_("Secretariat and chair"), {"fields": ("secretariat", "secretariat_note", "chair_note")}),
        (_("Themes"), {"fields": ("md_stance", "themes", "stated_priorities")}),
        SourcedAdminMixin.sources_fieldset,
        visibility_fieldset(),
    )

    def get_queryset(self, request):
        current_members = Q(participations__role=Participation.Role.MEMBER, participations__until_year__isnull=True)
        return (
            super()
            .get_queryset(request)
            .annotate(member_count=Count("participations", filter=current_members, distinct=True))
        )

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


@admin.register(Participation)
class ParticipationAdmin(SourcedAdminMixin, PortalImportExportMixin, PortalHistoryAdmin):
    resource_classes = [ParticipationResource]
    list_display = ("__str__", "process", "role", "since_year", "until_year", "uncertain_flag")
    list_display_links = ("__str__",)
    list_filter = (
        "role",
        CurrentListFilter,
        "process__kind",
        ("process", admin.RelatedOnlyFieldListFilter),
        "confidence",
        UncertaintyListFilter,
    )
    list_select_related = ("process", "country", "organization")
    search_fields = (
        "process__name",
        "process__acronym",
        "country__name",
        "country__code",
        "organization__name",
        "organization__acronym",
    )
    autocomplete_fields = ("process", "country", "organization")
    fieldsets = (
        (
            _("Who takes part"),
            {
                "fields": ("process", "country", "organization", "role"),
                "description": _("Name either a country or an organization, not both."),
            },
        ),
        (_("Period"), {"fields": ("since_year", "until_year")}),
        SourcedAdminMixin.sources_fieldset,
    )


@admin.register(Chairmanship)
class ChairmanshipAdmin(SourcedAdminMixin, PortalImportExportMixin, PortalHistoryAdmin):
    resource_classes = [ChairmanshipResource]
    list_display = ("country", "process", "start_year", "end_year", "is_co_chair", "uncertain_flag")
    list_filter = (
        ChairmanshipCurrentListFilter,
        "is_co_chair",
        ("process", admin.RelatedOnlyFieldListFilter),
        "confidence",
    )
    list_select_related = ("process", "country")
    search_fields = ("process__name", "process__acronym", "country__name", "country__code")
    autocomplete_fields = ("process", "country")
    fieldsets = (
        (None, {"fields": ("process", "country", "is_co_chair", "start_year", "end_year")}),
        SourcedAdminMixin.sources_fieldset,
    )


@admin.register(FocalPoint)
class FocalPointAdmin(PortalImportExportMixin, PortalHistoryAdmin):
    resource_classes = [FocalPointResource]
    list_display = ("institution", "role", "country", "process", "position", "name", "consent_to_publish", "visibility")
    list_filter = ("role", "consent_to_publish", "visibility", ("process", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("process", "country")
    search_fields = ("institution", "position", "name", "email", "country__name", "process__name", "process__acronym")
    autocomplete_fields = ("process", "country")
    fieldsets = (
        (_("Role"), {"fields": ("process", "role", "country")}),
        (_("Contact"), {"fields": ("institution", "position", "name", "email", "phone")}),
        (
            _("Consent"),
            {
                "fields": ("consent_to_publish", "consent_date"),
                "description": _(
                    "Name, e-mail and phone are personal data. The public sees them only when the person's "
                    "consent to publication is recorded here, with its date."
                ),
            },
        ),
        visibility_fieldset(),
    )


# Recommendations and follow-up ------------------------------------------------------


class FollowUpInline(PortalTabularInline):
    model = FollowUp
    fields = ("process", "status", "date", "note", "evidence_url", "evidence_document", "visibility")
    autocomplete_fields = ("process", "evidence_document")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("process", "evidence_document")


@admin.register(Recommendation)
class RecommendationAdmin(SourcedAdminMixin, PortalImportExportMixin, PortalHistoryAdmin):
    resource_classes = [RecommendationResource]
    list_display = (
        "title",
        "kind",
        "year",
        "issued_by",
        "source_meeting",
        "follow_up_count",
        "visibility",
        "uncertain_flag",
    )
    list_filter = (
        "kind",
        "year",
        ("issuing_process", admin.RelatedOnlyFieldListFilter),
        # Short public vocabularies: list them all rather than scan 50,000 rows for the ones in use.
        ("addressee_groups", admin.RelatedFieldListFilter),
        ("themes", admin.RelatedFieldListFilter),
        "is_verbatim",
        "visibility",
        "confidence",
        UncertaintyListFilter,
    )
    list_select_related = ("issuing_process", "source_meeting")
    search_fields = ("title", "text", "issuing_body", "issuing_process__name", "issuing_process__acronym")
    autocomplete_fields = (
        "issuing_process",
        "source_meeting",
        "source_document",
        "addressee_groups",
        "addressed_processes",
        "themes",
    )
    inlines = (FollowUpInline,)
    fieldsets = (
        (_("Text"), {"fields": ("title", "text", "is_verbatim", "kind", "kind_note", "year")}),
        (
            _("Issued by"),
            {
                "fields": ("issuing_process", "issuing_body", "source_meeting", "source_document"),
                "description": _("Choose the issuing process, or name the issuing body where it is not in the portal."),
            },
        ),
        (_("Addressed to"), {"fields": ("addressee_groups", "addressed_processes", "addressees_note")}),
        (_("Themes"), {"fields": ("themes", "stated_themes")}),
        (_("Outcome"), {"fields": ("outcome_note",)}),
        SourcedAdminMixin.sources_fieldset,
        visibility_fieldset(),
    )

    def get_queryset(self, request):
        follow_ups = FollowUp.objects.filter(recommendation=OuterRef("pk"))
        return super().get_queryset(request).annotate(follow_up_count=count_subquery(follow_ups))

    @admin.display(description=_("issued by"), ordering="issuing_process__name")
    def issued_by(self, obj):
        return obj.issuing_process.short_name if obj.issuing_process else obj.issuing_body

    @admin.display(description=_("follow-ups"), ordering="follow_up_count")
    def follow_up_count(self, obj):
        return obj.follow_up_count


@admin.register(FollowUp)
class FollowUpAdmin(PortalImportExportMixin, PortalHistoryAdmin):
    resource_classes = [FollowUpResource]
    list_display = ("recommendation", "process", "status", "date", "visibility")
    # A date filter rather than date_hierarchy, whose year links scan the whole table on every page.
    list_filter = ("status", "visibility", "date", ("process", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("recommendation", "process")
    search_fields = ("recommendation__title", "process__name", "process__acronym", "note")
    autocomplete_fields = ("recommendation", "process", "evidence_document")
    fieldsets = (
        (None, {"fields": ("recommendation", "process", "status", "date", "note")}),
        (
            _("Evidence"),
            {
                "fields": ("evidence_url", "evidence_document", "source"),
                "description": _("A web address or a document in the portal showing what was done."),
            },
        ),
        visibility_fieldset(),
    )


# Surveys ---------------------------------------------------------------------------


class SurveyResponseInline(PortalTabularInline):
    model = SurveyResponse
    fields = ("list_order", "process", "name_in_survey", "status", "confidence")
    autocomplete_fields = ("process",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("process")


@admin.register(Survey)
class SurveyAdmin(SourcedAdminMixin, PortalHistoryAdmin):
    list_display = ("title", "year", "conducted_by", "response_count")
    list_filter = ("year",)
    search_fields = ("title", "conducted_by", "description")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (SurveyResponseInline,)
    fieldsets = (
        (None, {"fields": ("title", "slug", "year", "conducted_by", "description")}),
        SourcedAdminMixin.sources_fieldset,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(response_count=Count("responses"))

    @admin.display(description=_("responses"), ordering="response_count")
    def response_count(self, obj):
        return obj.response_count


@admin.register(SurveyResponse)
class SurveyResponseAdmin(SourcedAdminMixin, PortalHistoryAdmin):
    list_display = ("process", "survey", "status", "name_in_survey", "list_order")
    list_filter = ("status", ("survey", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("process", "survey")
    search_fields = ("process__name", "process__acronym", "name_in_survey", "survey__title")
    autocomplete_fields = ("survey", "process")
    fieldsets = (
        (None, {"fields": ("survey", "process", "status", "name_in_survey", "list_order")}),
        SourcedAdminMixin.sources_fieldset,
    )


# Users, roles and the processes secretariat users serve ------------------------------------


class SecretariatAssignmentInline(PortalTabularInline):
    model = SecretariatAssignment
    fields = ("process", "created")
    readonly_fields = ("created",)
    autocomplete_fields = ("process",)
    verbose_name_plural = _("processes this user serves as secretariat")


@admin.register(SecretariatAssignment)
class SecretariatAssignmentAdmin(PortalHistoryAdmin):
    list_display = ("user", "process", "created")
    list_select_related = ("user", "process")
    list_filter = (("process", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("user__username", "user__email", "process__name", "process__acronym")
    autocomplete_fields = ("user", "process")


class PortalUserAdmin(UserAdmin):
    """The stock user admin, plus the processes a secretariat user serves and a set-password link."""

    inlines = (*UserAdmin.inlines, SecretariatAssignmentInline)
    actions = ("send_set_password_link",)

    def get_urls(self):
        # Reached from the link in the e-mail, before the user can log in.
        set_password = PasswordResetConfirmView.as_view(
            template_name="registration/password_reset_confirm.html",
            success_url=reverse_lazy("admin:index"),
            post_reset_login=False,
        )
        return [
            path("set-password/<uidb64>/<token>/", set_password, name="auth_user_set_password"),
            *super().get_urls(),
        ]

    @admin.action(description=_("E-mail a one-time set-password link to the selected users"))
    def send_set_password_link(self, request, queryset):
        for user in queryset.exclude(email=""):
            link = set_password_link(user, base_url=request.build_absolute_uri("/"))
            send_mail(
                _("Your RCP Portal back-office account"),
                _("Choose your password here (the link works once): %(link)s") % {"link": link},
                None,
                [user.email],
            )
            self.message_user(request, _("Set-password link sent to %(email)s.") % {"email": user.email})


admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
