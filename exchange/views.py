"""Public pages of the exchange: the directory of published dispatches, a dispatch, its files,
and the digest subscription (double opt-in, one-click unsubscribe)."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, FormView

from core.directory import DirectoryView
from core.exports import Cell, DetailUrl, Related, choice, field
from core.pagecache import PageDependenciesMixin, own_tag
from core.preview import PreviewableDetailMixin, preview_action
from core.uploads import checked_file_response
from meetings.models import Document, Meeting
from rcps.models import Process
from recommendations.models import Recommendation

from .feeds import feed_links
from .filters import DispatchFilterSet
from .forms import SubscriptionForm
from .models import Dispatch, DispatchAcknowledgement, Subscription

# Only public processes are listed, as on the pages.
SENDING_PROCESSES = Related("sending_processes", Process.objects.public, label=lambda p: p.short_name)
ADDRESSED_PROCESSES = Related("addressed_processes", Process.objects.public, label=lambda p: p.short_name)


def dispatch_sender(sender_id, acronym, name, direction, senders, sender_note):
    return Dispatch.sender_text((acronym or name) if sender_id else None, direction, senders, sender_note)


CONFIRM_SALT = "exchange.subscription.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600
SUBSCRIBE_LIMIT = 5  # subscription requests per address per hour


class DispatchListView(DirectoryView):
    filterset_class = DispatchFilterSet
    template_name = "exchange/dispatch_list.html"
    export_filename = "dispatches"
    export_url = DetailUrl("exchange:dispatch_detail")
    export_columns = (
        ("title", field("title")),
        ("direction", choice("direction")),
        ("kind", choice("kind")),
        (
            "sender",
            Cell(
                dispatch_sender,
                "sender_process",
                "sender_process__acronym",
                "sender_process__name",
                "direction",
                SENDING_PROCESSES,
                "sender_note",
            ),
        ),
        ("sent_jointly_by", Cell(list, SENDING_PROCESSES)),
        ("sender_as_stated", field("sender_note")),
        ("addressed_to", Cell(Dispatch.addressees_text, "direction", "addressed_to_all", ADDRESSED_PROCESSES)),
        ("themes", Cell(list, Related("themes"))),
        ("published_at", field("published_at")),
        ("date_as_stated", field("date_text")),
        ("in_reply_to", field("in_reply_to")),
        ("body_markdown", field("body")),
        ("source", field("source")),
    )

    def get_queryset(self):
        return Dispatch.objects.public().with_public_related().newest_first()

    def get_context_data(self, **kwargs):
        chosen = self.filterset.form.cleaned_data if self.filterset.is_valid() else {}
        links = feed_links(process=chosen.get("process"), theme=chosen.get("theme"))
        return super().get_context_data(feed_links=links, **kwargs)


class DispatchDetailView(PageDependenciesMixin, PreviewableDetailMixin, DetailView):
    model = Dispatch
    template_name = "exchange/dispatch_detail.html"
    context_object_name = "dispatch"
    pointed_tag = staticmethod(own_tag)  # its sender's name; the dispatch it answers is read anew

    def detail_queryset(self, records):
        return records.with_public_related().prefetch_related(
            "attachments",
            Prefetch("meetings", queryset=Meeting.objects.public()),
            Prefetch("documents", queryset=Document.objects.public()),
            Prefetch("recommendations", queryset=Recommendation.objects.public()),
        )

    def get_preview_actions(self, dispatch):
        from . import workflow  # the workflow sends e-mails; only logged-in users' pages need it

        user = self.request.user
        page_url = self.request.path
        cancel_url = reverse("admin:exchange_dispatch_change", args=[dispatch.pk])
        actions = []
        for step in workflow.available_steps(dispatch, user):
            processes = workflow.responding_processes(dispatch, user) if step in ("acknowledge", "reply") else ()
            actions.append(
                preview_action(
                    step=step,
                    label=workflow.STEP_LABELS[step],
                    question=workflow.step_question(step, dispatch),
                    post_url=reverse("admin:exchange_dispatch_step", args=[dispatch.pk, step]),
                    page_url=page_url,
                    cancel_url=cancel_url,
                    reason=step == "return",
                    processes=processes,
                    direct=step == "reply",
                )
            )
        return actions

    def get_context_data(self, **kwargs):
        dispatch = self.object
        in_reply_to = Dispatch.objects.public().filter(pk=dispatch.in_reply_to_id).first()
        return super().get_context_data(
            in_reply_to=in_reply_to,
            replies=Dispatch.objects.public().filter(in_reply_to=dispatch).with_public_related(),
            acknowledgements=DispatchAcknowledgement.objects.filter(
                dispatch=dispatch, process__in=Process.objects.public()
            ).select_related("process"),
            **kwargs,
        )


def attachment_download(request, pk, attachment_pk):
    """Serve a dispatch's file only when the dispatch is public; uploads have no public URL of their own."""
    dispatch = get_object_or_404(Dispatch.objects.public(), pk=pk)
    attachment = get_object_or_404(dispatch.attachments, pk=attachment_pk)
    return checked_file_response(attachment.file, attachment.filename)


