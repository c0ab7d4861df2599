"""Telling the people a workflow step concerns, by e-mail, once each.

Every step of `exchange.workflow` calls `notify(...)` inside its transaction: one
`Notification` row per person and event (unique, so a step repeated or retried never tells
anyone twice). Once the transaction commits, the rows of people who chose immediate e-mails
are sent; people who chose a daily summary get them all in one e-mail from
`manage.py send_notifications` (cron, once a day); people who chose none get no e-mail — their
start page shows what awaits them all the same. Sending claims each row (`sent_at`) before
the e-mail leaves, so two runs at once never send one twice.

Who is told of what:
- submitted (to the GFMD, or between processes when moderated): the GFMD Support Unit;
- published, returned: the sender's secretariat users and the dispatch's author;
- received (a published dispatch from the GFMD or from another process): the secretariat
  users of every addressed process;
- acknowledged: the Support Unit for its own dispatches, the sender's secretariat between processes.
The person who took the step is not told of it.

Features above the exchange (surveys) tell people of their own events through the same
machinery — rows, delivery preferences, immediate and daily sending — by naming a `target`
record instead of a dispatch. The target's model provides `notification_context(notification)`
(paths are made absolute here) and the e-mail templates `<its app>/email/<event>.txt` and
`<event>_subject.txt`; the exchange imports none of those apps.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import roles

from .models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

Event = Notification.Event
# What an e-mail reads of a notification: its person, its dispatch or other record, the process named.
NOTIFICATION_RELATED = ("user", "dispatch", "process", "target_type")
Delivery = NotificationPreference.Delivery


# Who -----------------------------------------------------------------------------------------


def _people():
    return get_user_model().objects.filter(is_active=True).exclude(email="")


def support_unit_users():
    return _people().filter(groups__name=roles.SUPPORT_UNIT)


def secretariat_users(process_ids=None):
    """Users serving any of `process_ids` (every secretariat user when None)."""
    people = _people().filter(secretariat_assignments__isnull=False)
    if process_ids is not None:
        people = people.filter(secretariat_assignments__process__in=process_ids)
    return people


def sender_users(dispatch):
    """The sender's secretariat users and the dispatch's author."""
    condition = Q(pk=dispatch.created_by_id) if dispatch.created_by_id else Q(pk__in=[])
    if dispatch.sender_process_id:
        condition |= Q(secretariat_assignments__process=dispatch.sender_process_id)
    return _people().filter(condition)


def addressee_users(dispatch):
    """The secretariat users of every process the dispatch is addressed to (not of its sender)."""
    if dispatch.addressed_to_all:
        people = secretariat_users()
    else:
        people = secretariat_users(dispatch.addressed_processes.values("pk"))
    if dispatch.sender_process_id:
        people = people.exclude(secretariat_assignments__process=dispatch.sender_process_id)
    return people


# Recording -----------------------------------------------------------------------------------


def notify(*, event, key, people, dispatch=None, target=None, actor=None, process=None):
    """Record that `people` are to be told of `event` about `dispatch` or `target` (once per person and key).

    The e-mails go out when the transaction commits, to those who want them at once.
    """
    if (dispatch is None) == (target is None):
        raise ValueError("A notification concerns a dispatch or another record, one of the two.")
    link = {"dispatch": dispatch} if dispatch is not None else {"target": target}
    people = people.exclude(notification_preference__delivery=Delivery.NONE)
    if actor is not None:
        people = people.exclude(pk=actor.pk)
    user_ids = sorted(set(people.values_list("pk", flat=True)))
    if not user_ids:
        return
    Notification.objects.bulk_create(
        [Notification(user_id=user_id, event=event, key=key, process=process, **link) for user_id in user_ids],
        ignore_conflicts=True,
    )
    transaction.on_commit(lambda: send_immediate(key=key))


# Sending -------------------------------------------------------------------------------------


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def _target_context(notification):
    target = notification.target
    context = {"notification": notification, "target": target, "process": notification.process}
    context.update(target.notification_context(notification))
    for name in [key for key in context if key.endswith("_path")]:
        context[name.removesuffix("_path") + "_url"] = _absolute(context[name])
    context.setdefault("start_url", _absolute(reverse("admin:index")))
    context.setdefault("preferences_url", _absolute(reverse("admin:notification_preferences")))
    return context


def _template_folder(notification):
    if notification.dispatch_id:
        return "exchange"
    return notification.target_type.app_label


def _context(notification):
    if not notification.dispatch_id:
        return _target_context(notification)
    dispatch = notification.dispatch
    return {
        "notification": notification,
        "dispatch": dispatch,
        "process": notification.process,
        "admin_url": _absolute(reverse("admin:exchange_dispatch_change", args=[dispatch.pk])),
        "public_url": _absolute(dispatch.get_absolute_url()),
        "start_url": _absolute(reverse("admin:index")),
        "preferences_url": _absolute(reverse("admin:notification_preferences")),
    }


def user_language(user):
    """The language a user reads the back office and their e-mails in (their remembered choice)."""
    try:
        language = user.notification_preference.language
    except NotificationPreference.DoesNotExist:
        language = ""
    return language or settings.LANGUAGE_CODE


def render_notification(notification):
    """(subject, body) of the e-mail for one notification, in its recipient's language."""
    with translation.override(user_language(notification.user)):
        context = _context(notification)
        folder = _template_folder(notification)
        subject = render_to_string(f"{folder}/email/{notification.event}_subject.txt", context).strip()
        body = render_to_string(f"{folder}/email/{notification.event}.txt", context)
    return subject, body


