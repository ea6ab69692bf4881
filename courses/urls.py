"""Learning actions and pages outside the page tree. Course and lesson pages live at their
Wagtail paths (``/courses/<course>/<module>/<lesson>/``); everything here sits under
``/learning/``, so no course slug can shadow it, except the public certificate page."""

from django.urls import path

from config import converters  # noqa: F401 -- registers <id:...>
from courses import inactivity_views, reflection_views, views
from courses.exports import views as export_views

app_name = "courses"

urlpatterns = [
    path("learning/", views.dashboard, name="dashboard"),
    path("learning/courses/<id:page_id>/enrol/", views.enrol, name="enrol"),
    path(
        "learning/courses/<id:page_id>/offline.json",
        views.offline_manifest,
        name="offline_manifest",
    ),
    path(
        "learning/courses/<id:page_id>/offline/sync/",
        views.offline_sync_view,
        name="offline_sync",
    ),
    path("learning/courses/<id:page_id>/withdraw/", views.withdraw, name="withdraw"),
    path("learning/courses/<id:page_id>/report/", views.course_report, name="report"),
    path("learning/courses/<id:page_id>/report.csv", views.course_report_csv, name="report_csv"),
    path(
        "learning/courses/<id:page_id>/inactive/",
        inactivity_views.inactive_learners,
        name="inactive",
    ),
    path("learning/courses/<id:page_id>/cohorts/", views.cohort_create, name="cohort_create"),
    path("learning/courses/<id:page_id>/waivers/", views.waiver_grant, name="waiver_grant"),
    path(
        "learning/courses/<id:page_id>/export/<str:export_format>/",
        export_views.course_export,
        name="export",
    ),
    path("learning/cohorts/join/", views.cohort_join, name="cohort_join"),
    path("learning/lessons/<id:page_id>/complete/", views.lesson_complete, name="lesson_complete"),
    path(
        "learning/lessons/<id:page_id>/discussion/",
        views.lesson_discussion,
        name="lesson_discussion",
    ),
    path(
        "learning/lessons/<id:page_id>/quizzes/<str:block_id>/",
        views.quiz_submit,
        name="quiz_submit",
    ),
    path(
        "learning/lessons/<id:page_id>/reflections/<str:block_id>/",
        reflection_views.reflection_save,
        name="reflection_save",
    ),
    path(
        "learning/courses/<id:page_id>/reflections/",
        reflection_views.course_reflections,
        name="reflections",
    ),
    path("learning/attempts/<id:pk>/", views.attempt_result, name="attempt"),
    path("certificates/<str:public_id>/", views.certificate, name="certificate"),
    path(
        "certificates/<str:public_id>/revoke/", views.certificate_revoke, name="certificate_revoke"
    ),
]
