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
