"""The dispatch workflow: every state change, with its checks, its record and its notifications.

    RCP → GFMD:  draft → submitted → published          (the Support Unit moderates)
                                   ↘ returned → (edited) → submitted …
    GFMD → RCPs: draft → published                       (by the Support Unit)
    RCP ↔ RCP:   draft → published                       (by the sender: the GFMD is no gatekeeper)
                 draft → submitted → published / returned, when settings.EXCHANGE_MODERATE_BETWEEN_RCPS

Each function is keyword-only and atomic, validates before saving, records a
`DispatchTransition` (who, when, why) and a reason in the dispatch's history ("Published",
"Returned: …"), and raises `DispatchTransitionError` (a ValidationError) for a move the state
does not allow, or `DispatchPermissionError` (PermissionDenied) when the user may not make it.
The admin's buttons, its bulk actions and the API call these same functions; `available_steps`
says which of them a user may take on a dispatch now. Notifications (exchange.notifications)
are recorded in the same transaction and e-mailed once it has committed.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import roles
from rcps.models import Process
from rcps.scoping import served_process_ids, serves

from . import notifications
from .models import Dispatch, DispatchAcknowledgement, DispatchTransition

State = Dispatch.State
Direction = Dispatch.Direction
Event = notifications.Event

# What the history of a dispatch says of each step (kept in English, like the rest of the history).
REASONS = {
    State.DRAFT: "Started as a draft",
    State.SUBMITTED: "Submitted",
    State.PUBLISHED: "Published",
    State.RETURNED: "Returned",
}
HISTORY_REASON_LENGTH = 100  # simple-history's column


class DispatchTransitionError(ValidationError):
    """A workflow step the dispatch's state does not allow."""


class DispatchPermissionError(PermissionDenied):
    """A workflow step the user may not take (wrong role or another process's dispatch)."""


def moderates_between_rcps():
    """Whether dispatches between processes go through the Support Unit (a setting; off by default)."""
    return getattr(settings, "EXCHANGE_MODERATE_BETWEEN_RCPS", False)


def is_moderated(dispatch):
    """Whether the Support Unit publishes this dispatch (rather than its sender)."""
    if dispatch.direction == Direction.TO_GFMD:
        return True
    if dispatch.direction == Direction.BETWEEN_RCPS:
        return moderates_between_rcps()
    return False


def _refuse(message, **params):
    raise DispatchTransitionError(message % params if params else message, code="illegal_transition")


def _record(dispatch, from_state, to_state, user, reason=""):
    transition = DispatchTransition(
        dispatch=dispatch, from_state=from_state, to_state=to_state, user=user, reason=reason
    )
    transition.full_clean()
    transition.save()
    return transition


def _history_reason(to_state, reason=""):
    text = REASONS[to_state] + (f": {reason}" if reason else "")
    return text if len(text) <= HISTORY_REASON_LENGTH else text[: HISTORY_REASON_LENGTH - 1] + "…"


def _move(dispatch, to_state, user, reason=""):
    from_state = dispatch.state
    dispatch.state = to_state
    dispatch.full_clean()
    dispatch._change_reason = _history_reason(to_state, reason)
    dispatch._history_user = user
    dispatch.save()
    return _record(dispatch, from_state, to_state, user, reason)


def _lock(dispatch):
    """Lock the row (two moderators clicking at once) and work on its saved state."""
    Dispatch.objects.select_for_update().filter(pk=dispatch.pk).values_list("pk", flat=True).get()
    dispatch.refresh_from_db()
    return dispatch


def _set_relations(dispatch, relations):
    for name, values in relations.items():
        if values is not None:
            getattr(dispatch, name).set(values)


def _has_addressees(dispatch):
    return dispatch.addressed_to_all or dispatch.addressed_processes.exists()


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
    """A new draft, sent on at once with `submit=True` (submitted when moderated, else published)."""
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
        dispatch_send(dispatch=dispatch, user=user)
    return dispatch


@transaction.atomic
def dispatch_start(*, dispatch, user):
    """Save a new dispatch as a draft by `user` (its relations are set afterwards), recording the first step."""
    if dispatch.direction in (Direction.TO_GFMD, Direction.BETWEEN_RCPS):
        if not serves(user, dispatch.sender_process):
            raise DispatchPermissionError(_("You may only write dispatches for processes you serve."))
    elif not roles.is_moderator(user):
        raise DispatchPermissionError(_("Only the GFMD Support Unit writes dispatches from the GFMD."))
    if dispatch.in_reply_to_id and not Dispatch.objects.visible_to(user).filter(pk=dispatch.in_reply_to_id).exists():
        # The id of a dispatch the user cannot see says nothing, not even that it exists.
        raise DispatchTransitionError({"in_reply_to": _("Choose a dispatch you can see.")}, code="invalid_choice")
    dispatch.state = State.DRAFT
    dispatch.created_by = user
    dispatch.full_clean()
    dispatch._change_reason = _history_reason(State.DRAFT)
    dispatch._history_user = user
    dispatch.save()
    _record(dispatch, "", State.DRAFT, user)
    return dispatch


