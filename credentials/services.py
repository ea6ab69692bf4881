"""Every write of the credentials app: signing keys, status-list entries, signed credentials.

A certificate gets its status-list bit inside the transaction that issues it (cheap: one
insert). Its credential is signed on first request and stored: signing canonicalises the
document (tens of milliseconds), which has no place in the learner's completion transaction,
and a stored document keeps the key that signed it, so rotation never changes it.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.page_cache import bump
from courses.models import Certificate, CompletionRule, CoursePage
from credentials import documents, keys, proofs, status_list
from credentials.models import CertificateCredential, KeySource, SigningKey

#: A list is filled to half its size, then a new one begins: random indexes stay cheap to draw.
_LIST_FILL = status_list.LIST_SIZE // 2


class CredentialError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def status_tag(list_number: int) -> str:
    """The page-cache tag of one status list (``config.page_cache``): bumped by every change
    of one of its bits."""
    return f"credentials.status:{list_number}"


def status_list_url(list_number: int) -> str:
    return settings.SITE_URL + reverse("credentials_public:status_list", args=[list_number])


# --- Keys ----------------------------------------------------------------------------------


def signing_key() -> tuple[SigningKey, Ed25519PrivateKey]:
    """The active key and its private half: the environment's, else the stored one, else a
    new one generated and stored encrypted (the embedded default's first credential)."""
    from_environment = keys.environment_key()
    if from_environment is not None:
        return _install(from_environment, source=KeySource.ENVIRONMENT), from_environment
    active = SigningKey.objects.filter(active=True).first()
    if active is not None and active.source == KeySource.DATABASE:
        private = keys.decrypt(active.encrypted_private_key)
        if private is not None:
            return active, private
    # None yet, the environment's key was withdrawn, or SECRET_KEY changed and the stored key
    # is unreadable: a new key, and the old one stays published for what it signed.
    generated = Ed25519PrivateKey.generate()
    return _install(generated, source=KeySource.DATABASE), generated


def signing_key_rotate() -> SigningKey:
    """Retire the active key and sign with a new one from now on (``credentials_key rotate``)."""
    if keys.environment_key() is not None:
        raise CredentialError(
            _("The signing key comes from CREDENTIALS_SIGNING_KEY: set a new value there.")
        )
    return _install(Ed25519PrivateKey.generate(), source=KeySource.DATABASE)


def _install(private: Ed25519PrivateKey, *, source: str) -> SigningKey:
    public = keys.public_multikey(private)
    active = SigningKey.objects.filter(active=True).first()
    if active is not None and active.public_key_multibase == public:
        return active
    try:
        with transaction.atomic():
            return _make_active(private, public=public, source=source)
    except IntegrityError:
        # Another process installed a key at the same moment: use the one that won.
        found = SigningKey.objects.filter(active=True, public_key_multibase=public).first()
        if found is None:
            raise
        return found


def _make_active(private: Ed25519PrivateKey, *, public: str, source: str) -> SigningKey:
    now = timezone.now()
    # A retired key signs nothing more: its private half is dropped with it.
    SigningKey.objects.filter(active=True).update(
        active=None, retired_at=now, encrypted_private_key=None
    )
    existing = SigningKey.objects.filter(public_key_multibase=public).first()
    encrypted = keys.encrypt(private) if source == KeySource.DATABASE else None
    if existing is not None:  # an environment key that comes back after another one
        existing.active, existing.retired_at = True, None
        existing.source, existing.encrypted_private_key = source, encrypted
        existing.save(update_fields=["active", "retired_at", "source", "encrypted_private_key"])
        return existing
    return SigningKey.objects.create(
        key_id=keys.key_id(private.public_key()),
        public_key_multibase=public,
        encrypted_private_key=encrypted,
        source=source,
        created_at=now,
    )


# --- Status list entries -------------------------------------------------------------------


def status_entry_allocate(*, certificate: Certificate) -> CertificateCredential:
    """The certificate's bit: drawn at random in the current list, once."""
    existing = CertificateCredential.objects.filter(certificate=certificate).first()
    if existing is not None:
        return existing
    current = CertificateCredential.objects.aggregate(last=Max("status_list"))["last"] or 1
    if CertificateCredential.objects.filter(status_list=current).count() >= _LIST_FILL:
        current += 1
    for _attempt in range(32):
        try:
            with transaction.atomic():
                entry = CertificateCredential.objects.create(
                    certificate=certificate,
                    status_list=current,
                    status_index=secrets.randbelow(status_list.LIST_SIZE),
                )
        except IntegrityError:
            existing = CertificateCredential.objects.filter(certificate=certificate).first()
            if existing is not None:  # allocated by a concurrent request
                return existing
            continue  # that bit was taken: draw again
        # A certificate revoked before it had a bit (issued before this app): its list, as
        # built until now, lacks it. Read from the row: the caller's copy may be older.
        if Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=False).exists():
            bump(status_tag(entry.status_list))
        return entry
    raise CredentialError(_("No free place in the status list."))


