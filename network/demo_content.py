"""Demo data for the network: invented organisations, six landscape partnerships and their people.

Plain data only, so the seed (``network.demo``) and its tests read the same lists. Every
organisation and person is invented; places and countries are real. Web addresses and inboxes
use example.org, which can never reach anyone.
"""

from __future__ import annotations

#: Organisations by slug; ``type`` is a network.models.OrganisationType value.
ORGANISATIONS: list[dict] = [
    {
        "slug": "nyeri-smallholder-water-users",
        "name": "Nyeri Smallholder Water Users' Association",
        "type": "community",
        "country": "KE",
        "description": (
            "An association of 1,900 smallholder households who share eleven community water "
            "projects on the southern slopes of Mount Kenya. Members agree abstraction "
            "schedules, protect springs and settle disputes between upstream and downstream "
            "users."
        ),
    },
    {
        "slug": "mount-kenya-forest-stewardship-trust",
        "name": "Mount Kenya Forest Stewardship Trust",
        "type": "ngo",
        "country": "KE",
        "description": (
            "A conservation trust that runs tree nurseries, trains community forest "
            "associations and supports riparian restoration along the streams that leave the "
            "forest reserve."
        ),
    },
    {
        "slug": "highlands-county-environment-directorate",
        "name": "Highlands County Environment Directorate",
        "type": "government",
        "country": "KE",
        "description": (
            "The county office responsible for environment, water and natural resources. It "
            "co-chairs the partnership's steering group and folds agreed actions into the "
            "county integrated development plan."
        ),
    },
    {
        "slug": "asociacion-campesina-rio-claro",
        "name": "Asociación Campesina del Río Claro",
        "type": "community",
        "country": "CO",
        "description": (
            "Una asociación de familias campesinas de la cuenca alta del río Cauca que cultivan "
            "café, plátano y caña panelera, y que cuidan los nacimientos de agua de sus veredas."
        ),
    },
    {
        "slug": "fondo-cuenca-viva",
        "name": "Fondo Cuenca Viva",
        "type": "finance",
        "country": "CO",
        "description": (
            "A water fund that pools contributions from downstream water users and channels "
            "them into conservation agreements with upstream farming families."
        ),
    },
    {
        "slug": "andean-landscapes-institute",
        "name": "Andean Landscapes Institute",
        "type": "research",
        "country": "PE",
        "description": (
            "A research and training institute working on mountain watersheds across the "
            "Andes, from hydrological monitoring to participatory land-use planning."
        ),
    },
    {
        "slug": "borneo-watershed-forum",
        "name": "Borneo Watershed Forum",
        "type": "ngo",
        "country": "ID",
        "description": (
            "A network of village facilitators, hydrologists and lawyers supporting peatland "
            "communities in Central Kalimantan to restore drained peat and secure their land "
            "rights."
        ),
    },
    {
        "slug": "kahayan-village-fire-care-network",
        "name": "Kahayan Village Fire Care Network",
        "type": "community",
        "country": "ID",
        "description": (
            "Volunteer fire-care groups from twenty-three villages along the Kahayan river who "
            "patrol, maintain canal blocks and monitor groundwater levels in the dry season."
        ),
    },
    {
        "slug": "sungai-hijau-rubber-cooperative",
        "name": "Sungai Hijau Rubber Cooperative",
        "type": "business",
        "country": "ID",
        "description": (
            "A smallholder cooperative that buys, grades and sells rubber, purun sedge mats "
            "and liberica coffee grown on rewetted peat without burning."
        ),
    },
    {
        "slug": "cooperativa-montado-vivo",
        "name": "Cooperativa Montado Vivo",
        "type": "business",
        "country": "PT",
        "description": (
            "A cooperative of cork, livestock and honey producers in the Alentejo who market "
            "montado products together under a shared landscape label."
        ),
    },
    {
        "slug": "centro-estudos-paisagem-mediterranica",
        "name": "Centro de Estudos da Paisagem Mediterrânica",
        "type": "research",
        "country": "PT",
        "description": (
            "An independent research centre studying oak regeneration, soil carbon and "
            "grazing in Mediterranean agro-silvo-pastoral systems."
        ),
    },
    {
        "slug": "cooperative-nakhla-femmes-draa",
        "name": "Coopérative Nakhla des Femmes du Drâa",
        "type": "community",
        "country": "MA",
        "description": (
            "Une coopérative de femmes qui conditionne et vend les dattes, la pâte de dattes "
            "et le henné des palmeraies du moyen Drâa."
        ),
    },
    {
        "slug": "association-khettara-vivante",
        "name": "Association Khettara Vivante",
        "type": "ngo",
        "country": "MA",
        "description": (
            "An association that documents and restores khettaras, the underground irrigation "
            "channels of southern Morocco, with the families who hold the water rights."
        ),
    },
    {
        "slug": "vanua-ba-catchment-committee",
        "name": "Vanua Ba Catchment Committee",
        "type": "community",
        "country": "FJ",
        "description": (
            "Representatives of the landowning clans, farmers and fishers of the Ba river "
            "catchment who plan replanting and river care together."
        ),
    },
    {
        "slug": "pacific-landscape-resilience-facility",
        "name": "Pacific Landscape Resilience Facility",
        "type": "finance",
        "country": "FJ",
        "description": (
            "A blended-finance facility that lends to community enterprises restoring "
            "catchments and coasts in Pacific island countries."
        ),
    },
]

