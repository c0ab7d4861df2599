"""Query helpers shared by the domain apps."""

from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
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


def points_into(field, rows, nullable=True):
    """The condition that a row's foreign key `field` points at one of `rows` (or is empty, where `nullable`).

    A correlated EXISTS on the target's primary key, for public rules that read a parent: the
    database checks the parent of each row it reads, so a page of 25 rows or one record does the
    work of 25 rows or one. `field__in=rows` made PostgreSQL hash every public parent of the table
    first, a cost that grew with the table, not with the page.
    """
    condition = Q(Exists(rows.filter(pk=OuterRef(field))))
    return Q(**{f"{field}__isnull": True}) | condition if nullable else condition


def fetch_together(*querysets):
    """[list(queryset) …]: one bounded query each, then their shared prefetches once for all their rows.

    Lists of one model on one page (three directions of dispatches, upcoming and recent meetings)
    need their related rows read only once, not once per list.
    """
    lookups = querysets[0]._prefetch_related_lookups
    if any(queryset._prefetch_related_lookups != lookups for queryset in querysets):
        raise ValueError("fetch_together() needs querysets with the same prefetches.")
    lists = [list(queryset.prefetch_related(None)) for queryset in querysets]
    models.prefetch_related_objects([row for rows in lists for row in rows], *lookups)
    return lists
