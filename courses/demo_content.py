"""The words of the demo courses: three short, original courses for landscape practitioners.

Kept apart from ``courses/demo.py`` (which builds pages from them) so the text reads as text.
Each lesson is a list of ``(block type, value)``; quizzes use the question shapes of
``courses.blocks``.
"""

from __future__ import annotations


def text(*paragraphs: str) -> tuple[str, str]:
    return ("text", "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs))


def callout(title: str, body: str, kind: str = "tip") -> tuple[str, dict]:
    return ("callout", {"kind": kind, "title": title, "text": f"<p>{body}</p>"})


def reflection(prompt: str) -> tuple[str, dict]:
    return ("reflection", {"prompt": prompt})


def video(title: str, url: str, minutes: int, transcript: str) -> tuple[str, dict]:
    return (
        "video",
        {
            "title": title,
            "url": url,
            "duration_minutes": minutes,
            "transcript": f"<p>{transcript}</p>",
        },
    )


def single(prompt: str, choices: list[tuple[str, bool]], right: str, wrong: str) -> tuple:
    return ("single_choice", prompt, choices, right, wrong)


def multiple(prompt: str, choices: list[tuple[str, bool]], right: str, wrong: str) -> tuple:
    return ("multiple_choice", prompt, choices, right, wrong)


def true_false(prompt: str, answer: bool, right: str, wrong: str) -> tuple:
    return ("true_false", prompt, answer, right, wrong)


def short(prompt: str, accepted: list[str], right: str, wrong: str) -> tuple:
    return ("short_answer", prompt, accepted, right, wrong)


def quiz(title: str, questions: list[tuple], pass_mark: int = 70, max_attempts: int = 3):
    return (
        "quiz",
        {
            "title": title,
            "pass_mark": pass_mark,
            "max_attempts": max_attempts,
            "questions": questions,
        },
    )


COURSES = [
    {
        "slug": "starting-a-landscape-partnership",
        "title": "Starting a landscape partnership",
        "summary": "How farmers, communities, government and business come together around one landscape: from the first conversation to a shared plan.",
        "outcomes": "<ul><li>Map who has a stake in a landscape and why</li><li>Convene a first multi-stakeholder meeting</li><li>Agree a shared vision and simple ground rules</li></ul>",
        "level": "introductory",
        "hours": 4,
        "mode": "open",
        "tags": ["governance", "stakeholders"],
        "modules": [
            {
                "slug": "the-landscape-and-its-people",
                "title": "The landscape and its people",
                "lessons": [
                    {
                        "slug": "why-work-at-landscape-scale",
                        "title": "Why work at landscape scale",
                        "minutes": 10,
                        "image": True,
                        "body": [
                            text(
                                "A landscape is an area where people, land and water depend on each other: a watershed, a forest frontier, a coastal plain. Decisions taken upstream arrive downstream as floods, silt or clean water.",
                                "Working at landscape scale means looking beyond one farm or one protected area, and asking who else shapes the outcome you care about.",
                            ),
                            callout(
                                "A rule of thumb",
                                "If a problem crosses a property line or a village boundary, it probably needs a landscape approach.",
                            ),
                            reflection(
                                "Think of one problem in your area that no single landowner can solve. Who would need to be in the room?"
                            ),
                        ],
                    },
                    {
                        "slug": "who-has-a-stake",
                        "title": "Who has a stake",
                        "minutes": 15,
                        "document": True,
                        "body": [
                            text(
                                "Stakeholder mapping lists everyone who affects or is affected by the landscape, then asks how much influence and interest each has.",
                                "Do not forget those with little formal power: women farmers, pastoralists, young people, and those who use the land seasonally.",
                            ),
                            video(
                                "Mapping stakeholders in a watershed",
                                "https://example.org/videos/stakeholder-mapping.mp4",
                                6,
                                "In this video a facilitator walks a group through drawing their watershed on paper, then placing each group of people on the map with sticky notes: who lives where, who uses which water, and who decides.",
                            ),
                            quiz(
                                "Check your understanding",
                                [
                                    single(
                                        "What does a stakeholder map show?",
                                        [
                                            (
                                                "Who affects or is affected by the landscape, and how much influence they have",
                                                True,
                                            ),
                                            ("Only the people who own land", False),
                                            ("The boundaries of protected areas", False),
                                        ],
                                        "Yes: interest and influence, for everyone, owners or not.",
                                        "A stakeholder map covers everyone who affects or is affected by the landscape, not only owners.",
                                    ),
                                    true_false(
                                        "Seasonal land users such as pastoralists can be left off the map.",
                                        False,
                                        "Right: seasonal users are often the first to be forgotten.",
                                        "Seasonal users belong on the map; they are often overlooked.",
                                    ),
                                ],
                            ),
                        ],
                    },
                ],
            },
            {
                "slug": "coming-together",
                "title": "Coming together",
                "lessons": [
                    {
                        "slug": "the-first-meeting",
                        "title": "The first meeting",
                        "minutes": 12,
                        "body": [
                            text(
                                "The first meeting sets the tone. Hold it somewhere neutral, in a language everyone speaks, at a time farmers can attend.",
                                "Start with what people value about the landscape before discussing problems.",
                            ),
                            callout(
                                "Watch out",
                                "A meeting called by one powerful actor can look like a done deal. Consider a neutral convener.",
                                kind="warning",
                            ),
                        ],
                    },
                    {
                        "slug": "a-shared-vision",
                        "title": "A shared vision",
                        "minutes": 15,
                        "body": [
                            text(
                                "A shared vision is a short statement of the landscape the partners want in twenty years. It should be concrete enough to disagree with."
                            ),
                            reflection(
                                "Write one sentence describing your landscape in twenty years."
                            ),
                            quiz(
                                "Module quiz",
                                [
                                    multiple(
                                        "Which make a good first meeting? Choose all that apply.",
                                        [
                                            ("A neutral venue", True),
                                            ("A language everyone speaks", True),
                                            ("A time that suits government staff only", False),
                                        ],
                                        "Exactly: neutral ground and a common language.",
                                        "Think about who can attend and who feels at home.",
                                    ),
                                    short(
                                        "In one word: what should a shared vision be concrete enough to invite?",
                                        ["disagreement", "debate"],
                                        "Yes: a vision nobody could disagree with says nothing.",
                                        "The answer is disagreement (or debate): a vague vision hides real choices.",
                                    ),
                                ],
                            ),
                        ],
                    },
                ],
            },
        ],
    },
    {
        "slug": "landscape-finance-basics",
        "title": "Landscape finance basics",
        "summary": "Where money for landscape work comes from, how blended finance works, and how partnerships can prepare investable proposals.",
        "outcomes": "<ul><li>Tell grants, loans and equity apart</li><li>Explain blended finance in plain words</li><li>Outline an investable landscape proposal</li></ul>",
        "level": "intermediate",
        "hours": 6,
        "mode": "open",
        "tags": ["finance"],
        "prerequisites": ["starting-a-landscape-partnership"],
        "modules": [
            {
                "slug": "sources-of-money",
                "title": "Sources of money",
                "lessons": [
                    {
                        "slug": "grants-loans-and-equity",
                        "title": "Grants, loans and equity",
                        "minutes": 15,
                        "body": [
                            text(
                                "Grants do not need to be repaid; loans do, with interest; equity buys a share of an enterprise and its future profits.",
                                "Most landscape work needs a mix: grants for public goods like restored wetlands, loans for enterprises that earn revenue.",
                            ),
                            quiz(
                                "Quick check",
                                [
                                    single(
                                        "Which kind of money must be repaid with interest?",
                                        [("A grant", False), ("A loan", True), ("Equity", False)],
                                        "Correct.",
                                        "Loans are repaid with interest; grants are not repaid, equity is a share.",
                                    ),
                                ],
                                pass_mark=100,
                            ),
                        ],
                    },
                    {
                        "slug": "blended-finance",
                        "title": "Blended finance",
                        "minutes": 20,
                        "body": [
                            text(
                                "Blended finance uses public or philanthropic money to reduce the risk for private investors, so that more money flows to the landscape than either could provide alone."
                            ),
                            callout(
                                "Example",
                                "A first-loss guarantee from a foundation lets a bank lend to cocoa cooperatives it would otherwise consider too risky.",
                            ),
                        ],
                    },
                ],
            },
            {
                "slug": "making-a-proposal",
                "title": "Making a proposal",
                "lessons": [
                    {
                        "slug": "an-investable-proposal",
                        "title": "An investable proposal",
                        "minutes": 20,
                        "body": [
                            text(
                                "Investors look for a clear revenue model, a credible team, measurable impact and a plan for risk."
                            ),
                            reflection(
                                "Which of these four would be hardest for your partnership to show today?"
                            ),
                            quiz(
                                "Proposal quiz",
                                [
                                    true_false(
                                        "Measurable impact matters to impact investors.",
                                        True,
                                        "Yes: impact investors need evidence of impact.",
                                        "Impact investors need to measure impact.",
                                    ),
                                    short(
                                        "Name the kind of guarantee that absorbs the first losses.",
                                        ["first-loss", "first loss", "first-loss guarantee"],
                                        "Right: a first-loss guarantee.",
                                        "It is called a first-loss guarantee.",
                                    ),
                                ],
                            ),
                        ],
                    },
                ],
            },
        ],
    },
    {
        "slug": "monitoring-restoration-outcomes",
        "title": "Monitoring restoration outcomes",
        "summary": "Choosing indicators, collecting data with communities, and reporting what restoration has changed, on the ground and for people.",
        "outcomes": "<ul><li>Choose a few indicators that matter</li><li>Set up participatory monitoring</li><li>Report results honestly</li></ul>",
        "level": "intermediate",
        "hours": 5,
        "mode": "cohort",
        "tags": ["monitoring", "restoration"],
        "modules": [
            {
                "slug": "choosing-indicators",
                "title": "Choosing indicators",
                "lessons": [
                    {
                        "slug": "few-indicators-that-matter",
                        "title": "A few indicators that matter",
                        "minutes": 15,
                        "body": [
                            text(
                                "Fewer, well-measured indicators beat long lists nobody collects. Pick some for the land (tree cover, soil), some for water, and some for people (income, food security)."
                            ),
                            quiz(
                                "Indicators",
                                [
                                    multiple(
                                        "Which are indicators about people?",
                                        [
                                            ("Household income", True),
                                            ("Food security", True),
                                            ("Soil carbon", False),
                                        ],
                                        "Yes: income and food security.",
                                        "Soil carbon is about the land; income and food security are about people.",
                                    ),
                                ],
                            ),
                        ],
                    },
                ],
            },
            {
                "slug": "collecting-and-reporting",
                "title": "Collecting and reporting",
                "lessons": [
                    {
                        "slug": "participatory-monitoring",
                        "title": "Participatory monitoring",
                        "minutes": 15,
                        "body": [
                            text(
                                "Community members who collect data themselves understand and trust the results. Simple phone forms and photo points work well."
                            ),
                            callout(
                                "Tip",
                                "Take photos from the same fixed points every season: a cheap, convincing record of change.",
                            ),
                        ],
                    },
                    {
                        "slug": "reporting-results",
                        "title": "Reporting results",
                        "minutes": 10,
                        "body": [
                            text(
                                "Report what changed, what did not, and what you learned. Honest reports build trust with funders and with the community."
                            ),
                        ],
                    },
                ],
            },
        ],
    },
]

DEMO_COHORT = {
    "course": "monitoring-restoration-outcomes",
    "name": "Andes cohort 2026",
    "invite_code": "ANDES2026",
}