# Digest subscription ------------------------------------------------------------------------


def _client_key(request):
    """The visitor's address as django-axes finds it for lockouts (core.clientip: behind the proxy, the real one)."""
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")


def subscribe_attempt(request):
    """Count one subscription request of this address; True while it is within the hourly limit.

    The count lives in the "ratelimit" cache, shared by every worker (Redis, or a folder of the
    machine), so the limit holds however many workers answer.
    """
    counts = caches["ratelimit"]
    key = f"exchange-subscribe:{_client_key(request)}"
    counts.add(key, 0, 3600)
    try:
        attempts = counts.incr(key)
    except ValueError:  # expired between the two calls
        counts.set(key, 1, 3600)
        attempts = 1
    return attempts <= SUBSCRIBE_LIMIT


class SubscribeView(FormView):
    """Ask for a digest; the same answer whatever the address, so it reveals nobody's subscription."""

    template_name = "exchange/subscribe.html"
    form_class = SubscriptionForm

    def form_valid(self, form):
        if form.cleaned_data.get("website"):
            return redirect("exchange:subscribe_sent")  # a bot: pretend all went well
        if not subscribe_attempt(self.request):
            return render(self.request, "exchange/subscribe_limited.html", status=429)
        subscription_request(form=form, request=self.request)
        return redirect("exchange:subscribe_sent")


@transaction.atomic
def subscription_request(*, form, request):
    """Save an unconfirmed subscription and mail its confirmation link."""
    subscription = form.save(commit=False)
    # The digests speak the language of the page the address subscribed on (/fr/… → French).
    subscription.language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    subscription.full_clean()
    subscription.save()
    form.save_m2m()
    token = signing.TimestampSigner(salt=CONFIRM_SALT).sign(subscription.token)
    context = {
        "subscription": subscription,
        "confirm_url": request.build_absolute_uri(reverse("exchange:subscribe_confirm", kwargs={"token": token})),
    }
    message = render_to_string("exchange/email/confirm.txt", context)
    subject = render_to_string("exchange/email/confirm_subject.txt", context).strip()
    transaction.on_commit(lambda: send_mail(subject, message, None, [subscription.email]))
    return subscription


def subscribe_sent(request):
    return render(request, "exchange/subscribe_sent.html")


@transaction.atomic
def subscribe_confirm(request, token):
    """The link from the confirmation e-mail: the subscription starts; older ones of the address end."""
    try:
        raw = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return render(request, "exchange/subscribe_confirmed.html", {"invalid": True}, status=400)
    subscription = Subscription.objects.filter(token=raw).first()
    if subscription is None:
        return render(request, "exchange/subscribe_confirmed.html", {"invalid": True}, status=400)
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
        # A new confirmed choice replaces the address's earlier ones: one digest per address.
        Subscription.objects.filter(email__iexact=subscription.email).exclude(pk=subscription.pk).delete()
    return render(request, "exchange/subscribe_confirmed.html", {"subscription": subscription})


@method_decorator(csrf_exempt, name="dispatch")  # RFC 8058: mail clients POST without a form token
class UnsubscribeView(DetailView):
    """GET shows a button; POST (the button, or a mail client's one-click request) ends the subscription."""

    template_name = "exchange/unsubscribe.html"
    slug_field = "token"
    slug_url_kwarg = "token"
    queryset = Subscription.objects.all()
    context_object_name = "subscription"

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            return None

    def post(self, request, *args, **kwargs):
        subscription = self.get_object()
        if subscription is not None:
            subscription.delete()
        return render(request, "exchange/unsubscribe.html", {"done": True})
