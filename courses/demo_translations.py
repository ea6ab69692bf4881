"""The first demo course in Spanish, French and Portuguese, as a translator would give it.

Each English string that wagtail-localize extracts from the course's pages (titles, the
summary and outcomes, every paragraph, callout, prompt, caption, quiz question, answer and
feedback, accepted short answers) maps to its translations. ``courses/demo.py`` feeds them to
wagtail-localize's translation of each page, so the demo's translations are the same kind of
record an editor makes in its editor: they show as complete there, and an English edit shows
them out of date. Slugs stay English (the addresses the demo has always had).

Spanish and French address the learner as *usted* / *vous*, as the interface does; Portuguese
is European Portuguese, as the interface is.
"""

from __future__ import annotations

#: The languages of each tuple below, in order.
LANGUAGES = ("es", "fr", "pt")

STARTING_A_LANDSCAPE_PARTNERSHIP: dict[str, tuple[str, str, str]] = {
    # The course
    "Starting a landscape partnership": (
        "Iniciar una alianza de paisaje",
        "Lancer un partenariat de paysage",
        "Iniciar uma parceria de paisagem",
    ),
    "How farmers, communities, government and business come together around one landscape: from the first conversation to a shared plan.": (
        "Cómo agricultores, comunidades, gobierno y empresas se unen en torno a un paisaje: de la primera conversación a un plan común.",
        "Comment agriculteurs, communautés, pouvoirs publics et entreprises se rassemblent autour d'un même paysage : de la première conversation à un plan commun.",
        "Como agricultores, comunidades, governo e empresas se juntam em torno de uma paisagem: da primeira conversa a um plano comum.",
    ),
    "Map who has a stake in a landscape and why": (
        "Identificar quién tiene interés en un paisaje y por qué",
        "Cartographier qui a un intérêt dans un paysage, et pourquoi",
        "Mapear quem tem interesse numa paisagem e porquê",
    ),
    "Convene a first multi-stakeholder meeting": (
        "Convocar una primera reunión de múltiples actores",
        "Organiser une première réunion multi-acteurs",
        "Convocar uma primeira reunião com múltiplos atores",
    ),
    "Agree a shared vision and simple ground rules": (
        "Acordar una visión compartida y unas reglas básicas sencillas",
        "S'accorder sur une vision commune et des règles de base simples",
        "Acordar uma visão partilhada e regras básicas simples",
    ),
    # Modules
    "The landscape and its people": (
        "El paisaje y su gente",
        "Le paysage et ses habitants",
        "A paisagem e a sua gente",
    ),
    "Coming together": ("Reunirse", "Se rassembler", "Unir-se"),
    # Lesson: why work at landscape scale
    "Why work at landscape scale": (
        "Por qué trabajar a escala de paisaje",
        "Pourquoi travailler à l'échelle du paysage",
        "Porque trabalhar à escala da paisagem",
    ),
    "A landscape is an area where people, land and water depend on each other: a watershed, a forest frontier, a coastal plain. Decisions taken upstream arrive downstream as floods, silt or clean water.": (
        "Un paisaje es un área donde las personas, la tierra y el agua dependen unas de otras: una cuenca, un frente forestal, una llanura costera. Las decisiones que se toman aguas arriba llegan aguas abajo como inundaciones, sedimentos o agua limpia.",
        "Un paysage est un territoire où les personnes, les terres et l'eau dépendent les unes des autres : un bassin versant, une lisière forestière, une plaine côtière. Les décisions prises en amont arrivent en aval sous forme d'inondations, de limon ou d'eau propre.",
        "Uma paisagem é uma área onde as pessoas, a terra e a água dependem umas das outras: uma bacia hidrográfica, uma fronteira florestal, uma planície costeira. As decisões tomadas a montante chegam a jusante sob a forma de cheias, sedimentos ou água limpa.",
    ),
    "Working at landscape scale means looking beyond one farm or one protected area, and asking who else shapes the outcome you care about.": (
        "Trabajar a escala de paisaje significa mirar más allá de una finca o de un área protegida, y preguntarse quién más influye en el resultado que le importa.",
        "Travailler à l'échelle du paysage, c'est regarder au-delà d'une exploitation ou d'une aire protégée, et se demander qui d'autre influe sur le résultat qui vous importe.",
        "Trabalhar à escala da paisagem significa olhar para além de uma exploração agrícola ou de uma área protegida, e perguntar quem mais influencia o resultado que lhe interessa.",
    ),
    "Terraced hillside above a river valley, with forest on the ridge": (
        "Ladera en terrazas sobre un valle fluvial, con bosque en la cresta",
        "Coteau en terrasses au-dessus d'une vallée, avec une forêt sur la crête",
        "Encosta em socalcos sobre um vale fluvial, com floresta no cume",
    ),
    "Upstream and downstream share one landscape.": (
        "Aguas arriba y aguas abajo comparten un mismo paisaje.",
        "L'amont et l'aval partagent un même paysage.",
        "Montante e jusante partilham uma mesma paisagem.",
    ),
    "A rule of thumb": ("Una regla práctica", "Un principe simple", "Uma regra prática"),
    "If a problem crosses a property line or a village boundary, it probably needs a landscape approach.": (
        "Si un problema cruza el lindero de una propiedad o el límite de una aldea, probablemente necesita un enfoque de paisaje.",
        "Si un problème dépasse les limites d'une propriété ou d'un village, il appelle probablement une approche paysagère.",
        "Se um problema atravessa o limite de uma propriedade ou de uma aldeia, provavelmente precisa de uma abordagem de paisagem.",
    ),
    "Think of one problem in your area that no single landowner can solve. Who would need to be in the room?": (
        "Piense en un problema de su zona que ningún propietario pueda resolver por sí solo. ¿Quién tendría que estar en la sala?",
        "Pensez à un problème de votre région qu'aucun propriétaire ne peut résoudre seul. Qui faudrait-il réunir autour de la table ?",
        "Pense num problema da sua zona que nenhum proprietário consiga resolver sozinho. Quem precisaria de estar na sala?",
    ),
    # Lesson: who has a stake
    "Who has a stake": ("Quién tiene interés", "Qui est concerné", "Quem tem interesse"),
    "Stakeholder mapping lists everyone who affects or is affected by the landscape, then asks how much influence and interest each has.": (
        "El mapeo de actores enumera a todas las personas que influyen en el paisaje o se ven afectadas por él, y luego pregunta cuánta influencia e interés tiene cada una.",
        "La cartographie des parties prenantes recense tous ceux qui agissent sur le paysage ou en subissent les effets, puis évalue l'influence et l'intérêt de chacun.",
        "O mapeamento de atores identifica todos os que afetam a paisagem ou são afetados por ela, e depois pergunta quanta influência e interesse tem cada um.",
    ),
    "Do not forget those with little formal power: women farmers, pastoralists, young people, and those who use the land seasonally.": (
        "No olvide a quienes tienen poco poder formal: las agricultoras, los pastores, los jóvenes y quienes usan la tierra por temporadas.",
        "N'oubliez pas celles et ceux qui ont peu de pouvoir formel : les agricultrices, les éleveurs pastoraux, les jeunes et les personnes qui utilisent les terres de façon saisonnière.",
        "Não se esqueça de quem tem pouco poder formal: as agricultoras, os pastores, os jovens e quem usa a terra sazonalmente.",
    ),
    "A one-page template to fill in with your group.": (
        "Una plantilla de una página para completar con su grupo.",
        "Un modèle d'une page à remplir avec votre groupe.",
        "Um modelo de uma página para preencher com o seu grupo.",
    ),
    "Mapping stakeholders in a watershed": (
        "Mapear actores en una cuenca",
        "Cartographier les parties prenantes d'un bassin versant",
        "Mapear atores numa bacia hidrográfica",
    ),
    "In this video a facilitator walks a group through drawing their watershed on paper, then placing each group of people on the map with sticky notes: who lives where, who uses which water, and who decides.": (
        "En este video, un facilitador guía a un grupo para dibujar su cuenca en papel y luego situar a cada grupo de personas en el mapa con notas adhesivas: quién vive dónde, quién usa qué agua y quién decide.",
        "Dans cette vidéo, un animateur accompagne un groupe qui dessine son bassin versant sur papier, puis place chaque groupe de personnes sur la carte avec des notes autocollantes : qui vit où, qui utilise quelle eau et qui décide.",
        "Neste vídeo, um facilitador orienta um grupo a desenhar a sua bacia hidrográfica em papel e, depois, a colocar cada grupo de pessoas no mapa com notas autocolantes: quem vive onde, quem usa que água e quem decide.",
    ),
    "Check your understanding": (
        "Compruebe lo que ha aprendido",
        "Vérifiez vos connaissances",
        "Verifique o que aprendeu",
    ),
    "What does a stakeholder map show?": (
        "¿Qué muestra un mapa de actores?",
        "Que montre une carte des parties prenantes ?",
        "O que mostra um mapa de atores?",
    ),
    "Who affects or is affected by the landscape, and how much influence they have": (
        "Quién influye en el paisaje o se ve afectado por él, y cuánta influencia tiene",
        "Qui agit sur le paysage ou en subit les effets, et quelle influence chacun a",
        "Quem afeta a paisagem ou é afetado por ela, e quanta influência tem",
    ),
    "Only the people who own land": (
        "Solo las personas propietarias de tierras",
        "Seulement les propriétaires fonciers",
        "Apenas as pessoas que são donas de terra",
    ),
    "The boundaries of protected areas": (
        "Los límites de las áreas protegidas",
        "Les limites des aires protégées",
        "Os limites das áreas protegidas",
    ),
    "Yes: interest and influence, for everyone, owners or not.": (
        "Sí: interés e influencia de todos, sean propietarios o no.",
        "Oui : l'intérêt et l'influence de chacun, propriétaire ou non.",
        "Sim: interesse e influência de todos, proprietários ou não.",
    ),
    "A stakeholder map covers everyone who affects or is affected by the landscape, not only owners.": (
        "Un mapa de actores abarca a todos los que influyen en el paisaje o se ven afectados por él, no solo a los propietarios.",
        "Une carte des parties prenantes couvre tous ceux qui agissent sur le paysage ou en subissent les effets, pas seulement les propriétaires.",
        "Um mapa de atores abrange todos os que afetam a paisagem ou são afetados por ela, não apenas os proprietários.",
    ),
    "Seasonal land users such as pastoralists can be left off the map.": (
        "Los usuarios temporales de la tierra, como los pastores, pueden quedar fuera del mapa.",
        "Les usagers saisonniers des terres, comme les éleveurs pastoraux, peuvent être laissés hors de la carte.",
        "Os utilizadores sazonais da terra, como os pastores, podem ficar de fora do mapa.",
    ),
    "Right: seasonal users are often the first to be forgotten.": (
        "Correcto: los usuarios temporales suelen ser los primeros en ser olvidados.",
        "Exact : les usagers saisonniers sont souvent les premiers oubliés.",
        "Certo: os utilizadores sazonais são muitas vezes os primeiros a ser esquecidos.",
    ),
    "Seasonal users belong on the map; they are often overlooked.": (
        "Los usuarios temporales deben estar en el mapa; a menudo se pasan por alto.",
        "Les usagers saisonniers ont leur place sur la carte ; on les oublie souvent.",
        "Os utilizadores sazonais devem estar no mapa; são muitas vezes ignorados.",
    ),
    # Lesson: the first meeting
    "The first meeting": ("La primera reunión", "La première réunion", "A primeira reunião"),
    "The first meeting sets the tone. Hold it somewhere neutral, in a language everyone speaks, at a time farmers can attend.": (
        "La primera reunión marca el tono. Celébrela en un lugar neutral, en un idioma que todos hablen y a una hora en que los agricultores puedan asistir.",
        "La première réunion donne le ton. Tenez-la dans un lieu neutre, dans une langue que tout le monde parle, à une heure où les agriculteurs peuvent venir.",
        "A primeira reunião define o tom. Realize-a num local neutro, numa língua que todos falem, a uma hora a que os agricultores possam comparecer.",
    ),
    "Start with what people value about the landscape before discussing problems.": (
        "Empiece por lo que la gente valora del paisaje antes de hablar de los problemas.",
        "Commencez par ce que les gens apprécient dans le paysage avant d'aborder les problèmes.",
        "Comece pelo que as pessoas valorizam na paisagem antes de discutir os problemas.",
    ),
    "Watch out": ("Atención", "Attention", "Atenção"),
    "A meeting called by one powerful actor can look like a done deal. Consider a neutral convener.": (
        "Una reunión convocada por un actor poderoso puede parecer un asunto ya decidido. Considere recurrir a un convocante neutral.",
        "Une réunion convoquée par un acteur puissant peut donner l'impression que tout est déjà décidé. Pensez à un organisateur neutre.",
        "Uma reunião convocada por um ator poderoso pode parecer um assunto já decidido. Considere um anfitrião neutro.",
    ),
    # Lesson: a shared vision
    "A shared vision": ("Una visión compartida", "Une vision commune", "Uma visão partilhada"),
    "A shared vision is a short statement of the landscape the partners want in twenty years. It should be concrete enough to disagree with.": (
        "Una visión compartida es una breve declaración del paisaje que los socios quieren dentro de veinte años. Debe ser lo bastante concreta como para que alguien pueda estar en desacuerdo.",
        "Une vision commune est une courte description du paysage que les partenaires souhaitent dans vingt ans. Elle doit être assez concrète pour qu'on puisse la contester.",
        "Uma visão partilhada é uma breve descrição da paisagem que os parceiros querem daqui a vinte anos. Deve ser concreta o suficiente para que alguém possa discordar dela.",
    ),
    "Write one sentence describing your landscape in twenty years.": (
        "Escriba una frase que describa su paisaje dentro de veinte años.",
        "Écrivez une phrase qui décrit votre paysage dans vingt ans.",
        "Escreva uma frase que descreva a sua paisagem daqui a vinte anos.",
    ),
    "Module quiz": ("Cuestionario del módulo", "Quiz du module", "Questionário do módulo"),
    "Which make a good first meeting? Choose all that apply.": (
        "¿Qué hace que una primera reunión sea buena? Elija todas las opciones correctas.",
        "Qu'est-ce qui fait une bonne première réunion ? Choisissez toutes les bonnes réponses.",
        "O que faz uma boa primeira reunião? Escolha todas as opções corretas.",
    ),
    "A neutral venue": ("Un lugar neutral", "Un lieu neutre", "Um local neutro"),
    "A language everyone speaks": (
        "Un idioma que todos hablan",
        "Une langue que tout le monde parle",
        "Uma língua que todos falam",
    ),
    "A time that suits government staff only": (
        "Un horario que solo convenga al personal del gobierno",
        "Un horaire qui ne convient qu'aux agents de l'État",
        "Um horário que só convém aos funcionários do governo",
    ),
    "Exactly: neutral ground and a common language.": (
        "Exacto: terreno neutral y un idioma común.",
        "Exactement : un terrain neutre et une langue commune.",
        "Exatamente: terreno neutro e uma língua comum.",
    ),
    "Think about who can attend and who feels at home.": (
        "Piense en quién puede asistir y quién se siente a gusto.",
        "Pensez à qui peut venir et à qui se sent à l'aise.",
        "Pense em quem pode comparecer e em quem se sente à vontade.",
    ),
    "In one word: what should a shared vision be concrete enough to invite?": (
        "En una palabra: ¿qué debería poder suscitar una visión compartida lo bastante concreta?",
        "En un mot : que doit pouvoir susciter une vision commune assez concrète ?",
        "Numa palavra: o que deve poder suscitar uma visão partilhada suficientemente concreta?",
    ),
    # Accepted short answers: compared ignoring case and accents (courses.grading).
    "disagreement": ("desacuerdo", "désaccord", "desacordo"),
    "debate": ("debate", "débat", "debate"),
    "Yes: a vision nobody could disagree with says nothing.": (
        "Sí: una visión con la que nadie podría estar en desacuerdo no dice nada.",
        "Oui : une vision que personne ne pourrait contester ne dit rien.",
        "Sim: uma visão da qual ninguém pode discordar não diz nada.",
    ),
    "The answer is disagreement (or debate): a vague vision hides real choices.": (
        "La respuesta es desacuerdo (o debate): una visión vaga oculta las verdaderas decisiones.",
        "La réponse est désaccord (ou débat) : une vision floue masque les vrais choix.",
        "A resposta é desacordo (ou debate): uma visão vaga esconde as verdadeiras escolhas.",
    ),
}

#: The demo courses translated in full, by slug.
COURSE_TRANSLATIONS: dict[str, dict[str, tuple[str, str, str]]] = {
    "starting-a-landscape-partnership": STARTING_A_LANDSCAPE_PARTNERSHIP,
}


def translated(english: str, language: str, phrasebook: dict[str, tuple[str, str, str]]) -> str:
    """``english`` in ``language``; a KeyError names a string the phrasebook lacks."""
    return phrasebook[english][LANGUAGES.index(language)]
