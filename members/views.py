"""The members' area: invitations, participants' sign-in, two-factor set-up, and their processes' shared records."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from core.exports import export_response
from core.uploads import checked_file_response
from meetings.calendars import build_calendar
from rcps import scoping
from rcps.models import Membership, Process

from . import figures, mfa, network, shared
from .feeds import key_holder
from .forms import (
    FigureForm,
    FigureUploadForm,
    InvitationForm,
    ListMessageForm,
    MailingListForm,
    ReleaseForm,
    SetPasswordForm,
    TokenForm,
    bootstrap,
)
from .models import Bounce, FeedKey, Figure, Indicator, Invitation, MailingList, Release, bounced_addresses


class MembersLoginRequired(LoginRequiredMixin):
    login_url = "members:sign_in"


def safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


# Sign-in -------------------------------------------------------------------------------------


class SignInView(LoginView):
    """Participants sign in here, on the public site (staff use the admin's login page)."""

    template_name = "members/sign_in.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("members:home")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        bootstrap(form)
        return form


class SignOutView(LogoutView):
    next_page = "home"


# Invitations ---------------------------------------------------------------------------------


class InviteView(MembersLoginRequired, FormView):
    """A secretariat invites a member State official to one of its processes; the link goes by e-mail."""

    template_name = "members/invite.html"
    form_class = InvitationForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (
            user.is_staff
            and user.has_perm("members.add_invitation")
            and scoping.served_process_ids(user) != frozenset()
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        ids = scoping.served_process_ids(self.request.user)
        invitations = Invitation.objects.with_related()
        if ids is not None:
            invitations = invitations.filter(process__in=ids)
        return super().get_context_data(invitations=invitations[:50], **kwargs)

    def form_valid(self, form):
        fields = {k: form.cleaned_data[k] for k in ("email", "process", "country", "ministry", "role")}
        with transaction.atomic():
            invitation, token = Invitation.issue(invited_by=self.request.user, **fields)
            context = {
                "invitation": invitation,
                "link": Invitation.link(token),
                "days": settings.MEMBERS_INVITATION_DAYS,
            }
            send_mail(
                _("Invitation to the %(process)s members' area on the RCP Portal")
                % {"process": invitation.process.short_name},
                render_to_string("members/email/invitation.txt", context),
                None,
                [invitation.email],
            )
        messages.success(self.request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
        return redirect("members:invite")


class AcceptView(View):
    """The invitation link: set a first password (or, for an existing participant, accept), once, before it expires."""

    def get_invitation(self, token):
        invitation = Invitation.objects.by_token(token)
        if invitation is None or not invitation.is_open:
            return None, render(
                self.request,
                "members/invitation_closed.html",
                {"invitation": invitation},
                status=410 if invitation else 404,
            )
        return invitation, None

    def existing_user(self, invitation):
        return get_user_model().objects.filter(email__iexact=invitation.email).first()

    def get(self, request, token):
        invitation, closed = self.get_invitation(token)
        if closed:
            return closed
        user = self.existing_user(invitation)
        form = (
            None if user else SetPasswordForm(user=get_user_model()(username=invitation.email, email=invitation.email))
        )
        return render(request, "members/accept.html", {"invitation": invitation, "form": form, "existing": user})

    def post(self, request, token):
        invitation, closed = self.get_invitation(token)
        if closed:
            return closed
        user = self.existing_user(invitation)
        if user is not None:
            if request.user != user or user.is_staff:
                return render(request, "members/accept.html", {"invitation": invitation, "existing": user}, status=403)
            self.accept(invitation, user)
            return redirect("members:home")
        draft = get_user_model()(username=invitation.email, email=invitation.email)
        form = SetPasswordForm(request.POST, user=draft)
        if not form.is_valid():
            return render(request, "members/accept.html", {"invitation": invitation, "form": form}, status=400)
        with transaction.atomic():
            # Locked and checked again: two tabs posting the same link create one account.
            locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if not locked.is_open:
                return render(request, "members/invitation_closed.html", {"invitation": locked}, status=410)
            draft.set_password(form.cleaned_data["password1"])
            draft.save()
            self.accept(locked, draft)
        login(request, draft, backend="core.backends.PortalModelBackend")
        messages.success(request, _("Welcome. Now set up your second factor."))
        return redirect("members:two_factor_setup")

    @staticmethod
    def accept(invitation, user):
        Membership.objects.get_or_create(
            user=user,
            process=invitation.process,
            country=invitation.country,
            role=invitation.role,
            defaults={"ministry": invitation.ministry},
        )
        invitation.accepted = timezone.now()
        invitation.user = user
        invitation.save(update_fields=["accepted", "user"])


# Two-factor ----------------------------------------------------------------------------------


class TwoFactorSetupView(MembersLoginRequired, View):
    """Scan a QR code (drawn here as SVG), confirm a code, receive recovery codes once."""

    template_name = "members/two_factor_setup.html"

    def context(self, form):
        device = mfa.pending_totp_device(self.request.user)
        return {
            "form": form,
            "qr_svg": shared.qr_svg(device.config_url),
            "secret": shared.base32_key(device),
            "has_device": user_has_device(self.request.user, confirmed=True),
            "next": safe_next(self.request, ""),
        }

    def get(self, request):
        return render(request, self.template_name, self.context(TokenForm()))

    def post(self, request):
        if user_has_device(request.user, confirmed=True) and not request.user.is_verified():
            # Replacing a device needs the current one first.
            return redirect(f"{reverse('members:two_factor_verify')}?next={reverse('members:two_factor_setup')}")
        form = TokenForm(request.POST)
        device = mfa.pending_totp_device(request.user)
        if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                request.user.totpdevice_set.filter(confirmed=True).exclude(pk=device.pk).delete()
                device.confirmed = True
                device.save()
                codes = mfa.new_recovery_codes(request.user)
            otp_login(request, device)
            return render(
                request,
                "members/recovery_codes.html",
                {"codes": codes, "next": safe_next(request, reverse("members:home"))},
            )
        if form.is_valid():
            form.add_error("token", _("This code is not right. Check your device's clock and try the newest code."))
        return render(request, self.template_name, self.context(form), status=400)


class TwoFactorVerifyView(MembersLoginRequired, View):
    """The second factor at sign-in: a code from the app, or a recovery code (used once)."""

    template_name = "members/two_factor_verify.html"

    def get(self, request):
        if not user_has_device(request.user, confirmed=True):
            return redirect("members:two_factor_setup")
        return render(request, self.template_name, {"form": TokenForm(), "next": safe_next(request, "")})

    def post(self, request):
        form = TokenForm(request.POST)
        device = match_token(request.user, form.cleaned_data["token"]) if form.is_valid() else None
        if device is None:
            if form.is_valid():
                form.add_error("token", _("This code is not right."))
            return render(request, self.template_name, {"form": form, "next": safe_next(request, "")}, status=400)
        otp_login(request, device)
        default = reverse("admin:index") if request.user.is_staff else reverse("members:home")
        return redirect(safe_next(request, default))


# The members' area ---------------------------------------------------------------------------


class HomeView(MembersLoginRequired, TemplateView):
    """A participant's processes and what each shares with its members; a secretariat's invitations."""

    template_name = "members/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        memberships = list(user.memberships.with_related()) if not user.is_staff else []
        feed_key = FeedKey.objects.filter(user=user).first() if memberships else None
        return super().get_context_data(
            memberships=memberships,
            processes=shared.member_processes(user),
            served_processes=shared.served_processes(user),
            feed_key=feed_key,
            mfa_required=mfa.required_for(user),
            has_device=user_has_device(user, confirmed=True),
            grace_ends=mfa.grace_ends(user),
            **kwargs,
        )


class ProcessView(MembersLoginRequired, TemplateView):
    """What one process shares with its members: participants-only meetings, documents, recommendations, contacts."""

    template_name = "members/process.html"

    def get_context_data(self, **kwargs):
        process = get_object_or_404(shared.member_processes(self.request.user), slug=self.kwargs["slug"])
        return super().get_context_data(process=process, **shared.shared_records(process), **kwargs)


class DocumentFileView(MembersLoginRequired, View):
    """A participants-only document's file, for members of its processes only."""

    def get(self, request, pk):
        document = shared.participant_document(request.user, pk)
        if document is None or not document.file:
            raise Http404
        return checked_file_response(document.file, document.file.name.rsplit("/", 1)[-1])


class FeedKeyView(MembersLoginRequired, View):
    """Create or replace the private calendar link (the old one stops working)."""

    def post(self, request):
        if not scoping.is_participant(request.user):
            raise PermissionDenied
        FeedKey.renew(request.user)
        messages.success(request, _("Your private calendar link is new; the old one no longer works."))
        return redirect("members:home")


def private_calendar(request, key):
    """Public and participants-only meetings of the key holder's processes, for calendar readers that cannot sign in."""
    user = key_holder(key)
    if user is None:
        raise Http404
    body = build_calendar(
        shared.calendar_meetings(user),
        request,
        name=_("RCP Portal — my processes"),
        uid=f"members-{user.pk}",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# The data exchange -------------------------------------------------------------------------


def member_process_or_404(user, slug):
    return get_object_or_404(shared.member_processes(user), slug=slug)


class ProcessDataView(MembersLoginRequired, View):
    """Members' figures side by side by country and year, with a chart, an export, and the forms to submit."""

    template_name = "members/process_data.html"

    def get(self, request, slug):
        process = member_process_or_404(request.user, slug)
        catalogue = list(Indicator.objects.filter(processes=process).order_by("name"))
        indicator = next(
            (i for i in catalogue if i.slug == request.GET.get("indicator")), catalogue[0] if catalogue else None
        )
        rows = (
            Figure.objects.for_members_of([process.pk])
            .filter(indicator=indicator, disaggregation="")
            .select_related("country")
            .order_by("country__name", "year")
        )
        if request.GET.get("format") in ("csv", "json") and indicator is not None:
            return export_response(
                request.GET["format"],
                rows,
                FIGURE_COLUMNS,
                request,
                f"{process.slug}-{indicator.slug}",
            )
        countries = figures.submitting_countries(request.user, process)
        return render(
            request,
            self.template_name,
            {
                "process": process,
                "catalogue": catalogue,
                "indicator": indicator,
                **shared.side_by_side(list(rows)),
                "own_figures": Figure.objects.filter(process=process, country__in=countries)
                .with_related()
                .order_by("indicator__name", "-year", "disaggregation"),
                "countries": countries,
                "form": FigureForm(process=process, countries=countries),
                "upload_form": FigureUploadForm(countries=countries),
                "releases": Release.choices,
            },
        )


FIGURE_COLUMNS = (
    ("indicator", lambda f: f.indicator.slug),
    ("country", lambda f: f.country.name),
    ("year", "year"),
    ("value", lambda f: str(f.value)),
    ("release", "release"),
    ("note", "note"),
)


def submitting_process_and_countries(user, slug):
    """The member's process and the countries `user` submits figures for (403 for anyone but a national focal point)."""
    process = member_process_or_404(user, slug)
    countries = figures.submitting_countries(user, process)
    if not countries:
        raise PermissionDenied(_("Only a national focal point submits figures for their country."))
    return process, countries


class FigureSubmitView(MembersLoginRequired, View):
    def post(self, request, slug):
        process, countries = submitting_process_and_countries(request.user, slug)
        form = FigureForm(request.POST, process=process, countries=countries)
        if not form.is_valid():
            for field, errors in form.errors.items():
                for error in errors:
                    label = form.fields[field].label if field in form.fields else ""
                    messages.error(request, f"{label}: {error}" if label else error)
            return redirect(f"{reverse('members:process_data', args=[slug])}")
        data = form.cleaned_data
        figures.save_figure(
            user=request.user,
            process=process,
            **{k: data[k] for k in ("country", "indicator", "year", "disaggregation", "value", "release", "note")},
        )
        messages.success(request, _("Figure saved."))
        return redirect(f"{reverse('members:process_data', args=[slug])}?indicator={data['indicator'].slug}")


class FigureUploadView(MembersLoginRequired, View):
    def post(self, request, slug):
        process, countries = submitting_process_and_countries(request.user, slug)
        form = FigureUploadForm(request.POST, request.FILES, countries=countries)
        problems = []
        if form.is_valid():
            try:
                rows = figures.read_rows(form.cleaned_data["file"])
            except Exception as error:  # noqa: BLE001 - a broken file of any kind is a clear refusal, not a 500
                messages_ = getattr(error, "messages", None) or [_("The file could not be read as CSV or Excel.")]
                problems = [(None, m) for m in messages_]
            else:
                saved, problems = figures.import_rows(
                    rows, user=request.user, process=process, country=form.cleaned_data["country"]
                )
                if not problems:
                    messages.success(request, _("%(count)d figures saved.") % {"count": saved})
                    return redirect("members:process_data", slug=slug)
        else:
            problems = [(None, error) for errors in form.errors.values() for error in errors]
        messages.error(request, _("Nothing was saved: correct the file and upload it again."))
        return render(
            request,
            "members/upload_problems.html",
            {"process": process, "problems": problems},
            status=400,
        )


class FigureReleaseView(MembersLoginRequired, View):
    """Change a figure's release level or withdraw it: the submitting country's focal point only."""

    def post(self, request, pk):
        figure = get_object_or_404(
            Figure.objects.filter(process__in=scoping.participant_process_ids(request.user)).with_related(), pk=pk
        )
        if not figures.may_submit(request.user, figure.process, figure.country):
            raise PermissionDenied(
                _("Only a focal point of %(country)s changes its figures.") % {"country": figure.country}
            )
        form = ReleaseForm(request.POST)
        if not form.is_valid():
            return HttpResponse(_("Unknown release level."), status=400, content_type="text/plain; charset=utf-8")
        figure.release = form.cleaned_data["release"]
        figure.submitted_by = request.user
        figure.save(update_fields=["release", "submitted_by", "updated"])
        messages.success(
            request,
            _("Release of %(figure)s: %(release)s.") % {"figure": figure, "release": figure.get_release_display()},
        )
        return redirect(
            f"{reverse('members:process_data', args=[figure.process.slug])}?indicator={figure.indicator.slug}"
        )


class CatalogueView(MembersLoginRequired, View):
    """A secretariat chooses which shared indicator definitions its process's members report on."""

    template_name = "members/catalogue.html"

    def get_process(self, request, slug):
        if not request.user.is_staff:
            raise PermissionDenied
        process = get_object_or_404(Process, slug=slug)
        if not scoping.serves(request.user, process):
            raise Http404
        return process

    def get(self, request, slug):
        process = self.get_process(request, slug)
        chosen = set(process.indicators.values_list("pk", flat=True))
        return render(
            request,
            self.template_name,
            {"process": process, "indicators": Indicator.objects.order_by("name"), "chosen": chosen},
        )

    def post(self, request, slug):
        process = self.get_process(request, slug)
        wanted = {int(v) for v in request.POST.getlist("indicators") if v.isdigit()}
        with transaction.atomic():
            # From the indicators' side, so each change lands in that indicator's history.
            for indicator in Indicator.objects.prefetch_related("processes"):
                listed = process in indicator.processes.all()
                if indicator.pk in wanted and not listed:
                    indicator.processes.add(process)
                elif indicator.pk not in wanted and listed:
                    indicator.processes.remove(process)
        messages.success(request, _("The catalogue of %(process)s is saved.") % {"process": process.short_name})
        return redirect("members:catalogue", slug=slug)


# The focal-point network -------------------------------------------------------------------


class ListsView(CatalogueView):
    """A secretariat's lists for one of its processes: make a list, see who it reaches, send a message."""

    template_name = "members/lists.html"

    def context(self, process, form=None, message_form=None):
        lists = list(MailingList.objects.filter(process=process).prefetch_related("opt_outs").order_by("name"))
        bounced = bounced_addresses()
        return {
            "process": process,
            "lists": [(each, each.recipients(bounced)) for each in lists],
            "form": form or MailingListForm(process=process),
            "message_form": message_form or ListMessageForm(),
            "bounces": Bounce.objects.all()[:50],
        }

    def get(self, request, slug):
        process = self.get_process(request, slug)
        return render(request, self.template_name, self.context(process))

    def post(self, request, slug):
        process = self.get_process(request, slug)
        form = MailingListForm(request.POST, process=process)
        if not form.is_valid():
            return render(request, self.template_name, self.context(process, form=form), status=400)
        mailing_list = form.save(commit=False)
        mailing_list.process = process
        mailing_list.save()
        form.save_m2m()
        messages.success(request, _("List “%(name)s” created.") % {"name": mailing_list.name})
        return redirect("members:lists", slug=slug)


class SendListMessageView(CatalogueView):
    def post(self, request, slug, pk):
        process = self.get_process(request, slug)
        mailing_list = get_object_or_404(MailingList, process=process, pk=pk)
        form = ListMessageForm(request.POST)
        if not form.is_valid():
            lists_view = ListsView()
            return render(request, ListsView.template_name, lists_view.context(process, message_form=form), status=400)
        message = network.send_message(mailing_list, user=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Message sent to %(count)d people and archived for members.") % {"count": message.recipient_count},
        )
        return redirect("members:lists", slug=slug)


@method_decorator(csrf_exempt, name="dispatch")  # RFC 8058: mail programs post the one-click unsubscribe
class UnsubscribeView(View):
    """Leave a list from the link in a message: a page with a button, or the mail program's one-click POST."""

    def get_target(self, token):
        found = network.read_unsubscribe_token(token) if len(token) < 500 else None
        if found is None:
            raise Http404
        mailing_list = get_object_or_404(MailingList.objects.select_related("process"), pk=found[0])
        return mailing_list, found[1]

    def get(self, request, token):
        mailing_list, email = self.get_target(token)
        left = mailing_list.opt_outs.filter(email=email).exists()
        return render(request, "members/unsubscribe.html", {"list": mailing_list, "email": email, "left": left})

    def post(self, request, token):
        mailing_list, email = self.get_target(token)
        network.opt_out(mailing_list, email)
        return render(request, "members/unsubscribe.html", {"list": mailing_list, "email": email, "left": True})
