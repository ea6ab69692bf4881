"""Events as Wagtail pages, and who comes to them in ordinary models.

Pages: EventIndexPage (the calendar) -> EventPage. Editors write events in the Wagtail admin
with drafts, review, revisions and translations, and the network-wide search can index them
like any page; an event's times are entered as the wall-clock time of the event's own time
zone (``forms.EventPageForm``) and stored as aware UTC beside the IANA zone name.

Records (registrations and the seat count of an event) are keyed to the page's
``translation_key``, as ``courses`` keys enrolments: every translation of an event shares one
list of registrants, and publishing a revision of the page never overwrites a count.
"""

from __future__ import annotations

import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from events.forms import EventPageForm
from events.timezones import validate_time_zone
from forums.storage import get_private_storage
from network.geography import Region
from network.models import SPOKEN_LANGUAGE_CHOICES

DESCRIPTION_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class EventIndexPage(Page):
    """The calendar: upcoming events then past ones, or a month, filtered by region, theme and
    language. Never stored by the page cache (it declares no ``cache_dependencies``): what it
    lists depends on the reader's partnerships."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["library.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("event calendar")

    def get_context(self, request, *args, **kwargs):
        from events import contexts

        context = super().get_context(request, *args, **kwargs)
        context.update(contexts.calendar_context(index_page=self, request=request))
        return context


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    FIELD_VISIT = "field_visit", _("Field visit")
    DIALOGUE = "dialogue", _("Live dialogue")
    OTHER = "other", _("Other")


class EventPage(Page):
    """One event: what, where (a place, a joining link or both), when (in its own time zone),
    in which language, for how many, and for whom (everyone, or one partnership's members)."""

    summary = models.TextField(_("summary"), max_length=500)
    description = RichTextField(_("description"), blank=True, features=DESCRIPTION_FEATURES)
    kind = models.CharField(
        _("kind of event"), max_length=20, choices=EventKind.choices, default=EventKind.WORKSHOP
    )
    format = models.CharField(
        _("format"), max_length=20, choices=EventFormat.choices, default=EventFormat.IN_PERSON
    )
    place = models.CharField(
        _("place"), max_length=255, blank=True, help_text=_("Address or meeting point.")
    )
    joining_link = models.URLField(
        _("joining link"),
        blank=True,
        help_text=_("Shown only to registered participants."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Where the event happens; its times are entered in this zone."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=SPOKEN_LANGUAGE_CHOICES, default="en"
    )
    capacity = models.PositiveIntegerField(
        _("places"), validators=[MinValueValidator(1)], default=20
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    themes = ParentalManyToManyField("library.Theme", verbose_name=_("themes"), blank=True)
    partnership = models.ForeignKey(
        "network.LandscapePartnership",
        verbose_name=_("partnership"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text=_("The landscape partnership that organises the event, if any."),
    )
    members_only = models.BooleanField(
        _("only for the partnership's members"),
        default=False,
        help_text=_("Hidden from everyone who is not a member of the partnership."),
    )
    cancelled = models.BooleanField(
        _("cancelled"), default=False, help_text=_("The event will not take place.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("format"), FieldPanel("language")]),
        MultiFieldPanel(
            [FieldPanel("time_zone"), FieldPanel("starts_at"), FieldPanel("ends_at")],
            heading=_("When"),
        ),
        MultiFieldPanel([FieldPanel("place"), FieldPanel("joining_link")], heading=_("Where")),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldPanel("partnership"),
                FieldPanel("members_only"),
                FieldPanel("cancelled"),
            ],
            heading=_("Who may come"),
        ),
        MultiFieldPanel([FieldPanel("region"), FieldPanel("themes")], heading=_("Filed under")),
    ]
    base_form_class = EventPageForm
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("place"),
        index.FilterField("starts_at"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event")
        indexes = [models.Index(fields=["starts_at"])]

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("An event ends after it starts.")
        if self.members_only and not self.partnership_id:
            errors["members_only"] = _("Choose the partnership whose members may come.")
        if self.format != EventFormat.ONLINE and not self.place:
            errors["place"] = _("Say where people meet.")
        if self.format != EventFormat.IN_PERSON and not self.joining_link:
            errors["joining_link"] = _("Give the link people join with.")
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_starts_at(self):
        return timezone.localtime(self.starts_at, self.zone)

    @property
    def local_ends_at(self):
        return timezone.localtime(self.ends_at, self.zone)

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    def serve(self, request: HttpRequest, *args, **kwargs):
        from events.selectors import event_visible_to

        # A members-only event does not exist for anyone else (404, as private forum rooms).
        if not event_visible_to(request.user, self):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, registration_form=None, **kwargs):
        from events import contexts

        context = super().get_context(request, *args, **kwargs)
        context.update(contexts.event_context(event=self, request=request, form=registration_form))
        return context


class EventSeats(models.Model):
    """One row per event, the lock every registration and cancellation takes: it holds the
    number of confirmed places, so a write reads one row whatever the number of registrants,
    and two people never take the last seat together."""

    event_key = models.UUIDField(primary_key=True)
    confirmed = models.PositiveIntegerField(default=0)
    #: the last waiting-list position handed out (positions only grow: the first waiting is
    #: the lowest position still waiting)
    last_position = models.PositiveBigIntegerField(default=0)
    #: when the whole event's cancellation was mailed to its registrants (once per event,
    #: whichever of its translations was published cancelled first)
    cancellation_mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("event seats")
        verbose_name_plural = _("event seats")

    def __str__(self) -> str:
        return f"{self.event_key}: {self.confirmed} confirmed"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    """A person's place at an event, or their turn on its waiting list. Cancelling keeps the
    row (registering again reuses it, at the back of the queue)."""

    event_key = models.UUIDField(_("event"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices)
    position = models.PositiveBigIntegerField(_("position"))
    #: the site language the person registered in: their mail about this event speaks it
    language = models.CharField(_("language"), max_length=10, default="en")
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    promoted_at = models.DateTimeField(_("promoted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        constraints = [
            models.UniqueConstraint(fields=["event_key", "user"], name="one_registration_per_event")
        ]
        indexes = [models.Index(fields=["event_key", "status", "position"])]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.event_key} ({self.status})"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeedToken(models.Model):
    """The secret in a member's personal calendar address. Revoking deletes it; a new one is a
    new address, so a leaked address stops working at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed token")

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"


class EventNotes(models.Model):
    """What happened at an in-person event, written by its organisers once it has ended: as
    typed (Markdown) and as the one sanitiser's HTML (``forums.sanitize``), with the plain text
    that search indexes. Keyed to the translation key: every language of the event shows the
    same notes, in the language they were written in."""

    event_key = models.UUIDField(_("event"), unique=True)
    body_source = models.TextField(_("notes"), max_length=20000)
    body_html = models.TextField()
    search_text = models.TextField(blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("event notes")
        verbose_name_plural = _("event notes")

    def __str__(self) -> str:
        return f"notes of {self.event_key}"


class EventPhoto(models.Model):
    """A photo from an event, re-encoded from the upload within the image memory budget
    (``forums.attachments.attachment_clean``) and kept outside ``MEDIA_ROOT``: a partnership's
    private event's photos are handed out only by ``events.views.photo``, which checks who
    may see the event."""

    event_key = models.UUIDField(_("event"), db_index=True)
    file = models.FileField(upload_to="events/photos/%Y/%m/", storage=get_private_storage)
    caption = models.CharField(
        _("description"), max_length=200, help_text=_("Say what the photo shows.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("event photo")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.caption
