"""Demo forums: public categories with real-sounding discussions among the demo people, one
partnership-private space, one past live dialogue with its transcript and one upcoming session.

Idempotent: categories are keyed by slug, topics by title, sessions by title; nothing is
created twice. Everything is written through the services, as a member would.
"""

from __future__ import annotations

from datetime import timedelta

from django.test.utils import override_settings
from django.utils import timezone

from forums import services, trust
from forums.dialogues import services as dialogue_services
from forums.models import Category, DialogueSession, Topic
from network.models import LandscapePartnership, User
from network.selectors import partnership_ids_for
from network.services import partnership_membership_add

PRIVATE_PARTNERSHIP_SLUG = "kijabe-highlands-partnership"

CATEGORIES = [
    (
        "restoration-practice",
        "Restoration practice",
        "Field methods: agroforestry, soil and water conservation, assisted natural regeneration.",
    ),
    (
        "finance-and-markets",
        "Finance and markets",
        "Blended finance, payments for ecosystem services, value chains that reward stewardship.",
    ),
    (
        "governance-and-partnerships",
        "Governance and partnerships",
        "How multi-stakeholder platforms decide, share power and keep going after the project ends.",
    ),
]

# category slug, title, tags, [(author username, Markdown body), ...]
DISCUSSIONS = [
    (
        "restoration-practice",
        "Grevillea or native species on steep terraces?",
        ["agroforestry", "soil-erosion"],
        [
            (
                "learner",
                "Our farmers' group is terracing slopes above 30% on the Kijabe escarpment. "
                "Most people plant *Grevillea robusta* on the risers because seedlings are cheap, "
                "but the county forester suggests native species like *Croton megalocarpus*.\n\n"
                "Has anyone compared survival and erosion control after 3+ years?",
            ),
            (
                "trainer",
                "In the Andes we saw the same trade-off. Two things that helped:\n\n"
                "1. Mix them: fast Grevillea for early cover, natives in between for the long run.\n"
                "2. Measure soil loss with simple erosion pins before and after; it convinces "
                "farmers more than any report.\n\n"
                "There is a good field guide in the library: search for *erosion pins*.",
            ),
            (
                "moderator",
                "@learner it would help others if you shared your survival counts here once you "
                "have them, even rough ones. Pinning this topic for the planting season.",
            ),
            (
                "learner",
                "Thanks both! We will try the mix on two plots and report back after the long rains.",
            ),
        ],
    ),
    (
        "finance-and-markets",
        "Who pays for watershed protection downstream?",
        ["water-funds", "pes"],
        [
            (
                "editor",
                "Water utilities benefit when upstream farmers keep soil on their land. In your "
                "landscapes, has a utility or a brewery ever paid for that directly? How was the "
                "payment tied to results?",
            ),
            (
                "moderator",
                "In Borneo the district water company pays a small fee per connection into a "
                "fund managed by the watershed forum. Payments go to villages that keep riparian "
                "strips intact, checked twice a year by a joint team.",
            ),
            (
                "trainer",
                "The hard part in Peru was trust: the first year we paid in advance, on a simple "
                "agreement, and verified afterwards. Waiting for perfect monitoring would have "
                "killed the scheme.",
            ),
        ],
    ),
    (
        "governance-and-partnerships",
        "Keeping the platform alive after donor funding ends",
        ["governance", "sustainability"],
        [
            (
                "trainer",
                "Many landscape platforms fade when the project coordinator's contract ends. "
                "What has kept yours meeting? Membership fees, a county budget line, rotating hosts?",
            ),
            (
                "learner",
                "Rotating hosts works for us: each member organisation hosts one meeting a year "
                "and pays for tea and transport. It is small, but it means everybody owns it.",
            ),
        ],
    ),
]

PRIVATE_DISCUSSION = (
    "Nursery budget for the 2027 planting season",
    ["budget"],
    [
        (
            "moderator",
            "Draft numbers for the shared tree nursery are in. We need to agree on the split "
            "between the county and the water users' association before the next meeting.",
        ),
        (
            "learner",
            "The farmers' group can contribute labour for potting and watering, roughly 40 "
            "person-days a month. Can we count that as co-finance?",
        ),
    ],
)


def _people() -> dict[str, User]:
    """The demo's people, established members: their posts go out at once (``forums.trust``)."""
    people = {
        user.username: user
        for user in User.objects.filter(
            username__in=["learner", "trainer", "moderator", "editor", "admin"]
        )
    }
    for user in people.values():
        trust.member_trust_grant(user=user)
    return people