# Moving -------------------------------------------------------------------------------------


@transaction.atomic
def dispatch_send(*, dispatch, user):
    """The sender's one step: submit when the dispatch is moderated, publish it when it is not."""
    if is_moderated(dispatch):
        return dispatch_submit(dispatch=dispatch, user=user)
    return dispatch_publish(dispatch=dispatch, user=user)


@transaction.atomic
def dispatch_submit(*, dispatch, user):
    """A secretariat sends its draft (or a returned dispatch, once edited) to the Support Unit for moderation."""
    dispatch = _lock(dispatch)
    if not is_moderated(dispatch):
        if dispatch.direction == Direction.FROM_GFMD:
            _refuse(_("Dispatches from the GFMD are published directly; they are not submitted."))
        _refuse(_("Dispatches between processes are published by their sender; they are not submitted."))
    if not serves(user, dispatch.sender_process):
        raise DispatchPermissionError(_("You may only submit dispatches of processes you serve."))
    if dispatch.state not in (State.DRAFT, State.RETURNED):
        _refuse(
            _("Only a draft or a returned dispatch can be submitted; this one is “%(state)s”."),
            state=dispatch.get_state_display(),
        )
    if dispatch.direction == Direction.BETWEEN_RCPS and not _has_addressees(dispatch):
        _refuse(_("Address the dispatch to all processes or to some before sending it."))
    dispatch.submitted_at = timezone.now()
    transition = _move(dispatch, State.SUBMITTED, user)
    notifications.notify(
        dispatch=dispatch,
        event=Event.SUBMITTED,
        key=f"transition:{transition.pk}",
        people=notifications.support_unit_users(),
        actor=user,
    )
    return dispatch


def _may_publish(dispatch, user):
    if is_moderated(dispatch):
        return roles.is_moderator(user)
    if dispatch.direction == Direction.FROM_GFMD:
        return roles.is_moderator(user)
    return serves(user, dispatch.sender_process)  # between processes, unmoderated: the sender


@transaction.atomic
def dispatch_publish(*, dispatch, user):
    """Publish: the Support Unit a submitted dispatch or its own; a process its dispatch to other processes."""
    dispatch = _lock(dispatch)
    if not _may_publish(dispatch, user):
        if dispatch.direction == Direction.BETWEEN_RCPS and not is_moderated(dispatch):
            raise DispatchPermissionError(_("Only the sending process publishes a dispatch between processes."))
        raise DispatchPermissionError(_("Only the GFMD Support Unit publishes dispatches."))
    if is_moderated(dispatch):
        allowed = (State.SUBMITTED,)
    elif dispatch.direction == Direction.FROM_GFMD:
        allowed = (State.DRAFT, State.SUBMITTED)
    else:
        allowed = (State.DRAFT, State.RETURNED)
    if dispatch.state not in allowed:
        if is_moderated(dispatch) and dispatch.state in (State.DRAFT, State.RETURNED):
            _refuse(_("This dispatch has not been submitted by its sender yet."))
        _refuse(_("This dispatch cannot be published: it is “%(state)s”."), state=dispatch.get_state_display())
    if dispatch.direction != Direction.TO_GFMD and not _has_addressees(dispatch):
        _refuse(_("Address the dispatch to all processes or to some before publishing it."))
    dispatch.published_at = timezone.now()
    dispatch.return_reason = ""
    transition = _move(dispatch, State.PUBLISHED, user)
    key = f"transition:{transition.pk}"
    if is_moderated(dispatch):
        notifications.notify(
            dispatch=dispatch,
            event=Event.PUBLISHED,
            key=key,
            people=notifications.sender_users(dispatch),
            actor=user,
        )
    if dispatch.direction != Direction.TO_GFMD:
        notifications.notify(
            dispatch=dispatch,
            event=Event.RECEIVED,
            key=key,
            people=notifications.addressee_users(dispatch),
            actor=user,
        )
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
    transition = _move(dispatch, State.RETURNED, user, reason)
    notifications.notify(
        dispatch=dispatch,
        event=Event.RETURNED,
        key=f"transition:{transition.pk}",
        people=notifications.sender_users(dispatch),
        actor=user,
    )
    return dispatch


