"""Survey pages: published results for everyone; answering for respondents; full results for the Support Unit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from core import roles
from core.exports import table_csv_response, table_xlsx_response
from core.uploads import checked_file_response

from . import workflow
from .forms import ResponseForm, SendOnForm
from .models import Answer, ResponseMaterial, Survey, SurveyResponse
from .respondents import may_answer
from .results import export_rows, survey_results

# Published results (the public) --------------------------------------------------------------------


class SurveyListView(ListView):
    """Surveys whose results are published, newest first, each with its response counts."""

    template_name = "surveys/survey_list.html"
    context_object_name = "surveys"
    paginate_by = 25

    def get_queryset(self):
        return Survey.objects.public().with_response_counts().order_by("-year", "title")


class SurveyResultsView(DetailView):
    """A published survey: response table, public questions aggregated, consented processes' answers."""

    template_name = "surveys/survey_results.html"
    context_object_name = "survey"

    def get_queryset(self):
        return Survey.objects.public().select_related("background_document")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "results": survey_results(self.object), "public": True}


def survey_results_export(request, slug, fmt):
    """The published results as one row per consenting process and public question (CSV or XLSX)."""
    survey = get_object_or_404(Survey.objects.public(), slug=slug)
    return _export(survey, fmt, public=True)


def _export(survey, fmt, public):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    header, rows = export_rows(survey, public=public)
    filename = f"{survey.slug}-results" if public else f"{survey.slug}-all-answers"
    if fmt == "xlsx":
        return table_xlsx_response(header, rows, filename, sheet_title=slugify(survey.title)[:31] or "survey")
    return table_csv_response(header, rows, filename)


# The Support Unit ---------------------------------------------------------------------------------


def _check_runs_surveys(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request)
    if not roles.is_moderator(request.user):
        raise PermissionDenied
    return None


def redirect_to_login(request):
    from django.contrib.auth.views import redirect_to_login as to_login

    return to_login(request.get_full_path())


def survey_all_results(request, slug):
    """Every question and every process's answers, for the Support Unit (published or not)."""
    refused = _check_runs_surveys(request)
    if refused:
        return refused
    survey = get_object_or_404(Survey.objects.select_related("background_document"), slug=slug)
    return render(
        request,
        "surveys/survey_results.html",
        {"survey": survey, "results": survey_results(survey, public=False), "public": False},
    )


def survey_all_results_export(request, slug, fmt):
    refused = _check_runs_surveys(request)
    if refused:
        return refused
    return _export(get_object_or_404(Survey, slug=slug), fmt, public=False)


def survey_preview(request, slug):
    """The questionnaire as a respondent sees it, nothing saved (the Support Unit, before opening it)."""
    refused = _check_runs_surveys(request)
    if refused:
        return refused
    survey = get_object_or_404(Survey, slug=slug)
    form = ResponseForm(response=_PreviewResponse(survey), answers=[], disabled=True)
    return render(request, "surveys/response_answer.html", {"survey": survey, "form": form, "preview": True})


class _PreviewResponse:
    """Stands in for a response in the preview: no process, no answers, nothing consented."""

    def __init__(self, survey):
        self.survey = survey
        self.process = None
        self.consent_to_publish = False
        self.materials_note = ""


# Respondents ----------------------------------------------------------------------------------------


@login_required(login_url="members:sign_in")
def response_list(request):
    """The questionnaires the user answers for their processes: open ones first, then past ones."""
    responses = (
        SurveyResponse.objects.answerable_by(request.user)
        .exclude(survey__status=Survey.Status.DRAFT)
        .exclude(survey__recorded_from_sources=True)
        .select_related("survey", "process")
        .order_by("-survey__status", "survey__closes_on", "process__name")
    )
    open_ones = [r for r in responses if r.survey.status == Survey.Status.OPEN]
    past = [r for r in responses if r.survey.status != Survey.Status.OPEN]
    return render(request, "surveys/response_list.html", {"open_responses": open_ones, "past_responses": past})


