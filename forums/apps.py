from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    """Discussion and live dialogue; the app that owns the WebSocket consumers."""

    name = "forums"
    verbose_name = _("Forums")

    def ready(self) -> None:
        from config import schedule
        from forums import cache, digest, portability, tasks
        from forums.signal_handlers import connect

        connect()
        cache.connect()  # the forums' tags of the page cache
        portability.register()  # the forums' part of manage.py export_network
        digest.register_kinds()  # which notifications a member wants in the digest
        schedule.every(3600, tasks.send_digests)
        schedule.every(60, tasks.dialogue_clock)
        from forums.dialogues.mail import REMINDER
        from network.mail import add_optional_kind

        add_optional_kind(REMINDER, _("Reminders before a live dialogue you follow starts"))

        from forums.selectors import partnership_forum
        from network.home import HomeSection, add_section

        # The partnership's home shows its private rooms and live dialogues to its members.
        add_section(
            HomeSection(
                name="forum",
                template="network/home/forum.html",
                read=partnership_forum,
                members_only=True,
                order=10,
            )
        )