PARTNERSHIPS: list[dict] = [
    {
        "slug": "mount-kenya-landscape",
        "name": "Mount Kenya Southern Slopes Landscape Partnership",
        "country": "KE",
        "region": "africa",
        "latitude": "-0.42000",
        "longitude": "37.10000",
        "area_hectares": "220000.0",
        "organisations": [
            "nyeri-smallholder-water-users",
            "mount-kenya-forest-stewardship-trust",
            "highlands-county-environment-directorate",
        ],
        "description": (
            "The southern slopes of Mount Kenya feed the rivers that supply water and "
            "hydropower to millions of people downstream. Tea, coffee and dairy smallholders "
            "farm right up to the forest edge, and many streams now run brown after rain.\n\n"
            "Since 2017 water users' associations, a forest trust and the county environment "
            "directorate have met every quarter to agree where to protect springs, restore "
            "riparian strips and plant trees on farms. Each partner brings something the "
            "others lack: members on the ground, nurseries and technical staff, or the "
            "county budget.\n\n"
            "The partnership measures turbidity at twelve river points and publishes the "
            "results at its open meetings."
        ),
    },
    {
        "slug": "cauca-river-watershed",
        "name": "Upper Cauca River Watershed Alliance",
        "country": "CO",
        "region": "latin-america",
        "latitude": "2.44000",
        "longitude": "-76.61000",
        "area_hectares": "450000.0",
        "organisations": [
            "asociacion-campesina-rio-claro",
            "fondo-cuenca-viva",
            "andean-landscapes-institute",
        ],
        "description": (
            "The Cauca river rises in the páramos of the Colombian Massif and runs north "
            "through a valley of sugar cane, coffee and growing towns. Upstream families "
            "guard the springs; downstream users depend on them.\n\n"
            "The alliance brings campesino and indigenous organisations, a water fund and "
            "researchers together to agree conservation in exchange for support that farming "
            "families choose: fencing, water tanks, shade trees or school supplies.\n\n"
            "It works in Spanish first, and keeps its agreements and monitoring data open to "
            "every member."
        ),
    },
    {
        "slug": "kalimantan-peatlands",
        "name": "Central Kalimantan Peatlands Partnership",
        "country": "ID",
        "region": "asia",
        "latitude": "-2.21000",
        "longitude": "113.92000",
        "area_hectares": "310000.0",
        "organisations": [
            "borneo-watershed-forum",
            "kahayan-village-fire-care-network",
            "sungai-hijau-rubber-cooperative",
        ],
        "description": (
            "Between the Kahayan and Sebangau rivers lie deep peat domes drained by canals "
            "dug in the 1990s. Dry peat burns, and the smoke of bad fire years reaches cities "
            "hundreds of kilometres away.\n\n"
            "Villages, a watershed forum and a smallholder cooperative work together to block "
            "canals, keep the water table high and grow crops that do not need drained land. "
            "Fire-care volunteers read groundwater loggers every week of the dry season.\n\n"
            "The partnership's rule is simple: no plan for a village's land without that "
            "village at the table."
        ),
    },
    {
        "slug": "alentejo-montado-landscape",
        "name": "Alentejo Montado Landscape Partnership",
        "country": "PT",
        "region": "europe",
        "latitude": "38.57000",
        "longitude": "-7.91000",
        "area_hectares": "180000.0",
        "organisations": ["cooperativa-montado-vivo", "centro-estudos-paisagem-mediterranica"],
        "description": (
            "The montado is a working woodland of cork and holm oaks, grazed pasture and "
            "cereal patches that has shaped southern Portugal for centuries. Ageing trees, "
            "drought and heavy grazing mean that too few young oaks take their place.\n\n"
            "Producers and researchers in the partnership test rotational grazing, protect "
            "natural regeneration and sell cork, acorn-fed pork and honey under one landscape "
            "label that pays for the work."
        ),
    },
    {
        "slug": "draa-valley-oases",
        "name": "Middle Drâa Oases Partnership",
        "country": "MA",
        "region": "middle-east",
        "latitude": "30.33000",
        "longitude": "-5.84000",
        "area_hectares": "95000.0",
        "organisations": ["cooperative-nakhla-femmes-draa", "association-khettara-vivante"],
        "description": (
            "South of the High Atlas, the Drâa valley holds a chain of palm groves fed by the "
            "river, wells and khettaras. Longer droughts, falling groundwater and bayoud "
            "disease threaten the date palms and the families who live from them.\n\n"
            "Women's cooperatives, water-rights holders and a local association restore "
            "khettaras, replant resistant palm varieties and add value to dates close to "
            "where they are grown.\n\n"
            "Meetings are held in Darija, Tamazight and French, and decisions on water stay "
            "with the customary water councils."
        ),
    },
    {
        "slug": "ba-river-catchment",
        # The one open partnership of the demo: anyone signed in joins with one button.
        "open_to_join": True,
        "name": "Ba River Ridge-to-Reef Partnership",
        "country": "FJ",
        "region": "oceania",
        "latitude": "-17.55000",
        "longitude": "177.68000",
        "area_hectares": "93700.0",
        "organisations": ["vanua-ba-catchment-committee", "pacific-landscape-resilience-facility"],
        "description": (
            "The Ba river drains the western highlands of Viti Levu through sugar cane farms "
            "to a delta of mangroves and fishing grounds. Floods after cyclones carry soil "
            "from bare hillsides onto the reef.\n\n"
            "Landowning clans, farmers, fishers and a resilience finance facility plan the "
            "catchment as one system, from replanting upland slopes to protecting the "
            "mangroves at the river mouth."
        ),
    },
]

