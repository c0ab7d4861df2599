"""Query helpers shared by the domain apps."""

from django.db import models
from django.db.models import Count, IntegerField, Subquery
from django.db.models.functions import Coalesce


def count_subquery(queryset, field="pk"):
    """A correlated COUNT(DISTINCT field) over `queryset` (already filtered by OuterRef), 0 when empty.

    A subquery rather than a JOIN + Count keeps counts right when the outer queryset is also
    filtered or annotated across other multi-valued relations.
    """
    counted = (
        queryset.order_by()
        .annotate(_group=models.Value(1))
        .values("_group")
        .annotate(n=Count(field, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
