"""The start page of the back office: what awaits each role, with counts and one-click links.

The questions ("which dispatches await this process's answer?", "which profiles are stale?")
are asked in the domain apps' query vocabulary (exchange.models, meetings.models,
recommendations.models); this module only puts their answers in sections with admin links.
Every section costs a fixed number of queries whatever the amount of data (a count and one
short list), guarded by tests/backoffice/test_dashboard.py; the answers are kept for each user
until the next write to the portal's data (core.pagecache.cached_value), so a start page opened
again asks the database nothing but who the user is (tests/backoffice/test_admin_query_counts.py).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from core import roles
from core.pagecache import cached_value
from exchange.models import Dispatch, DispatchAcknowledgement
from meetings.models import Document, Meeting, profile_gap_condition, profile_gaps, with_profile_gaps
from practices.models import CallForPractices, Practice
from rcps import scoping
from rcps.models import Process
from recommendations.models import FollowUp, Recommendation
from surveys.models import Survey, SurveyResponse

LISTED = 8  # rows shown per section; the count and a link lead to the rest
RECENT = datetime.timedelta(days=30)


@dataclass
class Item:
    title: str
    url: str
    note: str = ""
    detail: str = ""


@dataclass
class Section:
    key: str
    title: str
    count: int
    items: list
    empty: str
    more_url: str = ""
    actions: list = field(default_factory=list)  # [(label, url)]


def _change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _list_url(model, **params):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _add_url(model, **params):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    return f"{url}?{urlencode(params)}" if params else url


def _age(moment, now):
    return timesince(moment, now).split(",")[0] if moment else ""


def _count_and_rows(scope, name, counted, listed, limit=LISTED):
    """(how many rows `counted` has, the first `limit` rows of `listed`), kept until the data changes.

    `scope` names the user (and the day: some questions depend on the date); the ages and links
    shown with the rows are worked out afresh on every request.
    """

    def compute():
        count = counted.count()
        return count, list(listed[:limit]) if count else []

    return cached_value(f"start-page:{scope}:{name}", compute)


def start_page(request):
    """{"role": …, "sections": [Section]} for the user of `request`."""
    user = request.user
    today = timezone.localdate().isoformat()
    if roles.is_moderator(user):
        return {"role": "support_unit", "sections": support_unit_sections(user, f"support_unit:{user.pk}:{today}")}
    ids = scoping.served_process_ids(user)
    if not ids:
        return {"role": "none", "sections": []}
    scope = f"secretariat:{user.pk}:{today}"
    processes = cached_value(
        f"start-page:{scope}:processes", lambda: list(Process.objects.filter(pk__in=ids).order_by("name"))
    )
    return {"role": "secretariat", "processes": processes, "sections": secretariat_sections(user, ids, scope)}


# A secretariat ----------------------------------------------------------------------------------


def secretariat_sections(user, ids, scope, now=None):
    now = now or timezone.now()
    return [
        _returned(scope, ids),
        _awaiting_response(scope, ids, now),
        _drafts(scope, user, Dispatch.objects.drafts_of(ids)),
        _awaiting_follow_up(scope, ids),
        _profile_gaps(scope, Process.objects.filter(pk__in=ids), _("Your profile is complete."), secretariat=True),
        _surveys_to_answer(scope, ids),
        _open_calls(scope, ids),
    ]


def _returned(scope, ids):
    returned = Dispatch.objects.returned_to(ids)
    # A returned good practice opens on its practice record, where it is fixed and submitted again (issue 16).
    listed = returned.select_related("sender_process", "practice").order_by("-updated_at", "-pk")
    count, rows = _count_and_rows(scope, "returned", returned, listed)
    return Section(
        key="returned",
        title=_("Returned to you by the GFMD Support Unit"),
        count=count,
        items=[
            Item(d.title, _change_url(_practice_or(d)), note=d.sender_process.short_name, detail=d.return_reason)
            for d in rows
        ],
        empty=_("Nothing has been returned. When the Support Unit returns a dispatch, its reason shows here."),
        more_url=_list_url(Dispatch, state=Dispatch.State.RETURNED),
    )


def _awaiting_response(scope, ids, now):
    awaiting = Dispatch.objects.awaiting_response_from(ids)
    listed = (
        awaiting.select_related("sender_process")
        .prefetch_related(Prefetch("sending_processes", queryset=Process.objects.only("name", "acronym")))
        .order_by("-published_at", "-pk")
    )
    count, rows = _count_and_rows(scope, "awaiting", awaiting, listed)
    return Section(
        key="awaiting",
        title=_("Sent to your process: awaiting your acknowledgement or reply"),
        count=count,
        items=[
            Item(
                d.title,
                _change_url(d),
                note=_("from %(sender)s, %(age)s ago") % {"sender": d.sender_display, "age": _age(d.published_at, now)},
            )
            for d in rows
        ],
        empty=_("Every dispatch sent to your process has been acknowledged or answered."),
        more_url=_list_url(Dispatch, state=Dispatch.State.PUBLISHED, awaiting="me"),
    )


def _drafts(scope, user, dispatch_drafts):
    """Drafts of every kind the user may publish: dispatches, meetings, documents, recommendations, follow-ups."""

    def drafts_by_kind():
        # Built only when the cache misses: for the Support Unit, `managed_by` asks which processes are the GFMD's.
        kinds = [
            (Dispatch, dispatch_drafts.order_by("-updated_at", "-pk"), {"state": Dispatch.State.DRAFT}),
            (
                Meeting,
                Meeting.objects.managed_by(user).drafts().order_by("-updated_at", "-pk"),
                {"publication": "draft"},
            ),
            (Document, Document.objects.managed_by(user).drafts().order_by("-pk"), {"publication": "draft"}),
            (
                Recommendation,
                Recommendation.objects.managed_by(user).drafts().order_by("-updated_at", "-pk"),
                {"publication": "draft"},
            ),
            (
                FollowUp,
                FollowUp.objects.managed_by(user).drafts().select_related("process").order_by("-pk"),
                {"publication": "draft"},
            ),
        ]
        found = []
        for model, drafts, params in kinds:
            count = drafts.count()
            if count:
                found.append((model, params, count, list(drafts[:LISTED])))
        return found

    items, total, more = [], 0, []
    for model, params, count, rows in cached_value(f"start-page:{scope}:drafts", drafts_by_kind):
        total += count
        more.append((f"{model._meta.verbose_name_plural.capitalize()} ({count})", _list_url(model, **params)))
        items += [Item(str(obj), _change_url(obj), note=model._meta.verbose_name) for obj in rows]
    return Section(
        key="drafts",
        title=_("Drafts not yet published"),
        count=total,
        items=items,
        empty=_("No drafts. New records start as drafts: open one and choose “Publish” when it is ready."),
        actions=more,
    )


def _awaiting_follow_up(scope, ids):
    awaiting = Recommendation.objects.awaiting_follow_up_from(ids)
    listed = awaiting.select_related("issuing_process").order_by("-year", "title")
    count, rows = _count_and_rows(scope, "follow_up", awaiting, listed)
    return Section(
        key="follow_up",
        title=_("Recommendations addressed to your process without a recorded follow-up"),
        count=count,
        items=[
            Item(
                r.title,
                _add_url(FollowUp, recommendation=r.pk, process=next(iter(sorted(ids)))),
                note=", ".join(
                    str(part) for part in (r.issuing_process.short_name if r.issuing_process else "", r.year) if part
                ),
            )
            for r in rows
        ],
        empty=_("Every recommendation addressed to your process has a follow-up recorded."),
        more_url=_list_url(Recommendation, follow_up="missing"),
    )


def _profile_gaps(scope, processes, empty, secretariat=False, limit=LISTED):
    today = timezone.localdate()
    stale = with_profile_gaps(processes).filter(profile_gap_condition(today))
    count, rows = _count_and_rows(scope, "profiles", stale, stale.order_by("name"), limit)
    return Section(
        key="profiles",
        title=_("Your profile: what is missing") if secretariat else _("Processes with stale profiles"),
        count=count,
        items=[
            Item(
                str(p) if secretariat else p.short_name,
                _change_url(p),
                detail=", ".join(map(str, profile_gaps(p, today))),
            )
            for p in rows
        ],
        empty=empty,
        more_url="" if secretariat else _list_url(Process, profile="stale"),
    )


# The GFMD Support Unit (and administrators) ----------------------------------------------------


def support_unit_sections(user, scope, now=None):
    now = now or timezone.now()
    return [
        _to_moderate(scope, now),
        _practices_to_moderate(scope, now),
        _received(scope, now),
        _drafts(scope, user, Dispatch.objects.drafts_of(None)),
        _profile_gaps(
            scope,
            Process.objects.exclude(kind=Process.Kind.GLOBAL).filter(status=Process.Status.ACTIVE),
            _("Every active process has members, a chair and a meeting in the last 12 months recorded."),
        ),
        _running_surveys(scope),
    ]


def _to_moderate(scope, now):
    pending = Dispatch.objects.to_moderate()
    count, rows = _count_and_rows(scope, "moderate", pending, pending.select_related("sender_process"))
    return Section(
        key="moderate",
        title=_("Dispatches to moderate (oldest first)"),
        count=count,
        items=[
            Item(
                d.title,
                _change_url(d),
                note=d.sender_process.short_name if d.sender_process else "",
                detail=_("waiting %(age)s") % {"age": _age(d.submitted_at, now)},
            )
            for d in rows
        ],
        empty=_("Nothing to moderate. Submitted dispatches appear here, oldest first."),
        more_url=_list_url(Dispatch, state=Dispatch.State.SUBMITTED),
    )


def _received(scope, now):
    since = now - RECENT
    acknowledgements = DispatchAcknowledgement.objects.filter(
        at__gte=since, dispatch__direction=Dispatch.Direction.FROM_GFMD
    )
    replies = Dispatch.objects.filter(
        in_reply_to__direction=Dispatch.Direction.FROM_GFMD,
        state__in=[Dispatch.State.SUBMITTED, Dispatch.State.PUBLISHED],
        submitted_at__gte=since,
    )
    reply_count, reply_rows = _count_and_rows(
        scope, "replies", replies, replies.select_related("sender_process").order_by("-submitted_at", "-pk")
    )
    acknowledgement_count, acknowledgement_rows = _count_and_rows(
        scope,
        "acknowledgements",
        acknowledgements,
        acknowledgements.select_related("dispatch", "process").order_by("-at", "-pk"),
    )
    items = [
        Item(
            d.title,
            _change_url(d),
            note=_("reply from %(process)s") % {"process": d.sender_process.short_name},
            detail=_("%(age)s ago") % {"age": _age(d.submitted_at, now)},
        )
        for d in reply_rows
    ]
    items += [
        Item(
            a.dispatch.title,
            _change_url(a.dispatch),
            note=_("acknowledged by %(process)s") % {"process": a.process.short_name},
            detail=_("%(age)s ago") % {"age": _age(a.at, now)},
        )
        for a in acknowledgement_rows
    ]
    return Section(
        key="received",
        title=_("Replies and acknowledgements received (last 30 days)"),
        count=reply_count + acknowledgement_count,
        items=items,
        empty=_("No replies or acknowledgements in the last 30 days."),
        more_url=_list_url(Dispatch, kind=Dispatch.Kind.REPLY, state="all"),
    )


# Surveys (surveys app) ---------------------------------------------------------------------------


def _surveys_to_answer(scope, ids):
    """The open questionnaires awaiting the process's answer, nearest deadline first."""
    awaiting = SurveyResponse.objects.filter(process__in=ids, survey__status=Survey.Status.OPEN).awaiting()
    listed = awaiting.select_related("survey", "process").order_by("survey__closes_on", "pk")
    count, rows = _count_and_rows(scope, "surveys", awaiting, listed)
    return Section(
        key="surveys",
        title=_("Questionnaires awaiting your answer"),
        count=count,
        items=[
            Item(
                r.survey.title,
                r.get_absolute_url(),
                note=r.process.short_name,
                detail=_("deadline %(date)s — %(status)s")
                % {
                    "date": date_format(r.survey.closes_on) if r.survey.closes_on else "—",
                    "status": r.get_status_display(),
                },
            )
            for r in rows
        ],
        empty=_("No questionnaire awaits your answer."),
        more_url=reverse("surveys:response_list"),
    )