# --- Credentials ---------------------------------------------------------------------------


def credential_for(*, certificate: Certificate) -> dict:
    """The certificate's signed Open Badges credential, signed now if it never was."""
    entry = status_entry_allocate(certificate=certificate)
    if entry.document is not None:
        return entry.document
    with transaction.atomic():
        entry = CertificateCredential.objects.select_for_update().get(pk=entry.pk)
        if entry.document is None:
            key, private = signing_key()
            now = timezone.now()
            entry.document = proofs.add_proof(
                unsigned_credential(certificate=certificate, entry=entry),
                private_key=private,
                verification_method=keys.verification_method(key.key_id),
                created=now,
            )
            entry.signing_key, entry.signed_at = key, now
            entry.save(update_fields=["document", "signing_key", "signed_at"])
    return entry.document


def _source_course(course_key: uuid.UUID) -> CoursePage | None:
    """The course in the site's language (the one the certificate's title was taken from)."""
    courses = CoursePage.objects.filter(translation_key=course_key).select_related("locale")
    return courses.filter(locale__language_code=settings.LANGUAGE_CODE).first() or courses.first()


def criteria_narrative(*, course: CoursePage | None, title: str) -> str:
    if course is not None and course.completion_rule == CompletionRule.QUIZZES:
        rule = _("Passed every quiz of the course “%(course)s”.") % {"course": title}
    else:
        rule = _("Completed every lesson and passed every quiz of the course “%(course)s”.") % {
            "course": title
        }
    if course is not None and course.estimated_hours:
        rule += " " + ngettext(
            "About %(hours)d hour of study.",
            "About %(hours)d hours of study.",
            course.estimated_hours,
        ) % {"hours": course.estimated_hours}
    return rule


def unsigned_credential(*, certificate: Certificate, entry: CertificateCredential) -> dict:
    course = _source_course(certificate.course_key)
    course_url = settings.SITE_URL + "/"
    if course is not None:
        course_url = settings.SITE_URL + course.get_url_parts()[2]
    salt = secrets.token_hex(16)
    email = certificate.user.email.strip().lower()
    with translation.override(settings.LANGUAGE_CODE):
        narrative = criteria_narrative(course=course, title=certificate.course_title)
    return documents.open_badge_credential(
        credential_id=uuid.uuid4(),
        issuer=documents.Issuer(
            did=keys.site_did(), name=settings.WAGTAIL_SITE_NAME, url=settings.SITE_URL + "/"
        ),
        achievement=documents.Achievement(
            course_key=certificate.course_key,
            name=certificate.course_title,
            description=course.summary if course is not None else "",
            criteria_narrative=narrative,
            course_url=course_url,
            language=course.locale.language_code if course is not None else settings.LANGUAGE_CODE,
        ),
        subject=documents.Subject(
            name=certificate.learner_name,
            email_hash="sha256$" + hashlib.sha256((email + salt).encode()).hexdigest(),
            salt=salt,
        ),
        valid_from=certificate.issued_at,
        status=documents.StatusEntry(
            list_url=status_list_url(entry.status_list), index=entry.status_index
        ),
    )
