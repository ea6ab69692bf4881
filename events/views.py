"""Thin views: register, cancel, the iCalendar feeds, and a member's feed address."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from events import ical, selectors, services
from events.forms import EventNotesForm, RegistrationForm
from events.models import EventPage, EventPhoto, RegistrationStatus
from forums import selectors as forum_selectors
from network.models import LandscapePartnership

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _event(request: HttpRequest, page_id: int) -> EventPage:
    event = EventPage.objects.live().public().filter(pk=page_id).first()
    if event is None or not selectors.event_visible_to(request.user, event):
        raise Http404
    return event


def _refused(request: HttpRequest, event: EventPage, error: Exception) -> HttpResponse:
    """The event page again, the refusal on the form (never a dead end)."""
    form = RegistrationForm(request.POST)
    form.is_valid()
    form.add_error(None, str(error))
    return TemplateResponse(
        request,
        event.get_template(request),
        event.get_context(request, registration_form=form),
        status=400,
    )


@login_required
def register(request: HttpRequest, page_id: int) -> HttpResponse:
    event = _event(request, page_id)
    if request.method != "POST":
        # Back from the sign-in page (which can only come back with a GET): the event page,
        # where the form now shows.
        return redirect(event.get_url(request))
    try:
        registration = services.registration_create(
            event=event, user=request.user, language=get_language() or "en"
        )
    except services.RegistrationError as error:
        return _refused(request, event, error)
    if registration.status == RegistrationStatus.CONFIRMED:
        messages.success(request, _("You are registered. See you there!"))
    else:
        messages.info(
            request,
            _("The event is full: you are on the waiting list. We will write if a place opens."),
        )
    return redirect(event.get_url(request))


@login_required
def cancel(request: HttpRequest, page_id: int) -> HttpResponse:
    event = _event(request, page_id)
    if request.method != "POST":
        return redirect(event.get_url(request))
    try:
        services.registration_cancel(event=event, user=request.user)
    except services.RegistrationError as error:
        return _refused(request, event, error)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(event.get_url(request))


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
def event_ics(request: HttpRequest, page_id: int) -> HttpResponse:
    """ "Add to calendar" for one event."""
    event = _event(request, page_id)
    body = ical.build_calendar([event], name=event.title)
    return _calendar_response(body, f"{event.slug}.ics")


@require_GET
def network_feed(request: HttpRequest) -> HttpResponse:
    """Every event the reader may see (a calendar app, with no session: the public ones)."""
    events = selectors.events_visible_to(request.user).order_by("starts_at", "pk")
    body = ical.build_calendar(events, name=_("Landscape Commons events"))
    return _calendar_response(body, "landscape-commons.ics")


@require_GET
def partnership_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """A partnership's events; its members-only ones only for its members."""
    partnership = get_object_or_404(LandscapePartnership, slug=slug)
    events = selectors.calendar_events(request.user, partnership_id=partnership.pk).order_by(
        "starts_at", "pk"
    )
    body = ical.build_calendar(events, name=partnership.name)
    return _calendar_response(body, f"{partnership.slug}.ics")


@require_GET
def member_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A member's own calendar at a secret address (their registrations and their
    partnerships' events), for calendar apps that cannot sign in."""
    user = selectors.user_for_feed_token(token)
    if user is None:
        raise Http404
    body = ical.build_calendar(
        selectors.member_feed_events(user), name=_("My Landscape Commons events")
    )
    return _calendar_response(body, "my-events.ics")


@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    """Show, create, replace or revoke the member's secret calendar address."""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.feed_token_revoke(user=request.user)
            messages.success(request, _("Your calendar address no longer works."))
        else:
            services.feed_token_create(user=request.user)
            messages.success(request, _("Your calendar has a new address."))
        return redirect("events:my_calendar")
    token = selectors.feed_token_of(request.user)
    feed_url = (
        request.build_absolute_uri(reverse("events:member_feed", args=[token.token]))
        if token
        else ""
    )
    return render(request, "events/my_calendar.html", {"feed_url": feed_url})


@login_required
def notes_edit(request: HttpRequest, page_id: int) -> HttpResponse:
    """The organisers' notes and photos of an in-person event, once it has ended."""
    event = _event(request, page_id)
    if not selectors.may_keep_notes(request.user, event):
        raise PermissionDenied
    notes = selectors.event_notes(event)
    if not selectors.notes_open(event):
        messages.error(request, _("Notes and photos are added once an in-person event has ended."))
        return redirect(event.url)
    form = EventNotesForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"body": notes.body_source if notes else ""},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.event_notes_save(
                    event=event,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    photo=form.cleaned_data["photo"],
                    caption=form.cleaned_data["caption"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The notes are saved."))
                return redirect(event.url)
        status = 400
    return render(
        request,
        "events/event_notes_form.html",
        {"event": event, "form": form, "photos": selectors.event_photos(event)},
        status=status,
    )


def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """One event photo, for whoever may see its event (a private event's photos are as
    private as the event: they are kept outside ``MEDIA_ROOT``)."""
    record = get_object_or_404(EventPhoto, pk=pk)
    events = selectors.events_visible_to(request.user).filter(translation_key=record.event_key)
    if not events.exists():
        raise Http404
    response = FileResponse(record.file.open("rb"), content_type="image/webp")
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def archive(request: HttpRequest) -> HttpResponse:
    """Past events with their notes, beside the live dialogues' transcripts; each list only
    what the reader may see. Never page-cached: it depends on the reader's partnerships."""
    locale = Locale.get_active()
    events_page = Paginator(
        selectors.archived_events(request.user, locale=locale), settings.FORUMS_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    dialogues = list(
        forum_selectors.dialogues_past(request.user)
        .filter(archived_topic__isnull=False)
        .select_related("host", "archived_topic")[:20]
    )
    return render(
        request,
        "events/archive.html",
        {"page": events_page, "events": events_page.object_list, "dialogues": dialogues},
    )