def _running_surveys(scope):
    """Surveys being prepared or open, with how many processes have answered, and closed ones to publish."""
    running = Survey.objects.filter(
        Q(status__in=[Survey.Status.DRAFT, Survey.Status.OPEN])
        | Q(status=Survey.Status.CLOSED, results_published_at__isnull=True)
    ).exclude(recorded_from_sources=True)
    listed = running.with_response_counts().order_by("closes_on", "pk")
    count, rows = _count_and_rows(scope, "surveys", running, listed)
    return Section(
        key="surveys",
        title=_("Surveys being prepared, open, or closed with results to publish"),
        count=count,
        items=[
            Item(
                s.title,
                _change_url(s),
                note=s.get_status_display(),
                detail=_("%(answered)d of %(sent)d processes answered; deadline %(date)s")
                % {
                    "answered": s.count_completed + s.count_materials_only,
                    "sent": s.count_sent,
                    "date": date_format(s.closes_on) if s.closes_on else "—",
                },
            )
            for s in rows
        ],
        empty=_("No survey is running. Start one, or copy a past one for the next round."),
        more_url=_list_url(Survey),
        actions=[(_("New survey"), _add_url(Survey))],
    )


# Good practices (issue 16) ----------------------------------------------------------------------


def _open_calls(scope, ids):
    """Open calls for practices addressed to the secretariat's processes, soonest deadline first."""
    calls = CallForPractices.objects.open_on().addressed_to(ids)
    count, rows = _count_and_rows(scope, "calls", calls, calls.order_by("deadline", "pk"))
    return Section(
        key="calls",
        title=_("Open calls for practices addressed to your process"),
        count=count,
        items=[
            Item(
                c.title,
                _add_url(Practice, call=c.pk),
                note=_("deadline %(date)s") % {"date": date_format(c.deadline)},
                detail=_("Answer it: write a practice, then submit it to the GFMD."),
            )
            for c in rows
        ],
        empty=_("No call for practices is open for your process."),
        more_url=reverse("practices:call_list"),
    )


def _practices_to_moderate(scope, now):
    """Practices submitted to the Support Unit: moderated on their dispatch, like every other dispatch."""
    pending = Practice.objects.in_state(Dispatch.State.SUBMITTED)
    listed = pending.select_related("process", "dispatch").order_by("dispatch__submitted_at", "pk")
    count, rows = _count_and_rows(scope, "practices", pending, listed)
    return Section(
        key="practices",
        title=_("Practices submitted for moderation (oldest first)"),
        count=count,
        items=[
            Item(
                p.title,
                _change_url(p.dispatch),
                note=p.process.short_name,
                detail=_("waiting %(age)s") % {"age": _age(p.dispatch.submitted_at, now)},
            )
            for p in rows
        ],
        empty=_("No practice awaits moderation. Practices are submitted by the secretariats, often answering a call."),
        more_url=_list_url(Practice, state=Dispatch.State.SUBMITTED),
    )


def _practice_or(dispatch):
    """The practice a dispatch carries (its record is where it is changed), or the dispatch itself."""
    try:
        return dispatch.practice
    except Practice.DoesNotExist:
        return dispatch
