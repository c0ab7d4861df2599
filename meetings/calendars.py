"""iCalendar feeds of public meetings: all, per process, per host country, and one meeting as a download.

Choices a subscriber relies on:

- UID is `meeting-<pk>@<CALENDAR_UID_DOMAIN>` (setting, default "rcp-portal"), so a calendar
  application updates an event in place when the meeting changes, whichever feed it came from.
- Meetings are all-day events; DTEND is the day *after* the last day (RFC 5545: exclusive),
  so a 4–5 June meeting has DTEND 6 June.
- Meetings known only to the month or the year are left out of the feeds and have no download:
  an all-day event on the 1st would state a date nobody knows. Their pages still show them.
- The all-meetings feed holds the newest CALENDAR_MAX_EVENTS (setting, default 500) meetings:
  every upcoming one and the most recent past ones, so it stays fast and small as the archive
  grows; per-process and per-country feeds and the meeting pages hold the rest.
- Feeds list top-level meetings, as the directory does by default; a session (e.g. a GFMD
  roundtable) has its own download from its page.
- DTSTAMP and LAST-MODIFIED are the meeting's `updated_at`, so the same data gives the same
  bytes: the ETag is a hash of the calendar and changes only when what a subscriber sees
  changes (a renamed theme or process included); Last-Modified is the newest `updated_at`.
"""

import datetime
import hashlib
import re

import icalendar
from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from core.languages import translated_text
from core.pagecache import cached_value, depends_on, related_models, vocabularies
from rcps.models import Process
from reference.models import Country

from .models import Meeting

CONTENT_TYPE = "text/calendar; charset=utf-8"
# iCalendar text may not hold control characters (RFC 5545, 3.3.11), and a name is one line.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def one_line(text):
    """A title or a name as one line of iCalendar text, whatever was typed (newlines, control characters)."""
    return " ".join(_CONTROL.sub(" ", str(text).replace("\r", " ").replace("\n", " ")).split())


