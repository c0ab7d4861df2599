"""Abstract models every domain app builds on: visibility, sources and confidence, years.

The public rule lives here once: `PublicQuerySet.public()` on the `visibility` field that
`VisibleModel` declares. A model whose public rule also depends on a parent (a document of a
confidential meeting, a follow-up of a confidential recommendation) extends `public()` in its
own queryset, once, by calling this one first.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

YEAR_VALIDATORS = [MinValueValidator(1900), MaxValueValidator(2100)]


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    PARTICIPANTS = "participants", _("Participants only")
    CONFIDENTIAL = "confidential", _("Confidential")


class Confidence(models.TextChoices):
    HIGH = "high", _("High — stated in a seed document or an official page")
    MEDIUM = "medium", _("Medium — secondary source, inference or partial list")
    LOW = "low", _("Low — conflicting or unconfirmed")


class Publication(models.TextChoices):
    """Whether the owner has released a record yet: a separate choice from its visibility."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


def public_condition(model):
    """The condition a row of `model` meets to be seen by anyone: public, and published where it can be a draft."""
    condition = models.Q(visibility=Visibility.PUBLIC)
    if issubclass(model, PublishableModel):
        condition &= models.Q(publication=Publication.PUBLISHED)
    return condition


def public_condition_via(model, path):
    """`public_condition(model)` of the row a query reaches through `path` (joins, e.g. "meeting__parent")."""
    return models.Q(**{f"{path}__{lookup}": value for lookup, value in public_condition(model).children})


class PublicRelatedIterable(models.query.ModelIterable):
    """Rows of a `select_public()` queryset: each foreign key whose target is not public reads None."""

    def __iter__(self):
        fields = self.queryset.public_related_fields
        for obj in super().__iter__():
            for field in fields:
                if not getattr(obj, f"{field}_is_public"):
                    obj._meta.get_field(field).set_cached_value(obj, None)
            yield obj


class PublicQuerySet(models.QuerySet):
    """What anyone may see: the one query every page, feed, calendar, sitemap, search, export and API uses."""

    public_related_fields = ()

    def public(self):
        return self.filter(public_condition(self.model))

    def select_public(self, *fields):
        """`select_related(*fields)` in the same query, where a target that is not public reads None.

        For targets whose public rule is their own row's (a process): the rule is read on the
        joined row, so a confidential issuer never reaches a template with no query more (a
        filtered Prefetch costs one). Targets with a rule of their own (a document of a
        confidential meeting) raise: prefetch them with their `public()` instead.
        """
        annotations = {}
        for field in fields:
            related = self.model._meta.get_field(field).related_model
            if type(related._default_manager.all()).public is not PublicQuerySet.public:
                raise ValueError(f"{related.__name__} has a public rule of its own: prefetch it with public().")
            condition = public_condition_via(related, field)
            annotations[f"{field}_is_public"] = models.ExpressionWrapper(condition, output_field=models.BooleanField())
        queryset = self.select_related(*fields).annotate(**annotations)
        queryset.public_related_fields = (*self.public_related_fields, *fields)
        queryset._iterable_class = PublicRelatedIterable
        return queryset

    def _clone(self):
        clone = super()._clone()
        clone.public_related_fields = self.public_related_fields
        return clone

    def drafts(self):
        """Records their owner has not published yet (only models that can be drafts have any)."""
        if not issubclass(self.model, PublishableModel):
            return self.none()
        return self.filter(publication=Publication.DRAFT)


class VisibleModel(models.Model):
    """A record that may be public, for participants only, or confidential (abstract)."""

    visibility = models.CharField(
        _("visibility"), max_length=15, choices=Visibility.choices, default=Visibility.PUBLIC, db_index=True
    )

    objects = PublicQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self):
        return self.visibility == Visibility.PUBLIC and getattr(self, "publication", None) != Publication.DRAFT


class PublishableModel(models.Model):
    """A record its owner writes as a draft and publishes when ready (abstract).

    Publishing is the owner's act, not a moderation step; visibility (public, participants,
    confidential) stays a separate choice. The default is "published" so that records loaded
    from fixtures, made by imports of finished data or created before drafts existed stay as
    they were; the back office starts every new record as a draft (rcps.publishing).
    """

    publication = models.CharField(
        _("publication"),
        max_length=10,
        choices=Publication.choices,
        default=Publication.PUBLISHED,
        db_index=True,
        editable=False,
        help_text=_("A draft is seen only in the back office until its owner publishes it."),
    )

    class Meta:
        abstract = True

    @property
    def is_draft(self):
        return self.publication == Publication.DRAFT


class SourcedModel(models.Model):
    """Where a record came from and how sure we are of it (abstract)."""

    source = models.TextField(
        _("source"),
        blank=True,
        help_text=_("Main citation: a seed document with a short quote, or a web address."),
    )
    sources = models.JSONField(
        _("all sources"),
        default=list,
        blank=True,
        help_text=_("Every citation, each with the fields it supports."),
    )
    confidence = models.CharField(_("confidence"), max_length=10, choices=Confidence.choices, default=Confidence.HIGH)
    low_confidence_fields = models.JSONField(
        _("low-confidence fields"),
        default=list,
        blank=True,
        help_text=_("Fields to be read as uncertain even when the record as a whole is not."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_low_confidence(self):
        return self.confidence == Confidence.LOW or bool(self.low_confidence_fields)


def validate_year_range(start, end, start_field, end_field):
    """Raise a form-friendly error when a period ends before it starts."""
    if start is not None and end is not None and end < start:
        raise ValidationError({end_field: _("The end cannot be before the start.")})
