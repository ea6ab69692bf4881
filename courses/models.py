"""Curricula as Wagtail pages, and each learner's record in ordinary models.

Pages: CourseIndexPage -> CoursePage -> ModulePage -> LessonPage. Trainers write them in the
Wagtail admin with drafts, previews, revisions and the review workflow.

Records (enrolments, completions, quiz attempts, certificates) are keyed to a page's
``translation_key``: the UUID every translation of a page shares. A learner who starts a course
in English and continues in Spanish keeps one record, and deleting a page never deletes a
learner's history.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from config.page_cache import BASE_TAGS, CachedRestrictionsMixin, in_restricted_section
from config.renditions import prefetch_renditions
from courses.blocks import LessonStreamBlock

INTRO_FEATURES = ["bold", "italic", "link", "ol", "ul"]
#: The cover's renditions the course page shows (``course_page.html``: the ``og:image`` and
#: the ``srcset``), read together in one query rather than one per tag.
COVER_RENDITION_SPECS = ("fill-1200x630|format-jpeg", "width-400", "width-800", "width-1200")
#: A lesson's image blocks' renditions (``courses/blocks/image.html``'s ``srcset``): WebP at
#: the widths a phone (360 px, at 1x or 2x) and a desktop column (45rem at 2x) pick.
LESSON_IMAGE_SPECS = ("width-360|format-webp", "width-720|format-webp", "width-1080|format-webp")


class CourseIndexPage(CachedRestrictionsMixin, Page):
    """The course catalogue, one per site and language."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["library.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course index")

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        """Its children are courses only: one query finds the course with its own fields, its
        locale and cover image (Wagtail's default takes one for the child, one for its type)."""
        if path_components:
            course = (
                CoursePage.objects.child_of(self)
                .select_related("locale", "cover_image")
                .annotate(restricted_section=in_restricted_section())
                .filter(slug=path_components[0])
                .first()
            )
            if course is not None:
                return course.route(request, path_components[1:])
        return super().route(request, path_components)

    def cache_dependencies(self, request: HttpRequest) -> tuple[str, ...]:
        """Anonymous visitors may get this page from the page cache (``config.page_cache``):
        it is built from the page tree (the catalogue) and the vocabularies it names (learners'
        records are shown only to them, and never cached)."""
        return ("pages", "vocabularies")

    def get_context(self, request, *args, **kwargs):
        from courses import selectors

        context = super().get_context(request, *args, **kwargs)
        context["catalogue"] = selectors.catalogue_for(index_page=self, request=request)
        return context


class CoursePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class Level(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class EnrolmentMode(models.TextChoices):
    OPEN = "open", _("Open: anyone signed in may enrol")
    COHORT = "cohort", _("Cohort: learners join with an invite code")


class CompletionRule(models.TextChoices):
    ALL_LESSONS = "all_lessons", _("Every lesson complete and every quiz passed")
    QUIZZES = "quizzes", _("Every quiz passed")


class CoursePage(CachedRestrictionsMixin, Page):
    """A course: what it teaches, for whom, who teaches it, and how learners join and finish."""

    summary = models.TextField(_("summary"), max_length=500)
    learning_outcomes = RichTextField(
        _("learning outcomes"), blank=True, features=["bold", "italic", "ol", "ul"]
    )
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, default=Level.INTRODUCTORY
    )
    estimated_hours = models.PositiveSmallIntegerField(_("estimated hours"), default=1)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    trainers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        blank=True,
        related_name="courses_trained",
        limit_choices_to={"groups__name": "Trainers"},
        help_text=_("They see the course report and manage cohorts and certificates."),
    )
    prerequisites = ParentalManyToManyField(
        "self", verbose_name=_("prerequisites"), blank=True, symmetrical=False
    )
    tags = ClusterTaggableManager(through=CoursePageTag, blank=True)
    enrolment_mode = models.CharField(
        _("enrolment"), max_length=10, choices=EnrolmentMode.choices, default=EnrolmentMode.OPEN
    )
    completion_rule = models.CharField(
        _("completion rule"),
        max_length=20,
        choices=CompletionRule.choices,
        default=CompletionRule.ALL_LESSONS,
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [FieldPanel("level"), FieldPanel("estimated_hours"), FieldPanel("tags")],
            heading=_("About the course"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("trainers"),
                FieldPanel("prerequisites"),
                FieldPanel("enrolment_mode"),
                FieldPanel("completion_rule"),
            ],
            heading=_("Teaching"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("learning_outcomes"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        """A lesson (``module/lesson/``) in one query, by its URL path (Wagtail keeps
        ``url_path`` in step with slugs and moves), served with this course: the lesson page
        needs it, and would otherwise read it again. Modules have no routing of their own, so
        the lesson found is the one Wagtail's walk down the tree finds; anything else is routed
        the default way."""
        if len(path_components) == 2:
            url_path = f"{self.url_path}{path_components[0]}/{path_components[1]}/"
            lesson = (
                LessonPage.objects.descendant_of(self)
                .select_related("locale")
                .annotate(restricted_section=in_restricted_section())
                .filter(url_path=url_path)
                .first()
            )
            if lesson is not None:
                page, args, kwargs = lesson.route(request, [])
                return RouteResult(page, args=args, kwargs={**kwargs, "course": self})
        return super().route(request, path_components)

    def cache_dependencies(self, request: HttpRequest) -> tuple[str, ...]:
        """Anonymous visitors may get this page from the page cache (``config.page_cache``),
        and its parts from the fragment cache: it is built from itself and its translations,
        its modules and lessons (``page:<translation key>``, which the library bumps for the
        pages below it too), the courses it names as prerequisites (``courses.catalogue``),
        its trainers' names (``network.profiles``) and the frame (view restrictions, moves,
        images). Not from other pages: publishing a case study keeps it. An anonymous visitor
        sees no learner's record."""
        return (
            f"page:{self.translation_key}",
            "courses.catalogue",
            "network.profiles",
            "vocabularies",
        )

    def get_context(self, request, *args, **kwargs):
        from courses import contexts

        context = super().get_context(request, *args, **kwargs)
        context.update(contexts.course_page_context(course=self, request=request))
        context["fragment_tags"] = " ".join((*self.cache_dependencies(request), *BASE_TAGS))
        return context

    def structured_data(self, request=None, *, tags=None) -> dict:
        """schema.org ``Course``, for search engines and partner catalogues (``tags``: the
        course's tags when the caller has read them already)."""
        tags = self.tags.all() if tags is None else tags
        return {
            "@context": "https://schema.org",
            "@type": "Course",
            "name": self.title,
            "description": self.summary,
            "url": self.get_full_url(request),
            "inLanguage": self.locale.language_code,
            "educationalLevel": self.get_level_display(),
            "timeRequired": f"PT{self.estimated_hours}H",
            "isAccessibleForFree": True,
            "keywords": [tag.name for tag in tags],
            "provider": {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME},
        }


class ModulePage(CachedRestrictionsMixin, Page):
    """A chapter of a course: a few lessons with a short introduction."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("module")

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        """A module has no page of its own: the course outline shows it."""
        if getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        return redirect(self.get_parent().get_url(request) or "/")


class LessonPage(CachedRestrictionsMixin, Page):
    """One sitting's worth of learning, readable on a phone without JavaScript."""

    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=10)
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))
    content_panels = [*Page.content_panels, FieldPanel("estimated_minutes"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    def quiz_blocks(self) -> list:
        """The quiz blocks, without converting the others (an image block's costs a query)."""
        body = self.body
        return [body[index] for index, raw in enumerate(body.raw_data) if raw["type"] == "quiz"]

    def serve(
        self, request: HttpRequest, *args, course: CoursePage | None = None, **kwargs
    ) -> HttpResponse:
        """Lessons are for the course's learners (and its trainers); others go to the course.

        ``course`` comes from routing (``CoursePage.route``); a preview reads it."""
        from courses import access, selectors

        if course is None:
            course = selectors.course_of(self)
        if getattr(request, "is_preview", False):
            return super().serve(request, *args, course=course, **kwargs)
        reader = access.lesson_reader(user=request.user, course=course)
        if reader.access is access.LessonAccess.SIGN_IN:
            return redirect_to_login(request.get_full_path())
        if reader.access is access.LessonAccess.ENROL:
            messages.info(request, _("Enrol in the course to read its lessons."))
            return redirect(course.get_url(request) or "/")
        return super().serve(request, *args, course=course, enrolled=reader.enrolled, **kwargs)

    def get_context(self, request, *args, course=None, enrolled=None, quiz_form=None, **kwargs):
        """``quiz_form``: a quiz submission that was refused, shown again with its answers."""
        from courses import contexts

        # Every image block's renditions in one query, however many images the lesson shows.
        images = [block.value["image"] for block in self.body if block.block_type == "image"]
        prefetch_renditions(images, LESSON_IMAGE_SPECS)
        context = super().get_context(request, *args, **kwargs)
        context.update(
            contexts.lesson_page_context(
                lesson=self, request=request, course=course, enrolled=enrolled
            )
        )
        context["quiz_form"] = quiz_form
        return context


# --- Learner records ---------------------------------------------------------------------


def new_invite_code() -> str:
    return secrets.token_urlsafe(6).replace("-", "x").replace("_", "y").upper()


def new_certificate_id() -> str:
    return secrets.token_urlsafe(16)


class Cohort(models.Model):
    """A group of learners taking a course together between two dates, joined by invite code."""

    course_key = models.UUIDField(_("course"), db_index=True)
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    invite_code = models.CharField(
        _("invite code"), max_length=32, unique=True, default=new_invite_code
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        ordering = ["starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="cohort_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrolment(models.Model):
    """A learner's place in a course. Withdrawing keeps the row and everything hanging off it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course_key = models.UUIDField(_("course"))
    cohort = models.ForeignKey(
        Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="enrolments"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    enrolled_at = models.DateTimeField(_("enrolled at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key"], name="one_enrolment_per_course")
        ]
        indexes = [models.Index(fields=["course_key", "status"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.course_key} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == EnrolmentStatus.ACTIVE


class LessonCompletion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    course_key = models.UUIDField()
    lesson_key = models.UUIDField()
    completed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson_key"], name="one_completion_per_lesson")
        ]
        indexes = [models.Index(fields=["user", "course_key"])]

    def __str__(self) -> str:
        return f"{self.user_id} completed {self.lesson_key}"


class QuizAttempt(models.Model):
    """One submitted attempt at one quiz block. Every attempt is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    course_key = models.UUIDField()
    lesson_key = models.UUIDField()
    block_id = models.CharField(max_length=64)
    answers = models.JSONField()
    results = models.JSONField(default=list)
    score = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    # 1 for the first attempt at this quiz, 2 for the second... The form says which attempt it
    # was rendered for, so the same attempt posted twice (double click, two tabs) finds this row.
    number = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson_key", "block_id", "number"], name="one_row_per_attempt"
            )
        ]
        indexes = [
            models.Index(fields=["user", "lesson_key", "block_id"]),
            models.Index(fields=["course_key", "lesson_key", "block_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} scored {self.score}% on {self.block_id}"


class Certificate(models.Model):
    """Proof of completion, verifiable by anyone who has its unguessable id."""

    public_id = models.CharField(max_length=32, unique=True, default=new_certificate_id)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    course_key = models.UUIDField()
    # What the certificate said when issued, so renaming a course or a person changes nothing.
    learner_name = models.CharField(max_length=150)
    course_title = models.CharField(max_length=255)
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("certificate")
        constraints = [
            # A revoked certificate stays (its id keeps saying it was revoked); a trainer may
            # issue the learner a new one (``services.certificate_reissue``): one standing.
            models.UniqueConstraint(
                fields=["user", "course_key"],
                condition=Q(revoked_at__isnull=True),
                name="one_standing_certificate_per_course",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course_title}: {self.learner_name}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class OfflineSubmissionKind(models.TextChoices):
    QUIZ = "quiz", _("quiz answers")
    COMPLETE = "complete", _("lesson completion")


class OfflineSubmission(models.Model):
    """The receipt of one answer or completion a learner made offline and sent later.

    The device names each submission (``client_id``, a UUID made on the device); the unique
    column makes a retry after an interrupted sync find this row and answer what it answered
    the first time, instead of grading the same answers again. Refusals are kept too, so a
    retry is refused for the same reason. ``response`` is that answer, as sent to the page.
    """

    client_id = models.UUIDField(unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offline_submissions"
    )
    course_key = models.UUIDField()
    lesson_key = models.UUIDField(null=True)
    kind = models.CharField(max_length=16, choices=OfflineSubmissionKind.choices)
    block_id = models.CharField(max_length=64, blank=True)
    made_at = models.DateTimeField()  # the device's clock, when the learner made it
    received_at = models.DateTimeField()
    accepted = models.BooleanField()
    attempt = models.ForeignKey(
        QuizAttempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    response = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.client_id}"


class PrerequisiteWaiver(models.Model):
    """A trainer lets one learner, or every learner of one cohort, into a course without having
    completed its prerequisites (they learnt it elsewhere, or the cohort is taught it live).

    Exactly one of ``user`` and ``cohort`` is set; the course is named by its translation key,
    as every learner record is, so a waiver holds in every language of the course.
    """

    course_key = models.UUIDField(_("course"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="prerequisite_waivers",
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="prerequisite_waivers",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"))

    class Meta:
        verbose_name = _("prerequisite waiver")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, cohort__isnull=True)
                | Q(user__isnull=True, cohort__isnull=False),
                name="waiver_for_a_learner_or_a_cohort",
            ),
            models.UniqueConstraint(
                fields=["course_key", "user"], name="one_waiver_per_learner_and_course"
            ),
            models.UniqueConstraint(
                fields=["course_key", "cohort"], name="one_waiver_per_cohort_and_course"
            ),
        ]

    def __str__(self) -> str:
        return f"waiver for {self.user_id or self.cohort_id} in {self.course_key}"


class LessonDiscussion(models.Model):
    """The forum topic where a lesson is discussed: one per lesson, shared by every
    translation of it (keyed by the lesson's translation key), opened on first use.

    The unique key makes two learners opening it at once end with one topic: the loser of the
    race finds the winner's row (``courses.discussions``)."""

    lesson_key = models.UUIDField(unique=True)
    course_key = models.UUIDField(db_index=True)
    topic = models.OneToOneField("forums.Topic", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"discussion of {self.lesson_key}"


class ReflectionAnswer(models.Model):
    """What a learner wrote for a lesson's reflection prompt (``ReflectionBlock``): theirs to
    read again, and their cohort's trainers' only when they choose to share it.

    Keyed to the lesson's translation key and the block's id, as quiz attempts are, so a
    learner who switches language finds their answer. Plain text, shown escaped."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflection_answers"
    )
    course_key = models.UUIDField()
    lesson_key = models.UUIDField()
    block_id = models.CharField(max_length=64)
    text = models.TextField(_("your reflection"), max_length=5000)
    shared_with_trainers = models.BooleanField(_("share with my course's trainers"), default=False)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("reflection answer")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson_key", "block_id"], name="one_reflection_per_prompt"
            )
        ]
        indexes = [models.Index(fields=["course_key", "shared_with_trainers"])]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.block_id}"