def multi_line(text):
    """A description: its line breaks kept (as iCalendar escapes them), control characters dropped."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


PRODID = "-//RCP Portal//Meetings calendar//EN"


def uid_domain():
    return getattr(settings, "CALENDAR_UID_DOMAIN", "rcp-portal")


def meeting_uid(meeting):
    return f"meeting-{meeting.pk}@{uid_domain()}"


def calendar_meetings():
    """Public meetings with exact dates, with every join one event needs (a constant number of queries)."""
    return (
        Meeting.objects.public()
        .filter(date_precision=Meeting.DatePrecision.DAY)
        .select_related("country")
        .prefetch_related(
            Prefetch("organizing_processes", queryset=Process.objects.public()),
            "themes",
        )
        .order_by("start_date", "pk")
    )


def meeting_event(meeting, request):
    """The VEVENT of one meeting."""
    organizers = list(meeting.organizing_processes.all())
    categories = [meeting.get_kind_display()]
    categories += [theme.name for theme in meeting.themes.all()]
    categories += [process.short_name for process in organizers]
    categories = [one_line(category) for category in categories if one_line(category)]
    url = request.build_absolute_uri(meeting.get_absolute_url())
    title = translated_text(meeting, "title")
    summary = f"{meeting.session_code}: {title}" if meeting.session_code else title
    description = [meeting.get_kind_display()]
    if organizers:
        description.append(_("Organized by %(names)s.") % {"names": ", ".join(p.name for p in organizers)})
    if meeting.host:
        description.append(_("Host: %(host)s.") % {"host": meeting.host})
    if meeting.description:
        description.append(meeting.description)
    description.append(url)
    event = icalendar.Event.new(
        uid=meeting_uid(meeting),
        stamp=meeting.updated_at,
        last_modified=meeting.updated_at,
        start=meeting.start_date,
        end=meeting.last_day + datetime.timedelta(days=1),
        summary=one_line(summary) or _("Meeting"),
        description=multi_line("\n\n".join(str(part) for part in description)),
        location=one_line(meeting.place_display) or None,
        categories=categories,
        url=url,
        transparency="TRANSPARENT",
    )
    if meeting.parent_id:
        event.add("related-to", f"meeting-{meeting.parent_id}@{uid_domain()}")
    return event


def build_calendar(meetings, request, *, name, uid):
    calendar = icalendar.Calendar.new(
        prodid=PRODID,
        name=one_line(name) or _("Meetings"),
        uid=f"{uid}@{uid_domain()}",
        description=_("Meetings of regional consultative processes on migration and the GFMD, from the RCP Portal."),
        url=request.build_absolute_uri(),
        refresh_interval=datetime.timedelta(days=1),
    )
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, request))
    return calendar.to_ical()


# What each URL shows: (meetings, calendar name, calendar uid, download filename or None).


def calendar_max_events():
    return getattr(settings, "CALENDAR_MAX_EVENTS", 500)


def _all(request):
    # Bounded: the newest CALENDAR_MAX_EVENTS meetings (upcoming ones first in line), so the
    # feed's cost does not grow with decades of history; in start-date order as before.
    newest = calendar_meetings().top_level().order_by("-start_date", "-pk")[: calendar_max_events()]
    return list(reversed(newest)), _("RCP Portal — meetings"), "meetings", None


def _process(request, slug):
    process = get_object_or_404(Process.objects.public(), slug=slug)
    meetings = calendar_meetings().top_level().organized_by(process)
    return meetings, _("%(name)s — meetings") % {"name": process.short_name}, f"process-{process.slug}", None


def _country(request, code):
    country = get_object_or_404(Country, code=code.upper())
    return (
        calendar_meetings().top_level().filter(country=country),
        _("Meetings in %(name)s") % {"name": country.name},
        f"country-{country.code.lower()}",
        None,
    )


def _meeting(request, pk):
    meetings = list(calendar_meetings().filter(pk=pk))
    if not meetings:
        raise Http404(_("No public meeting with exact dates has this number."))
    meeting = meetings[0]
    filename = f"{slugify(meeting.title)[:60] or 'meeting'}-{meeting.start_date:%Y-%m-%d}.ics"
    return meetings, translated_text(meeting, "title"), f"meeting-{meeting.pk}-calendar", filename


SCOPES = {"all": _all, "process": _process, "country": _country, "meeting": _meeting}


def _calendar(request, scope, **kwargs):
    """Build the calendar once per request; the ETag, Last-Modified and the body all read it."""
    cache = request.__dict__.setdefault("_meeting_calendars", {})
    key = (scope, tuple(sorted(kwargs.items())))
    dependencies = [Meeting, *related_models(Meeting), *vocabularies()]
    depends_on(request, *dependencies)
    if key not in cache:

        def build():
            meetings, name, uid, filename = SCOPES[scope](request, **kwargs)
            meetings = list(meetings)
            body = build_calendar(meetings, request, name=name, uid=uid)
            last_modified = max((meeting.updated_at for meeting in meetings), default=None)
            etag = hashlib.sha256(body).hexdigest()[:32]
            return body, filename, etag, last_modified

        # Building hundreds of events costs far more than the queries: once per change of the
        # data (the body holds absolute URLs, so the address the request came to is in the key).
        address = hashlib.sha256(f"{request.build_absolute_uri()}|{get_language()}|{key}".encode()).hexdigest()
        name = f"calendar:{address}"
        cache[key] = cached_value(name, build, dependencies)
    return cache[key]


def calendar_view(scope):
    def etag(request, **kwargs):
        return _calendar(request, scope, **kwargs)[2]

    def last_modified(request, **kwargs):
        return _calendar(request, scope, **kwargs)[3]

    @require_safe
    @condition(etag_func=etag, last_modified_func=last_modified)
    def view(request, **kwargs):
        body, filename, _etag, _modified = _calendar(request, scope, **kwargs)
        response = HttpResponse(body, content_type=CONTENT_TYPE)
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        else:
            response["Content-Disposition"] = 'inline; filename="meetings.ics"'
        response["Cache-Control"] = "public, max-age=3600"
        return response

    view.__name__ = f"{scope}_calendar"
    view.__doc__ = f"iCalendar feed of public meetings ({scope})."
    return view


all_calendar = calendar_view("all")
process_calendar = calendar_view("process")
country_calendar = calendar_view("country")
meeting_calendar = calendar_view("meeting")