@transaction.atomic
def dispatch_acknowledge(*, dispatch, process, user):
    """An addressed process says it has received a published dispatch (from the GFMD or another process)."""
    _check_addressed(dispatch, process, user)
    if DispatchAcknowledgement.objects.filter(dispatch=dispatch, process=process).exists():
        _refuse(_("%(process)s has already acknowledged this dispatch."), process=process.short_name)
    acknowledgement = DispatchAcknowledgement(dispatch=dispatch, process=process, user=user)
    acknowledgement.full_clean()
    acknowledgement.save()
    if dispatch.direction == Direction.FROM_GFMD:
        people = notifications.support_unit_users()
    else:
        people = notifications.sender_users(dispatch)
    notifications.notify(
        dispatch=dispatch,
        event=Event.ACKNOWLEDGED,
        key=f"acknowledgement:{acknowledgement.pk}",
        people=people,
        actor=user,
        process=process,
    )
    return acknowledgement


@transaction.atomic
def dispatch_reply(*, original, process, user, title, body, kind=Dispatch.Kind.REPLY, themes=None, submit=True):
    """An addressed process answers a dispatch.

    A reply to the GFMD is a dispatch to the GFMD (moderated); a reply to another process is a
    dispatch between processes addressed to the sender. `submit` sends it on at once.
    """
    _check_addressed(original, process, user)
    if original.direction == Direction.FROM_GFMD:
        direction, addressed = Direction.TO_GFMD, ()
    else:
        direction = Direction.BETWEEN_RCPS
        addressed = [original.sender_process] if original.sender_process_id else list(original.sending_processes.all())
    return dispatch_create(
        user=user,
        direction=direction,
        kind=kind,
        title=title,
        body=body,
        sender_process=process,
        addressed_processes=addressed,
        themes=original.themes.all() if themes is None else themes,
        in_reply_to=original,
        submit=submit,
    )


def _check_addressed(dispatch, process, user):
    if not dispatch.is_published or dispatch.direction == Direction.TO_GFMD:
        _refuse(_("Only a published dispatch from the GFMD or from another process can be acknowledged or answered."))
    if not serves(user, process):
        raise DispatchPermissionError(_("You may only act for processes you serve."))
    if not dispatch.is_addressed_to(process):
        _refuse(_("This dispatch is not addressed to %(process)s."), process=process.short_name)


# What a user may do now ---------------------------------------------------------------------------


STEP_LABELS = {
    "submit": gettext_lazy("Submit to the GFMD"),
    "send": gettext_lazy("Publish to the addressed processes"),
    "publish": gettext_lazy("Publish"),
    "return": gettext_lazy("Return with a reason"),
    "acknowledge": gettext_lazy("Acknowledge receipt"),
    "reply": gettext_lazy("Reply"),
}


def responding_processes(dispatch, user):
    """The processes `user` serves that `dispatch` is addressed to (who may acknowledge or reply)."""
    if not dispatch.is_published or dispatch.direction == Direction.TO_GFMD:
        return []
    ids = served_process_ids(user)
    if ids is not None and not ids:
        return []
    candidates = Process.objects.all() if dispatch.addressed_to_all else dispatch.addressed_processes.all()
    if ids is not None:
        candidates = candidates.filter(pk__in=ids)
    if dispatch.sender_process_id:
        candidates = candidates.exclude(pk=dispatch.sender_process_id)
    return list(candidates.order_by("name"))


def available_steps(dispatch, user):
    """The workflow steps `user` may take on `dispatch` in its present state, in the order to offer them."""
    steps = []
    state = dispatch.state
    sender = dispatch.sender_process_id and serves(user, dispatch.sender_process)
    moderated = is_moderated(dispatch)
    if dispatch.direction != Direction.FROM_GFMD and sender and state in (State.DRAFT, State.RETURNED):
        steps.append("submit" if moderated else "send")
    if moderated and state == State.SUBMITTED and roles.is_moderator(user):
        steps += ["publish", "return"]
    if dispatch.direction == Direction.FROM_GFMD and state in (State.DRAFT, State.SUBMITTED):
        if roles.is_moderator(user):
            steps.append("publish")
    if state == State.PUBLISHED and dispatch.direction != Direction.TO_GFMD:
        processes = responding_processes(dispatch, user)
        acknowledged = set(
            DispatchAcknowledgement.objects.filter(dispatch=dispatch, process__in=processes).values_list(
                "process_id", flat=True
            )
        )
        if any(p.pk not in acknowledged for p in processes):
            steps.append("acknowledge")
        if processes:
            steps.append("reply")
    return steps


def step_question(step, dispatch):
    """The question that confirms `step` on `dispatch`."""
    questions = {
        "submit": gettext_lazy("Submit “%(title)s” to the GFMD Support Unit for publication?"),
        "send": gettext_lazy("Publish “%(title)s” now? The addressed processes are told by e-mail."),
        "publish": gettext_lazy("Publish “%(title)s” now? It appears on the exchange, the profiles and the feeds."),
        "return": gettext_lazy("Return “%(title)s” to its sender? Say why: the reason is e-mailed to them."),
        "acknowledge": gettext_lazy("Acknowledge receipt of “%(title)s”? The sender is told."),
        "reply": gettext_lazy("Reply to “%(title)s”."),
    }
    return questions[step] % {"title": dispatch.title}