def _claim(notification):
    """Mark one notification sent unless someone else did first; True when this caller sends it."""
    return bool(Notification.objects.filter(pk=notification.pk, sent_at__isnull=True).update(sent_at=timezone.now()))


def _release(notification):
    Notification.objects.filter(pk=notification.pk).update(sent_at=None)


def _immediate(queryset):
    return queryset.exclude(user__notification_preference__delivery__in=[Delivery.DAILY, Delivery.NONE])


def send_immediate(*, key=None, connection=None):
    """Send the pending notifications of people who want them at once (of one event when `key` is given)."""
    pending = _immediate(
        Notification.objects.pending()
        .select_related("user__notification_preference", "dispatch", "process", "target_type")
        .prefetch_related("target")
    )
    if key is not None:
        pending = pending.filter(key=key)
    sent = 0
    connection = connection or get_connection()
    for notification in pending:
        if not _claim(notification):
            continue
        subject, body = render_notification(notification)
        try:
            EmailMessage(subject, body, None, [notification.user.email], connection=connection).send()
        except Exception:  # noqa: BLE001 — the e-mail is retried by the next send_notifications
            logger.exception("Notification %s could not be sent", notification.pk)
            _release(notification)
            continue
        sent += 1
    return sent


def daily_summaries(now=None):
    """{user: [notifications]} pending for people who chose one summary a day."""
    pending = (
        Notification.objects.pending()
        .filter(user__notification_preference__delivery=Delivery.DAILY, created_at__lte=now or timezone.now())
        .select_related("user__notification_preference", "dispatch", "process", "target_type")
        .prefetch_related("target")
        .order_by("user_id", "created_at", "pk")
    )
    summaries = {}
    for notification in pending:
        summaries.setdefault(notification.user, []).append(notification)
    return summaries


def send_daily_summaries(*, now=None, dry_run=False, connection=None):
    """One e-mail per person listing every step pending for them; returns the number of e-mails."""
    summaries = daily_summaries(now)
    if dry_run:
        return len(summaries)
    connection = connection or get_connection()
    sent = 0
    for user, notifications in summaries.items():
        claimed = [n for n in notifications if _claim(n)]
        if not claimed:
            continue
        with translation.override(user_language(user)):
            items = [{"notification": n, "subject": render_notification(n)[0], **_context(n)} for n in claimed]
            context = {
                "user": user,
                "items": items,
                "start_url": _absolute(reverse("admin:index")),
                "preferences_url": _absolute(reverse("admin:notification_preferences")),
            }
            subject = render_to_string("exchange/email/summary_subject.txt", context).strip()
            body = render_to_string("exchange/email/summary.txt", context)
        try:
            EmailMessage(subject, body, None, [user.email], connection=connection).send()
        except Exception:  # noqa: BLE001 — retried by the next run
            logger.exception("Daily summary for user %s could not be sent", user.pk)
            for notification in claimed:
                _release(notification)
            continue
        sent += 1
    return sent


# Preferences ---------------------------------------------------------------------------------


def delivery_for(user):
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.delivery if preference else Delivery.IMMEDIATE


@transaction.atomic
def notification_preference_set(*, user, delivery):
    """Record how `user` wants to hear of the exchange; "none" drops what was still waiting to be sent."""
    if delivery not in Delivery.values:
        raise ValueError(_("Unknown choice."))
    NotificationPreference.objects.update_or_create(user=user, defaults={"delivery": delivery})
    if delivery == Delivery.NONE:
        Notification.objects.pending().filter(user=user).update(sent_at=timezone.now())
