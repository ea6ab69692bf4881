"""The demo courses in Spanish, French and Portuguese, as a translator would give them.

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

LANDSCAPE_FINANCE_BASICS: dict[str, tuple[str, str, str]] = {
    # The course
    "Landscape finance basics": (
        "Fundamentos de la financiación de paisajes",
        "Les bases du financement des paysages",
        "Noções básicas de financiamento de paisagens",
    ),
    "Where money for landscape work comes from, how blended finance works, and how partnerships can prepare investable proposals.": (
        "De dónde viene el dinero para el trabajo de paisaje, cómo funciona la financiación combinada y cómo las alianzas pueden preparar propuestas invertibles.",
        "D'où vient l'argent du travail à l'échelle du paysage, comment fonctionne le financement mixte et comment les partenariats peuvent préparer des propositions finançables.",
        "De onde vem o dinheiro para o trabalho de paisagem, como funciona o financiamento misto e como as parcerias podem preparar propostas atrativas para investidores.",
    ),
    "Tell grants, loans and equity apart": (
        "Distinguir subvenciones, préstamos y capital",
        "Distinguer subventions, prêts et fonds propres",
        "Distinguir subvenções, empréstimos e capital próprio",
    ),
    "Explain blended finance in plain words": (
        "Explicar la financiación combinada con palabras sencillas",
        "Expliquer le financement mixte avec des mots simples",
        "Explicar o financiamento misto em palavras simples",
    ),
    "Outline an investable landscape proposal": (
        "Esbozar una propuesta de paisaje invertible",
        "Esquisser une proposition de paysage finançable",
        "Esboçar uma proposta de paisagem atrativa para investidores",
    ),
    # Modules
    "Sources of money": ("Fuentes de dinero", "Les sources de financement", "Fontes de dinheiro"),
    "Making a proposal": (
        "Preparar una propuesta",
        "Préparer une proposition",
        "Preparar uma proposta",
    ),
    # Lesson: grants, loans and equity
    "Grants, loans and equity": (
        "Subvenciones, préstamos y capital",
        "Subventions, prêts et fonds propres",
        "Subvenções, empréstimos e capital próprio",
    ),
    "Grants do not need to be repaid; loans do, with interest; equity buys a share of an enterprise and its future profits.": (
        "Las subvenciones no se devuelven; los préstamos sí, con intereses; el capital compra una parte de una empresa y de sus beneficios futuros.",
        "Les subventions ne se remboursent pas ; les prêts, si, avec des intérêts ; les fonds propres achètent une part d'une entreprise et de ses bénéfices futurs.",
        "As subvenções não têm de ser reembolsadas; os empréstimos sim, com juros; o capital próprio compra uma parte de uma empresa e dos seus lucros futuros.",
    ),
    "Most landscape work needs a mix: grants for public goods like restored wetlands, loans for enterprises that earn revenue.": (
        "La mayor parte del trabajo de paisaje necesita una mezcla: subvenciones para los bienes públicos, como los humedales restaurados, y préstamos para las empresas que generan ingresos.",
        "La plupart des actions de paysage demandent un mélange : des subventions pour les biens publics comme les zones humides restaurées, des prêts pour les entreprises qui dégagent des revenus.",
        "A maior parte do trabalho de paisagem precisa de uma combinação: subvenções para os bens públicos, como as zonas húmidas restauradas, e empréstimos para as empresas que geram receitas.",
    ),
    "Quick check": ("Comprobación rápida", "Vérification rapide", "Verificação rápida"),
    "Which kind of money must be repaid with interest?": (
        "¿Qué tipo de dinero debe devolverse con intereses?",
        "Quel type d'argent doit être remboursé avec des intérêts ?",
        "Que tipo de dinheiro tem de ser reembolsado com juros?",
    ),
    "Correct.": ("Correcto.", "Exact.", "Correto."),
    "Loans are repaid with interest; grants are not repaid, equity is a share.": (
        "Los préstamos se devuelven con intereses; las subvenciones no se devuelven y el capital es una participación.",
        "Les prêts se remboursent avec des intérêts ; les subventions ne se remboursent pas, les fonds propres sont une part.",
        "Os empréstimos são reembolsados com juros; as subvenções não são reembolsadas e o capital próprio é uma participação.",
    ),
    "A grant": ("Una subvención", "Une subvention", "Uma subvenção"),
    "A loan": ("Un préstamo", "Un prêt", "Um empréstimo"),
    "Equity": ("El capital", "Les fonds propres", "O capital próprio"),
    # Lesson: blended finance
    "Blended finance": (
        "La financiación combinada",
        "Le financement mixte",
        "O financiamento misto",
    ),
    "Blended finance uses public or philanthropic money to reduce the risk for private investors, so that more money flows to the landscape than either could provide alone.": (
        "La financiación combinada usa dinero público o filantrópico para reducir el riesgo de los inversores privados, de modo que llegue al paisaje más dinero del que cualquiera de ellos podría aportar por sí solo.",
        "Le financement mixte utilise l'argent public ou philanthropique pour réduire le risque des investisseurs privés, afin que le paysage reçoive plus d'argent que ni l'un ni l'autre ne pourrait apporter seul.",
        "O financiamento misto usa dinheiro público ou filantrópico para reduzir o risco dos investidores privados, de modo que chegue à paisagem mais dinheiro do que qualquer um deles poderia dar sozinho.",
    ),
    "Example": ("Un ejemplo", "Un exemple", "Um exemplo"),
    "A first-loss guarantee from a foundation lets a bank lend to cocoa cooperatives it would otherwise consider too risky.": (
        "Una garantía de primera pérdida de una fundación permite a un banco prestar a cooperativas de cacao que de otro modo consideraría demasiado arriesgadas.",
        "Une garantie de première perte apportée par une fondation permet à une banque de prêter à des coopératives de cacao qu'elle jugerait sinon trop risquées.",
        "Uma garantia de primeira perda de uma fundação permite a um banco emprestar a cooperativas de cacau que, de outro modo, consideraria demasiado arriscadas.",
    ),
    # Lesson: an investable proposal
    "An investable proposal": (
        "Una propuesta invertible",
        "Une proposition finançable",
        "Uma proposta atrativa para investidores",
    ),
    "Investors look for a clear revenue model, a credible team, measurable impact and a plan for risk.": (
        "Los inversores buscan un modelo de ingresos claro, un equipo creíble, un impacto medible y un plan para los riesgos.",
        "Les investisseurs cherchent un modèle de revenus clair, une équipe crédible, un impact mesurable et un plan face aux risques.",
        "Os investidores procuram um modelo de receitas claro, uma equipa credível, um impacto mensurável e um plano para os riscos.",
    ),
    "Which of these four would be hardest for your partnership to show today?": (
        "¿Cuál de estos cuatro le costaría más demostrar hoy a su alianza?",
        "Lequel de ces quatre points serait le plus difficile à démontrer aujourd'hui pour votre partenariat ?",
        "Qual destes quatro seria o mais difícil de demonstrar hoje para a sua parceria?",
    ),
    "Proposal quiz": (
        "Cuestionario sobre la propuesta",
        "Quiz sur la proposition",
        "Questionário sobre a proposta",
    ),
    "Measurable impact matters to impact investors.": (
        "El impacto medible importa a los inversores de impacto.",
        "L'impact mesurable compte pour les investisseurs à impact.",
        "O impacto mensurável é importante para os investidores de impacto.",
    ),
    "Yes: impact investors need evidence of impact.": (
        "Sí: los inversores de impacto necesitan pruebas del impacto.",
        "Oui : les investisseurs à impact ont besoin de preuves de l'impact.",
        "Sim: os investidores de impacto precisam de provas do impacto.",
    ),
    "Impact investors need to measure impact.": (
        "Los inversores de impacto necesitan medir el impacto.",
        "Les investisseurs à impact doivent mesurer l'impact.",
        "Os investidores de impacto precisam de medir o impacto.",
    ),
    "Name the kind of guarantee that absorbs the first losses.": (
        "Indique el tipo de garantía que absorbe las primeras pérdidas.",
        "Nommez le type de garantie qui absorbe les premières pertes.",
        "Indique o tipo de garantia que absorve as primeiras perdas.",
    ),
    "Right: a first-loss guarantee.": (
        "Correcto: una garantía de primera pérdida.",
        "Exact : une garantie de première perte.",
        "Correto: uma garantia de primeira perda.",
    ),
    "It is called a first-loss guarantee.": (
        "Se llama garantía de primera pérdida.",
        "On l'appelle une garantie de première perte.",
        "Chama-se garantia de primeira perda.",
    ),
    # Accepted short answers: what a learner would type in the language.
    "first-loss": ("primera pérdida", "première perte", "primeira perda"),
    "first loss": ("primeras pérdidas", "premières pertes", "primeiras perdas"),
    "first-loss guarantee": (
        "garantía de primera pérdida",
        "garantie de première perte",
        "garantia de primeira perda",
    ),
}

MONITORING_RESTORATION_OUTCOMES: dict[str, tuple[str, str, str]] = {
    # The course
    "Monitoring restoration outcomes": (
        "Seguimiento de los resultados de la restauración",
        "Suivre les résultats de la restauration",
        "Monitorização dos resultados do restauro",
    ),
    "Choosing indicators, collecting data with communities, and reporting what restoration has changed, on the ground and for people.": (
        "Elegir indicadores, recoger datos con las comunidades e informar de lo que la restauración ha cambiado, sobre el terreno y para las personas.",
        "Choisir des indicateurs, collecter les données avec les communautés et rendre compte de ce que la restauration a changé, sur le terrain et pour les personnes.",
        "Escolher indicadores, recolher dados com as comunidades e relatar o que o restauro mudou, no terreno e para as pessoas.",
    ),
    "Choose a few indicators that matter": (
        "Elegir unos pocos indicadores que importan",
        "Choisir quelques indicateurs qui comptent",
        "Escolher alguns indicadores que importam",
    ),
    "Set up participatory monitoring": (
        "Poner en marcha un seguimiento participativo",
        "Mettre en place un suivi participatif",
        "Organizar uma monitorização participativa",
    ),
    "Report results honestly": (
        "Informar de los resultados con honestidad",
        "Rendre compte des résultats avec honnêteté",
        "Relatar os resultados com honestidade",
    ),
    # Modules
    "Choosing indicators": (
        "Elegir indicadores",
        "Choisir des indicateurs",
        "Escolher indicadores",
    ),
    "Collecting and reporting": (
        "Recoger datos e informar",
        "Collecter et rendre compte",
        "Recolher dados e relatar",
    ),
    # Lesson: a few indicators that matter
    "A few indicators that matter": (
        "Unos pocos indicadores que importan",
        "Quelques indicateurs qui comptent",
        "Alguns indicadores que importam",
    ),
    "Fewer, well-measured indicators beat long lists nobody collects. Pick some for the land (tree cover, soil), some for water, and some for people (income, food security).": (
        "Pocos indicadores bien medidos valen más que largas listas que nadie recoge. Elija algunos para la tierra (cubierta arbórea, suelo), algunos para el agua y algunos para las personas (ingresos, seguridad alimentaria).",
        "Quelques indicateurs bien mesurés valent mieux que de longues listes que personne ne relève. Choisissez-en pour la terre (couvert arboré, sol), pour l'eau et pour les personnes (revenus, sécurité alimentaire).",
        "Poucos indicadores bem medidos valem mais do que longas listas que ninguém recolhe. Escolha alguns para a terra (coberto arbóreo, solo), alguns para a água e alguns para as pessoas (rendimento, segurança alimentar).",
    ),
    "Indicators": ("Los indicadores", "Les indicateurs", "Os indicadores"),
    "Which are indicators about people?": (
        "¿Cuáles son indicadores sobre las personas?",
        "Lesquels sont des indicateurs sur les personnes ?",
        "Quais são indicadores sobre as pessoas?",
    ),
    "Yes: income and food security.": (
        "Sí: los ingresos y la seguridad alimentaria.",
        "Oui : les revenus et la sécurité alimentaire.",
        "Sim: o rendimento e a segurança alimentar.",
    ),
    "Soil carbon is about the land; income and food security are about people.": (
        "El carbono del suelo se refiere a la tierra; los ingresos y la seguridad alimentaria, a las personas.",
        "Le carbone du sol concerne la terre ; les revenus et la sécurité alimentaire concernent les personnes.",
        "O carbono do solo diz respeito à terra; o rendimento e a segurança alimentar dizem respeito às pessoas.",
    ),
    "Household income": (
        "Los ingresos del hogar",
        "Les revenus du ménage",
        "O rendimento do agregado familiar",
    ),
    "Food security": (
        "La seguridad alimentaria",
        "La sécurité alimentaire",
        "A segurança alimentar",
    ),
    "Soil carbon": ("El carbono del suelo", "Le carbone du sol", "O carbono do solo"),
    # Lesson: participatory monitoring
    "Participatory monitoring": (
        "El seguimiento participativo",
        "Le suivi participatif",
        "A monitorização participativa",
    ),
    "Community members who collect data themselves understand and trust the results. Simple phone forms and photo points work well.": (
        "Los miembros de la comunidad que recogen los datos ellos mismos entienden los resultados y confían en ellos. Los formularios sencillos en el teléfono y los puntos fijos de fotografía funcionan bien.",
        "Les membres de la communauté qui collectent eux-mêmes les données comprennent les résultats et leur font confiance. Les formulaires simples sur téléphone et les points photo fixes fonctionnent bien.",
        "Os membros da comunidade que recolhem eles próprios os dados compreendem os resultados e confiam neles. Os formulários simples no telemóvel e os pontos fixos de fotografia funcionam bem.",
    ),
    "Tip": ("Un consejo", "Un conseil", "Uma dica"),
    "Take photos from the same fixed points every season: a cheap, convincing record of change.": (
        "Tome fotos desde los mismos puntos fijos en cada estación: un registro del cambio barato y convincente.",
        "Prenez des photos depuis les mêmes points fixes à chaque saison : une trace du changement peu coûteuse et convaincante.",
        "Tire fotografias a partir dos mesmos pontos fixos em cada estação: um registo da mudança barato e convincente.",
    ),
    # Lesson: reporting results
    "Reporting results": (
        "Informar de los resultados",
        "Rendre compte des résultats",
        "Relatar os resultados",
    ),
    "Report what changed, what did not, and what you learned. Honest reports build trust with funders and with the community.": (
        "Informe de lo que cambió, de lo que no cambió y de lo que aprendió. Los informes honestos crean confianza con los financiadores y con la comunidad.",
        "Rendez compte de ce qui a changé, de ce qui n'a pas changé et de ce que vous avez appris. Des rapports honnêtes créent la confiance avec les bailleurs et avec la communauté.",
        "Relate o que mudou, o que não mudou e o que aprendeu. Os relatórios honestos criam confiança com os financiadores e com a comunidade.",
    ),
}

#: The demo courses translated in full, by slug.
COURSE_TRANSLATIONS: dict[str, dict[str, tuple[str, str, str]]] = {
    "starting-a-landscape-partnership": STARTING_A_LANDSCAPE_PARTNERSHIP,
    "landscape-finance-basics": LANDSCAPE_FINANCE_BASICS,
    "monitoring-restoration-outcomes": MONITORING_RESTORATION_OUTCOMES,
}


def translated(english: str, language: str, phrasebook: dict[str, tuple[str, str, str]]) -> str:
    """``english`` in ``language``; a KeyError names a string the phrasebook lacks."""
    return phrasebook[english][LANGUAGES.index(language)]