#: Which existing demo logins (network.demo.DEMO_USERS) belong where, and in what role.
DEMO_LOGIN_MEMBERSHIPS: list[tuple[str, str, str]] = [
    # username, partnership slug, role
    ("learner", "mount-kenya-landscape", "member"),
    ("trainer", "cauca-river-watershed", "coordinator"),
    ("trainer", "alentejo-montado-landscape", "member"),
    ("moderator", "kalimantan-peatlands", "member"),
    ("moderator", "ba-river-catchment", "member"),
    ("editor", "cauca-river-watershed", "member"),
    ("editor", "draa-valley-oases", "member"),
]

#: Requests to join that wait for an answer: username, partnership slug, message. The demo
#: trainer coordinates Cauca, so signing in as them shows a request on the coordinators' page.
DEMO_JOIN_REQUESTS: list[tuple[str, str, str]] = [
    (
        "learner",
        "cauca-river-watershed",
        "I work on watershed restoration in Kenya and would like to learn from your water funds.",
    ),
]

#: Organisation memberships of the demo logins: username, organisation slug, role, job title.
DEMO_LOGIN_ORGANISATIONS: list[tuple[str, str, str, str]] = [
    ("trainer", "andean-landscapes-institute", "staff", "Training lead"),
    ("moderator", "borneo-watershed-forum", "staff", "Community facilitator"),
]