def _response_for(request, pk):
    """The response `pk` if the user may answer it; another process's response does not exist for them."""
    response = get_object_or_404(
        SurveyResponse.objects.select_related("survey", "process").exclude(survey__status=Survey.Status.DRAFT),
        pk=pk,
    )
    if not may_answer(request.user, response):
        raise Http404
    return response


@login_required(login_url="members:sign_in")
def response_answer(request, pk):
    """Answer, save and resume, upload materials, submit; read-only once submitted."""
    response = _response_for(request, pk)
    answers = list(response.answers.select_related("question"))
    read_only = response.is_submitted or not response.survey.accepts_answers() and response.reopened_at is None
    form = ResponseForm(
        request.POST or None, request.FILES or None, response=response, answers=answers, disabled=read_only
    )
    if request.method == "POST":
        if read_only:
            messages.error(request, _("These answers can no longer be changed."))
            return redirect(response)
        if form.is_valid():
            try:
                _save_and_maybe_submit(request, response, form)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
                # Saved answers stay saved; a refused submission says why.
                if _was_saved(request):
                    return redirect(response)
                return _render_answer(request, _response_for(request, pk), form, answers)
            return redirect(response)
        messages.error(request, _("Some answers are not valid: nothing was saved. See the messages by each question."))
    return _render_answer(request, response, form, answers)


def _was_saved(request):
    return getattr(request, "_survey_saved", False)


def _save_and_maybe_submit(request, response, form):
    action = request.POST.get("action", "save")
    material = form.cleaned_data.get("material")
    workflow.response_save(
        response=response,
        user=request.user,
        answers=form.answers(),
        consent=form.cleaned_data["consent_to_publish"],
        materials=[material] if material else [],
        materials_note=form.cleaned_data["materials_note"],
    )
    request._survey_saved = True
    if action == "submit":
        workflow.response_submit(response=response, user=request.user)
        messages.success(request, _("Your answers are submitted. Thank you."))
    elif action == "submit_materials":
        workflow.response_submit(response=response, user=request.user, materials_only=True)
        messages.success(request, _("Your materials are submitted instead of answers. Thank you."))
    else:
        messages.success(request, _("Your answers are saved. You can come back and continue before the deadline."))


def _render_answer(request, response, form, answers):
    return render(
        request,
        "surveys/response_answer.html",
        {
            "survey": response.survey,
            "response": response,
            "form": form,
            "materials": list(response.materials.all()),
            "answers_with_files": [a for a in answers if a.file],
            "send_on_form": SendOnForm(
                initial={
                    "title": _("%(process)s: answers to %(survey)s")
                    % {"process": response.process.short_name, "survey": response.survey.title}
                }
            )
            if response.is_submitted and not response.dispatch_id
            else None,
            "missing": [q for q in form.questions if q.required and q.pk not in {a.question_id for a in answers}]
            if not response.is_submitted
            else [],
        },
    )


@login_required(login_url="members:sign_in")
@require_POST
def response_send_on(request, pk):
    """Send submitted answers on to the GFMD as a dispatch (moderated by the Support Unit)."""
    response = _response_for(request, pk)
    form = SendOnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the dispatch a title and a message."))
        return redirect(response)
    try:
        workflow.response_send_on(response=response, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Sent on to the GFMD Support Unit, which will publish it on the exchange."))
    return redirect(response)


@login_required(login_url="members:sign_in")
def response_file(request, pk, kind, file_pk):
    """A file of a response (material or answer), for its respondents and the Support Unit only."""
    response = get_object_or_404(SurveyResponse.objects.select_related("survey"), pk=pk)
    if not (may_answer(request.user, response) or roles.reads_everything(request.user)):
        raise Http404
    if kind not in ("material", "answer"):
        raise Http404
    if kind == "material":
        stored = get_object_or_404(ResponseMaterial, pk=file_pk, response=response)
        return checked_file_response(stored.file, stored.filename)
    stored = get_object_or_404(Answer, pk=file_pk, response=response)
    if not stored.file:
        raise Http404
    return checked_file_response(stored.file, stored.file.name.rsplit("/", 1)[-1])
