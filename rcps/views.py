"""Public directories of processes, focal points and countries, and the membership overlap between processes.

A process's and a country's profile gather every app (meetings, recommendations, the exchange)
and so live in `portal.profiles`.
"""

from itertools import combinations

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.directory import DirectoryView
from core.exports import Cell, choice, choice_label, field, names, or_empty
from core.pagecache import cached_value
from core.worldmap import SHADE_LEGEND, bins, world_map
from reference.models import Country

from .filters import CountryFilterSet, FocalPointFilterSet, ProcessFilterSet
from .models import FocalPoint, Participation, Process, with_process_counts
from .scoping import participant_process_ids


class ProcessListView(DirectoryView):
    filterset_class = ProcessFilterSet
    depends_on_models = (Participation,)  # member counts
    template_name = "rcps/process_list.html"
    export_filename = "processes"
    export_columns = (
        ("name", "name"),
        ("acronym", "acronym"),
        ("kind", choice_label("kind")),
        ("regions", lambda p: names(p.regions.all())),
        ("geographic_scope", "region_note"),
        ("year_established", "year_established"),
        ("status", choice_label("status")),
        ("level", choice_label("level")),
        ("md_stance", choice_label("md_stance")),
        ("themes", lambda p: names(p.themes.all())),
        ("secretariat", lambda p: str(p.secretariat or "")),
        ("member_count", "member_count"),
        ("website", "website"),
        ("confidence", "confidence"),
        ("source", "source"),
    )

    def get_queryset(self):
        return Process.objects.public().with_related().with_member_counts()


def focal_point_columns(member_process_ids=frozenset()):
    """Name, e-mail and phone only where the person consented to publication, or to members of their process."""

    def contact(value, consent_to_publish, process_id):
        return value if consent_to_publish or process_id in member_process_ids else ""

    return (
        ("process", field("process__name")),
        ("role", choice("role")),
        ("country", Cell(or_empty, "country__name")),
        ("institution", field("institution")),
        ("position", field("position")),
        ("name", Cell(contact, "name", "consent_to_publish", "process")),
        ("email", Cell(contact, "email", "consent_to_publish", "process")),
        ("phone", Cell(contact, "phone", "consent_to_publish", "process")),
    )


class FocalPointListView(DirectoryView):
    filterset_class = FocalPointFilterSet
    template_name = "rcps/focalpoint_list.html"
    export_filename = "focal-points"
    export_columns = focal_point_columns()

    def get_queryset(self):
        return FocalPoint.objects.public_or_readable_by(self.request.user).with_related()

    @property
    def member_process_ids(self):
        """A verified participant's processes, whose focal points' contacts they read (members see each other)."""
        return participant_process_ids(self.request.user)

    def get_export_columns(self):
        if not self.member_process_ids:
            return self.export_columns
        return focal_point_columns(self.member_process_ids)

    def get_context_data(self, **kwargs):
        return super().get_context_data(member_process_ids=self.member_process_ids, **kwargs)


class CountryListView(DirectoryView):
    filterset_class = CountryFilterSet
    depends_on_models = (Participation,)
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
        return with_process_counts(Country.objects.select_related("region"))

    def get_context_data(self, **kwargs):
        # Every country's count, not the page's: computed once per change of the data.
        counts = cached_process_counts()
        return super().get_context_data(processes_map=processes_map(counts), process_counts=counts, **kwargs)


def cached_process_counts():
    return cached_value("countries.process-counts", process_counts, depends_on=[Participation, Process])


def process_counts():
    """[(ISO numeric, name, code, number of processes)] of every country taking part in a public process, most first."""
    rows = with_process_counts(Country.objects.all()).filter(process_count__gt=0)
    rows = rows.values_list("numeric", "name", "code", "process_count").order_by("-process_count", "name")
    return list(rows)


def processes_map(counts):
    """The choropleth of how many processes each State takes part in, with its legend."""
    colours = {
        numeric: (f"map-shade-{bins(count)}", _("%(name)s: %(count)s processes") % {"name": name, "count": count})
        for numeric, name, _code, count in counts
    }
    return {**world_map(colours), "legend": SHADE_LEGEND}


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
