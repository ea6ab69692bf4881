"""The reply box's helpers: who to mention (the autocomplete) and how the text will look
(the Markdown preview). Both answer JSON to the box's script; the box works without them.

Neither writes anything. Each is for signed-in members only, checks that the writer may see
the topic or category it is asked about (404 otherwise: existence is private), and is limited
per member and minute (``services.check_rate_limit``; 429 leaves the typed text alone).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST

from forums import selectors, services
from forums.forms import MentionLookupForm, PreviewForm
from forums.mentions import mention_suggestions


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status)
    add_never_cache_headers(response)  # personal: who this writer may mention, their draft
    return response


def _refused(error: Exception) -> JsonResponse:
    messages = error.messages if isinstance(error, ValidationError) else [str(error)]
    status = 429 if services.is_rate_limited(error) else 403
    return _json({"error": " ".join(str(message) for message in messages)}, status=status)


def _suggestions(request: HttpRequest, **where) -> JsonResponse:
    form = MentionLookupForm(request.GET)
    if not form.is_valid():
        return _json({"error": " ".join(form.errors.get("q", []))}, status=400)
    try:
        services.check_rate_limit(user=request.user, bucket="mention_lookup")
    except ValidationError as error:
        return _refused(error)
    members = mention_suggestions(request.user, prefix=form.cleaned_data["q"], **where)
    return _json({"results": [{"username": m.username, "name": m.public_name} for m in members]})


@login_required
@require_GET
def topic_mentions(request: HttpRequest, pk: int) -> JsonResponse:
    """Members who may read this topic, for the reply box's ``@`` autocomplete."""
    topic = selectors.topic_visible_to(request.user, pk)
    if topic is None:
        raise Http404
    return _suggestions(request, topic=topic)


@login_required
@require_GET
def category_mentions(request: HttpRequest, slug: str) -> JsonResponse:
    """Members who would read a new topic in this category, for the new topic's box."""
    category = get_object_or_404(selectors.categories_visible_to(request.user), slug=slug)
    return _suggestions(request, category=category)


@login_required
@require_POST
def preview(request: HttpRequest) -> JsonResponse:
    """The text rendered exactly as a saved post is (``render_markdown`` with its mentions
    linked, through the one sanitiser), for a member who may post."""
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return _json({"error": " ".join(form.errors.get("body", []))}, status=400)
    try:
        services.check_can_write(user=request.user)
        services.check_rate_limit(user=request.user, bucket="preview")
        body = services.clean_body(form.cleaned_data["body"])
    except (PermissionDenied, ValidationError) as error:
        if isinstance(error, ValidationError) and not services.is_rate_limited(error):
            return _json({"error": " ".join(error.messages)}, status=400)
        return _refused(error)
    html, _mentioned = services.render_body(body)
    return _json({"html": str(html)})
