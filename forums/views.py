"""Forum pages. Thin: parse the request, call a selector or a service, render.

Everything works without JavaScript: posting, replying, reacting, flagging and moderating are
plain POST forms. Private categories and hidden topics answer 404 to those who may not see
them, so their existence is not revealed.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.converters import row_id
from config.page_cache import cache_public, declare_cacheable
from forums import moderation, polls, redaction, rendering, selectors, services
from forums.attachments import named_as
from forums.forms import (
    EditForm,
    FlagForm,
    HideForm,
    MoveForm,
    PollForm,
    PollVoteForm,
    ReactionForm,
    RedactForm,
    ReplyForm,
    SuspendForm,
    TopicForm,
    TopicVisibilityForm,
)
from forums.models import Attachment, AttachmentKind, Poll, PostRevision
from forums.rendering import reaction_summary
from network.models import User


def _error_messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error) or _("You cannot do this.")]


def _refusal_status(error: Exception) -> int:
    """403 for a permission, 429 for a rate limit (the member may retry soon), 400 otherwise."""
    if isinstance(error, PermissionDenied):
        return 403
    return 429 if services.is_rate_limited(error) else 400


def _visible_topic_or_404(request: HttpRequest, pk: int):
    topic = selectors.topic_visible_to(request.user, pk)
    if topic is None:
        raise Http404
    return topic


def _visible_post_or_404(request: HttpRequest, pk: int):
    post = selectors.post_visible_to(request.user, pk)
    if post is None:
        raise Http404
    return post


def _require_moderator(request: HttpRequest) -> None:
    if not selectors.is_moderator(request.user):
        raise PermissionDenied


@cache_public("forum.categories", "forum.index", "network.partnerships")
def forum_index(request: HttpRequest) -> HttpResponse:
    categories = list(selectors.category_index(request.user))
    return render(request, "forums/forum_index.html", {"categories": categories})


@cache_public("forum.categories", "network.profiles")
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(selectors.categories_visible_to(request.user), slug=slug)
    declare_cacheable(request, f"forum.category:{category.pk}")  # stored from the 2nd visit
    paginator = Paginator(selectors.topic_list(request.user, category), settings.FORUMS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    watching = (
        request.user.is_authenticated and category.subscriptions.filter(user=request.user).exists()
    )
    return render(
        request,
        "forums/category.html",
        {"category": category, "page": page, "topics": page.object_list, "watching": watching},
    )


@login_required
def topic_create(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(selectors.categories_visible_to(request.user), slug=slug)
    form = TopicForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = form.cleaned_data["attachment"]
            topic = services.topic_create(
                author=request.user,
                category=category,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                tags=form.cleaned_data["tags"],
                attachments=[attachment] if attachment else [],
            )
        except (PermissionDenied, ValidationError) as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            return redirect(topic)
    return render(request, "forums/topic_form.html", {"category": category, "form": form})


@cache_public("forum.topic:{pk}", "forum.categories", "network.profiles")
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_for_page(request.user, pk)
    if topic is None:
        raise Http404
    # The stream position was read with the topic, before the posts: the socket replays
    # anything newer.
    last_event = topic.last_event_id
    paginator = Paginator(selectors.post_list(request.user, topic), settings.FORUMS_PAGE_SIZE)
    requested = request.GET.get("page")
    page = paginator.get_page(paginator.num_pages if requested == "last" else requested)

    def post_items() -> list[dict]:
        """The page's posts, read when the template asks: not at all when the posts' fragment
        comes from its cache (``topic.html``; anonymous visitors only). For everyone else each
        post's shared part comes from its own cache and only the reader's part is rendered."""
        return rendering.post_items(list(page.object_list), request.user, topic)

    initial = {}
    quote_id = request.GET.get("quote", "")
    if quote_id.isdigit():
        quoted = selectors.post_visible_to(request.user, int(quote_id))
        if quoted is not None and quoted.topic_id == topic.pk:
            quoted_lines = "\n".join(f"> {line}" for line in quoted.body_source.splitlines())
            initial = {
                "body": f"> **@{quoted.author.username}** wrote:\n{quoted_lines}\n\n",
                "reply_to": quoted.pk,
            }
    services.topic_mark_read(user=request.user, topic=topic)
    context = {
        "topic": topic,
        "category": topic.category,
        "page": page,
        "post_items": post_items,
        # The posts as an anonymous visitor sees them change with the topic's events (a reply,
        # an edit, a hidden or approved post, a reaction) and their authors' names.
        "posts_fragment_tags": f"forum.topic:{topic.pk} network.profiles",
        "form": ReplyForm(initial=initial),
        "last_event": last_event,
        "is_last_page": page.number == paginator.num_pages,
        "is_moderator": selectors.is_moderator(request.user),
        "watching": topic.watching,
        "poll": polls.poll_results(topic, request.user) if topic.poll_pk else None,
        "may_add_poll": request.user.is_authenticated
        and (topic.author_id == request.user.pk or selectors.is_moderator(request.user)),
        "move_form": MoveForm(categories=selectors.categories_visible_to(request.user))
        if selectors.is_moderator(request.user)
        else None,
        "visibility_form": TopicVisibilityForm(
            initial={
                "visibility": "hidden"
                if topic.hidden
                else "unlisted"
                if topic.unlisted
                else "visible"
            }
        )
        if selectors.is_moderator(request.user)
        else None,
    }
    return render(request, "forums/topic.html", context)


def post_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    """A permanent address for a post: the topic page it is on, at its anchor."""
    post = _visible_post_or_404(request, pk)
    before = (
        selectors.posts_visible_to(request.user, post.topic)
        .filter(created_at__lt=post.created_at)
        .count()
    )
    page = math.floor(before / settings.FORUMS_PAGE_SIZE) + 1
    return redirect(f"{reverse('forums:topic', args=[post.topic_id])}?page={page}#post-{post.pk}")


@login_required
@require_POST
def topic_reply(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _visible_topic_or_404(request, pk)
    form = ReplyForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        # The form says what is wrong (no text, an empty file...) and keeps what was typed.
        return render(
            request, "forums/reply_failed.html", {"topic": topic, "form": form}, status=400
        )
    reply_to = None
    if form.cleaned_data["reply_to"]:
        reply_to = selectors.post_visible_to(request.user, form.cleaned_data["reply_to"])
    try:
        attachment = form.cleaned_data["attachment"]
        post = services.post_create(
            author=request.user,
            topic=topic,
            body=form.cleaned_data["body"],
            reply_to=reply_to,
            attachments=[attachment] if attachment else [],
        )
    except (PermissionDenied, ValidationError) as error:
        for message in _error_messages(error):
            messages.error(request, message)
        return render(
            request,
            "forums/reply_failed.html",
            {"topic": topic, "form": form},
            status=_refusal_status(error),
        )
    return post_redirect(request, post.pk)


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _visible_post_or_404(request, pk)
    if not services.can_edit(user=request.user, post=post):
        raise PermissionDenied
    form = EditForm(request.POST or None, initial={"body": post.body_source})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(editor=request.user, post=post, body=form.cleaned_data["body"])
        except (PermissionDenied, ValidationError) as error:
            # The form is shown again with the member's text in it: nothing typed is lost.
            for message in _error_messages(error):
                form.add_error(None, message)
            status = _refusal_status(error)
        else:
            messages.success(request, _("Your changes are saved."))
            return post_redirect(request, post.pk)
    return render(request, "forums/post_edit.html", {"post": post, "form": form}, status=status)


def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Earlier versions of a post, for its author and the moderators (404 to everyone else)."""
    post = _visible_post_or_404(request, pk)
    if not redaction.history_visible_to(request.user, post):
        raise Http404
    return render(
        request,
        "forums/post_history.html",
        {
            "post": post,
            "revisions": post.revisions.select_related("editor")[:50],
            "is_moderator": selectors.is_moderator(request.user),
        },
    )


