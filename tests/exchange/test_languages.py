"""E-mails speak their recipient's language: a French subscriber's digest, a Spanish user's notifications."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from exchange.digest import send_digests
from exchange.models import Dispatch, Notification, NotificationPreference, Subscription
from exchange.notifications import send_daily_summaries, send_immediate
from tests.exchange.factories import make_dispatch

pytestmark = pytest.mark.django_db


def in_language(language, message, **values):
    with translation.override(language):
        return translation.gettext(message) % values if values else translation.gettext(message)


def test_a_french_subscriber_gets_a_french_confirmation_and_a_french_digest(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fr/exchange/subscribe/", {"email": "lecteur@example.org", "frequency": "daily"})
    assert response.status_code == 302 and response["Location"] == "/fr/exchange/subscribe/sent/"
    subscription = Subscription.objects.get(email="lecteur@example.org")
    assert subscription.language == "fr"
    confirmation = mailoutbox[0]
    link = re.search(r"https?://\S+/fr/exchange/subscribe/confirm/\S+/", confirmation.body).group(0)
    assert client.get(link).status_code == 200

    make_dispatch(title="Statement on labour migration", title_fr="Déclaration sur les migrations de travail")
    mailoutbox.clear()
    send_digests(frequency="daily", now=timezone.now())
    digest = mailoutbox[0]
    assert digest.to == ["lecteur@example.org"]
    frequency = in_language("fr", "Daily").lower()
    intro = in_language("fr", "Your %(frequency)s digest of the GFMD–RCP exchange.", frequency=frequency)
    assert intro in digest.body
    assert "Déclaration sur les migrations de travail" in digest.body
    assert "/fr/exchange/" in digest.body and "/fr/exchange/unsubscribe/" in digest.extra_headers["List-Unsubscribe"]
    assert in_language("fr", "Unsubscribe:") in digest.body


def test_an_english_subscriber_still_gets_english(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/exchange/subscribe/", {"email": "reader@example.org", "frequency": "daily"})
    assert Subscription.objects.get(email="reader@example.org").language == "en"
    assert "/exchange/subscribe/confirm/" in mailoutbox[0].body and "/fr/" not in mailoutbox[0].body


def notification_for(user, dispatch):
    return Notification.objects.create(
        user=user, dispatch=dispatch, event=Notification.Event.SUBMITTED, key=f"submitted:{dispatch.pk}"
    )


def test_notifications_are_written_in_each_users_language(support_unit, colombo_secretariat, colombo):
    NotificationPreference.objects.create(user=support_unit, language="es")
    dispatch = make_dispatch(state=Dispatch.State.SUBMITTED, sender_process=colombo, title="Labour statement")
    notification_for(support_unit, dispatch)
    notification_for(colombo_secretariat, dispatch)
    send_immediate()
    by_address = {message.to[0]: message for message in mail.outbox}
    spanish = by_address[support_unit.email]
    english = by_address[colombo_secretariat.email]
    expected = in_language("es", "To moderate: %(title)s (%(process)s)", title="Labour statement", process="CP")
    assert spanish.subject.startswith(expected.split(":")[0])
    assert english.subject.startswith("To moderate:")
    assert "/admin/exchange/dispatch/" in spanish.body


def test_a_daily_summary_is_written_in_the_users_language(support_unit, colombo):
    NotificationPreference.objects.create(user=support_unit, language="fr", delivery="daily")
    dispatch = make_dispatch(state=Dispatch.State.SUBMITTED, sender_process=colombo, title="Labour statement")
    notification_for(support_unit, dispatch)
    assert send_daily_summaries() == 1
    summary = mail.outbox[0]
    assert reverse("admin:index") in summary.body
    with translation.override("fr"):
        from django.template.loader import render_to_string

        subject = render_to_string("exchange/email/summary_subject.txt", {"user": support_unit, "items": [1]}).strip()
    assert summary.subject == subject


def test_the_set_password_email_is_in_the_users_chosen_language(client, superuser, colombo_secretariat):
    NotificationPreference.objects.create(user=colombo_secretariat, language="es")
    client.force_login(superuser)
    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "send_set_password_link", "_selected_action": [colombo_secretariat.pk]},
    )
    assert mail.outbox[0].to == [colombo_secretariat.email]
    assert mail.outbox[0].subject == in_language("es", "Your RCP Portal back-office account")
    assert mail.outbox[0].subject != "Your RCP Portal back-office account"
