"""The dispatch workflow: every state change, with its checks, its record and its e-mails.

    RCP → GFMD:  draft → submitted → published
                                   ↘ returned → (edited) → submitted …
    GFMD → RCPs: draft → published (by the GFMD Support Unit)

Each function is keyword-only and atomic, validates before saving, records a
`DispatchTransition` (who, when, why) and raises `DispatchTransitionError` (a ValidationError)
for a move the state does not allow, or `DispatchPermissionError` (PermissionDenied) when the
user may not make it. E-mails leave only once the transaction has committed.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import roles
from rcps.scoping import serves

from .models import Dispatch, DispatchAcknowledgement, DispatchTransition

State = Dispatch.State
Direction = Dispatch.Direction


class DispatchTransitionError(ValidationError):
    """A workflow step the dispatch's state does not allow."""


class DispatchPermissionError(PermissionDenied):
    """A workflow step the user may not take (wrong role or another process's dispatch)."""


def _refuse(message, **params):
    raise DispatchTransitionError(message % params if params else message, code="illegal_transition")


def _record(dispatch, from_state, to_state, user, reason=""):
    transition = DispatchTransition(
        dispatch=dispatch, from_state=from_state, to_state=to_state, user=user, reason=reason
    )
    transition.full_clean()
    transition.save()
    return transition


def _move(dispatch, to_state, user, reason=""):
    from_state = dispatch.state
    dispatch.state = to_state
    dispatch.full_clean()
    dispatch.save()
    _record(dispatch, from_state, to_state, user, reason)


def _lock(dispatch):
    """Lock the row (two moderators clicking at once) and work on its saved state."""
    Dispatch.objects.select_for_update().filter(pk=dispatch.pk).values_list("pk", flat=True).get()
    dispatch.refresh_from_db()
    return dispatch


def _set_relations(dispatch, relations):
    for name, values in relations.items():
        if values is not None:
            getattr(dispatch, name).set(values)


# Creating -------------------------------------------------------------------------------------


@transaction.atomic
def dispatch_create(
    *,
    user,
    direction,
    kind,
    title,
    body,
    sender_process=None,
    addressed_to_all=False,
    addressed_processes=(),
    themes=(),
    meetings=(),
    documents=(),
    recommendations=(),
    in_reply_to=None,
    submit=False,
):
    """A new draft (submitted at once with `submit=True`) from a secretariat or the Support Unit."""
    dispatch = Dispatch(
        direction=direction,
        kind=kind,
        title=title,
        body=body,
        sender_process=sender_process,
        addressed_to_all=addressed_to_all,
        in_reply_to=in_reply_to,
    )
    dispatch_start(dispatch=dispatch, user=user)
    _set_relations(
        dispatch,
        {
            "addressed_processes": addressed_processes,
            "themes": themes,
            "meetings": meetings,
            "documents": documents,
            "recommendations": recommendations,
        },
    )
    if submit:
        dispatch_submit(dispatch=dispatch, user=user)
    return dispatch


@transaction.atomic
def dispatch_start(*, dispatch, user):
    """Save a new dispatch as a draft by `user` (its relations are set afterwards), recording the first step."""
    if dispatch.direction == Direction.TO_GFMD:
        if not serves(user, dispatch.sender_process):
            raise DispatchPermissionError(_("You may only write dispatches for processes you serve."))
    elif not roles.is_moderator(user):
        raise DispatchPermissionError(_("Only the GFMD Support Unit writes dispatches from the GFMD."))
    dispatch.state = State.DRAFT
    dispatch.created_by = user
    dispatch.full_clean()
    dispatch.save()
    _record(dispatch, "", State.DRAFT, user)
    return dispatch


# Moving -------------------------------------------------------------------------------------


@transaction.atomic
def dispatch_submit(*, dispatch, user):
    """A secretariat sends its draft (or a returned dispatch, once edited) to the GFMD for moderation."""
    dispatch = _lock(dispatch)
    if dispatch.direction != Direction.TO_GFMD:
        _refuse(_("Dispatches from the GFMD are published directly; they are not submitted."))
    if not serves(user, dispatch.sender_process):
        raise DispatchPermissionError(_("You may only submit dispatches of processes you serve."))
    if dispatch.state not in (State.DRAFT, State.RETURNED):
        _refuse(
            _("Only a draft or a returned dispatch can be submitted; this one is “%(state)s”."),
            state=dispatch.get_state_display(),
        )
    dispatch.submitted_at = timezone.now()
    _move(dispatch, State.SUBMITTED, user)
    _notify_support_unit(dispatch)
    return dispatch


