"""What the event views parse, and the editors' event form.

``EventPageForm`` lets editors type an event's start and end as the wall-clock time of the
event's own time zone (a workshop in Madrid at 10:00 is typed "10:00", whatever zone the editor
sits in); the page stores them as aware UTC, so the calendar, the feeds and the reminders
compare instants.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from events.timezones import time_zone_names
from network.geography import Region
from network.models import SPOKEN_LANGUAGE_CHOICES

_WALL_CLOCK_FIELDS = ("starts_at", "ends_at")


def _zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class EventPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "time_zone" in self.fields:
            self.fields["time_zone"].widget = forms.Select(
                choices=[(name, name) for name in time_zone_names()]
            )
        zone = _zone(self.instance.time_zone) if self.instance else None
        if zone is None:
            return
        # Show the stored instants as the event's wall-clock time. The widget would convert an
        # aware value to the admin's zone, so it is given a naive one.
        for name in _WALL_CLOCK_FIELDS:
            value = getattr(self.instance, name, None)
            if name in self.fields and value is not None:
                self.initial[name] = timezone.localtime(value, zone).replace(tzinfo=None)

    def clean(self):
        cleaned = super().clean()
        zone = _zone(cleaned.get("time_zone"))
        if zone is None:
            return cleaned
        current = timezone.get_current_timezone()
        for name in _WALL_CLOCK_FIELDS:
            value = cleaned.get(name)
            if isinstance(value, datetime.datetime):
                # The field read the text in the admin's current zone; read it again in the
                # event's zone.
                wall_clock = timezone.localtime(value, current).replace(tzinfo=None)
                cleaned[name] = timezone.make_aware(wall_clock, zone)
        return cleaned


class RegistrationForm(forms.Form):
    """Registering or cancelling has no fields: the refusals (full? cancelled? already
    registered?) come back as the form's errors, on the event page itself."""


class EventNotesForm(forms.Form):
    """An organiser's notes after the event, and one photo at a time with what it shows. The
    photo is checked and re-encoded here, before the write transaction (decoding is slow),
    and counts against the member's picture uploads per minute."""

    body = forms.CharField(
        label=_("Notes"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown works: **bold**, *italic*, > quote, - lists, [links](https://…)."),
    )
    photo = forms.FileField(label=_("Add a photo (optional)"), required=False)
    caption = forms.CharField(
        label=_("What the photo shows"),
        max_length=200,
        required=False,
        help_text=_("Needed with a photo: it is read to people who cannot see it."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_photo(self):
        from forums.attachments import attachment_clean
        from forums.models import AttachmentKind
        from network.images import check_upload_rate

        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        if self.user is not None and self.user.is_authenticated:
            check_upload_rate(user=self.user)
        clean = attachment_clean(upload)
        if clean.kind != AttachmentKind.IMAGE:
            raise forms.ValidationError(_("Add a picture (JPEG, PNG, WebP or GIF)."))
        return clean

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("photo") and not (cleaned.get("caption") or "").strip():
            self.add_error("caption", _("Say what the photo shows."))
        return cleaned


def _theme_choices():
    from library.models import Theme

    return [("", _("Any theme"))] + [(theme.slug, theme.label) for theme in Theme.objects.all()]


class CalendarFilterForm(forms.Form):
    """The calendar's filters and view, read from the query string (all optional)."""

    view = forms.ChoiceField(
        label=_("View"),
        choices=[("list", _("List")), ("month", _("Month"))],
        required=False,
    )
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    region = forms.ChoiceField(
        label=_("Region"), choices=[("", _("Any region")), *Region.choices], required=False
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Any language")), *SPOKEN_LANGUAGE_CHOICES],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = _theme_choices()
