"""Public figures of the data exchange on the process and country pages (only figures released to the public)."""

from django import template

from members.models import Figure

register = template.Library()


@register.inclusion_tag("members/_public_figures.html")
def public_figures(process=None, country=None):
    figures = (
        Figure.objects.public().with_related().order_by("indicator__name", "country__name", "year", "disaggregation")
    )
    if process is not None:
        figures = figures.filter(process=process)
    if country is not None:
        figures = figures.filter(country=country)
    return {"public_figures": list(figures[:500])}


@register.inclusion_tag("members/_participants_banner.html", takes_context=True)
def participants_banner(context, process):
    """For a signed-in member of `process`: how many participants-only records it shares, marked and linked."""
    from members import shared  # the tag is loaded by public templates; the queries run only for members
    from rcps import scoping

    user = context["request"].user
    if process is None or process.pk not in scoping.participant_process_ids(user):
        return {"process": None}
    records = shared.shared_records(process)
    counts = {name: records[name].count() for name in ("meetings", "documents", "recommendations", "follow_ups")}
    return {"process": process, "total": sum(counts.values()), **counts}
