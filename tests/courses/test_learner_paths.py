"""What a learner meets on the way through a course: refusals on the form they came from,
reviewing their quiz answers, prerequisites (and trainers waiving them), the outline inside a
lesson, and each lesson's discussion thread."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from courses import discussions, services
from courses.grading import Choice, Question, QuestionKind, Quiz, review
from courses.models import (
    Certificate,
    Cohort,
    Enrolment,
    LessonDiscussion,
    PrerequisiteWaiver,
    QuizAttempt,
)
from courses.services import CourseError
from forums.models import Topic
from tests.courses.conftest import QUIZ_ID, RIGHT, WRONG
from tests.forums import conftest as forum_fixtures

pytestmark = pytest.mark.django_db

#: The one socket test below closes the consumers' thread's connection after itself.
sync_thread_connections_closed = forum_fixtures.sync_thread_connections_closed


def _cohort(course, trainer, name="Spring") -> Cohort:
    today = timezone.localdate()
    return services.cohort_create(
        course=course,
        name=name,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
        created_by=trainer,
    )


def _certify(user, course) -> Certificate:
    return Certificate.objects.create(
        user=user,
        course_key=course.translation_key,
        learner_name="A Learner",
        course_title=course.title,
        issued_at=timezone.now(),
    )


# --- Refusals on the form the learner came from ------------------------------------------


def test_a_wrong_invite_code_comes_back_on_the_course_page_with_the_code_typed(
    client, make_course, make_user
):
    built = make_course(mode="cohort")
    client.force_login(make_user())
    response = client.post(
        reverse("courses:cohort_join"), {"invite_code": "NOPE<b>", "course": built.course.pk}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "That invite code is not valid" in html
    assert f"<h1>{built.course.title}</h1>" in html  # the course page, not a dead end
    assert 'value="NOPE&lt;b&gt;"' in html
    assert 'aria-invalid="true"' in html
    assert "That did not work" not in html


def test_a_wrong_invite_code_from_the_dashboard_comes_back_on_the_dashboard(client, make_user):
    client.force_login(make_user())
    response = client.post(
        reverse("courses:cohort_join"), {"invite_code": "WRONG", "course": "not-a-number"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "My learning" in html
    assert 'value="WRONG"' in html


def test_a_right_invite_code_still_joins_the_cohort(client, make_course, make_user, trainer):
    built = make_course(mode="cohort", trainers=[trainer])
    cohort = _cohort(built.course, trainer)
    learner = make_user()
    client.force_login(learner)
    response = client.post(
        reverse("courses:cohort_join"), {"invite_code": cohort.invite_code.lower()}
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(user=learner).cohort == cohort


# --- Quiz review --------------------------------------------------------------------------


def _attempt(user, lesson, answers, number) -> QuizAttempt:
    return services.quiz_attempt_submit(
        user=user, lesson=lesson, block_id=QUIZ_ID, answers=answers, attempt_number=number
    )


def test_the_review_shows_each_answer_given_and_holds_back_the_right_ones_until_passed(
    client, make_course, learner
):
    built = make_course()
    services.enrolment_create(user=learner, course=built.course)
    client.force_login(learner)
    wrong = _attempt(learner, built.quiz_lesson, WRONG, 1)
    html = client.get(reverse("courses:attempt", args=[wrong.pk])).content.decode()
    assert "Your answer" in html
    assert "Answer a" in html  # the words of the choice picked, not its id
    assert "desert" in html
    assert "SECRET-WRONG-single" in html and "SECRET-WRONG-multi" in html
    assert "Right answer" not in html  # attempts are left: the next one would be a copy
    assert "Right. " not in html
    passed = _attempt(learner, built.quiz_lesson, RIGHT, 2)
    html = client.get(reverse("courses:attempt", args=[wrong.pk])).content.decode()
    assert "Right answer" in html
    assert re.search(r"Right answers</dt><dd>Answer a; Answer c</dd>", html)
    assert f'href="{reverse("courses:attempt", args=[passed.pk])}"' in html  # past attempts
    assert 'aria-current="page">Attempt 1: 0%' in html


def test_the_right_answers_show_once_every_attempt_is_used(client, make_course, learner):
    built = make_course(max_attempts=1)
    services.enrolment_create(user=learner, course=built.course)
    client.force_login(learner)
    attempt = _attempt(learner, built.quiz_lesson, WRONG, 1)
    html = client.get(reverse("courses:attempt", args=[attempt.pk])).content.decode()
    assert "Right answer" in html
    assert "paramo" in html  # the accepted short answer


def test_the_lesson_links_the_learners_latest_attempt_for_review(client, make_course, learner):
    built = make_course()
    services.enrolment_create(user=learner, course=built.course)
    client.force_login(learner)
    assert "Review your answers" not in client.get(built.quiz_lesson.url).content.decode()
    attempt = _attempt(learner, built.quiz_lesson, WRONG, 1)
    html = client.get(built.quiz_lesson.url).content.decode()
    assert f'href="{reverse("courses:attempt", args=[attempt.pk])}">Review your answers' in html


def test_review_turns_stored_answers_into_words_and_keeps_verdicts():
    question = Question(
        id="q1",
        kind=QuestionKind.SINGLE_CHOICE,
        prompt="Pick",
        choices=(Choice("a", "Alpha", False), Choice("b", "Beta", True)),
    )
    added_later = Question(
        id="q2", kind=QuestionKind.SHORT_ANSWER, prompt="New", accepted_answers=("x",)
    )
    quiz = Quiz(title="T", pass_mark=50, max_attempts=0, questions=(question, added_later))
    stored = [{"question": "q1", "correct": False, "feedback": "No."}]
    hidden, shown = (
        review(quiz, {"q1": ["a", "gone"]}, stored, show_right_answers=flag)
        for flag in (False, True)
    )
    assert hidden[0].your_answers == ("Alpha",) and hidden[0].right_answers == ()
    assert hidden[0].feedback == "No." and not hidden[0].correct
    assert shown[0].right_answers == ("Beta",)
    assert shown[1].your_answers == () and shown[1].right_answers == ("x",)


# --- Prerequisites ------------------------------------------------------------------------


@pytest.fixture
def with_prerequisite(make_course, trainer):
    first = make_course(title="Foundations", modules=1, lessons=1, quiz=False)
    second = make_course(title="Advanced", trainers=[trainer])
    second.course.prerequisites.add(first.course)
    second.course.save_revision().publish()
    return first.course, second.course


def test_enrolling_without_the_prerequisite_is_refused_on_the_course_page(
    client, with_prerequisite, learner
):
    first, second = with_prerequisite
    client.force_login(learner)
    page = client.get(second.url).content.decode()
    assert "Complete these courses first" in page
    assert "Enrol in this course" not in page
    response = client.post(reverse("courses:enrol", args=[second.pk]))
    assert response.status_code == 409
    assert "builds on “Foundations”" in response.content.decode()
    assert not Enrolment.objects.filter(user=learner).exists()
    _certify(learner, first)
    services.enrolment_create(user=learner, course=second)
    assert Enrolment.objects.filter(user=learner, course_key=second.translation_key).exists()


def test_a_revoked_certificate_does_not_count_as_the_prerequisite(with_prerequisite, learner):
    first, second = with_prerequisite
    certificate = _certify(learner, first)
    certificate.revoked_at = timezone.now()
    certificate.save()
    with pytest.raises(CourseError):
        services.enrolment_create(user=learner, course=second)


def test_a_trainer_waives_the_prerequisite_for_one_learner(
    client, with_prerequisite, learner, trainer, make_user
):
    _first, second = with_prerequisite
    client.force_login(trainer)
    response = client.post(
        reverse("courses:waiver_grant", args=[second.pk]), {"learner": learner.email}
    )
    assert response.status_code == 302
    services.enrolment_create(user=learner, course=second)
    with pytest.raises(CourseError):  # only that learner
        services.enrolment_create(user=make_user(), course=second)


def test_a_trainer_waives_the_prerequisite_for_a_cohort(with_prerequisite, trainer, make_user):
    _first, second = with_prerequisite
    cohort = _cohort(second, trainer)
    other = _cohort(second, trainer, name="Autumn")
    services.prerequisite_waiver_grant(course=second, granted_by=trainer, cohort=cohort)
    services.prerequisite_waiver_grant(course=second, granted_by=trainer, cohort=cohort)  # twice
    assert PrerequisiteWaiver.objects.count() == 1
    services.cohort_join(user=make_user(), invite_code=cohort.invite_code)
    with pytest.raises(CourseError, match="builds on"):
        services.cohort_join(user=make_user(), invite_code=other.invite_code)


def test_only_the_courses_trainers_waive_its_prerequisites(
    client, with_prerequisite, learner, make_user
):
    _first, second = with_prerequisite
    with pytest.raises(CourseError) as refused:
        services.prerequisite_waiver_grant(course=second, granted_by=make_user(), learner=learner)
    assert refused.value.status == 403
    client.force_login(learner)
    response = client.post(
        reverse("courses:waiver_grant", args=[second.pk]), {"learner": learner.email}
    )
    assert response.status_code == 403
    assert not PrerequisiteWaiver.objects.exists()


def test_a_refused_waiver_shows_the_report_again_with_what_was_typed(
    client, with_prerequisite, trainer
):
    _first, second = with_prerequisite
    client.force_login(trainer)
    response = client.post(
        reverse("courses:waiver_grant", args=[second.pk]), {"learner": "nobody@example.org"}
    )
    assert response.status_code == 400
    assert "Nobody has this e-mail address" in response.content.decode()
    assert 'value="nobody@example.org"' in response.content.decode()
    neither = client.post(reverse("courses:waiver_grant", args=[second.pk]), {})
    assert neither.status_code == 400 and "Choose a learner or a cohort" in neither.content.decode()


@pytest.mark.parametrize("cohorts", [1, 6], ids=["one-cohort", "six-cohorts"])
def test_granting_a_waiver_costs_the_same_however_many_cohorts(
    client, with_prerequisite, trainer, learner, cohorts, django_assert_num_queries
):
    _first, second = with_prerequisite
    for number in range(cohorts):
        _cohort(second, trainer, name=f"Cohort {number}")
    client.force_login(trainer)
    client.get(reverse("courses:dashboard"))  # the session read once
    with django_assert_num_queries(12):
        response = client.post(
            reverse("courses:waiver_grant", args=[second.pk]), {"learner": learner.username}
        )
    assert response.status_code == 302


# --- The outline inside a lesson ----------------------------------------------------------


def test_the_lesson_shows_the_course_outline_with_done_and_current_lessons(
    client, make_course, learner
):
    built = make_course(modules=2, lessons=2, quiz=False)
    services.enrolment_create(user=learner, course=built.course)
    services.lesson_complete(user=learner, lesson=built.lessons[0])
    client.force_login(learner)
    html = client.get(built.lessons[1].url).content.decode()
    start = html.index('class="lesson-outline"')
    outline = html[start : html.index("</details>", start)]
    assert "Module 1" in outline and "Module 2" in outline
    assert f'<a href="{built.lessons[1].url}" aria-current="page">Lesson 2</a>' in outline
    assert re.search(rf'<li class="is-done"><a href="{built.lessons[0].url}">Lesson 1</a>', outline)
    assert outline.count("aria-current") == 1


def test_the_course_page_continues_at_the_first_lesson_not_done(client, make_course, learner):
    built = make_course(modules=2, lessons=2, quiz=False)
    services.enrolment_create(user=learner, course=built.course)
    services.lesson_complete(user=learner, lesson=built.lessons[0])
    client.force_login(learner)
    html = client.get(built.course.url).content.decode()
    assert f'<a class="button" href="{built.lessons[1].url}">Continue where you left off' in html
    dashboard = client.get(reverse("courses:dashboard")).content.decode()
    assert f'href="{built.lessons[1].url}">Lesson 2</a>' in dashboard


# --- A discussion per lesson --------------------------------------------------------------


def test_discussing_a_lesson_opens_one_topic_however_often_it_is_asked(
    client, make_course, learner, trainer, make_user
):
    built = make_course(trainers=[trainer], quiz=False)
    lesson = built.lessons[0]
    services.enrolment_create(user=learner, course=built.course)
    client.force_login(learner)
    assert (
        reverse("courses:lesson_discussion", args=[lesson.pk])
        in client.get(lesson.url).content.decode()
    )
    first = client.post(reverse("courses:lesson_discussion", args=[lesson.pk]))
    assert first.status_code == 302
    topic = Topic.objects.get()
    assert first["Location"] == topic.get_absolute_url()
    assert topic.title == lesson.title and topic.author == trainer
    other = make_user()
    services.enrolment_create(user=other, course=built.course)
    client.force_login(other)
    again = client.post(reverse("courses:lesson_discussion", args=[lesson.pk]))
    assert again["Location"] == topic.get_absolute_url()
    assert Topic.objects.count() == 1 == LessonDiscussion.objects.count()
    page = client.get(topic.get_absolute_url()).content.decode()
    assert lesson.title in page


def test_every_translation_of_a_lesson_shares_its_discussion(make_course, learner):
    from wagtail.models import Locale

    from library.demo import ensure_translations

    built = make_course(quiz=False)
    lesson = built.lessons[0]
    locale = Locale.objects.get(language_code="es")
    catalogue = built.course.get_parent().specific
    ensure_translations(catalogue.get_parent().specific, {"es": locale}, {})
    ensure_translations(catalogue, {"es": locale}, {})
    spanish = lesson.copy_for_translation(locale, copy_parents=True)
    spanish.save_revision().publish()
    topic = discussions.lesson_discussion_open(user=learner, lesson=lesson, course=built.course)
    again = discussions.lesson_discussion_open(
        user=learner, lesson=spanish.specific, course=built.course
    )
    assert again == topic


def test_one_discussion_per_lesson_is_held_by_the_database(make_course, learner):
    built = make_course(quiz=False)
    topic = discussions.lesson_discussion_open(
        user=learner, lesson=built.lessons[0], course=built.course
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        LessonDiscussion.objects.create(
            lesson_key=built.lessons[0].translation_key,
            course_key=built.course.translation_key,
            topic=topic,
        )


def _cohort_thread(client, make_course, make_user, trainer):
    """A cohort course, a learner in its cohort, and the lesson's thread the learner opened."""
    built = make_course(mode="cohort", trainers=[trainer], quiz=False)
    cohort = _cohort(built.course, trainer)
    learner = make_user()
    services.cohort_join(user=learner, invite_code=cohort.invite_code)
    client.force_login(learner)
    lesson = built.lessons[0]
    assert "Discuss this lesson" in client.get(lesson.url).content.decode()
    opened = client.post(reverse("courses:lesson_discussion", args=[lesson.pk]))
    topic = Topic.objects.get()
    assert opened["Location"] == topic.get_absolute_url()
    return built, cohort, learner, topic


