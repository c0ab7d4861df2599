"""The profile pages of a process, of a country and of a document: they gather every app's records about it."""

import functools

from django.db.models import Count, Exists, OuterRef, Q, TextField
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from core.charts import years_chart
from core.pagecache import PageDependenciesMixin, anonymous_value, depends_on, rows_tag, vocabularies
from core.preview import PreviewableDetailMixin
from core.worldmap import SHADE_LEGEND, bins, world_map
from exchange.feeds import feed_links
from exchange.models import Dispatch
from meetings.models import Document, Meeting
from meetings.views import DocumentDetailView
from practices.models import CallForPractices, Practice
from rcps.models import Chairmanship, FocalPoint, Participation, Process
from rcps.scoping import participant_process_ids
from recommendations.models import FollowUp, Recommendation
from reference.models import Country


def citing(queryset, document):
    """Rows of `queryset` whose sources cite `document` (`{"document": <pk>, …}` in their JSON).

    The JSON is read as text, the same on SQLite and PostgreSQL: whichever key follows, the
    citation reads `"document": <pk>,` or ends the entry with `}`.
    """
    text = Cast("sources", TextField())
    needle = f'"document": {document.pk}'
    return queryset.annotate(sources_text=text).filter(
        Q(sources_text__contains=needle + ",") | Q(sources_text__contains=needle + "}")
    )


def records_citing(document):
    """[(heading, records)] of the public records that cite `document`, one group per kind of record.

    A process is listed when its profile, its member list or its chairs cite the document.
    """
    processes = Process.objects.public()
    cited_by_parts = Q(pk__in=citing(Participation.objects.public(), document).values("process")) | Q(
        pk__in=citing(Chairmanship.objects.public(), document).values("process")
    )
    groups = [
        (_("Processes"), processes.filter(Q(pk__in=citing(processes, document).values("pk")) | cited_by_parts)),
        (_("Meetings"), citing(Meeting.objects.public(), document).order_by("-start_date", "title")),
        (_("Documents"), citing(Document.objects.public().exclude(pk=document.pk), document)),
        (_("Recommendations"), citing(Recommendation.objects.public(), document)),
        (_("Dispatches"), citing(Dispatch.objects.public(), document).newest_first()),
    ]
    return [(heading, list(records)) for heading, records in groups]


class DocumentProfileView(DocumentDetailView):
    """A document's page with what cites it and where it serves as evidence of a follow-up."""

    def detail_queryset(self, records):
        # Whether public translations exist, in the same query: the versions are read only when there are some.
        translations = Document.objects.public().filter(translation_of=OuterRef("pk"))
        return super().detail_queryset(records).annotate(has_translations=Exists(translations))

    def language_versions(self, document):
        if not (document.translation_of_id or getattr(document, "has_translations", False)):
            return []
        return Document.objects.public().language_versions_of(document)

    def get_context_data(self, **kwargs):
        document = self.object
        # Citations, follow-ups, recommendations and dispatch links bump this document's record;
        # the meetings, recommendations and follow-ups whose visibility they depend on, their models.
        related = anonymous_value(
            self.request,
            f"document:{document.pk}:related",
            lambda: self.related_records(document),
            [document, *vocabularies(), rows_tag(Meeting), Recommendation, FollowUp],
        )
        document_versions = list(self.language_versions(document))
        # What they show of themselves, their own records.
        depends_on(
            self.request,
            *(records for _heading, records in related["citing_groups"]),
            [follow_up.recommendation for follow_up in related["evidence_for"]],
            document_versions,
        )
        return super().get_context_data(**related, document_versions=document_versions, **kwargs)

    def related_records(self, document):
        return {
            "citing_groups": [group for group in records_citing(document) if group[1]],
            "evidence_for": list(
                FollowUp.objects.public().filter(evidence_document=document).select_related("process", "recommendation")
            ),
            "recommendations": list(document.recommendations.public_or_readable_by(self.request.user)),
            "dispatches": list(Dispatch.objects.public().filter(documents=document).newest_first()),
        }


# The newest rows of each list on a profile; the directories, filtered by the process, list them all.
PROFILE_LIST_SIZE = 20

MAP_ROLES = {
    Participation.Role.MEMBER: ("map-member", _("Member")),
    Participation.Role.OBSERVER: ("map-observer", _("Observer")),
    Participation.Role.PARTNER: ("map-partner", _("Partner")),
}


def profile_section(request, record, name, compute, *models):
    """A section of `record`'s profile: for anonymous readers, cached until a write bumps `record`,
    a vocabulary or any row of `models` (what the section shows whose writes do not bump `record`)."""
    key = f"profile:{record._meta.label_lower}:{record.pk}:{name}"
    return anonymous_value(request, key, compute, [record, *vocabularies(), *models])


def participation_map(participations):
    """The world map of a process: its member, observer and partner States (former members greyed)."""
    colours, legend = {}, {}
    for participation in participations:
        country = participation.country
        if country is None or participation.role not in MAP_ROLES:
            continue
        css, role = MAP_ROLES[participation.role]
        if participation.role == Participation.Role.MEMBER and participation.until_year:
            css, role = "map-former", _("Former member")
        # A State listed twice (member, then observer) keeps its first, strongest role.
        colours.setdefault(country.numeric, (css, f"{country.name}: {role}"))
        legend.setdefault(css, role)
    return {**world_map(colours), "legend": list(legend.items())}


