"""Learners' records in the Wagtail admin: cohorts, enrolments, certificates, quiz attempts.

Wagtail's ``ModelViewSet`` gives each a listing with filters and a CSV/XLSX export; who sees
which rows is ``courses.admin_access.CourseRecordPolicy`` (a course's trainers their courses,
editors every course, read-only). Cohorts may be edited and deleted by their course's
trainers; certificates are revoked and re-issued through ``courses.services`` (the same
service as the public certificate page, so verification and the status list never lag).
"""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import ListingButton
from wagtail.permissions import policy_registry

from courses import services
from courses.admin_access import is_records_reader, taught_course_keys
from courses.forms import RevokeForm
from courses.models import (
    Certificate,
    Cohort,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    QuizAttempt,
)
from courses.services import CourseError


def _csv_safe(value: str) -> str:
    """Keep spreadsheet programs from running a name that starts like a formula."""
    return f"'{value}" if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def course_name() -> Subquery:
    """The course's title in the site's language (records are keyed by translation key)."""
    return Subquery(
        CoursePage.objects.filter(
            translation_key=OuterRef("course_key"), locale__language_code=settings.LANGUAGE_CODE
        )
        .order_by("pk")
        .values("title")[:1]
    )


def course_choices(user) -> list[tuple[str, str]]:
    """The courses whose records ``user`` may read, for the course filter."""
    courses = CoursePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
    keys = taught_course_keys(user)
    if keys is not None and not is_records_reader(user):
        courses = courses.filter(translation_key__in=keys)
    return [
        (str(key), title)
        for key, title in courses.order_by("title").values_list("translation_key", "title")
    ]


class CourseFilterSet(WagtailFilterSet):
    """A course filter offering only the courses the reader may see."""

    course_key = django_filters.ChoiceFilter(label=_("Course"), choices=())

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["course_key"].extra["choices"] = course_choices(request.user)


class CohortFilterSet(CourseFilterSet):
    class Meta:
        model = Cohort
        fields = ["course_key"]


class EnrolmentFilterSet(CourseFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EnrolmentStatus.choices)

    class Meta:
        model = Enrolment
        fields = ["course_key", "status"]


class CertificateFilterSet(CourseFilterSet):
    revoked = django_filters.BooleanFilter(
        label=_("Revoked"), field_name="revoked_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Certificate
        fields = ["course_key"]


class AttemptFilterSet(CourseFilterSet):
    passed = django_filters.BooleanFilter(label=_("Passed"))

    class Meta:
        model = QuizAttempt
        fields = ["course_key", "passed"]


class RecordIndexView(generic.IndexView):
    """A listing of one kind of record: only the rows the policy lets the reader see, each
    with its course's name, exported as the listing is filtered (names made safe for
    spreadsheets)."""

    related = ()
    custom_value_preprocess = {
        **generic.IndexView.custom_value_preprocess,
        str: {"csv": _csv_safe, "xlsx": _csv_safe},
    }

    def get_base_queryset(self) -> QuerySet:
        return (
            self.permission_policy.instances_user_has_permission_for(self.request.user, "view")
            .select_related(*self.related)
            .annotate(course_name=course_name())
        )

    def get_edit_url(self, instance):
        if self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", instance
        ):
            return super().get_edit_url(instance)
        return None

    def get_delete_url(self, instance):
        if self.permission_policy.user_has_permission_for_instance(
            self.request.user, "delete", instance
        ):
            return super().get_delete_url(instance)
        return None


class CourseRecordMixin:
    """Edit and delete views find the object among the rows the user may change (another
    course's cohort is a 404, not a form)."""

    def get_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(
            self.request.user, self.permission_required
        )


