"""What the calendar and the event page show, assembled from selectors."""

from __future__ import annotations

import calendar as calendar_module
import datetime

from django.core.paginator import Paginator
from django.utils import timezone
from wagtail.models import Locale

from events import selectors
from events.forms import CalendarFilterForm, RegistrationForm

PAGE_SIZE = 20


def calendar_context(*, index_page, request) -> dict:
    form = CalendarFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.calendar_events(
        request.user,
        locale=Locale.get_active(),
        region=filters.get("region", ""),
        theme=filters.get("theme", ""),
        language=filters.get("language", ""),
    )
    now = timezone.now()
    context: dict = {"filter_form": form, "view": filters.get("view") or "list"}
    if context["view"] == "month":
        today = now.date()
        first_day = (filters.get("month") or today).replace(day=1)
        by_day = selectors.month_events(events, first_day)
        weeks = calendar_module.Calendar(firstweekday=0).monthdatescalendar(
            first_day.year, first_day.month
        )
        context.update(
            month=first_day,
            previous_month=(first_day - datetime.timedelta(days=1)).replace(day=1),
            next_month=(first_day + datetime.timedelta(days=32)).replace(day=1),
            weeks=[
                [
                    {
                        "date": day,
                        "in_month": day.month == first_day.month,
                        "events": by_day.get(day, []),
                        "today": day == today,
                    }
                    for day in week
                ]
                for week in weeks
            ],
            weekdays=weeks[0],
            month_has_events=bool(by_day),
        )
        return context
    context["upcoming"] = Paginator(selectors.upcoming(events, now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context["past"] = Paginator(selectors.past(events, now), PAGE_SIZE).get_page(
        request.GET.get("past_page")
    )
    return context


def event_context(*, event, request, form=None) -> dict:
    registration = selectors.registration_of(request.user, event)
    taken = selectors.places_taken(event)
    return {
        "registration": registration,
        "waiting_ahead": selectors.waiting_ahead_of(registration)
        if registration is not None and registration.status == "waiting"
        else None,
        "places_left": max(event.capacity - taken, 0),
        "registration_form": form or RegistrationForm(),
        "registration_open": not event.cancelled and event.starts_at > timezone.now(),
        # After an in-person event: its notes and photos, and the organisers' way to add them.
        "notes": selectors.event_notes(event) if event.is_past else None,
        "photos": selectors.event_photos(event) if event.is_past else [],
        "may_keep_notes": selectors.notes_open(event)
        and selectors.may_keep_notes(request.user, event),
    }
