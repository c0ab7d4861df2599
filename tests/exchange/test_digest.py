"""The e-mail digest: double opt-in, what it holds, sent once, one-click unsubscribe."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from exchange.digest import send_digests
from exchange.models import Subscription
from tests.exchange.factories import make_dispatch

pytestmark = pytest.mark.django_db


def subscribe(client, django_capture_on_commit_callbacks, **data):
    data.setdefault("email", "reader@example.org")
    data.setdefault("frequency", "daily")
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("exchange:subscribe"), data)


def confirm_link(message):
    return re.search(r"https?://\S+/exchange/subscribe/confirm/\S+/", message.body).group(0)


def confirmed(email="reader@example.org", frequency="daily", **fields):
    since = timezone.now() - datetime.timedelta(days=2)
    return Subscription.objects.create(email=email, frequency=frequency, confirmed_at=since, **fields)


def test_subscribing_sends_a_confirmation_link_and_nothing_else_until_it_is_followed(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    response = subscribe(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["reader@example.org"]]
    make_dispatch(title="Published after subscribing")
    assert send_digests(frequency="daily") == []
    assert len(mailoutbox) == 1
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None


def test_following_the_link_confirms_the_subscription(client, mailoutbox, django_capture_on_commit_callbacks):
    subscribe(client, django_capture_on_commit_callbacks)
    response = client.get(confirm_link(mailoutbox[0]))
    assert response.status_code == 200
    assert Subscription.objects.get().confirmed_at is not None


def test_a_forged_confirmation_link_is_refused(client, mailoutbox, django_capture_on_commit_callbacks):
    subscribe(client, django_capture_on_commit_callbacks)
    token = Subscription.objects.get().token
    response = client.get(reverse("exchange:subscribe_confirm", kwargs={"token": f"{token}:forged"}))
    assert response.status_code == 400
    assert Subscription.objects.get().confirmed_at is None


def test_the_answer_is_the_same_whether_or_not_the_address_is_already_subscribed(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed()
    known = subscribe(client, django_capture_on_commit_callbacks)
    unknown = subscribe(client, django_capture_on_commit_callbacks, email="new@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


def test_a_new_confirmation_replaces_the_address_earlier_subscription(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed(frequency="weekly")
    subscribe(client, django_capture_on_commit_callbacks)
    client.get(confirm_link(mailoutbox[-1]))
    assert list(Subscription.objects.values_list("frequency", flat=True)) == ["daily"]


def test_too_many_requests_from_one_address_are_refused(client, django_capture_on_commit_callbacks):
    from django.core.cache import caches

    caches["ratelimit"].clear()
    for _ in range(5):
        assert subscribe(client, django_capture_on_commit_callbacks).status_code == 302
    assert subscribe(client, django_capture_on_commit_callbacks).status_code == 429
    caches["ratelimit"].clear()


def test_the_digest_holds_new_published_dispatches_matching_the_choices(colombo, bali, theme, mailoutbox):
    subscription = confirmed(directions=["to_gfmd"])
    subscription.processes.set([colombo])
    make_dispatch(title="Colombo report", sender_process=colombo)
    make_dispatch(title="Bali report", sender_process=bali)
    make_dispatch(title="GFMD to Colombo", direction="from_gfmd", addressed_processes=[colombo])
    make_dispatch(title="Colombo draft", sender_process=colombo, state="submitted")
    make_dispatch(
        title="Before the subscription",
        sender_process=colombo,
        published_at=timezone.now() - datetime.timedelta(days=9),
    )
    send_digests(frequency="daily")
    [message] = mailoutbox
    assert message.to == ["reader@example.org"]
    assert "Colombo report" in message.body
    for absent in ("Bali report", "GFMD to Colombo", "Colombo draft", "Before the subscription"):
        assert absent not in message.body


def test_a_theme_choice_selects_dispatches_on_that_theme(bali, theme, mailoutbox):
    subscription = confirmed()
    subscription.themes.set([theme])
    make_dispatch(title="On the theme", sender_process=bali, themes=[theme])
    make_dispatch(title="Off the theme", sender_process=bali)
    send_digests(frequency="daily")
    assert "On the theme" in mailoutbox[0].body and "Off the theme" not in mailoutbox[0].body


def test_the_digest_has_a_one_click_unsubscribe_header(mailoutbox):
    subscription = confirmed()
    make_dispatch(title="News")
    send_digests(frequency="daily")
    headers = mailoutbox[0].extra_headers
    assert headers["List-Unsubscribe"] == (
        f"<http://127.0.0.1:8000{reverse('exchange:unsubscribe', kwargs={'token': subscription.token})}>"
    )
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_second_run_sends_nothing_again(mailoutbox):
    confirmed()
    make_dispatch(title="News")
    call_command("send_digest", frequency="daily", verbosity=0)
    call_command("send_digest", frequency="daily", verbosity=0)
    assert len(mailoutbox) == 1


def test_a_dry_run_sends_nothing_and_changes_nothing(mailoutbox):
    subscription = confirmed()
    make_dispatch(title="News")
    call_command("send_digest", frequency="daily", dry_run=True, verbosity=0)
    subscription.refresh_from_db()
    assert mailoutbox == [] and subscription.last_sent_at is None


def test_weekly_subscribers_are_not_sent_the_daily_digest(mailoutbox):
    confirmed(frequency="weekly")
    make_dispatch(title="News")
    send_digests(frequency="daily")
    assert mailoutbox == []


def test_unconfirmed_subscriptions_are_forgotten_after_a_week(db):
    Subscription.objects.create(email="old@example.org", created_at=timezone.now() - datetime.timedelta(days=8))
    Subscription.objects.create(email="recent@example.org")
    send_digests(frequency="daily")
    assert list(Subscription.objects.values_list("email", flat=True)) == ["recent@example.org"]


def test_one_click_unsubscribe_by_post_without_a_form_token(client):
    subscription = confirmed()
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(
        reverse("exchange:unsubscribe", kwargs={"token": subscription.token}),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_opening_the_unsubscribe_link_asks_before_ending_the_subscription(client):
    subscription = confirmed()
    response = client.get(reverse("exchange:unsubscribe", kwargs={"token": subscription.token}))
    assert b'<form method="post">' in response.content
    assert Subscription.objects.exists()


def test_behind_the_proxy_the_subscribe_limit_counts_each_visitor_not_the_proxy(
    client, settings, django_capture_on_commit_callbacks
):
    settings.AXES_IPWARE_PROXY_COUNT = 1  # BEHIND_HTTPS_PROXY=true: one proxy in front, as for lockouts

    def from_visitor(address, **data):
        data.setdefault("email", "reader@example.org")
        data.setdefault("frequency", "daily")
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("exchange:subscribe"), data, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address
            )

    for number in range(8):  # eight visitors behind one proxy
        assert from_visitor(f"203.0.113.{number + 1}").status_code == 302
    for _ in range(5):
        assert from_visitor("198.51.100.7").status_code == 302
    assert from_visitor("198.51.100.7").status_code == 429
    assert from_visitor("198.51.100.8").status_code == 302  # the next visitor is not punished


def test_the_subscribe_limit_is_counted_in_a_cache_every_worker_shares():
    from portal.settings import base

    backend = base.CACHES["ratelimit"]["BACKEND"]
    assert backend.endswith(("RedisCache", "FileBasedCache"))  # never one worker's own memory