class CohortEditView(CourseRecordMixin, generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        try:
            return services.cohort_update(
                cohort=self.object,
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except CourseError as error:  # the form validated: only a race gets here
            raise PermissionDenied(error.message) from error


class CohortDeleteView(CourseRecordMixin, generic.DeleteView):
    def delete_action(self):
        services.cohort_delete(cohort=self.object)


class CohortViewSet(ModelViewSet):
    name = "course_cohorts"
    url_prefix = "learners/cohorts"
    model = Cohort
    icon = "group"
    add_to_admin_menu = False
    copy_view_enabled = False
    form_fields = ["name", "starts_on", "ends_on"]
    index_view_class = RecordIndexView
    edit_view_class = CohortEditView
    delete_view_class = CohortDeleteView
    filterset_class = CohortFilterSet
    list_display = [
        "name",
        Column("course_name", label=_("Course")),
        DateColumn("starts_on", label=_("Starts on")),
        DateColumn("ends_on", label=_("Ends on")),
        "invite_code",
    ]
    list_export = ["name", "course_name", "starts_on", "ends_on", "invite_code"]
    export_headings = {"course_name": _("Course")}
    ordering = ["-starts_on", "name"]


class EnrolmentViewSet(ModelViewSet):
    name = "course_enrolments"
    url_prefix = "learners/enrolments"
    model = Enrolment
    icon = "user"
    add_to_admin_menu = False
    copy_view_enabled = False
    form_fields = ["status"]
    index_view_class = type(
        "EnrolmentIndexView", (RecordIndexView,), {"related": ("user", "cohort")}
    )
    filterset_class = EnrolmentFilterSet
    list_display = [
        Column("learner", label=_("Learner"), accessor="user.public_name"),
        Column("course_name", label=_("Course")),
        Column("cohort", label=_("Cohort")),
        "status",
        DateColumn("enrolled_at", label=_("Enrolled at")),
    ]
    list_export = [
        "user.public_name",
        "user.username",
        "course_name",
        "cohort",
        "status",
        "enrolled_at",
    ]
    export_headings = {
        "user.public_name": _("Learner"),
        "user.username": _("Username"),
        "course_name": _("Course"),
        "cohort": _("Cohort"),
    }
    ordering = ["-enrolled_at"]


class CertificateIndexView(RecordIndexView):
    related = ("user",)

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        user = self.request.user
        if self.permission_policy.user_has_permission_for_instance(user, "revoke", instance):
            name = "revoke" if instance.revoked_at is None else "reissue"
            buttons.append(
                ListingButton(
                    _("Revoke") if name == "revoke" else _("Re-issue"),
                    reverse(f"{self.url_namespace}:{name}", args=[instance.pk]),
                    icon_name="warning" if name == "revoke" else "redirect",
                    priority=40,
                )
            )
        return buttons


class CertificateViewSet(ModelViewSet):
    name = "course_certificates"
    url_prefix = "learners/certificates"
    model = Certificate
    icon = "success"
    add_to_admin_menu = False
    copy_view_enabled = False
    form_fields = []
    index_view_class = CertificateIndexView
    filterset_class = CertificateFilterSet
    list_display = [
        Column("learner_name", label=_("Learner")),
        Column("course_name", label=_("Course")),
        DateColumn("issued_at", label=_("Issued at")),
        DateColumn("revoked_at", label=_("Revoked at")),
        Column("public_id", label=_("Number")),
    ]
    list_export = [
        "learner_name",
        "user.username",
        "course_name",
        "issued_at",
        "revoked_at",
        "revoked_reason",
        "public_id",
    ]
    export_headings = {
        "learner_name": _("Learner"),
        "user.username": _("Username"),
        "course_name": _("Course"),
    }
    ordering = ["-issued_at"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("revoke/<int:pk>/", self.revoke_view, name="revoke"),
            path("reissue/<int:pk>/", self.reissue_view, name="reissue"),
        ]

    def _certificate_for(self, request: HttpRequest, pk: int) -> Certificate:
        """The certificate if the user may see it (else 404), and act on it (else 403)."""
        policy = policy_registry.get_by_type(Certificate)
        found = (
            policy.instances_user_has_permission_for(request.user, "view")
            .select_related("user")
            .filter(pk=pk)
            .first()
        )
        if found is None:
            raise Http404
        if not policy.user_has_permission_for_instance(request.user, "revoke", found):
            raise PermissionDenied
        return found

    def revoke_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Revoke with a reason, through the service the certificate page uses."""
        certificate = self._certificate_for(request, pk)
        form = RevokeForm(request.POST if request.method == "POST" else None)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.certificate_revoke(
                        certificate=certificate,
                        revoked_by=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                except CourseError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(request, _("The certificate has been revoked."))
                    return redirect(self.get_url_name("index"))
            status = 400
        return self._action_page(request, certificate, form, "revoke", status)

    def reissue_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Issue a revoked certificate again: a new certificate with a new number."""
        certificate = self._certificate_for(request, pk)
        form = None
        if request.method == "POST":
            try:
                reissued = services.certificate_reissue(
                    certificate=certificate, issued_by=request.user
                )
            except CourseError as error:
                messages.error(request, error.message)
                return redirect(self.get_url_name("index"))
            messages.success(
                request,
                _("The certificate has been issued again, as number %(number)s.")
                % {"number": reissued.public_id},
            )
            return redirect(self.get_url_name("index"))
        return self._action_page(request, certificate, form, "reissue", 200)

    def _action_page(self, request, certificate, form, action, status) -> HttpResponse:
        return render(
            request,
            "courses/admin/certificate_action.html",
            {
                "certificate": certificate,
                "form": form,
                "action": action,
                "index_url": reverse(self.get_url_name("index")),
                "header_icon": self.icon,
            },
            status=status,
        )


class AttemptViewSet(ModelViewSet):
    name = "course_attempts"
    url_prefix = "learners/attempts"
    model = QuizAttempt
    icon = "tasks"
    add_to_admin_menu = False
    copy_view_enabled = False
    form_fields = []
    index_view_class = type("AttemptIndexView", (RecordIndexView,), {"related": ("user",)})
    filterset_class = AttemptFilterSet
    list_display = [
        Column("learner", label=_("Learner"), accessor="user.public_name"),
        Column("course_name", label=_("Course")),
        Column("block_id", label=_("Quiz")),
        Column("number", label=_("Attempt")),
        Column("score", label=_("Score (%)")),
        "passed",
        DateColumn("submitted_at", label=_("Submitted at")),
    ]
    list_export = [
        "user.public_name",
        "user.username",
        "course_name",
        "lesson_key",
        "block_id",
        "number",
        "score",
        "passed",
        "submitted_at",
    ]
    export_headings = {
        "user.public_name": _("Learner"),
        "user.username": _("Username"),
        "course_name": _("Course"),
    }
    ordering = ["-submitted_at"]


class LearnerRecordsGroup(ModelViewSetGroup):
    """One "Learners" menu with the four listings."""

    menu_label = _("Learners")
    menu_icon = "group"
    menu_order = 250
    items = (CohortViewSet, EnrolmentViewSet, CertificateViewSet, AttemptViewSet)