#: People who fill the partnerships. They cannot log in (unusable password): they exist so
#: member lists, profiles and privacy settings have something real-looking to show.
DEMO_MEMBERS: list[dict] = [
    {
        "username": "wanjiru",
        "display_name": "Wanjiru Mwangi",
        "country": "KE",
        "languages": ["en", "sw"],
        "visibility": "public",
        "organisation": "nyeri-smallholder-water-users",
        "organisation_role": "representative",
        "title": "Chairperson",
        "partnerships": [("mount-kenya-landscape", "coordinator")],
        "bio": "Dairy farmer and chair of a water users' association. I care about springs.",
    },
    {
        "username": "otieno",
        "display_name": "Daniel Otieno",
        "country": "KE",
        "languages": ["en", "sw"],
        "visibility": "members",
        "organisation": "mount-kenya-forest-stewardship-trust",
        "organisation_role": "staff",
        "title": "Nursery manager",
        "partnerships": [("mount-kenya-landscape", "member")],
        "bio": "I run three tree nurseries and keep records of what survives after planting.",
    },
    {
        "username": "lucia",
        "display_name": "Lucía Morales Quintero",
        "country": "CO",
        "languages": ["es"],
        "visibility": "public",
        "organisation": "asociacion-campesina-rio-claro",
        "organisation_role": "representative",
        "title": "Coordinadora",
        "partnerships": [("cauca-river-watershed", "coordinator")],
        "bio": "Caficultora y lideresa comunitaria. Coordino los acuerdos por el agua.",
    },
    {
        "username": "andres",
        "display_name": "Andrés Yatacué",
        "country": "CO",
        "languages": ["es"],
        "visibility": "private",
        "organisation": "fondo-cuenca-viva",
        "organisation_role": "staff",
        "title": "Oficial de acuerdos",
        "partnerships": [("cauca-river-watershed", "member")],
        "bio": "",
    },
    {
        "username": "siti",
        "display_name": "Siti Rahmawati",
        "country": "ID",
        "languages": ["id", "en"],
        "visibility": "public",
        "organisation": "borneo-watershed-forum",
        "organisation_role": "representative",
        "title": "Programme director",
        "partnerships": [("kalimantan-peatlands", "coordinator")],
        "bio": "Hydrologist turned facilitator. Fifteen years on the peat of Central Kalimantan.",
    },
    {
        "username": "budi",
        "display_name": "Budi Santoso",
        "country": "ID",
        "languages": ["id"],
        "visibility": "members",
        "organisation": "sungai-hijau-rubber-cooperative",
        "organisation_role": "member",
        "title": "",
        "partnerships": [("kalimantan-peatlands", "member")],
        "bio": "Rubber and purun farmer, treasurer of our village fire-care group.",
    },
    {
        "username": "ines",
        "display_name": "Inês Carvalho",
        "country": "PT",
        "languages": ["pt", "en", "es"],
        "visibility": "public",
        "organisation": "cooperativa-montado-vivo",
        "organisation_role": "representative",
        "title": "Presidente da direção",
        "partnerships": [("alentejo-montado-landscape", "coordinator")],
        "bio": "Produtora de cortiça e mel em Montemor-o-Novo.",
    },
    {
        "username": "joao",
        "display_name": "João Prates",
        "country": "PT",
        "languages": ["pt", "en"],
        "visibility": "private",
        "organisation": "centro-estudos-paisagem-mediterranica",
        "organisation_role": "staff",
        "title": "Investigador",
        "partnerships": [("alentejo-montado-landscape", "member")],
        "bio": "",
    },
    {
        "username": "fatima",
        "display_name": "Fatima Zahra Ait Ouahmane",
        "country": "MA",
        "languages": ["ar", "fr"],
        "visibility": "public",
        "organisation": "cooperative-nakhla-femmes-draa",
        "organisation_role": "representative",
        "title": "Présidente",
        "partnerships": [("draa-valley-oases", "coordinator")],
        "bio": "Présidente d'une coopérative de femmes qui transforme les dattes du Drâa.",
    },
    {
        "username": "youssef",
        "display_name": "Youssef Benali",
        "country": "MA",
        "languages": ["ar", "fr", "en"],
        "visibility": "members",
        "organisation": "association-khettara-vivante",
        "organisation_role": "staff",
        "title": "Chargé de projet",
        "partnerships": [("draa-valley-oases", "member")],
        "bio": "I map khettaras and help water councils plan their repair.",
    },
    {
        "username": "mereani",
        "display_name": "Mereani Tuilau",
        "country": "FJ",
        "languages": ["en"],
        "visibility": "public",
        "organisation": "vanua-ba-catchment-committee",
        "organisation_role": "representative",
        "title": "Secretary",
        "partnerships": [("ba-river-catchment", "coordinator")],
        "bio": "From the highlands of Ba. Planting back what the cyclone took.",
    },
    {
        "username": "josefa",
        "display_name": "Josefa Naivalu",
        "country": "FJ",
        "languages": ["en"],
        "visibility": "private",
        "organisation": "pacific-landscape-resilience-facility",
        "organisation_role": "staff",
        "title": "Investment officer",
        "partnerships": [("ba-river-catchment", "member"), ("kalimantan-peatlands", "member")],
        "bio": "",
    },
]