@login_required
@require_POST
def revision_redact(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_object_or_404(PostRevision, pk=pk)
    post = _visible_post_or_404(request, revision.post_id)
    form = RedactForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    redaction.revision_redact(moderator=request.user, revision=revision, reason=reason)
    messages.success(request, _("That earlier version is redacted."))
    return redirect("forums:post_history", post.pk)


def _wants_json(request: HttpRequest) -> bool:
    """The page's script asked (``fetch`` with ``Accept: application/json``): answer with data
    it updates in place, instead of a redirect that would reload the page."""
    return request.headers.get("Accept", "").startswith("application/json")


@login_required
@require_POST
def post_react(request: HttpRequest, pk: int) -> HttpResponse:
    post = _visible_post_or_404(request, pk)
    form = ReactionForm(request.POST)
    if _wants_json(request):
        return _react_json(request, post, form)
    if form.is_valid():
        try:
            services.reaction_toggle(user=request.user, post=post, kind=form.cleaned_data["kind"])
        except (PermissionDenied, ValidationError) as error:
            if services.is_rate_limited(error):
                return render(
                    request,
                    "forums/slow_down.html",
                    {
                        "refusals": _error_messages(error),
                        "back": reverse("forums:post", args=[post.pk]),
                    },
                    status=429,
                )
            for message in _error_messages(error):
                messages.error(request, message)
    return post_redirect(request, post.pk)


def _react_json(request: HttpRequest, post, form: ReactionForm) -> JsonResponse:
    """The toggle for the page's script: each kind's new count and whether it is the
    viewer's, or the refusal's message (429 for the rate limit), so nothing on the page (a
    half-written reply) is lost to a reload."""
    if not form.is_valid():
        return JsonResponse({"error": _("Unknown reaction.")}, status=400)
    try:
        services.reaction_toggle(user=request.user, post=post, kind=form.cleaned_data["kind"])
    except (PermissionDenied, ValidationError) as error:
        return JsonResponse(
            {"error": " ".join(_error_messages(error))}, status=_refusal_status(error)
        )
    prefetch_related_objects([post], "reactions")  # the counts after the toggle, one query
    reactions = [
        {"kind": reaction["kind"], "count": reaction["count"], "mine": reaction["mine"]}
        for reaction in reaction_summary(post, request.user)
    ]
    return JsonResponse({"post": post.pk, "reactions": reactions})


@login_required
def post_flag(request: HttpRequest, pk: int) -> HttpResponse:
    post = _visible_post_or_404(request, pk)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_flag(reporter=request.user, post=post, reason=form.cleaned_data["reason"])
        except (PermissionDenied, ValidationError) as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("Thank you. The moderators will look at this post."))
            return post_redirect(request, post.pk)
    return render(request, "forums/post_flag.html", {"post": post, "form": form})


