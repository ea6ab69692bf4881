"""Course review: a workflow whose one task the Editors and Moderators groups may approve, on
every course catalogue, with "publish" there for Editors so their approval publishes (see
courses/review.py). Before this, courses fell under Wagtail's default workflow, which only
Moderators (in practice the superuser) could approve. Also: the quiz block's fields get
translatable labels and help text (the lesson body's block definitions)."""

import wagtail.fields
from django.db import migrations

from courses.review import PUBLISHING_REVIEWERS, REVIEWER_GROUPS, TASK_NAME, WORKFLOW_NAME


def create_course_review(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    CourseIndexPage = apps.get_model("courses", "CourseIndexPage")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Permission = apps.get_model("auth", "Permission")
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    publish, _ = Permission.objects.get_or_create(
        content_type=page_type, codename="publish_page", defaults={"name": "Can publish any page"}
    )
    editors, _ = Group.objects.get_or_create(name=PUBLISHING_REVIEWERS)
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in REVIEWER_GROUPS])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for catalogue in CourseIndexPage.objects.all():
        WorkflowPage.objects.update_or_create(page_id=catalogue.pk, defaults={"workflow": workflow})
        GroupPagePermission.objects.get_or_create(
            group=editors, page_id=catalogue.pk, permission=publish
        )


