"""What a participant may read: their processes and the participants-only records of each (through rcps.scoping)."""

import base64

import segno
from django.db.models import Prefetch

from meetings.models import Document, Meeting
from rcps import scoping
from rcps.models import FocalPoint, Process
from recommendations.models import FollowUp, Recommendation

from .models import ListMessage


def member_processes(user):
    """The processes `user` takes part in (none for staff and visitors)."""
    return Process.objects.filter(pk__in=scoping.participant_process_ids(user)).order_by("name")


def shared_records(process):
    """The participants-only records of `process`, each list with the joins its rows show (constant queries)."""
    ids = [process.pk]
    return {
        "meetings": Meeting.objects.for_participants_of(ids).select_related("country").order_by("-start_date", "pk"),
        "documents": Document.objects.for_participants_of(ids).select_related("meeting").order_by("-date", "pk"),
        "recommendations": Recommendation.objects.for_participants_of(ids).order_by("-pk"),
        "follow_ups": FollowUp.objects.for_participants_of(ids)
        .select_related("recommendation", "process")
        .order_by("-date", "pk"),
        # The whole network of the process, contacts included: members see each other (never confidential rows).
        "list_messages": ListMessage.objects.filter(mailing_list__process=process).select_related("mailing_list")[:50],
        "focal_points": FocalPoint.objects.filter(process=process)
        .exclude(visibility="confidential")
        .select_related("country")
        .order_by("role", "country__name", "institution"),
    }


def participant_document(user, pk):
    """A participants-only document of one of `user`'s processes, or None."""
    return Document.objects.for_participants_of(scoping.participant_process_ids(user)).filter(pk=pk).first()


def calendar_meetings(user):
    """Dated meetings a participant may see: public ones and their processes' participants-only ones."""
    return (
        Meeting.objects.readable_by(user)
        .filter(date_precision=Meeting.DatePrecision.DAY)
        .select_related("country")
        .prefetch_related(Prefetch("organizing_processes", queryset=Process.objects.readable_by(user)), "themes")
        .order_by("start_date", "pk")[:500]
    )


def qr_svg(data):
    """A QR code as inline SVG markup, drawn on the server (no script, no outside service)."""
    return segno.make(data, error="m").svg_inline(scale=5, dark="#000", light="#fff")


def base32_key(device):
    """The TOTP secret as authenticator apps type it in (grouped by four)."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def side_by_side(rows):
    """Figures of one indicator as a table (countries × years) and a bar chart per country."""
    from core.charts import years_chart

    years = sorted({figure.year for figure in rows})
    by_country = {}
    for figure in rows:
        by_country.setdefault(figure.country, {})[figure.year] = figure
    table = [
        {
            "country": country,
            "cells": [cells.get(year) for year in years],
            "chart": years_chart([(year, plain_number(figure.value)) for year, figure in cells.items()]),
        }
        for country, cells in by_country.items()
    ]
    return {"years": years, "table": table}


def served_processes(user):
    """The processes a secretariat user serves (every process for an administrator)."""
    if not user.is_staff:
        return Process.objects.none()
    ids = scoping.served_process_ids(user)
    processes = Process.objects.order_by("name")
    return processes if ids is None else processes.filter(pk__in=ids)


def plain_number(value):
    """A Decimal as the chart labels it: 311056, not 311056.00."""
    return int(value) if value == value.to_integral_value() else float(value)