def _discussion(category: Category, title: str, tags: list[str], posts, people) -> bool:
    if Topic.objects.filter(category=category, title=title).exists():
        return False
    (first_author, first_body), *replies = posts
    topic = services.topic_create(
        author=people[first_author], category=category, title=title, body=first_body, tags=tags
    )
    for author, body in replies:
        services.post_create(author=people[author], topic=topic, body=body)
    return True


def seed(out) -> None:
    people = _people()
    missing = {"learner", "trainer", "moderator", "editor"} - set(people)
    if missing:
        out.write(f"Forums demo skipped: demo users missing ({', '.join(sorted(missing))}).")
        return
    created = 0
    with override_settings(FORUMS_POSTS_PER_MINUTE=10_000, FORUMS_CHAT_MESSAGES_PER_MINUTE=10_000):
        for position, (slug, name, description) in enumerate(CATEGORIES):
            Category.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "description": description, "position": position * 10},
            )
        for slug, title, tags, posts in DISCUSSIONS:
            created += _discussion(Category.objects.get(slug=slug), title, tags, posts, people)
        pinned = Topic.objects.filter(title=DISCUSSIONS[0][1]).first()
        if pinned is not None and not pinned.pinned:
            services.topic_pin(moderator=people["moderator"], topic=pinned, pinned=True)

        partnership, _created = LandscapePartnership.objects.get_or_create(
            slug=PRIVATE_PARTNERSHIP_SLUG,
            defaults={
                "name": "Kijabe Highlands Partnership",
                "country": "KE",
                "region": "africa",
                "latitude": -0.93,
                "longitude": 36.57,
                "description": "Farmers, the county, a water users' association and a hospital "
                "restoring the Kijabe escarpment forest and its springs.",
            },
        )
        for username in ("learner", "moderator"):
            # Only when missing: a re-run must not save (and announce) memberships again.
            if partnership.pk not in partnership_ids_for(people[username]):
                partnership_membership_add(partnership=partnership, user=people[username])
        private, _created = Category.objects.get_or_create(
            slug="kijabe-highlands-partners",
            defaults={
                "name": "Kijabe Highlands partners' room",
                "description": "Private to the members of the Kijabe Highlands Partnership.",
                "partnership": partnership,
                "position": 50,
            },
        )
        title, tags, posts = PRIVATE_DISCUSSION
        created += _discussion(private, title, tags, posts, people)
        created += _seed_dialogues(people)
    out.write(
        f"Forums: {Category.objects.count()} categories, {created} new discussions or sessions."
    )


def _seed_dialogues(people: dict[str, User]) -> int:
    created = 0
    host = people["trainer"]
    now = timezone.now()
    past_title = "Paying farmers for water: lessons from three water funds"
    if not DialogueSession.objects.filter(title=past_title).exists():
        session = dialogue_services.dialogue_create(
            host=host,
            title=past_title,
            description="An hour with practitioners from Kenya, Peru and Indonesia.",
            starts_at=now - timedelta(days=7),
            ends_at=now - timedelta(days=7) + timedelta(hours=1),
        )
        session = dialogue_services.dialogue_start(host=host, session=session)
        for author, body in [
            ("trainer", "Welcome everyone! We start with ten minutes from each landscape."),
            ("learner", "Greetings from Kijabe, we have about 20 farmers listening in the hall."),
            ("moderator", "Hello from Kalimantan. Sharing our fee-per-connection model shortly."),
        ]:
            dialogue_services.dialogue_message_post(
                author=people[author], session=session, body=body
            )
        question = dialogue_services.dialogue_question_ask(
            author=people["learner"],
            session=session,
            body="How do you keep payments going when the utility changes management?",
        )
        dialogue_services.dialogue_question_vote(user=people["editor"], question=question)
        dialogue_services.dialogue_question_answer(host=host, question=question)
        dialogue_services.dialogue_question_ask(
            author=people["editor"],
            session=session,
            body="Could a fund pay for land tenure support rather than only for trees?",
        )
        dialogue_services.dialogue_end(host=host, session=session)
        created += 1
    upcoming_title = "Ask the nursery managers: seedlings for dry years"
    if not DialogueSession.objects.filter(title=upcoming_title).exists():
        start = (now + timedelta(days=10)).replace(hour=13, minute=0, second=0, microsecond=0)
        dialogue_services.dialogue_create(
            host=host,
            title=upcoming_title,
            description="Bring your questions on species choice, hardening off and watering.",
            starts_at=start,
            ends_at=start + timedelta(hours=1, minutes=30),
            category=Category.objects.filter(slug="restoration-practice").first(),
        )
        created += 1
    return created