#: What each demo partnership's landscape is: status, year founded, and the library's terms
#: (slugs of ``library.vocabulary_data``). The boundary itself is drawn by ``network.demo``
#: around the partnership's point, about as large as its ``area_hectares``.
LANDSCAPES: dict[str, dict] = {
    "mount-kenya-landscape": {
        "status": "active",
        "year_founded": 2017,
        "themes": ["watershed-management", "restoration", "agroforestry"],
        "ecosystems": ["mountains", "tropical-forest", "farmland"],
        "sdgs": [6, 15],
    },
    "cauca-river-watershed": {
        "status": "active",
        "year_founded": 2012,
        "themes": ["watershed-management", "finance", "governance"],
        "ecosystems": ["freshwater", "mountains"],
        "sdgs": [6, 13],
    },
    "kalimantan-peatlands": {
        "status": "active",
        "year_founded": 2016,
        "themes": ["restoration", "climate-adaptation", "value-chains"],
        "ecosystems": ["wetlands", "tropical-forest"],
        "sdgs": [13, 15],
    },
    "alentejo-montado-landscape": {
        "status": "forming",
        "year_founded": 2023,
        "themes": ["agroforestry", "biodiversity"],
        "ecosystems": ["drylands", "farmland"],
        "sdgs": [2, 15],
    },
    "draa-valley-oases": {
        "status": "active",
        "year_founded": 2019,
        "themes": ["gender-inclusion", "land-tenure", "climate-adaptation"],
        "ecosystems": ["drylands"],
        "sdgs": [5, 6],
    },
    "ba-river-catchment": {
        "status": "dormant",
        "year_founded": 2014,
        "themes": ["monitoring", "governance"],
        "ecosystems": ["mangroves", "freshwater"],
        "sdgs": [14, 15],
    },
}
