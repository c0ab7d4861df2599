"""A survey's results: the response table, each question's answers aggregated, earlier rounds beside them.

`survey_results(survey, public=True)` is what the public results page, the API and the public
export show: only the questions chosen as public, and only the answers of processes that
agreed when submitting (and are themselves public); records picked in answers only where
public. `public=False` is the Support Unit's view of everything. Both cost a fixed number of
queries, whatever the number of processes and questions.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from meetings.models import Document, Meeting
from recommendations.models import Recommendation
from reference.models import Country

from .models import Answer, Question, Survey, SurveyResponse

Kind = Question.Kind
Status = SurveyResponse.Status
CHART_WIDTH = 420
BAR_HEIGHT = 22
BAR_GAP = 8


def response_table(survey, public=True):
    """{rows: responses in the survey's order, counts: {status: n}, sent, answered} — the 2007 table.

    The public table lists public processes only; its counts cover every process asked.
    """
    responses = list(survey.responses.select_related("process").order_by("list_order", "process__name"))
    counts = Counter(r.status for r in responses)
    rows = [r for r in responses if r.process.is_public] if public else responses
    return {
        "rows": rows,
        "sent": len(responses),
        "counts": [(status, label, counts.get(status, 0)) for status, label in Status.choices],
        "answered": sum(counts.get(s, 0) for s in SurveyResponse.ANSWERED_STATUSES),
        "chart": _status_segments(counts),
    }


def _status_segments(counts):
    total = sum(counts.values())
    if not total:
        return None
    x, parts = 0.0, []
    for status, label in Status.choices:
        count = counts.get(status, 0)
        if not count:
            continue
        width = 1000 * count / total
        parts.append({"key": status, "label": label, "count": count, "x": round(x, 1), "width": round(width, 1)})
        x += width
    return {"segments": parts, "total": total}


def choice_chart(rows, answering):
    """Horizontal bars, one per choice: `rows` is [(label, count)], percentages of `answering` processes."""
    if not answering:
        return None
    highest = max((count for _label, count in rows), default=0) or 1
    bars, y = [], 0
    for label, count in rows:
        y += 16  # the label line
        width = (CHART_WIDTH - 110) * count / highest  # room for "12 (100 %)" after the longest bar
        bars.append(
            {
                "label": label,
                "count": count,
                "percent": round(100 * count / answering),
                "label_y": y - 4,
                "y": y,
                "width": round(width, 1),
                "value_x": round(width + 6, 1),
                "value_y": y + BAR_HEIGHT - 6,
            }
        )
        y += BAR_HEIGHT + BAR_GAP
    return {"width": CHART_WIDTH, "height": y, "bars": bars, "bar_height": BAR_HEIGHT}


@dataclass
class QuestionResult:
    question: Question
    answering: int = 0
    rows: list = field(default_factory=list)  # choices: [(label, count, percent)]
    chart: dict | None = None
    listed: list = field(default_factory=list)  # [(process, display, answer)] for text, numbers, records, files
    summary: dict | None = None  # numbers: count, min, max, mean
    earlier: list = field(default_factory=list)  # [QuestionResult] of the same question in earlier surveys


def _record_names(answers, public):
    """{(kind, pk): name} for every record picked in `answers` (public ones only when `public`)."""
    wanted = defaultdict(set)
    for answer in answers:
        kind = answer.question.kind
        if kind in (Kind.MEETINGS, Kind.DOCUMENTS, Kind.RECOMMENDATIONS, Kind.COUNTRIES) and answer.value:
            wanted[kind].update(answer.value)
    names = {}
    models = {Kind.MEETINGS: Meeting, Kind.DOCUMENTS: Document, Kind.RECOMMENDATIONS: Recommendation}
    for kind, keys in wanted.items():
        if kind == Kind.COUNTRIES:
            for code, name in Country.objects.filter(code__in=keys).values_list("code", "name"):
                names[(kind, code)] = name
            continue
        queryset = models[kind].objects.filter(pk__in=keys)
        if public:
            queryset = queryset.public()
        for obj in queryset:
            names[(kind, obj.pk)] = (str(obj), obj.get_absolute_url())
    return names


def _display(answer, names, originals=False):
    """An answer as read: choices labelled in the active language (`originals`: the stored lines, for exports)."""
    kind = answer.question.kind
    if kind == Kind.FILE:
        return _("A file was provided") if answer.file else ""
    value = answer.value
    if kind == Kind.YES_NO:
        return _("Yes") if value == "yes" else _("No")
    if kind == Kind.COUNTRIES:
        return ", ".join(names.get((kind, code), code) for code in value or [])
    if kind in (Kind.MEETINGS, Kind.DOCUMENTS, Kind.RECOMMENDATIONS):
        return [names[(kind, pk)] for pk in value or [] if (kind, pk) in names]
    if kind == Kind.MULTIPLE_CHOICE:
        return "; ".join(value or []) if originals else "; ".join(answer.question.choice_label(c) for c in value or [])
    if kind == Kind.SINGLE_CHOICE and not originals:
        return answer.question.choice_label(value)
    return str(value)


def _aggregate(question, answers, names):
    result = QuestionResult(question=question, answering=len(answers))
    if question.is_choice or question.kind == Kind.COUNTRIES:
        counts = Counter()
        for answer in answers:
            values = answer.value if isinstance(answer.value, list) else [answer.value]
            counts.update(values)
        if question.kind == Kind.YES_NO:
            labels = [("yes", _("Yes")), ("no", _("No"))]
        elif question.kind == Kind.COUNTRIES:
            labels = [(code, names.get((Kind.COUNTRIES, code), code)) for code, _n in counts.most_common()]
        else:
            labels = question.choice_labels()  # counted by the stored original, labelled in the active language
        pairs = [(label, counts.get(key, 0)) for key, label in labels]
        result.rows = [(label, count, round(100 * count / len(answers)) if answers else 0) for label, count in pairs]
        result.chart = choice_chart(pairs, len(answers))
        if question.kind == Kind.COUNTRIES:
            result.listed = [(a.response.process, _display(a, names), a) for a in answers]
        return result
    if question.kind in (Kind.NUMBER, Kind.YEAR):
        numbers = []
        for answer in answers:
            try:
                numbers.append(Decimal(str(answer.value)))
            except (InvalidOperation, TypeError):
                continue
        if numbers:
            result.summary = {
                "count": len(numbers),
                "min": min(numbers),
                "max": max(numbers),
                "mean": round(sum(numbers) / len(numbers), 2),
            }
    result.listed = [(a.response.process, _display(a, names), a) for a in answers]
    return result


def _answers(questions, public):
    answers = (
        Answer.objects.filter(question__in=questions)
        .select_related("question", "response__process")
        .order_by("response__list_order", "response__process__name", "pk")
    )
    if public:
        answers = answers.filter(response__in=SurveyResponse.objects.consented().values("pk"))
    return list(answers)


def survey_results(survey, public=True):
    """{table, questions: [QuestionResult with .earlier]} for the page, API and exports (see module doc)."""
    questions = list(
        survey.questions.select_related("section", "copied_from").prefetch_related(
            Prefetch("copied_from__survey", queryset=Survey.objects.all())
        )
    )
    if public:
        questions = [q for q in questions if q.public]
    earlier_questions = _earlier_questions(questions, public)
    all_questions = questions + [q for chain in earlier_questions.values() for q in chain]
    answers = _answers(all_questions, public)
    names = _record_names(answers, public)
    by_question = defaultdict(list)
    for answer in answers:
        by_question[answer.question_id].append(answer)
    results = []
    for question in questions:
        result = _aggregate(question, by_question[question.pk], names)
        result.earlier = [_aggregate(q, by_question[q.pk], names) for q in earlier_questions.get(question.pk, [])]
        results.append(result)
    return {"table": response_table(survey, public), "questions": results}


def _earlier_questions(questions, public):
    """{question pk: [the same question in earlier surveys, newest first]} (published and public ones when `public`)."""
    chains = {}
    pending = {q.pk: q.copied_from_id for q in questions if q.copied_from_id}
    if not pending:
        return chains
    # Walk back round by round: one query per earlier round, not per question.
    found = {}
    ids = set(pending.values())
    while ids:
        rows = Question.objects.filter(pk__in=ids).select_related("survey")
        batch = {q.pk: q for q in rows}
        found.update(batch)
        ids = {q.copied_from_id for q in batch.values() if q.copied_from_id and q.copied_from_id not in found}
    for pk, parent_id in pending.items():
        chain = []
        while parent_id and parent_id in found and len(chain) < 10:
            parent = found[parent_id]
            if not public or (parent.public and parent.survey.is_published):
                chain.append(parent)
            parent_id = parent.copied_from_id
        chains[pk] = chain
    return chains


def export_rows(survey, public=True):
    """One row per process and question: the header and the rows for the CSV and XLSX exports."""
    header = ["survey", "process", "process_status", "question_number", "question", "type", "answer"]
    results = survey_results(survey, public=public)
    responses = results["table"]["rows"]
    if public:
        consented = set(SurveyResponse.objects.filter(survey=survey).consented().values_list("pk", flat=True))
        responses = [r for r in responses if r.pk in consented]
    answers = {
        (a.response_id, a.question_id): a
        for a in Answer.objects.filter(response__in=[r.pk for r in responses]).select_related("question")
    }
    names = _record_names(answers.values(), public)
    rows = []
    for response in responses:
        for number, result in enumerate(results["questions"], start=1):
            question = result.question
            answer = answers.get((response.pk, question.pk))
            value = _display(answer, names, originals=True) if answer else ""  # data: the stored original
            if isinstance(value, list):
                value = "; ".join(name for name, _url in value)
            rows.append(
                [
                    survey.title,
                    response.process.name,
                    response.get_status_display(),
                    number,
                    question.text,
                    question.get_kind_display(),
                    str(value),
                ]
            )
    return header, rows