@login_required
def post_hide(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask why, then hide: the author is told the reason in their language."""
    return _post_with_reason(request, pk, action="hide")


@login_required
def post_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask why, then keep a new member's post out: the author is told the reason."""
    return _post_with_reason(request, pk, action="reject")


def _post_with_reason(request: HttpRequest, pk: int, *, action: str) -> HttpResponse:
    _require_moderator(request)
    post = _visible_post_or_404(request, pk)
    form = HideForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            reason, kind = form.cleaned_data["reason"], form.cleaned_data["reason_kind"]
            try:
                if action == "reject":
                    moderation.post_reject(
                        moderator=request.user, post=post, reason_kind=kind, reason=reason
                    )
                else:
                    services.post_hide(
                        moderator=request.user, post=post, reason=reason, reason_kind=kind
                    )
            except (PermissionDenied, ValidationError) as error:
                for message in _error_messages(error):
                    form.add_error(None, message)
                status = _refusal_status(error)
            else:
                if action == "reject":
                    messages.success(request, _("The post is not approved; its author is told."))
                    return redirect("forums:moderation")
                messages.success(request, _("The post is hidden; its author is told why."))
                return post_redirect(request, post.pk)
    return render(
        request,
        "forums/post_hide.html",
        {"post": post, "form": form, "action": action},
        status=status,
    )


@login_required
@require_POST
def post_moderate(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Put a hidden post back, or approve a new member's post."""
    _require_moderator(request)
    post = _visible_post_or_404(request, pk)
    try:
        if action == "approve":
            moderation.post_approve(moderator=request.user, post=post)
        else:
            services.post_restore(moderator=request.user, post=post)
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
        return redirect("forums:moderation")
    if action == "approve":
        messages.success(request, _("The post is approved and published."))
        return redirect("forums:moderation")
    messages.success(request, _("The post is visible again."))
    return post_redirect(request, post.pk)


@login_required
@require_POST
def topic_moderate(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require_moderator(request)
    topic = _visible_topic_or_404(request, pk)
    if action in {"lock", "unlock"}:
        services.topic_lock(moderator=request.user, topic=topic, locked=action == "lock")
    elif action in {"pin", "unpin"}:
        services.topic_pin(moderator=request.user, topic=topic, pinned=action == "pin")
    elif action == "move":
        form = MoveForm(request.POST, categories=selectors.categories_visible_to(request.user))
        if form.is_valid():
            services.topic_move(
                moderator=request.user, topic=topic, category=form.cleaned_data["category"]
            )
            messages.success(request, _("The topic has been moved."))
    elif action == "visibility":
        form = TopicVisibilityForm(request.POST)
        if not form.is_valid():
            raise BadRequest(_("Choose how the topic is shown."))
        try:
            moderation.topic_set_visibility(
                moderator=request.user,
                topic=topic,
                visibility=form.cleaned_data["visibility"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for message in _error_messages(error):
                messages.error(request, message)
        else:
            messages.success(request, _("Who sees the topic is changed."))
    return redirect(topic)


@login_required
@require_POST
def topic_subscribe(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _visible_topic_or_404(request, pk)
    watching = services.subscription_toggle(user=request.user, topic=topic)
    messages.success(
        request,
        _("You are watching this topic.") if watching else _("You stopped watching this topic."),
    )
    return redirect(topic)


@login_required
@require_POST
def category_subscribe(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(selectors.categories_visible_to(request.user), slug=slug)
    watching = services.subscription_toggle(user=request.user, category=category)
    messages.success(
        request,
        _("You are watching this category.")
        if watching
        else _("You stopped watching this category."),
    )
    return redirect(category)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        messages.success(request, _("All notifications are marked as read."))
        return redirect("forums:notifications")
    paginator = Paginator(selectors.notifications_for(request.user), settings.FORUMS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request, "forums/notifications.html", {"page": page, "notifications": page.object_list}
    )


def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand out an attachment as the type its bytes were found to be: the name carries that
    type's extension (rows saved before names did too), only pictures show inline, and the
    browser is told not to guess another type."""
    attachment = get_object_or_404(Attachment.objects.select_related("post"), pk=pk)
    _visible_post_or_404(request, attachment.post_id)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=attachment.kind != AttachmentKind.IMAGE,
        filename=named_as(attachment.original_name, attachment.extension),
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    if request.method == "POST":
        flag_id = row_id(request.POST.get("flag", ""))
        if flag_id is None:
            raise BadRequest(_("Choose a flag from the queue."))
        flag = get_object_or_404(selectors.open_flags(request.user), pk=flag_id)
        services.flag_resolve(moderator=request.user, flag=flag)
        messages.success(request, _("The flag is resolved."))
        return redirect("forums:moderation")
    paginator = Paginator(selectors.open_flags(request.user), settings.FORUMS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    # The oldest waiting posts first; the page says when there are more than it shows.
    waiting = list(selectors.posts_awaiting_approval(request.user)[: settings.FORUMS_PAGE_SIZE])
    return render(
        request,
        "forums/moderation_queue.html",
        {
            "page": page,
            "flags": page.object_list,
            "report_count": paginator.count,
            "waiting": waiting,
            "reject_form": HideForm(),
        },
    )


@login_required
def moderation_log(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    paginator = Paginator(selectors.moderation_log_for(request.user), settings.FORUMS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request, "forums/moderation_log.html", {"page": page, "entries": page.object_list}
    )


@login_required
def user_suspend(request: HttpRequest, username: str) -> HttpResponse:
    _require_moderator(request)
    member = get_object_or_404(User, username=username)
    form = SuspendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_suspend(
                moderator=request.user,
                user=member,
                days=form.cleaned_data["days"],
                reason=form.cleaned_data["reason"],
            )
        except (PermissionDenied, ValidationError) as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("%(name)s is suspended.") % {"name": member.public_name})
            return redirect("forums:moderation_log")
    return render(request, "forums/user_suspend.html", {"member": member, "form": form})


@login_required
def poll_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the topic's poll (its author or a moderator)."""
    topic = _visible_topic_or_404(request, pk)
    if topic.author_id != request.user.pk and not selectors.is_moderator(request.user):
        raise PermissionDenied
    form = PollForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                polls.poll_create(
                    user=request.user,
                    topic=topic,
                    question=form.cleaned_data["question"],
                    choices=form.cleaned_data["choices"],
                )
            except (PermissionDenied, ValidationError) as error:
                for message in _error_messages(error):
                    form.add_error(None, message)
                status = _refusal_status(error)
            else:
                messages.success(request, _("The poll is open."))
                return redirect(topic)
    return render(request, "forums/poll_form.html", {"topic": topic, "form": form}, status=status)


@login_required
@require_POST
def poll_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Vote, or change one's vote; the topic's live readers see the new counts."""
    poll = get_object_or_404(Poll.objects.select_related("topic"), pk=pk)
    topic = _visible_topic_or_404(request, poll.topic_id)
    form = PollVoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the poll's answers."))
        return redirect(topic)
    try:
        polls.poll_vote(user=request.user, poll=poll, choice_id=form.cleaned_data["choice"])
    except (PermissionDenied, ValidationError) as error:
        for message in _error_messages(error):
            messages.error(request, message)
        if services.is_rate_limited(error):
            return render(
                request,
                "forums/slow_down.html",
                {"refusals": _error_messages(error), "back": topic.get_absolute_url()},
                status=429,
            )
    else:
        messages.success(request, _("Your vote is counted."))
    return redirect(f"{topic.get_absolute_url()}#poll")