def remove_course_review(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    catalogues = WorkflowPage.objects.filter(workflow__name=WORKFLOW_NAME).values("page_id")
    GroupPagePermission.objects.filter(
        group__name=PUBLISHING_REVIEWERS,
        permission__codename="publish_page",
        page_id__in=catalogues,
    ).delete()
    WorkflowPage.objects.filter(workflow__name=WORKFLOW_NAME).delete()
    Workflow.objects.filter(name=WORKFLOW_NAME).update(active=False)
    GroupApprovalTask.objects.filter(name=TASK_NAME).update(active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_learner_paths"),
        ("network", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(create_course_review, remove_course_review),
        migrations.AlterField(
            model_name="lessonpage",
            name="body",
            field=wagtail.fields.StreamField(
                [
                    ("text", 0),
                    ("image", 4),
                    ("video", 9),
                    ("document", 12),
                    ("callout", 16),
                    ("reflection", 18),
                    ("quiz", 38),
                ],
                block_lookup={
                    0: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": [
                                "h2",
                                "h3",
                                "bold",
                                "italic",
                                "link",
                                "ol",
                                "ul",
                                "blockquote",
                            ],
                            "icon": "pilcrow",
                            "label": "Text",
                        },
                    ),
                    1: ("wagtail.images.blocks.ImageChooserBlock", (), {"label": "image"}),
                    2: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Describe the image for people who cannot see it; leave empty if decorative.",
                            "label": "alternative text",
                            "max_length": 250,
                            "required": False,
                        },
                    ),
                    3: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "caption", "max_length": 250, "required": False},
                    ),
                    4: (
                        "wagtail.blocks.StructBlock",
                        [[("image", 1), ("alt_text", 2), ("caption", 3)]],
                        {},
                    ),
                    5: ("wagtail.blocks.CharBlock", (), {"label": "title", "max_length": 200}),
                    6: ("wagtail.blocks.URLBlock", (), {"label": "video address"}),
                    7: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {"label": "length in minutes", "min_value": 0, "required": False},
                    ),
                    8: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": [
                                "h2",
                                "h3",
                                "bold",
                                "italic",
                                "link",
                                "ol",
                                "ul",
                                "blockquote",
                            ],
                            "label": "transcript",
                        },
                    ),
                    9: (
                        "wagtail.blocks.StructBlock",
                        [[("title", 5), ("url", 6), ("duration_minutes", 7), ("transcript", 8)]],
                        {},
                    ),
                    10: (
                        "wagtail.documents.blocks.DocumentChooserBlock",
                        (),
                        {"label": "document"},
                    ),
                    11: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "description", "max_length": 250, "required": False},
                    ),
                    12: (
                        "wagtail.blocks.StructBlock",
                        [[("document", 10), ("description", 11)]],
                        {},
                    ),
                    13: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": [
                                ("info", "Information"),
                                ("tip", "Tip"),
                                ("warning", "Warning"),
                            ],
                            "label": "kind",
                        },
                    ),
                    14: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "title", "max_length": 200, "required": False},
                    ),
                    15: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": [
                                "h2",
                                "h3",
                                "bold",
                                "italic",
                                "link",
                                "ol",
                                "ul",
                                "blockquote",
                            ],
                            "label": "text",
                        },
                    ),
                    16: (
                        "wagtail.blocks.StructBlock",
                        [[("kind", 13), ("title", 14), ("text", 15)]],
                        {},
                    ),
                    17: ("wagtail.blocks.TextBlock", (), {"label": "prompt"}),
                    18: ("wagtail.blocks.StructBlock", [[("prompt", 17)]], {}),
                    19: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "default": "Check your understanding",
                            "help_text": "The quiz's heading on the lesson page.",
                            "label": "Title",
                            "max_length": 200,
                        },
                    ),
                    20: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {
                            "default": 70,
                            "help_text": "The share of questions answered right, in percent (0 to 100).",
                            "label": "Score needed to pass",
                            "max_value": 100,
                            "min_value": 0,
                        },
                    ),
                    21: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {
                            "default": 3,
                            "help_text": "How many times a learner may submit the quiz; 0 means no limit.",
                            "label": "Attempts allowed",
                            "min_value": 0,
                        },
                    ),
                    22: (
                        "wagtail.blocks.TextBlock",
                        (),
                        {"help_text": "What the learner is asked.", "label": "Question"},
                    ),
                    23: (
                        "wagtail.blocks.TextBlock",
                        (),
                        {
                            "help_text": "Shown after submitting, to learners who answered right.",
                            "label": "Feedback for a right answer",
                            "required": False,
                        },
                    ),
                    24: (
                        "wagtail.blocks.TextBlock",
                        (),
                        {
                            "help_text": "Shown after submitting, to learners who answered wrong: say why.",
                            "label": "Feedback for a wrong answer",
                            "required": False,
                        },
                    ),
                    25: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "One answer the learner may choose.",
                            "label": "Answer",
                            "max_length": 300,
                        },
                    ),
                    26: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {
                            "help_text": "Tick every answer that is right; learners see which ones after answering.",
                            "label": "This answer is right",
                            "required": False,
                        },
                    ),
                    27: ("wagtail.blocks.StructBlock", [[("text", 25), ("correct", 26)]], {}),
                    28: (
                        "wagtail.blocks.ListBlock",
                        (27,),
                        {
                            "help_text": "At least two; mark the one right answer.",
                            "label": "Answers",
                            "min_num": 2,
                        },
                    ),
                    29: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("prompt", 22),
                                ("feedback_correct", 23),
                                ("feedback_incorrect", 24),
                                ("choices", 28),
                            ]
                        ],
                        {},
                    ),
                    30: (
                        "wagtail.blocks.ListBlock",
                        (27,),
                        {
                            "help_text": "At least two; mark every right answer. Learners must pick exactly those.",
                            "label": "Answers",
                            "min_num": 2,
                        },
                    ),
                    31: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("prompt", 22),
                                ("feedback_correct", 23),
                                ("feedback_incorrect", 24),
                                ("choices", 30),
                            ]
                        ],
                        {},
                    ),
                    32: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {
                            "help_text": "Tick if the question's statement is true; leave empty if it is false.",
                            "label": "The statement is true",
                            "required": False,
                        },
                    ),
                    33: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("prompt", 22),
                                ("feedback_correct", 23),
                                ("feedback_incorrect", 24),
                                ("answer", 32),
                            ]
                        ],
                        {},
                    ),
                    34: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "Accepted answer", "max_length": 200},
                    ),
                    35: (
                        "wagtail.blocks.ListBlock",
                        (34,),
                        {
                            "help_text": "Compared ignoring case, accents, punctuation and extra spaces.",
                            "label": "Accepted answers",
                            "min_num": 1,
                        },
                    ),
                    36: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("prompt", 22),
                                ("feedback_correct", 23),
                                ("feedback_incorrect", 24),
                                ("accepted_answers", 35),
                            ]
                        ],
                        {},
                    ),
                    37: (
                        "wagtail.blocks.StreamBlock",
                        [
                            [
                                ("single_choice", 29),
                                ("multiple_choice", 31),
                                ("true_false", 33),
                                ("short_answer", 36),
                            ]
                        ],
                        {
                            "help_text": "Add at least one question.",
                            "label": "Questions",
                            "min_num": 1,
                        },
                    ),
                    38: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("title", 19),
                                ("pass_mark", 20),
                                ("max_attempts", 21),
                                ("questions", 37),
                            ]
                        ],
                        {},
                    ),
                },
                verbose_name="body",
            ),
        ),
    ]
