"""The permission matrix's vocabulary: visitors, outcome shorthands, probes and rules (the
rules themselves are in ``security_matrix`` and the modules it gathers)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

VISITORS = ("anonymous", "learner", "outsider", "other_trainer", "moderator", "partner", "staff")
#: Probed where a probe says (``also``): an editor (the Editors role with ``is_staff``, which
#: names no course and no forum role) and the course's own trainer.
EXTRA_VISITORS = ("editor", "course_trainer")

ALL_200 = "200 200 200 200 200 200 200"
MEMBERS_200 = "login 200 200 200 200 200 200"
MEMBERS_302 = "login 302 302 302 302 302 302"
PRIVATE_200 = "404 404 404 404 404 200 200"
PRIVATE_MEMBERS_200 = "login 404 404 404 404 200 200"
PRIVATE_MEMBERS_302 = "login 404 404 404 404 302 302"
MODERATORS_302 = "login 403 403 403 302 403 302"
MODERATORS_200 = "login 403 403 403 200 403 200"
HOSTS_302 = MODERATORS_302


@dataclass(frozen=True)
class Probe:
    """One request: ``url`` builds the address from the world."""

    method: str
    url: Callable
    expect: str
    data: Callable | dict = field(default_factory=dict)
    #: ``EXTRA_VISITORS``' outcomes, in that order ("": not probed).
    also: str = ""
    #: Text from the world that no visitor's response may hold (a lesson's title in an API
    #: listing: a 200 alone does not say what was listed).
    hidden: Callable | None = None

    def outcomes(self) -> dict[str, str]:
        tokens = self.expect.split()
        assert len(tokens) == len(VISITORS), self.expect
        outcomes = dict(zip(VISITORS, tokens, strict=True))
        if self.also:
            outcomes.update(zip(EXTRA_VISITORS, self.also.split(), strict=True))
        return outcomes


@dataclass(frozen=True)
class Rule:
    """``names`` claims named patterns; ``prefix`` claims every pattern whose route starts with
    it (used for the admin subtrees, whose hundreds of views share one access check)."""

    title: str
    probes: tuple[Probe, ...]
    names: tuple[str, ...] = ()
    prefix: str = ""


def url(name: str, *args_from: str | Callable) -> Callable:
    """``url("forums:topic", "topic.pk")``: reverse with arguments read from the world."""

    def build(world) -> str:
        args = []
        for source in args_from:
            if callable(source):
                args.append(source(world))
                continue
            value = world
            for part in source.split("."):
                value = getattr(value, part)
            args.append(value)
        return reverse(name, args=args)

    return build


def get(address, expect: str, *, also: str = "", hidden: Callable | None = None) -> Probe:
    return Probe(
        "GET",
        address if callable(address) else (lambda world, a=address: a),
        expect,
        also=also,
        hidden=hidden,
    )


def post(address, expect: str, data: Callable | dict | None = None, *, also: str = "") -> Probe:
    return Probe(
        "POST",
        address if callable(address) else (lambda world, a=address: a),
        expect,
        data or {},
        also=also,
    )


def page(attribute: str, suffix: str = "") -> Callable:
    return lambda world: getattr(world, attribute).url + suffix
