"""People, organisations and landscape partnerships, and who belongs to which.

The profile lives on the user row itself (one table, no join on every page). Partnerships and
organisations are edited in the Wagtail admin as snippets; their members are inline rows, so an
editor adds a person and their role in one form.
"""

from __future__ import annotations

import secrets

from django.conf import global_settings, settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from rest_framework.fields import CharField
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.api import APIField

from config.loaded_values import RemembersLoadedValues
from network.geography import (
    Region,
    area_hectares_field,
    latitude_field,
    longitude_field,
    validate_coordinates_pair,
)
from network.text import single_line
from network.validators import (
    name_key,
    validate_display_name,
    validate_language_codes,
    validate_time_zone,
)
from network.vocabulary_terms import VocabularyTerms

#: The languages a member may say they speak: every language Django knows by name.
SPOKEN_LANGUAGE_CHOICES = tuple(
    (code, name) for code, name in global_settings.LANGUAGES if "-" not in code
)


def avatar_upload_to(instance: User, filename: str) -> str:
    """A new unguessable name for every picture saved: the address of a hidden profile's
    picture cannot be derived from the member (``profile_update`` moves it when the profile is
    hidden), and the user's folder holds only their current picture once old ones are gone."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"avatars/{instance.pk}/avatar-{secrets.token_urlsafe(18)}.{extension}"


class ProfileVisibility(models.TextChoices):
    PUBLIC = "public", _("Anyone")
    MEMBERS = "members", _("Signed-in members")
    PRIVATE = "private", _("Only me")


class DigestFrequency(models.TextChoices):
    OFF = "off", _("Never")
    DAILY = "daily", _("At most once a day")
    WEEKLY = "weekly", _("At most once a week")


class User(RemembersLoadedValues, AbstractUser):
    """A person on the network: learner, trainer, moderator, editor or any mix of these.

    Roles are Django groups (see ``network.roles``); the email address is the login.
    """

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("How your name appears to others. Leave blank to use your username."),
    )
    #: ``validators.name_key(display_name)``, unique when set: two members cannot hold names
    #: people would read as one, even if two saves pass the form's check at the same moment.
    display_name_key = models.TextField(editable=False, blank=True, default="")
    organisation_name = models.CharField(_("organisation"), max_length=150, blank=True)
    country = CountryField(_("country"), blank=True)
    languages = models.JSONField(
        _("languages spoken"),
        default=list,
        blank=True,
        validators=[validate_language_codes],
    )
    bio = models.TextField(
        _("short bio"),
        blank=True,
        validators=[MaxLengthValidator(600)],
        help_text=_("Plain text, up to 600 characters."),
    )
    avatar = models.ImageField(_("avatar"), upload_to=avatar_upload_to, blank=True)
    profile_visibility = models.CharField(
        _("who can see my profile"),
        max_length=10,
        choices=ProfileVisibility.choices,
        default=ProfileVisibility.MEMBERS,
    )
    #: The language of every mail this member gets; empty: the language they last chose on the
    #: site when a mail says so (an event registration), else the site's default.
    language = models.CharField(
        _("language for mail"), max_length=10, blank=True, choices=settings.LANGUAGES
    )
    #: Times on the site and in mail are shown in this zone once signed in (empty: UTC).
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_time_zone]
    )
    digest_frequency = models.CharField(
        _("forum digest by mail"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.DAILY,
    )
    #: The kinds of mail this member declined (``network.mail.OPTIONAL_KINDS``): a list, so a
    #: kind added later arrives until they decline it too.
    mail_declined = models.JSONField(_("mail declined"), default=list, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["display_name_key"],
                condition=~models.Q(display_name_key=""),
                name="display_names_unique",
            )
        ]

    def save(self, *args, **kwargs) -> None:
        self.display_name_key = name_key(self.display_name) if self.display_name else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "display_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "display_name_key"}
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.public_name

    def clean(self) -> None:
        super().clean()
        try:
            self.display_name = validate_display_name(self.display_name, user=self)
        except ValidationError as error:
            raise ValidationError({"display_name": error.messages}) from error

    @property
    def public_name(self) -> str:
        """The name shown next to everything this person writes, always on one line (names
        saved before display names were checked may hold line breaks)."""
        return single_line(self.display_name or self.get_full_name() or self.username)

    def get_languages_display(self) -> list[str]:
        names = dict(SPOKEN_LANGUAGE_CHOICES)
        return [str(names.get(code, code)) for code in self.languages]


class OrganisationType(models.TextChoices):
    COMMUNITY = "community", _("Community organisation")
    NGO = "ngo", _("NGO")
    GOVERNMENT = "government", _("Government")
    BUSINESS = "business", _("Business")
    RESEARCH = "research", _("Research")
    FINANCE = "finance", _("Finance")
    FUNDER = "funder", _("Funder")
    TECHNICAL_SERVICE = "technical-service", _("Technical-service provider")


class Organisation(RemembersLoadedValues, ClusterableModel):
    """A body that takes part in landscape partnerships: a farmers' group, a ministry, a bank."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=OrganisationType.choices)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(
        _("description"),
        blank=True,
        validators=[MaxLengthValidator(2000)],
        help_text=_("Plain text, up to 2,000 characters."),
    )
    offers = models.TextField(
        _("what it funds or offers"),
        blank=True,
        validators=[MaxLengthValidator(1000)],
        help_text=_(
            "For funders and technical-service providers: what they finance (kinds, sizes, "
            "themes) or the services they offer. Plain text, up to 1,000 characters."
        ),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    #: The read-only API (``config/api.py``): what its public page shows, no people.
    api_fields = [
        APIField("name"),
        APIField("slug"),
        APIField("type"),
        APIField("country", serializer=CharField()),
        APIField("website"),
        APIField("description"),
        APIField("partnership_slugs"),
    ]

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["type"]), models.Index(fields=["country"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:organisation", kwargs={"slug": self.slug})

    @property
    def partnership_slugs(self) -> list[str]:
        return [partnership.slug for partnership in self.partnerships.all()]


class PartnershipStatus(models.TextChoices):
    FORMING = "forming", _("Forming")
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    ENDED = "ended", _("Ended")


def validate_year_founded(year: int) -> None:
    """Landscape partnerships are a recent form; a year before 1900 or in the future is a typo."""
    if year is not None and not 1900 <= year <= timezone.now().year:
        raise ValidationError(
            _("The year founded must be between 1900 and this year."), code="year_founded"
        )


class LandscapePartnership(VocabularyTerms, ClusterableModel):
    """A multi-stakeholder coalition that manages one landscape together.

    Its members (people) are the audience of its private forum spaces; its organisations are
    the bodies that signed up to it. Its landscape is a boundary (``network.boundaries``),
    kept whole for the download and simplified for the map; themes, ecosystems and SDGs are
    the library's vocabularies, named by string so ``network`` imports nothing of ``library``.
    """

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    latitude = latitude_field()
    longitude = longitude_field()
    area_hectares = area_hectares_field()
    description = models.TextField(
        _("description"),
        blank=True,
        validators=[MaxLengthValidator(4000)],
        help_text=_("Plain text, up to 4,000 characters."),
    )
    website = models.URLField(_("website"), blank=True)
    open_to_join = models.BooleanField(
        _("open to join"),
        default=False,
        help_text=_("Anyone signed in may join at once, without a coordinator's approval."),
    )
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_("A shared inbox of the partnership. It is shown publicly."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisations = ParentalManyToManyField(
        Organisation,
        verbose_name=_("organisations"),
        blank=True,
        related_name="partnerships",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PartnershipStatus.choices, blank=True
    )
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"), null=True, blank=True, validators=[validate_year_founded]
    )
    themes = ParentalManyToManyField(
        "library.Theme", verbose_name=_("themes"), blank=True, related_name="partnerships"
    )
    ecosystems = ParentalManyToManyField(
        "library.Ecosystem",
        verbose_name=_("ecosystems"),
        blank=True,
        related_name="partnerships",
    )
    sdgs = ParentalManyToManyField(
        "library.SustainableDevelopmentGoal",
        verbose_name=_("sustainable development goals"),
        blank=True,
        related_name="partnerships",
    )
    #: The boundary as a GeoJSON MultiPolygon, validated by ``network.boundaries.parse``;
    #: written only by ``services.partnership_boundary_set`` with the two fields below.
    boundary = models.JSONField(_("boundary"), null=True, blank=True, editable=False)
    #: The same, simplified for the map (a few hundred corners at most per ring).
    boundary_simplified = models.JSONField(null=True, blank=True, editable=False)
    boundary_area_km2 = models.DecimalField(
        _("area of the boundary (km²)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    #: The read-only API (``config/api.py``): what its public page shows. Not its members,
    #: not its contact address (the page shows it to people; the API would hand it to
    #: harvesters), not its private forums. The whole boundary only on the detail.
    api_fields = [
        APIField("name"),
        APIField("slug"),
        APIField("country", serializer=CharField()),
        APIField("region"),
        APIField("status"),
        APIField("year_founded"),
        APIField("latitude"),
        APIField("longitude"),
        APIField("area_hectares"),
        APIField("boundary_area_km2"),
        APIField("description"),
        APIField("website"),
        APIField("open_to_join"),
        APIField("theme_slugs"),
        APIField("ecosystem_slugs"),
        APIField("sdg_numbers"),
        APIField("organisation_slugs"),
        APIField("boundary"),
    ]

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("landscape partnership")
        verbose_name_plural = _("landscape partnerships")
        indexes = [
            models.Index(fields=["region"]),
            models.Index(fields=["country"]),
            models.Index(fields=["status"]),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        validate_coordinates_pair(self.latitude, self.longitude)

    def get_absolute_url(self) -> str:
        return reverse("network:partnership", kwargs={"slug": self.slug})

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def organisation_slugs(self) -> list[str]:
        return [organisation.slug for organisation in self.organisations.all()]


class PartnershipRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    MEMBER = "member", _("Member")


class PartnershipMembership(models.Model):
    """A person belongs to a partnership: it opens the partnership's private spaces to them."""

    partnership = ParentalKey(
        LandscapePartnership, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        User,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="partnership_memberships",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=PartnershipRole.choices, default=PartnershipRole.MEMBER
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    panels = [FieldRowPanel([FieldPanel("user"), FieldPanel("role")])]

    class Meta:
        verbose_name = _("partnership membership")
        verbose_name_plural = _("partnership memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user"], name="one_membership_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.partnership}"


class OrganisationRole(models.TextChoices):
    REPRESENTATIVE = "representative", _("Representative")
    STAFF = "staff", _("Staff")
    MEMBER = "member", _("Member")


class OrganisationMembership(models.Model):
    """A person works for or belongs to an organisation."""

    organisation = ParentalKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        User,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=OrganisationRole.choices, default=OrganisationRole.MEMBER
    )
    title = models.CharField(_("job title"), max_length=120, blank=True)

    panels = [FieldRowPanel([FieldPanel("user"), FieldPanel("role"), FieldPanel("title")])]

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="one_membership_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a coordinator")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class JoinRequest(models.Model):
    """A member asks to join a partnership; one of its coordinators approves or declines.

    Decided requests are kept (who decided, when): a member who was declined may ask again,
    which opens a new request.
    """

    partnership = models.ForeignKey(
        LandscapePartnership, on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(_("message"), blank=True, validators=[MaxLengthValidator(1000)])
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=JoinRequestStatus.choices,
        default=JoinRequestStatus.PENDING,
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user"],
                condition=models.Q(status="pending"),
                name="one_pending_join_request",
            )
        ]
        indexes = [models.Index(fields=["partnership", "status"])]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.partnership}"


class PartnershipInvitation(models.Model):
    """A coordinator invites an e-mail address; the link in the mail carries this row's id,
    signed and dated (``network.memberships``), and works once."""

    partnership = models.ForeignKey(
        LandscapePartnership, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} invited to {self.partnership}"


class Follow(models.Model):
    """Someone follows a partnership without joining it: its news reach their notifications."""

    partnership = models.ForeignKey(
        LandscapePartnership, on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="partnership_follows")
    created_at = models.DateTimeField(_("followed"), auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user"], name="one_follow_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.partnership}"
