
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def link_lessons(apps, schema_editor):
    """The typed-in page id becomes the lesson, when it names a lesson (else it is dropped:
    it was shown nowhere)."""
    DialogueSession = apps.get_model("forums", "DialogueSession")
    LessonPage = apps.get_model("courses", "LessonPage")
    typed = DialogueSession.objects.filter(course_page_id__isnull=False)
    lessons = set(
        LessonPage.objects.filter(
            pk__in=typed.values("course_page_id")
        ).values_list("pk", flat=True)
    )
    for session in typed.filter(course_page_id__in=lessons):
        DialogueSession.objects.filter(pk=session.pk).update(lesson_id=session.course_page_id)


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0004_trainers_per_course'),
        ('forums', '0005_partnership_notifications'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DialogueFollow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'verbose_name': 'dialogue follower',
                'verbose_name_plural': 'dialogue followers',
            },
        ),
        migrations.AddField(
            model_name='dialoguesession',
            name='closed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='closed at'),
        ),
        migrations.AddField(
            model_name='dialoguesession',
            name='lesson',
            field=models.ForeignKey(blank=True, help_text="The lesson this session belongs to: the lesson's page shows it.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='live_dialogues', to='courses.lessonpage', verbose_name='lesson'),
        ),
        migrations.RunPython(link_lessons, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='dialoguesession',
            name='course_page_id',
        ),
        migrations.AddField(
            model_name='dialoguesession',
            name='opened_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='opened at'),
        ),
        migrations.AddField(
            model_name='dialoguesession',
            name='reminded_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='reminded at'),
        ),
        migrations.AddIndex(
            model_name='dialoguesession',
            index=models.Index(fields=['status', 'starts_at'], name='dialogue_status_start'),
        ),
        migrations.AddField(
            model_name='dialoguefollow',
            name='session',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follows', to='forums.dialoguesession'),
        ),
        migrations.AddField(
            model_name='dialoguefollow',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='dialogue_follows', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='dialoguefollow',
            constraint=models.UniqueConstraint(fields=('session', 'user'), name='one_follow_per_dialogue'),
        ),
    ]
