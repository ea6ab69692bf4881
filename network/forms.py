"""Forms for one's own profile and mail settings, and for joining partnerships."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from network import boundaries, boundary_files
from network.avatars import avatar_clean
from network.images import check_upload_rate
from network.models import SPOKEN_LANGUAGE_CHOICES, DigestFrequency, ProfileVisibility, User
from network.validators import time_zone_names, validate_display_name


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("How your name appears to others. Leave blank to use your username."),
    )
    organisation_name = forms.CharField(label=_("Organisation"), max_length=150, required=False)
    country = LazyTypedChoiceField(
        label=_("Country"), choices=[("", "—"), *countries], required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=SPOKEN_LANGUAGE_CHOICES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose more than one."),
    )
    bio = forms.CharField(
        label=_("Short bio"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text, up to 600 characters."),
    )
    profile_visibility = forms.ChoiceField(
        label=_("Who can see your profile"),
        choices=ProfileVisibility.choices,
        widget=forms.RadioSelect,
    )
    avatar = forms.FileField(
        label=_("Profile picture"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["avatar"].help_text = gettext("JPEG, PNG, WebP or GIF, up to %(limit)s.") % {
            "limit": filesizeformat(settings.AVATAR_MAX_BYTES)
        }

    @classmethod
    def for_user(cls, user: User, data=None, files=None) -> ProfileForm:
        initial = {
            "display_name": user.display_name,
            "organisation_name": user.organisation_name,
            "country": user.country.code or "",
            "languages": user.languages,
            "bio": user.bio,
            "profile_visibility": user.profile_visibility,
            "avatar": user.avatar or None,
        }
        return cls(data=data, files=files, initial=initial, user=user)

    def clean_display_name(self) -> str:
        return validate_display_name(self.cleaned_data.get("display_name", ""), user=self.user)

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        # ClearableFileInput gives False for "clear", the stored file when unchanged.
        if not upload or not hasattr(upload, "content_type"):
            return upload
        if self.user is not None:
            check_upload_rate(user=self.user)
        return avatar_clean(upload)

    def avatar_change(self) -> tuple[ContentFile | None, bool]:
        """(the new re-encoded picture or None, whether the current one should be removed)."""
        value = self.cleaned_data.get("avatar")
        if isinstance(value, ContentFile):
            return value, False
        return None, value is False


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the coordinators"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Who you are and why you would like to join (optional, up to 1,000 characters)."
        ),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address to invite"), max_length=254)


class JoinRequestDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])


class FollowForm(forms.Form):
    follow = forms.TypedChoiceField(
        choices=[("1", _("Follow")), ("0", _("Unfollow"))], coerce=lambda value: value == "1"
    )


class MailSettingsForm(forms.Form):
    """Language, time zone and which mail arrives (``network.mail``)."""

    language = forms.ChoiceField(
        label=_("Language for mail"),
        required=False,
        help_text=_("Mail about events uses the language you registered in if you leave this."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Times on the site and in mail are shown in this zone."),
    )
    digest_frequency = forms.ChoiceField(label=_("Forum digest"), choices=DigestFrequency.choices)
    wanted = forms.MultipleChoiceField(
        label=_("Send me by mail"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from network.mail import DIGEST, OPTIONAL_KINDS

        self.fields["language"].choices = [("", _("Not chosen")), *settings.LANGUAGES]
        self.fields["time_zone"].choices = [
            ("", _("UTC (not chosen)")),
            *((name, name.replace("_", " ")) for name in time_zone_names()),
        ]
        self.fields["wanted"].choices = [
            (kind, label) for kind, label in OPTIONAL_KINDS.items() if kind != DIGEST
        ]

    @classmethod
    def for_user(cls, user: User, **kwargs) -> MailSettingsForm:
        form = cls(**kwargs)
        form.initial = {
            "language": user.language,
            "time_zone": user.time_zone,
            "digest_frequency": user.digest_frequency,
            "wanted": [
                kind
                for kind, _label in form.fields["wanted"].choices
                if kind not in user.mail_declined
            ],
        }
        return form

    def declined(self) -> list[str]:
        """The kinds left unticked."""
        wanted = set(self.cleaned_data["wanted"])
        return [kind for kind, _label in self.fields["wanted"].choices if kind not in wanted]


class SignupForm(forms.Form):
    """What allauth's sign-up form asks besides the address and password
    (``ACCOUNT_SIGNUP_FORM_CLASS``): the name shown for the member, checked as a profile's is.
    ``AccountAdapter.save_user`` stores it and makes the username from it."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_("How your name appears to others, for example “Wanjiru K.”."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
        error_messages={"required": _("Choose the name others will see.")},
    )

    def clean_display_name(self) -> str:
        name = validate_display_name(self.cleaned_data.get("display_name", ""))
        if not name:
            raise forms.ValidationError(_("Choose the name others will see."), code="required")
        return name

    def signup(self, request, user) -> None:
        """allauth's hook; the adapter has stored the name already."""


class BoundaryForm(forms.Form):
    """A partnership's boundary: a file (GeoJSON, KML or a zipped shapefile), or GeoJSON pasted (the map's drawing tool
    writes into the same box), or a request to remove it. ``boundary`` holds the validated
    ``network.boundaries.Boundary`` (``None`` for a removal)."""

    file = forms.FileField(
        label=_("Boundary file"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".geojson,.json,application/geo+json,.kml,"
                "application/vnd.google-earth.kml+xml,.zip,application/zip"
            }
        ),
        help_text=_(
            "GeoJSON, KML, or a shapefile zipped with its .shx and .prj: polygons, up to "
            "1 MB and 20,000 corners."
        ),
    )
    geojson = forms.CharField(
        label=_("Or paste GeoJSON"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "class": "code"}),
    )
    remove = forms.BooleanField(label=_("Remove the boundary"), required=False)

    def __init__(self, *args, near: tuple[float, float] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.near = near

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        upload, pasted = data.get("file"), data.get("geojson")
        if data.get("remove"):
            if upload or pasted:
                raise forms.ValidationError(
                    gettext("Either remove the boundary or send a new one, not both.")
                )
            data["boundary"] = None
            return data
        if upload and pasted:
            raise forms.ValidationError(gettext("Send a file or paste GeoJSON, not both."))
        if not upload and not pasted:
            raise forms.ValidationError(
                gettext("Choose a GeoJSON file, paste GeoJSON or draw the boundary on the map.")
            )
        if upload:
            # Refused on its declared size before a byte is read; read one byte beyond the
            # limit so a file that lied about its size is refused too.
            if upload.size > boundaries.MAX_BYTES:
                raise forms.ValidationError(boundaries.too_large_message())
            text = upload.read(boundaries.MAX_BYTES + 1)
        else:
            text = pasted
        try:
            if upload:
                data["boundary"] = boundary_files.read(text, name=upload.name, near=self.near)
            else:
                data["boundary"] = boundaries.parse(text, near=self.near)
        except boundaries.BoundaryError as error:
            raise forms.ValidationError(str(error), code="boundary") from error
        return data
