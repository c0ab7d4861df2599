"""Draft → published for a process's own records (meetings, documents, recommendations, follow-ups).

Publishing is the owner's act: whoever may change a record (rcps.scoping.can_manage) may
publish it, with no moderation. Visibility (public / participants / confidential) stays a
separate choice; a published confidential record is still seen by no one outside the back
office. What the public sees is decided by `core.models.public_condition`, which leaves drafts out.

Dispatches have their own workflow (exchange.workflow); these functions are for the records
that only have the two states.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import Publication, PublishableModel

from . import scoping

PUBLISHED_REASON = "Published"
UNPUBLISHED_REASON = "Back to draft"


def can_publish(user, record):
    return isinstance(record, PublishableModel) and record.pk is not None and scoping.can_manage(user, record)


def publication_children(record):
    """The drafts that are published together with `record` (a meeting's sessions and documents…)."""
    method = getattr(record, "publication_children", None)
    return list(method()) if method else []


def _save(record, user, reason):
    record._change_reason = reason
    record._history_user = user
    record.full_clean()
    record.save()


@transaction.atomic
def record_publish(*, record, user):
    """Publish a draft and the drafts that belong to it which `user` may manage; return those published."""
    if not isinstance(record, PublishableModel):
        raise ValidationError(_("This kind of record has no draft."), code="not_publishable")
    if not can_publish(user, record):
        raise PermissionDenied(_("Only the process that owns this record may publish it."))
    record = type(record)._default_manager.select_for_update().get(pk=record.pk)
    if not record.is_draft:
        raise ValidationError(_("This record is already published."), code="already_published")
    published = []
    record.publication = Publication.PUBLISHED
    _save(record, user, PUBLISHED_REASON)
    published.append(record)
    for children in publication_children(record):
        for child in children.managed_by(user):
            child.publication = Publication.PUBLISHED
            _save(child, user, PUBLISHED_REASON)
            published.append(child)
    return published


@transaction.atomic
def record_unpublish(*, record, user):
    """Take a published record back to draft: it leaves every public page until it is published again."""
    if not can_publish(user, record):
        raise PermissionDenied(_("Only the process that owns this record may change its publication."))
    record = type(record)._default_manager.select_for_update().get(pk=record.pk)
    if record.is_draft:
        raise ValidationError(_("This record is already a draft."), code="already_draft")
    record.publication = Publication.DRAFT
    _save(record, user, UNPUBLISHED_REASON)
    return record


def start_as_draft(record):
    """Mark a record about to be created in the back office as a draft (the model's default is published)."""
    if isinstance(record, PublishableModel) and record.pk is None:
        record.publication = Publication.DRAFT
    return record


def publish_actions(request, record):
    """The "Publish" step offered on a draft's preview to those who may publish it (core.preview)."""
    from django.urls import reverse

    from core.preview import preview_action

    if not getattr(record, "is_draft", False) or not can_publish(request.user, record):
        return []
    opts = record._meta
    return [
        preview_action(
            step="publish",
            label=_("Publish"),
            question=_("Publish “%(title)s” now? It appears on the public pages, feeds and exports as it is here.")
            % {"title": record},
            post_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_publish", args=[record.pk]),
            page_url=request.get_full_path(),
            cancel_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]),
        )
    ]
