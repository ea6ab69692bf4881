"""Live dialogue pages: the list of sessions and the room. Without JavaScript the room is a
page of forms (chat, ask, vote, host controls) that reloads; with it, ``dialogue.js`` sends
the same actions over the room's socket and the room updates live."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums import selectors, services
from forums.dialogues import services as dialogue_services
from forums.forms import DialogueForm
from forums.models import DialogueEvent, DialogueStatus


def dialogue_list(request: HttpRequest) -> HttpResponse:
    upcoming = list(selectors.dialogues_upcoming(request.user)[:50])
    paginator = Paginator(selectors.dialogues_past(request.user), settings.FORUMS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "forums/dialogue_list.html",
        {
            "upcoming": upcoming,
            "page": page,
            "past": page.object_list,
            "may_host": selectors.may_host_dialogues(request.user),
        },
    )


@login_required
def dialogue_create(request: HttpRequest) -> HttpResponse:
    """Trainers and moderators schedule a session (the service checks the role)."""
    form = DialogueForm(
        request.POST or None, categories=selectors.categories_visible_to(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = dialogue_services.dialogue_create(host=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The session is scheduled."))
            return redirect(session)
    elif not selectors.may_host_dialogues(request.user):
        raise PermissionDenied
    return render(request, "forums/dialogue_form.html", {"form": form})


def _session_or_404(request: HttpRequest, pk: int):
    session = selectors.dialogue_visible_to(request.user, pk)
    if session is None:
        raise Http404
    return session


def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    last_event = (
        DialogueEvent.objects.filter(session=session)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
        or 0
    )
    removed = selectors.is_removed_from(request.user, session)
    context = {
        "session": session,
        "last_event": last_event,
        "chat": session.messages.filter(removed=False).select_related("author")[:500],
        "questions": session.questions.filter(removed=False).select_related("author"),
        "is_host": selectors.is_dialogue_host(request.user, session),
        "can_take_part": request.user.is_authenticated
        and session.status == DialogueStatus.LIVE
        and not removed,
        "removed": removed,
        "following": request.user.is_authenticated
        and session.follows.filter(user=request.user).exists(),
    }
    context["lesson"] = (
        type(session)
        ._meta.get_field("lesson")
        .related_model.objects.live()
        .public()
        .filter(pk=session.lesson_id)
        .first()
        if session.lesson_id
        else None
    )
    return render(request, "forums/dialogue_room.html", context)


@login_required
@require_POST
def dialogue_action(
    request: HttpRequest, pk: int, action: str, target: int | None = None
) -> HttpResponse:
    session = _session_or_404(request, pk)
    body = request.POST.get("body", "")
    try:
        if action in dialogue_services.ROOM_ACTIONS:
            dialogue_services.dialogue_room_act(
                user=request.user, session=session, action=action, body=body, target=target
            )
        elif action == "start":
            dialogue_services.dialogue_start(host=request.user, session=session)
        elif action == "end":
            topic = dialogue_services.dialogue_end(host=request.user, session=session)
            messages.success(request, _("The session has ended; its transcript is archived."))
            return redirect(topic)
    except dialogue_services.DialogueTargetMissing as missing:
        raise Http404 from missing
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You cannot do this."))
        return render(request, "forums/dialogue_refused.html", {"session": session}, status=403)
    except ValidationError as error:
        if services.is_rate_limited(error):
            # 429, with what the member typed in a form to send again: nothing is lost.
            return render(
                request,
                "forums/slow_down.html",
                {
                    "refusals": error.messages,
                    "retry_url": request.path if action in {"chat", "ask"} else "",
                    "body": body,
                    "back": session.get_absolute_url(),
                },
                status=429,
            )
        for message in error.messages:
            messages.error(request, message)
    return redirect(session)


@login_required
@require_POST
def dialogue_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Be reminded by mail before the session starts (``follow=1``), or no longer (``0``)."""
    session = _session_or_404(request, pk)
    try:
        following = dialogue_services.dialogue_follow(
            user=request.user, session=session, follow=request.POST.get("follow") == "1"
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("You will get a reminder by mail before it starts.")
            if following
            else _("You will not be reminded of this session."),
        )
    return redirect(session)
