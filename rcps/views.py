"""Public pages about processes, recommendations, focal points and countries."""

from itertools import combinations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView

from meetings.models import Document, Meeting
from portal.directory import DirectoryView
from portal.exchange.feeds import feed_links
from portal.exchange.models import Dispatch

from .filters import CountryFilterSet, FocalPointFilterSet, ProcessFilterSet, RecommendationFilterSet
from .models import Chairmanship, Country, FocalPoint, Participation, Process, Recommendation


def _names(items):
    return [str(item) for item in items]


class ProcessListView(DirectoryView):
    filterset_class = ProcessFilterSet
    template_name = "rcps/process_list.html"
    export_filename = "processes"
    export_columns = (
        ("name", "name"),
        ("acronym", "acronym"),
        ("kind", lambda p: p.get_kind_display()),
        ("regions", lambda p: _names(p.regions.all())),
        ("geographic_scope", "region_note"),
        ("year_established", "year_established"),
        ("status", lambda p: p.get_status_display()),
        ("level", lambda p: p.get_level_display()),
        ("md_stance", lambda p: p.get_md_stance_display()),
        ("themes", lambda p: _names(p.themes.all())),
        ("secretariat", lambda p: str(p.secretariat or "")),
        ("member_count", "member_count"),
        ("website", "website"),
        ("confidence", "confidence"),
        ("source", "source"),
    )

    def get_queryset(self):
        return Process.objects.public().with_related().with_member_counts()


class ProcessDetailView(DetailView):
    template_name = "rcps/process_detail.html"

    def get_queryset(self):
        return Process.objects.public().with_related()

    def get_context_data(self, **kwargs):
        process = self.object
        recommendations = Recommendation.objects.public().with_public_related(follow_ups_of=process)
        return super().get_context_data(
            participations=Participation.objects.filter(process=process)
            .with_related()
            .order_by("role", "country__name", "organization__name", "since_year"),
            chairmanships=Chairmanship.objects.filter(process=process).select_related("country"),
            meetings=Meeting.objects.public()
            .top_level()
            .filter(meetings_filter(process))
            .with_public_related()
            .distinct(),
            documents=Document.objects.public().filter(process=process).with_related(),
            issued_recommendations=recommendations.filter(issuing_process=process),
            addressed_recommendations=recommendations.filter(addressed_processes=process),
            focal_points=FocalPoint.objects.public().filter(process=process).with_related(),
            related_processes=Process.objects.public().sharing_with(process)[:12],
            dispatches=Dispatch.objects.public().concerning(process).with_public_related().newest_first()[:10],
            feed_links=feed_links(process=process),
            **kwargs,
        )


def meetings_filter(process):
    return Q(pk__in=Meeting.organizing_processes.through.objects.filter(process=process).values("meeting"))


class RecommendationListView(DirectoryView):
    filterset_class = RecommendationFilterSet
    template_name = "rcps/recommendation_list.html"
    export_filename = "recommendations"
    export_columns = (
        ("title", "title"),
        ("text", "text"),
        ("kind", lambda r: r.get_kind_display()),
        ("year", "year"),
        ("issued_by", lambda r: r.issuing_process.name if r.issuing_process else r.issuing_body),
        ("source_meeting", lambda r: r.source_meeting.title if r.source_meeting else ""),
        ("addressed_to", lambda r: _names(r.addressee_groups.all()) or [r.addressees_note]),
        ("addressed_processes", lambda r: [p.short_name for p in r.addressed_processes.all()]),
        ("themes", lambda r: _names(r.themes.all())),
        (
            "follow_ups",
            lambda r: [f"{f.process.short_name}: {f.get_status_display()} ({f.date})" for f in r.public_follow_ups],
        ),
        ("source", "source"),
    )

    def get_queryset(self):
        return Recommendation.objects.public().with_public_related()


class RecommendationDetailView(DetailView):
    template_name = "rcps/recommendation_detail.html"

    def get_queryset(self):
        return Recommendation.objects.public().with_public_related()


class FocalPointListView(DirectoryView):
    filterset_class = FocalPointFilterSet
    template_name = "rcps/focalpoint_list.html"
    export_filename = "focal-points"
    # Name, e-mail and phone only where the person consented to publication.
    export_columns = (
        ("process", lambda f: f.process.name),
        ("role", lambda f: f.get_role_display()),
        ("country", lambda f: f.country.name if f.country else ""),
        ("institution", "institution"),
        ("position", "position"),
        ("name", "public_name"),
        ("email", "public_email"),
        ("phone", "public_phone"),
    )

    def get_queryset(self):
        return FocalPoint.objects.public().with_related()