class ProcessDetailView(PageDependenciesMixin, PreviewableDetailMixin, DetailView):
    model = Process
    # Related processes share participating countries. The rows of what its sections list: their
    # own writes bump this record, but a record hidden by another's visibility (a document of a
    # meeting made confidential) moves only their rows tag.
    depends_on_models = (
        Participation,
        *(
            rows_tag(model)
            for model in (Meeting, Document, Recommendation, FollowUp, Dispatch, Practice, CallForPractices)
        ),
    )
    template_name = "rcps/process_detail.html"

    def detail_queryset(self, records):
        return records.with_related()

    def get_context_data(self, **kwargs):
        process = self.object
        reader = self.request.user
        section = functools.partial(profile_section, self.request, process)
        members = section("members", lambda: self.members_section(process, reader))
        records = section(
            "records",
            lambda: self.records_section(process, reader),
            rows_tag(Document),  # its documents' titles bump this record; a meeting made confidential, their rows
            Recommendation,
            FollowUp,
        )
        follow_ups = records["follow_ups"]
        # Its follow-ups bump this record; the recommendations and evidence they name, their own.
        evidence = {follow_up.evidence_document_id for follow_up in follow_ups} - {None}
        depends_on(
            self.request,
            [follow_up.recommendation for follow_up in follow_ups],
            *(f"meetings.document:{pk}" for pk in evidence),
        )
        today = timezone.localdate()
        return super().get_context_data(
            **members,
            **section("meetings", lambda: self.meetings_section(process, reader), rows_tag(Meeting)),
            **records,
            member_process_ids=participant_process_ids(reader),
            related_processes=section(
                "related", lambda: list(Process.objects.public().sharing_with(process)[:12]), Participation
            ),
            dispatches=section(
                "dispatches",
                lambda: list(Dispatch.objects.public().concerning([process]).with_public_related().newest_first()[:10]),
                Dispatch,
            ),
            feed_links=feed_links(process=process),
            # Good practices (issue 16): the open calls addressed to it, the practices it implemented.
            **section(
                f"practices:{today.isoformat()}",
                lambda: self.practices_section(process, today),
                CallForPractices,
                Practice,
                Dispatch,
            ),
            **kwargs,
        )

    @staticmethod
    def members_section(process, reader):
        participations = list(
            Participation.objects.filter(process=process)
            .with_related()
            .order_by("role", "country__name", "organization__name", "since_year")
        )
        return {
            "participations": participations,
            "members_map": participation_map(participations),
            "chairmanships": list(Chairmanship.objects.filter(process=process).select_related("country")),
            # A verified participant of this process also reads its participants-only records here, marked.
            "focal_points": list(
                FocalPoint.objects.public_or_readable_by(reader).filter(process=process).with_related()
            ),
        }

    @staticmethod
    def meetings_section(process, reader):
        meetings = Meeting.objects.public_or_readable_by(reader).top_level().organized_by(process)
        return {
            "meetings": list(meetings.with_public_related()[:PROFILE_LIST_SIZE]),
            "meetings_chart": years_chart(meetings.per_year()),
        }

    @staticmethod
    def records_section(process, reader):
        recommendations = Recommendation.objects.public_or_readable_by(reader)
        return {
            "follow_ups": list(
                FollowUp.objects.public_or_readable_by(reader)
                .filter(process=process)
                .with_public_related()
                .select_related("recommendation")
                .order_by("-date", "pk")[:PROFILE_LIST_SIZE]
            ),
            "documents": list(
                Document.objects.public_or_readable_by(reader)
                .filter(process=process)
                .with_related()[:PROFILE_LIST_SIZE]
            ),
            "issued_recommendations": list(recommendations.filter(issuing_process=process)[:PROFILE_LIST_SIZE]),
            "addressed_recommendations": list(
                recommendations.filter(addressed_processes=process).with_follow_up_badges(
                    follow_ups_of=process, reader=reader
                )[:PROFILE_LIST_SIZE]
            ),
        }

    @staticmethod
    def practices_section(process, today):
        return {
            "open_calls": list(
                CallForPractices.objects.public().open_on(today).addressed_to([process.pk]).order_by("deadline")
            ),
            "practices": list(
                Practice.objects.public()
                .filter(implementing_processes=process)
                .select_related("process")
                .newest_first()[:10]
            ),
        }


class CountryDetailView(PageDependenciesMixin, DetailView):
    template_name = "rcps/country_detail.html"
    # Neighbours: the other countries of its processes; the meetings it hosted, a session hidden with its meeting.
    depends_on_models = (Participation, rows_tag(Meeting))
    context_object_name = "country"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Country.objects.select_related("region__parent__parent"), code=self.kwargs["code"].upper()
        )

    def get_context_data(self, **kwargs):
        country = self.object
        participations = list(
            Participation.objects.public()
            .filter(country=country)
            .with_related()
            .order_by("process__name", "role", "since_year")
        )
        neighbours = (
            Participation.objects.public()
            .filter(process__in={p.process_id for p in participations}, country__isnull=False)
            .exclude(country=country)
            .values_list("country__numeric", "country__name", "country__code")
            .annotate(shared=Count("process", distinct=True))
            .order_by("-shared", "country__name")
        )
        neighbours = list(neighbours)
        colours = {
            numeric: (
                f"map-shade-{bins(shared)}",
                gettext_now("%(name)s: %(count)s processes in common") % {"name": name, "count": shared},
            )
            for numeric, name, _code, shared in neighbours
        }
        colours[country.numeric] = ("map-self", country.name)
        legend = [("map-self", country.name), *SHADE_LEGEND]
        return super().get_context_data(
            participations=participations,
            neighbours_map=world_map(colours),
            neighbours_legend=legend,
            closest=neighbours[:10],
            meetings_hosted=Meeting.objects.public()
            .filter(country=self.object)
            .with_public_related()[:PROFILE_LIST_SIZE],
            focal_point_count=FocalPoint.objects.public().filter(country=self.object).count(),
            **kwargs,
        )