@transaction.atomic
def dispatch_publish(*, dispatch, user):
    """The Support Unit publishes a submitted dispatch to the GFMD, or its own dispatch to the processes."""
    dispatch = _lock(dispatch)
    if not roles.is_moderator(user):
        raise DispatchPermissionError(_("Only the GFMD Support Unit publishes dispatches."))
    allowed = (State.SUBMITTED,) if dispatch.direction == Direction.TO_GFMD else (State.DRAFT, State.SUBMITTED)
    if dispatch.state not in allowed:
        if dispatch.direction == Direction.TO_GFMD and dispatch.state in (State.DRAFT, State.RETURNED):
            _refuse(_("This dispatch has not been submitted by its sender yet."))
        _refuse(_("This dispatch cannot be published: it is “%(state)s”."), state=dispatch.get_state_display())
    if dispatch.direction == Direction.FROM_GFMD and not (
        dispatch.addressed_to_all or dispatch.addressed_processes.exists()
    ):
        _refuse(_("Address the dispatch to all processes or to some before publishing it."))
    dispatch.published_at = timezone.now()
    dispatch.return_reason = ""
    _move(dispatch, State.PUBLISHED, user)
    if dispatch.direction == Direction.TO_GFMD:
        _notify_sender(dispatch, "published")
    return dispatch


@transaction.atomic
def dispatch_return(*, dispatch, user, reason):
    """The Support Unit sends a submitted dispatch back to its secretariat, saying why."""
    dispatch = _lock(dispatch)
    if not roles.is_moderator(user):
        raise DispatchPermissionError(_("Only the GFMD Support Unit returns dispatches."))
    reason = (reason or "").strip()
    if not reason:
        raise DispatchTransitionError({"reason": _("Say why the dispatch is returned.")}, code="reason_required")
    if dispatch.state != State.SUBMITTED:
        _refuse(
            _("Only a submitted dispatch can be returned; this one is “%(state)s”."), state=dispatch.get_state_display()
        )
    dispatch.return_reason = reason
    _move(dispatch, State.RETURNED, user, reason)
    _notify_sender(dispatch, "returned")
    return dispatch


@transaction.atomic
def dispatch_acknowledge(*, dispatch, process, user):
    """An addressed process says it has received a published dispatch from the GFMD."""
    _check_addressed(dispatch, process, user)
    if DispatchAcknowledgement.objects.filter(dispatch=dispatch, process=process).exists():
        _refuse(_("%(process)s has already acknowledged this dispatch."), process=process.short_name)
    acknowledgement = DispatchAcknowledgement(dispatch=dispatch, process=process, user=user)
    acknowledgement.full_clean()
    acknowledgement.save()
    return acknowledgement


@transaction.atomic
def dispatch_reply(*, original, process, user, title, body, kind=Dispatch.Kind.REPLY, themes=None, submit=True):
    """An addressed process answers a dispatch from the GFMD; the reply goes to the GFMD for moderation."""
    _check_addressed(original, process, user)
    return dispatch_create(
        user=user,
        direction=Direction.TO_GFMD,
        kind=kind,
        title=title,
        body=body,
        sender_process=process,
        themes=original.themes.all() if themes is None else themes,
        in_reply_to=original,
        submit=submit,
    )


def _check_addressed(dispatch, process, user):
    if not dispatch.is_published or dispatch.direction != Direction.FROM_GFMD:
        _refuse(_("Only a published dispatch from the GFMD can be acknowledged or answered."))
    if not serves(user, process):
        raise DispatchPermissionError(_("You may only act for processes you serve."))
    if not dispatch.is_addressed_to(process):
        _refuse(_("This dispatch is not addressed to %(process)s."), process=process.short_name)


# E-mails -------------------------------------------------------------------------------------


def _absolute(path):
    return settings.SITE_URL + path


def _sender_addresses(dispatch):
    User = get_user_model()
    users = User.objects.filter(is_active=True).exclude(email="")
    recipients = set(
        users.filter(secretariat_assignments__process=dispatch.sender_process_id).values_list("email", flat=True)
    )
    if dispatch.created_by_id and dispatch.created_by.email and dispatch.created_by.is_active:
        recipients.add(dispatch.created_by.email)
    return sorted(recipients)


def _notify_sender(dispatch, event):
    recipients = _sender_addresses(dispatch)
    if not recipients:
        return
    context = {
        "dispatch": dispatch,
        "admin_url": _absolute(reverse("admin:exchange_dispatch_change", args=[dispatch.pk])),
        "public_url": _absolute(dispatch.get_absolute_url()),
    }
    subject = render_to_string(f"exchange/email/{event}_subject.txt", context).strip()
    message = render_to_string(f"exchange/email/{event}.txt", context)
    transaction.on_commit(lambda: send_mail(subject, message, None, recipients))


def _notify_support_unit(dispatch):
    User = get_user_model()
    recipients = sorted(
        set(
            User.objects.filter(is_active=True, groups__name=roles.SUPPORT_UNIT)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if not recipients:
        return
    context = {
        "dispatch": dispatch,
        "admin_url": _absolute(reverse("admin:exchange_dispatch_change", args=[dispatch.pk])),
    }
    subject = render_to_string("exchange/email/submitted_subject.txt", context).strip()
    message = render_to_string("exchange/email/submitted.txt", context)
    transaction.on_commit(lambda: send_mail(subject, message, None, recipients))