class CountryListView(DirectoryView):
    filterset_class = CountryFilterSet
    template_name = "rcps/country_list.html"
    paginate_by = 50
    export_filename = "countries"
    export_columns = (
        ("code", "code"),
        ("alpha3", "alpha3"),
        ("name", "name"),
        ("region", lambda c: str(c.region or "")),
        ("process_count", "process_count"),
    )

    def get_queryset(self):
        return Country.objects.select_related("region").with_process_counts()


class CountryDetailView(DetailView):
    template_name = "rcps/country_detail.html"
    context_object_name = "country"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Country.objects.select_related("region__parent__parent"), code=self.kwargs["code"].upper()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            participations=Participation.objects.public()
            .filter(country=self.object)
            .with_related()
            .order_by("process__name", "role", "since_year"),
            meetings_hosted=Meeting.objects.public().filter(country=self.object).with_public_related(),
            focal_point_count=FocalPoint.objects.public().filter(country=self.object).count(),
            **kwargs,
        )


def member_sets():
    """{process id: set of member country ids} for public processes, in one query."""
    members = {}
    pairs = Participation.objects.public().filter(role=Participation.Role.MEMBER, country__isnull=False)
    for process_id, country_id in pairs.values_list("process_id", "country_id").order_by():
        members.setdefault(process_id, set()).add(country_id)
    return members


def jaccard(a, b):
    union = len(a | b)
    return len(a & b) / union if union else 0.0


class OverlapView(TemplateView):
    """Processes × processes: how many member States each pair shares (seed 002's duplication concern)."""

    template_name = "rcps/overlap.html"

    def get_context_data(self, **kwargs):
        members = member_sets()
        processes = list(Process.objects.public().filter(pk__in=members.keys()).only("name", "acronym", "slug"))
        rows = []
        for process in processes:
            cells = []
            for other in processes:
                similarity = jaccard(members[process.pk], members[other.pk])
                cells.append(
                    {
                        "process": other,
                        "same": other.pk == process.pk,
                        "count": len(members[process.pk] & members[other.pk]),
                        "jaccard": similarity,
                        # A shade per fifth of similarity, as a CSS class (no inline styles under the CSP).
                        "level": min(5, int(similarity * 5) + 1) if similarity else 0,
                    }
                )
            rows.append({"process": process, "member_count": len(members[process.pk]), "cells": cells})
        top_pairs = sorted(
            (
                (len(members[a.pk] & members[b.pk]), jaccard(members[a.pk], members[b.pk]), a, b)
                for a, b in combinations(processes, 2)
            ),
            key=lambda pair: (-pair[1], -pair[0], pair[2].name),
        )
        top_pairs = [pair for pair in top_pairs if pair[0]][:15]
        return super().get_context_data(processes=processes, rows=rows, top_pairs=top_pairs, **kwargs)


class OverlapPairView(TemplateView):
    """The member States two processes share, and those only one of them has."""

    template_name = "rcps/overlap_pair.html"

    def get_context_data(self, **kwargs):
        processes = Process.objects.public().in_bulk([self.kwargs["slug_a"], self.kwargs["slug_b"]], field_name="slug")
        if len(processes) != 2:
            raise Http404("No such pair of public processes.")
        first, second = processes[self.kwargs["slug_a"]], processes[self.kwargs["slug_b"]]
        members = Participation.objects.filter(
            process__in=[first, second], role=Participation.Role.MEMBER, country__isnull=False
        ).values_list("process_id", "country_id")
        by_process = {first.pk: set(), second.pk: set()}
        for process_id, country_id in members:
            by_process[process_id].add(country_id)
        countries = Country.objects.in_bulk(by_process[first.pk] | by_process[second.pk])

        def listed(ids):
            return sorted((countries[pk] for pk in ids), key=lambda country: country.name)

        a, b = by_process[first.pk], by_process[second.pk]
        return super().get_context_data(
            first=first,
            second=second,
            shared=listed(a & b),
            only_first=listed(a - b),
            only_second=listed(b - a),
            jaccard=jaccard(a, b),
            **kwargs,
        )
