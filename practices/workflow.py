"""Submitting practices, turning published good-practice dispatches into practices, and opening calls.

Moderation is the exchange's: a practice travels as a dispatch of kind "good practice" to the GFMD
(`exchange.workflow.dispatch_create` / `dispatch_submit`), which the Support Unit publishes or
returns with a reason (`dispatch_publish` / `dispatch_return`) — same notifications, same start-page
sections, same history. The practice's state is read from its dispatch (practices.models).

Each function is keyword-only and atomic, checks everything before writing anything, and raises a
ValidationError with a message for the person (nothing is half-saved) or PermissionDenied.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import roles
from core.languages import CONTENT_LANGUAGES, translated_text
from core.models import Visibility
from exchange import workflow as exchange_workflow
from exchange.models import Dispatch
from rcps.models import Process
from rcps.scoping import served_process_ids, serves

from .models import CallForPractices, Practice

State = Dispatch.State

# What a practice needs before it is submitted (a draft may be incomplete): field → message.
REQUIRED_TO_SUBMIT = {
    "summary": gettext_lazy("Write a summary."),
    "what_was_done": gettext_lazy("Say what was done."),
    "results": gettext_lazy("Say what the results were."),
    "lessons_learned": gettext_lazy("Write the lessons learned and pitfalls: not only the successes."),
}


def may_submit_for(user, process):
    """Whether `user` may write and submit practices for `process`: the one check, extended for participants.

    Today: the process's secretariat (and administrators). Issue 17's participants (member
    States' focal points) join here once they exist.
    """
    return serves(user, process)


def implementers_refused(user, practice, processes=None):
    """The implementing processes `user` may not name on `practice`, in name order.

    A secretariat names only the processes it serves: naming another process as implementer would
    speak for it without its consent. The other process's secretariat names itself on its own
    record, or the practice lists it among the partners. The Support Unit, which turns published
    dispatches into practices, names the processes that sent them.
    """
    if roles.is_moderator(user):
        return []
    if processes is None:
        processes = list(practice.implementing_processes.all())
    return sorted((p for p in processes if not may_submit_for(user, p)), key=lambda p: p.name)


def implementer_error(refused):
    return ValidationError(
        {
            "implementing_processes": _(
                "You may only name processes you serve as implementers. %(names)s must agree to be named: "
                "ask their secretariat to record the practice themselves, or mention them under “other partners”."
            )
            % {"names": ", ".join(p.short_name for p in refused)}
        },
        code="implementer_without_consent",
    )


def check_call(call, day=None):
    """Refuse a practice answering a call that is not open (never opened, or past its deadline)."""
    if call is None:
        return
    day = day or timezone.localdate()
    if not call.is_opened:
        raise ValidationError({"call": _("This call for practices has not been opened.")}, code="call_not_open")
    if call.deadline < day:
        raise ValidationError(
            {
                "call": _(
                    "The call “%(call)s” closed on %(deadline)s: it no longer accepts practices. "
                    "Submit the practice without a call, or answer an open one."
                )
                % {"call": call.title, "deadline": formats.date_format(call.deadline, "DATE_FORMAT")}
            },
            code="call_closed",
        )


def missing_for_submission(practice):
    """{field: message} of what a practice still lacks before it can be submitted."""
    missing = {name: message for name, message in REQUIRED_TO_SUBMIT.items() if not getattr(practice, name).strip()}
    if not practice.gcm_objectives.exists():
        missing["gcm_objectives"] = _("Choose at least one GCM objective the practice serves.")
    if not (practice.is_global or practice.countries.exists() or practice.regions.exists()):
        missing["countries"] = _("Name the implementing countries or regions, or tick “global”.")
    return missing


def dispatch_body(practice):
    """The dispatch's Markdown: the practice as the Support Unit reads it on the exchange (in the active language)."""
    parts = [translated_text(practice, "summary")]
    for label, text in (
        (_("What was done"), translated_text(practice, "what_was_done")),
        (_("Results"), translated_text(practice, "results")),
        (_("Lessons learned and pitfalls"), translated_text(practice, "lessons_learned")),
    ):
        if text:
            parts.append(f"**{label}**\n\n{text}")
    objectives = ", ".join(str(o.number) for o in practice.gcm_objectives.all())
    if objectives:
        parts.append(_("GCM objectives: %(numbers)s") % {"numbers": objectives})
    if practice.call_id:
        call = translated_text(practice.call, "title")
        parts.append(_("In answer to the call for practices “%(call)s”.") % {"call": call})
    return "\n\n".join(parts)


def complete_versions(obj):
    """The languages in which every filled text of `obj` (a practice or a call) has a version."""
    return [
        language
        for language in CONTENT_LANGUAGES
        if all(getattr(obj, f"{field}_{language}") for field in obj.TRANSLATED_FIELDS if getattr(obj, field))
    ]


def _set_versions(dispatch, obj, title, body):
    """The dispatch's French and Spanish versions, where `obj` is wholly written in that language.

    `title(obj)` and `body(obj)` are computed with the language active, so the labels are in it too;
    a partial version would mix languages unmarked, so none is made (the dispatch shows the original).
    """
    complete = complete_versions(obj)
    for language in CONTENT_LANGUAGES:
        if language in complete:
            with translation.override(language):
                setattr(dispatch, f"title_{language}", title(obj)[:300])
                setattr(dispatch, f"body_{language}", body(obj))
        else:
            setattr(dispatch, f"title_{language}", "")
            setattr(dispatch, f"body_{language}", "")


def _save_versions(dispatch, user):
    dispatch.full_clean()
    dispatch._change_reason = "French and Spanish versions"
    dispatch._history_user = user
    dispatch.save()


def _sync_dispatch(dispatch, practice, user):
    """Carry the practice's present text and tags onto its (returned) dispatch before it is resubmitted."""
    with translation.override(settings.LANGUAGE_CODE):
        dispatch.title = practice.title
        dispatch.body = dispatch_body(practice)
    _set_versions(dispatch, practice, lambda p: translated_text(p, "title"), dispatch_body)
    dispatch.full_clean()
    dispatch._change_reason = "Changed with its practice"
    dispatch._history_user = user
    dispatch.save()
    _set_dispatch_relations(dispatch, practice)


def _set_dispatch_relations(dispatch, practice):
    dispatch.themes.set(practice.themes.all())
    dispatch.gcm_objectives.set(practice.gcm_objectives.all())
    dispatch.sdg_targets.set(practice.sdg_targets.all())
    dispatch.meetings.set(practice.source_meetings.all())
    dispatch.recommendations.set(practice.source_recommendations.all())
    dispatch.documents.set(practice.documents.all())


@transaction.atomic
def practice_submit(*, practice, user):
    """Send a practice to the GFMD Support Unit: its dispatch is created (or the returned one updated) and submitted."""
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    if not may_submit_for(user, practice.process):
        raise PermissionDenied(_("You may only submit practices of processes you serve."))
    if practice.state not in (State.DRAFT, State.RETURNED):
        raise ValidationError(
            _("Only a draft or a returned practice can be submitted; this one is “%(state)s”.")
            % {"state": practice.get_state_display()},
            code="illegal_transition",
        )
    if practice.state == State.DRAFT:
        # A returned practice answered its call in time; only a first submission is held to the deadline.
        check_call(practice.call)
    if practice.visibility != Visibility.PUBLIC:
        # Its dispatch is published on the exchange as it is: a practice for participants only, or
        # confidential, stays in the back office until a participants' layer exists (issue 17).
        raise ValidationError(
            {
                "visibility": _(
                    "Only a public practice can be submitted: once published, it appears on the exchange and in "
                    "the repository. Keep it as a draft, or make it public."
                )
            },
            code="not_public",
        )
    missing = missing_for_submission(practice)
    if missing:
        raise ValidationError(missing, code="incomplete")
    refused = implementers_refused(user, practice)
    if refused:
        raise implementer_error(refused)
    if practice.dispatch_id is None:
        with translation.override(settings.LANGUAGE_CODE):  # the original, in the original's language
            body = dispatch_body(practice)
        dispatch = exchange_workflow.dispatch_create(
            user=user,
            direction=Dispatch.Direction.TO_GFMD,
            kind=Dispatch.Kind.GOOD_PRACTICE,
            title=practice.title,
            body=body,
            sender_process=practice.process,
        )
        _set_dispatch_relations(dispatch, practice)
        if complete_versions(practice):
            _set_versions(dispatch, practice, lambda p: translated_text(p, "title"), dispatch_body)
            _save_versions(dispatch, user)
        practice.dispatch = dispatch
        practice._change_reason = "Submitted"
        practice._history_user = user
        practice.save(update_fields=["dispatch", "updated_at"])
    else:
        dispatch = practice.dispatch
        _sync_dispatch(dispatch, practice, user)
    exchange_workflow.dispatch_submit(dispatch=dispatch, user=user)
    practice.refresh_from_db()
    return practice


@transaction.atomic
def practice_from_dispatch(*, dispatch, user):
    """One step for the Support Unit: a published dispatch of kind "good practice" becomes a practice record.

    The practice is public at once (its dispatch is published); the Support Unit then completes
    what the dispatch did not say (results, lessons learned, places) on the record.
    """
    if not roles.is_moderator(user):
        raise PermissionDenied(_("Only the GFMD Support Unit turns dispatches into practices."))
    dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
    if dispatch.kind != Dispatch.Kind.GOOD_PRACTICE or dispatch.state != State.PUBLISHED:
        raise ValidationError(
            _("Only a published dispatch of kind “good practice” can become a practice."), code="not_a_practice"
        )
    if Practice.objects.filter(dispatch=dispatch).exists():
        raise ValidationError(_("This dispatch is already a practice."), code="already_a_practice")
    senders = [dispatch.sender_process] if dispatch.sender_process_id else list(dispatch.sending_processes.all())
    if not senders:
        raise ValidationError(_("This dispatch names no sending process to record the practice for."), code="no_sender")
    practice = Practice(
        title=dispatch.title[:300],
        summary=dispatch.body,
        process=senders[0],
        dispatch=dispatch,
        created_by=user,
    )
    practice.full_clean()
    practice._change_reason = f"Made from dispatch {dispatch.pk}"
    practice._history_user = user
    practice.save()
    practice.implementing_processes.set(senders)
    practice.themes.set(dispatch.themes.all())
    practice.gcm_objectives.set(dispatch.gcm_objectives.all())
    practice.sdg_targets.set(dispatch.sdg_targets.all())
    practice.source_meetings.set(dispatch.meetings.all())
    practice.source_recommendations.set(dispatch.recommendations.all())
    practice.documents.set(dispatch.documents.all())
    return practice


def may_open_calls(user):
    return roles.is_moderator(user)


def call_announcement_title(call):
    return (_("Call for practices: %(title)s") % {"title": translated_text(call, "title")})[:300]


def call_announcement_body(call, url):
    """The announcement's Markdown, in the active language (the call's version of it where there is one)."""
    description, criteria = translated_text(call, "description"), translated_text(call, "criteria")
    lines = [description, f"**{_('Criteria')}**\n\n{criteria}"]
    objectives = ", ".join(str(o) for o in call.gcm_objectives.all())
    if objectives:
        lines.append(_("GCM objectives: %(objectives)s") % {"objectives": objectives})
    lines.append(
        _("Deadline: %(deadline)s. Submit practices from the back office; the call's page: %(url)s")
        % {"deadline": formats.date_format(call.deadline, "DATE_FORMAT"), "url": url}
    )
    return "\n\n".join(lines)


@transaction.atomic
def call_open(*, call, user, day=None):
    """Open a call: announce it as a published GFMD → RCPs dispatch to the addressed processes (notified)."""
    if not may_open_calls(user):
        raise PermissionDenied(_("Only the GFMD Support Unit opens calls for practices."))
    call = CallForPractices.objects.select_for_update().get(pk=call.pk)
    if call.is_opened:
        raise ValidationError(_("This call is already open."), code="already_open")
    if call.deadline < (day or timezone.localdate()):
        raise ValidationError({"deadline": _("The deadline has passed: choose a later one.")}, code="deadline_past")
    addressed = list(call.addressed_processes.all())
    if not (call.addressed_to_all or addressed):
        raise ValidationError(
            {"addressed_processes": _("Address the call to all processes or to some.")}, code="no_addressees"
        )

    def body(obj):
        return call_announcement_body(obj, reverse("practices:call_detail", kwargs={"pk": obj.pk}))

    with translation.override(settings.LANGUAGE_CODE):  # the original, in the original's language
        title, original_body = call_announcement_title(call), body(call)
    dispatch = exchange_workflow.dispatch_create(
        user=user,
        direction=Dispatch.Direction.FROM_GFMD,
        kind=Dispatch.Kind.ANNOUNCEMENT,
        title=title,
        body=original_body,
        addressed_to_all=call.addressed_to_all,
        addressed_processes=addressed,
        themes=list(call.themes.all()),
    )
    dispatch.gcm_objectives.set(call.gcm_objectives.all())
    if complete_versions(call):
        _set_versions(dispatch, call, call_announcement_title, body)
        _save_versions(dispatch, user)
    exchange_workflow.dispatch_publish(dispatch=dispatch, user=user)
    call.announcement = dispatch
    call.opened_at = timezone.now()
    call._change_reason = "Opened"
    call._history_user = user
    call.save()
    return call


def processes_for(user):
    """The processes `user` may submit practices for, as `may_submit_for` decides."""
    ids = served_process_ids(user)
    return Process.objects.all() if ids is None else Process.objects.filter(pk__in=ids)
