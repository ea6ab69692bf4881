"""Investment portfolios of landscape partnerships, and funders' interest in their projects.

Projects are ordinary models, not Wagtail pages: the people who write them are the
partnership's coordinators (a role in the partnership, ``network.PartnershipMembership``), who
are not Wagtail editors and should not need the admin to keep their own portfolio. What a page
would add (drafts, moderation, translations) is covered by what coordinators need: a project is
a draft until they publish it, only they can change it, and it is written once in the
partnership's own language (a portfolio speaks to funders, not to the library's readers).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.loaded_values import RemembersLoadedValues
from finance.currencies import CURRENCY_CHOICES
from network.geography import latitude_field, longitude_field, validate_coordinates_pair


class FinanceKind(models.TextChoices):
    GRANT = "grant", _("Grant")
    LOAN = "loan", _("Loan")
    EQUITY = "equity", _("Equity")
    BLENDED = "blended", _("Blended finance")
    PES = "pes", _("Payment for ecosystem services")


class ProjectStage(models.TextChoices):
    IDEA = "idea", _("Idea")
    DESIGN = "design", _("Design and feasibility")
    READY = "ready", _("Ready for investment")
    UNDER_WAY = "under-way", _("Under way, seeking more")


class Project(RemembersLoadedValues, models.Model):
    """A project of a partnership that seeks finance: how much, in what form, for what."""

    #: What the read-only API shows of a published project (``finance.api``): its public facts.
    API_FIELD_NAMES = (
        "title",
        "slug",
        "summary",
        "description",
        "amount_sought",
        "currency",
        "kind",
        "stage",
        "latitude",
        "longitude",
        "partnership_name",
        "partnership_slug",
        "sdg_numbers",
        "expected_outcomes",
        "updated_at",
    )

    partnership = models.ForeignKey(
        "network.LandscapePartnership",
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="finance_projects",
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    summary = models.TextField(
        _("summary"),
        validators=[MaxLengthValidator(600)],
        help_text=_("Plain text, up to 600 characters: what a funder reads in the listing."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        validators=[MaxLengthValidator(6000)],
        help_text=_("Plain text, up to 6,000 characters."),
    )
    amount_sought = models.DecimalField(
        _("amount sought"),
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message=_("The amount must be positive."))],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    kind = models.CharField(_("kind of finance"), max_length=20, choices=FinanceKind.choices)
    stage = models.CharField(_("stage"), max_length=20, choices=ProjectStage.choices)
    sdgs = models.ManyToManyField(
        "library.SustainableDevelopmentGoal",
        verbose_name=_("sustainable development goals"),
        blank=True,
        related_name="+",
    )
    latitude = latitude_field()
    longitude = longitude_field()
    documents = models.ManyToManyField(
        "wagtaildocs.Document",
        verbose_name=_("documents"),
        blank=True,
        related_name="+",
    )
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only published projects are shown to funders and in the open data."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["partnership", "title", "pk"]
        verbose_name = _("project seeking finance")
        verbose_name_plural = _("projects seeking finance")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "slug"], name="one_project_slug_per_partnership"
            )
        ]
        indexes = [models.Index(fields=["published", "kind", "stage"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "finance:project",
            kwargs={"slug": self.partnership.slug, "project_slug": self.slug},
        )

    def clean(self) -> None:
        super().clean()
        validate_coordinates_pair(self.latitude, self.longitude)

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    # What the API reads beside the fields (``API_FIELD_NAMES``).
    @property
    def partnership_name(self) -> str:
        return self.partnership.name

    @property
    def partnership_slug(self) -> str:
        return self.partnership.slug

    @property
    def sdg_numbers(self) -> list[int]:
        return [goal.number for goal in self.sdgs.all()]

    @property
    def expected_outcomes(self) -> list[dict[str, str]]:
        """Figures as strings, as the amount is: decimals, never floats."""
        return [
            {"label": o.label, "value": f"{o.value.normalize():f}", "unit": o.unit}
            for o in self.outcomes.all()
        ]


class ProjectOutcome(models.Model):
    """A change the project expects, with its unit: 1,200 ha restored, 340 households."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="outcomes")
    label = models.CharField(_("expected change"), max_length=160)
    value = models.DecimalField(
        _("figure"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"), message=_("The figure cannot be negative."))],
    )
    unit = models.CharField(_("unit"), max_length=40, help_text=_("ha, households, t CO2e…"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["project", "position", "pk"]
        verbose_name = _("expected outcome")
        verbose_name_plural = _("expected outcomes")

    def __str__(self) -> str:
        return f"{self.label}: {self.value} {self.unit}"


class Interest(models.Model):
    """A funder pressed "Express interest" on a project: the private conversation it opened
    with the partnership's coordinators. One per funder and project, so pressing twice leads
    back to the same conversation."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="interests")
    funder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="finance_interests"
    )
    topic = models.OneToOneField(
        "forums.Topic", on_delete=models.CASCADE, related_name="finance_interest"
    )
    created_at = models.DateTimeField(_("expressed"), auto_now_add=True)

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [
            models.UniqueConstraint(fields=["project", "funder"], name="one_interest_per_funder")
        ]

    def __str__(self) -> str:
        return f"{self.funder_id} → {self.project_id}"