def test_a_cohort_courses_lesson_is_discussed_among_its_learners_and_trainers_only(
    client, make_course, make_user, trainer, django_capture_on_commit_callbacks
):
    import search
    from forums.models import Post

    built, cohort, learner, topic = _cohort_thread(client, make_course, make_user, trainer)
    assert topic.conversation  # the forum's one rule for private threads applies
    url, reply = topic.get_absolute_url(), reverse("forums:topic_reply", args=[topic.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reply, {"body": "Where do the terraces start?"}).status_code == 302
    assert client.get(url).status_code == 200
    client.force_login(trainer)
    assert "Where do the terraces start?" in client.get(url).content.decode()
    # A learner who joins after the thread opened reads it at once.
    latecomer = make_user()
    services.cohort_join(user=latecomer, invite_code=cohort.invite_code)
    client.force_login(latecomer)
    assert client.get(url).status_code == 200
    # Someone outside the course: not on the page, not in the forum's search.
    outsider = make_user()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(reply, {"body": "Let me in"}).status_code == 404
    assert search.query("terraces", user=outsider).hits == []
    # Withdrawing takes the learner out at once; coming back lets them in again.
    services.enrolment_withdraw(user=learner, course_key=built.course.translation_key)
    client.force_login(learner)
    assert client.get(url).status_code == 404
    assert client.post(reply, {"body": "Still here?"}).status_code == 404
    services.cohort_join(user=learner, invite_code=cohort.invite_code)
    assert client.get(url).status_code == 200
    assert Post.objects.filter(topic=topic).count() == 2


def test_a_trainer_taken_off_the_course_leaves_its_threads_and_one_named_joins(
    client, make_course, make_user, trainer
):
    from network.roles import Role

    built, _, learner, topic = _cohort_thread(client, make_course, make_user, trainer)
    other_lesson = discussions.lesson_discussion_open(
        user=trainer, lesson=built.lessons[1], course=built.course
    )
    url, reply = topic.get_absolute_url(), reverse("forums:topic_reply", args=[topic.pk])
    newcomer = make_user(Role.TRAINER)
    client.force_login(newcomer)
    assert client.get(url).status_code == 404
    # As the admin does it: the field changes in the form, and publishing writes it.
    course = type(built.course).objects.get(pk=built.course.pk)
    course.trainers.set([newcomer])
    course.save_revision().publish()
    assert client.get(url).status_code == 200  # named: in at once, before reading the lesson
    client.force_login(trainer)
    assert client.get(url).status_code == 404
    assert client.get(other_lesson.get_absolute_url()).status_code == 404
    assert client.post(reply, {"body": "Still teaching?"}).status_code == 404
    assert set(topic.participants.values_list("user_id", flat=True)) == {learner.pk, newcomer.pk}
    assert not trainer.forum_subscriptions.filter(topic=topic).exists()  # no more replies
    # From the other side of the relation, the same.
    newcomer.courses_trained.remove(built.course)
    assert not topic.participants.filter(user=newcomer).exists()


def test_a_restricted_open_course_is_discussed_privately(make_course, learner, trainer):
    from wagtail.models import PageViewRestriction

    built = make_course(trainers=[trainer], quiz=False)
    services.enrolment_create(user=learner, course=built.course)
    PageViewRestriction.objects.create(
        page=built.course, restriction_type=PageViewRestriction.LOGIN
    )
    course = type(built.course).objects.get(pk=built.course.pk)
    topic = discussions.lesson_discussion_open(user=learner, lesson=built.lessons[0], course=course)
    assert topic.conversation
    assert set(topic.participants.values_list("user_id", flat=True)) == {learner.pk, trainer.pk}


def test_joining_a_cohort_costs_the_same_whatever_its_size(
    make_course, make_user, trainer, django_assert_max_num_queries
):
    built = make_course(mode="cohort", trainers=[trainer], quiz=False)
    cohort = _cohort(built.course, trainer)
    for lesson in built.lessons:
        discussions.lesson_discussion_open(user=trainer, lesson=lesson, course=built.course)
    counts = []
    for size in (1, 6):
        while Enrolment.objects.filter(status="active").count() < size:
            services.cohort_join(user=make_user(), invite_code=cohort.invite_code)
        with django_assert_max_num_queries(40) as captured:
            services.cohort_join(user=make_user(), invite_code=cohort.invite_code)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


def test_someone_not_in_the_course_cannot_open_its_discussion(client, make_course, make_user):
    built = make_course(quiz=False)
    client.force_login(make_user())
    response = client.post(reverse("courses:lesson_discussion", args=[built.lessons[0].pk]))
    assert response.status_code == 403
    assert not Topic.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_rows", "sync_thread_connections_closed")
async def test_a_cohort_threads_socket_refuses_outsiders_and_closes_on_withdrawal(
    make_course, make_user, trainer
):
    """And on a trainer taken off the course, as the admin's publishing does it."""
    from channels.db import database_sync_to_async
    from channels.testing import WebsocketCommunicator

    from config.asgi import application
    from tests.forums.live_sockets import HOST, ORIGIN, open_topic, session_cookie

    def arrange():
        built = make_course(mode="cohort", trainers=[trainer], quiz=False)
        cohort = _cohort(built.course, trainer)
        learner = make_user()
        services.cohort_join(user=learner, invite_code=cohort.invite_code)
        topic = discussions.lesson_discussion_open(
            user=learner, lesson=built.lessons[0], course=built.course
        )
        return built.course, learner, make_user(), topic

    def take_off_trainer(course):
        course = type(course).objects.get(pk=course.pk)
        course.trainers.set([])
        course.save_revision().publish()

    course, learner, outsider, topic = await database_sync_to_async(arrange)()
    course_key = course.translation_key
    cookie = await database_sync_to_async(session_cookie)(outsider)
    refused = WebsocketCommunicator(
        application, f"/ws/forums/topics/{topic.pk}/", headers=[ORIGIN, HOST, cookie]
    )
    assert (await refused.connect())[0]
    assert await refused.receive_output(timeout=5) == {"type": "websocket.close", "code": 4403}
    socket = await open_topic(topic, learner)
    await database_sync_to_async(services.enrolment_withdraw)(user=learner, course_key=course_key)
    output = await socket.receive_output(timeout=5)
    while output["type"] == "websocket.send":  # presence chatter before the close
        output = await socket.receive_output(timeout=5)
    assert output == {"type": "websocket.close", "code": 4403}

    socket = await open_topic(topic, trainer)
    await database_sync_to_async(take_off_trainer)(course)
    output = await socket.receive_output(timeout=5)
    while output["type"] == "websocket.send":
        output = await socket.receive_output(timeout=5)
    assert output == {"type": "websocket.close", "code": 4403}
