"""People: the account and the profile a member shows to the network.

The profile lives on the user row itself (one table, no join on every page); partnerships and
organisations arrive with the directory.
"""

from __future__ import annotations

from django.conf import global_settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from network.validators import validate_language_codes

#: The languages a member may say they speak: every language Django knows by name.
SPOKEN_LANGUAGE_CHOICES = tuple(
    (code, name) for code, name in global_settings.LANGUAGES if "-" not in code
)


def avatar_upload_to(instance: User, filename: str) -> str:
    """Store avatars under the user's id with a fixed name: re-uploads replace, names leak nothing."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"avatars/{instance.pk}/avatar.{extension}"


class ProfileVisibility(models.TextChoices):
    PUBLIC = "public", _("Anyone")
    MEMBERS = "members", _("Signed-in members")
    PRIVATE = "private", _("Only me")


class User(AbstractUser):
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

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name shown next to everything this person writes."""
        return self.display_name or self.get_full_name() or self.username

    def get_languages_display(self) -> list[str]:
        names = dict(SPOKEN_LANGUAGE_CHOICES)
        return [str(names.get(code, code)) for code in self.languages]
