"""The published documents (DID document, status lists) and the learner's downloads.

What a verifier fetches is never kept by a shared cache: the answers say ``no-cache`` (the
page cache stores only HTML, and nginx only what the app gives a lifetime), and the status
list is rebuilt whenever one of its bits changed, so a revocation is visible at the next
request. The learner's files are theirs alone: signed in, and only their own certificate.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from courses.models import Certificate
from credentials import pdf, selectors, services


def _json(document: dict, content_type: str, *, private: bool = False) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type=content_type
    )
    # Revalidate every time: a key added by rotation, a bit set by revocation, is served at once.
    if private:
        patch_cache_control(response, private=True, no_cache=True, max_age=0)
    else:
        patch_cache_control(response, no_cache=True, max_age=0)
        # Wallets and verifiers in a browser read these from other origins.
        response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def did_document(request: HttpRequest) -> HttpResponse:
    """``/.well-known/did.json``: the ``did:web`` document of ``SITE_URL``'s host."""
    return _json(selectors.did_document(), "application/did+json")


@require_GET
def status_list(request: HttpRequest, number: int) -> HttpResponse:
    """A signed Bitstring Status List credential (revocation), at a stable address."""
    if not selectors.status_list_exists(number):
        raise Http404(_("No such status list."))
    return _json(selectors.status_list_document(number), "application/vc")


def _own_certificate(request: HttpRequest, public_id: str) -> Certificate:
    certificate = (
        Certificate.objects.filter(public_id=public_id, user=request.user)
        .select_related("user")
        .first()
    )
    if certificate is None:  # someone else's is as absent as a wrong number
        raise Http404(_("No certificate has this number."))
    return certificate


@login_required
@require_GET
def credential_download(request: HttpRequest, public_id: str) -> HttpResponse:
    """The learner's Open Badges 3.0 credential, to keep or add to a wallet."""
    certificate = _own_certificate(request, public_id)
    document = services.credential_for(certificate=certificate)
    response = _json(document, "application/vc", private=True)
    name = slugify(certificate.course_title)[:60] or "certificate"
    response["Content-Disposition"] = f'attachment; filename="{name}-open-badge.json"'
    return response


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    """The printable certificate in the page's language; ``?paper=a4`` or ``letter``."""
    certificate = _own_certificate(request, public_id)
    paper = pdf.paper_for(
        requested=request.GET.get("paper", ""),
        accept_language=request.headers.get("Accept-Language", ""),
    )
    facts = pdf.CertificateFacts(
        site_name=settings.WAGTAIL_SITE_NAME,
        learner_name=certificate.learner_name,
        course_title=certificate.course_title,
        issued_at=certificate.issued_at,
        public_id=certificate.public_id,
        verify_url=settings.SITE_URL + reverse("courses:certificate", args=[certificate.public_id]),
        revoked_at=certificate.revoked_at,
    )
    response = HttpResponse(
        pdf.render(facts, language=get_language(), paper=paper), content_type="application/pdf"
    )
    name = slugify(certificate.course_title)[:60] or "certificate"
    response["Content-Disposition"] = f'inline; filename="{name}-{paper}.pdf"'
    patch_cache_control(response, private=True, no_cache=True, max_age=0)
    return response
