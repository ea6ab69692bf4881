"""Demo data for the library: case studies, resources and the generated pictures they use.

Plain data only, so the seed (``library.demo``) and its tests read the same lists. The stories
are invented but written to be plausible: real places, invented organisations (their slugs are
those of ``network.demo_content``) and people quoted by first name only. Links point at
example.org and never at a real download.

Body blocks are tuples: ``("heading", text)``, ``("paragraph", html)``,
``("quote", text, attribution)`` and ``("figure", image_key, alt_text, caption)``.
"""

from __future__ import annotations

#: Generated landscape pictures (drawn by ``library.demo``): key -> title and colours.
#: Colours: sky top, sky bottom, far hills, near hills, ground, and the sun or moon.
IMAGES: dict[str, dict] = {
    "highlands": {
        "title": "Demo picture: green highlands at dawn",
        "colours": ["#f7c59f", "#fde8c8", "#7a9e7e", "#4f7752", "#2f5233", "#fff1d0"],
        "shape": "hills",
    },
    "valley": {
        "title": "Demo picture: river valley below the mountains",
        "colours": ["#8ec5e8", "#dff1fb", "#8a9bb0", "#5d8a5a", "#3b6b3f", "#ffffff"],
        "shape": "river",
    },
    "peat-forest": {
        "title": "Demo picture: peat swamp forest and blackwater",
        "colours": ["#b9d7c9", "#eef5ef", "#4c7a5d", "#2f5d43", "#1e3b2c", "#f4f1de"],
        "shape": "forest",
    },
    "oak-savanna": {
        "title": "Demo picture: cork oaks on golden pasture",
        "colours": ["#9fc6e7", "#e8f2f9", "#b7a66b", "#c9a94f", "#a98b3d", "#fff7d6"],
        "shape": "trees",
    },
    "oasis": {
        "title": "Demo picture: palm grove below desert hills",
        "colours": ["#f2a65a", "#fbe3b9", "#c98b58", "#d9a86c", "#6f8f4e", "#fff4d6"],
        "shape": "palms",
    },
    "coast": {
        "title": "Demo picture: mangrove coast at low tide",
        "colours": ["#6fb7d6", "#d6eef6", "#5f8f7a", "#3e7a5e", "#4a90a8", "#ffffff"],
        "shape": "coast",
    },
}

CASE_STUDIES: list[dict] = [
    {
        "slug": "riparian-buffers-mount-kenya",
        "locale": "en",
        "title": "Riparian buffers and protected springs on Mount Kenya's southern slopes",
        "summary": (
            "Water users' associations, a forest trust and the county agreed where to fence "
            "springs and replant stream banks. Six years on, 640 hectares of riparian land are "
            "recovering and the streams run clearer after rain."
        ),
        "country": "KE",
        "region": "africa",
        "latitude": "-0.41000",
        "longitude": "36.98000",
        "area_hectares": "640.0",
        "year": 2018,
        "themes": ["watershed-management", "restoration", "monitoring"],
        "ecosystems": ["mountains", "freshwater"],
        "sdgs": [6, 15, 17],
        "outcomes": [
            ("Riparian land under restoration", "640", "ha"),
            ("Springs protected and fenced", "112", "springs"),
            ("Drop in dry-season turbidity", "38", "%"),
        ],
        "tags": ["springs", "riparian buffers", "water users"],
        "partners": [
            "nyeri-smallholder-water-users",
            "mount-kenya-forest-stewardship-trust",
            "highlands-county-environment-directorate",
        ],
        "partnership": "mount-kenya-landscape",
        "hero_image": "highlands",
        "body": [
            ("heading", "Why the streams ran brown"),
            (
                "paragraph",
                "<p>By 2017 most farms on the southern slopes were cultivated right down to "
                "the water. Cattle drank straight from the streams, banks collapsed in the long "
                "rains and intakes for community water projects clogged with silt every "
                "April.</p>",
            ),
            ("heading", "What the partners agreed"),
            (
                "paragraph",
                "<p>Each water users' association mapped its springs and the stream sections "
                "most trampled by livestock. The forest trust raised indigenous seedlings, the "
                "county paid for fencing wire and cattle troughs, and farmers gave up a strip "
                "of ten metres on each bank in exchange for fodder grass and fruit trees.</p>"
                "<p>Agreements were written per sub-catchment, read aloud at barazas and "
                "signed by every household whose land touches the stream.</p>",
            ),
            (
                "quote",
                "We lost a little land at the river, but now the tank fills clean and the "
                "women do not walk to the far spring in February.",
                "Member of a water users' association, Othaya",
            ),
            (
                "paragraph",
                "<p>Volunteers measure turbidity at twelve points every fortnight with simple "
                "tubes. The readings are discussed at the partnership's quarterly meeting, and "
                "sections that stay brown get the next round of fencing.</p>",
            ),
        ],
    },
    {
        "slug": "smallholder-agroforestry-embu",
        "locale": "en",
        "title": "Fruit and timber trees on smallholder farms around Embu",
        "summary": (
            "Smallholders planted avocado, macadamia and grevillea along terraces and "
            "boundaries. Women's groups run the nurseries and sell seedlings, and a collective "
            "avocado contract now pays better than selling at the farm gate."
        ),
        "country": "KE",
        "region": "africa",
        "latitude": "-0.53000",
        "longitude": "37.45000",
        "area_hectares": "1850.0",
        "year": 2020,
        "themes": ["agroforestry", "value-chains", "gender-inclusion"],
        "ecosystems": ["farmland"],
        "sdgs": [1, 2, 5],
        "outcomes": [
            ("Trees planted on farms", "84000", "trees"),
            ("Households with a collective avocado contract", "620", "households"),
            ("Seedling sales by women's nursery groups", "1.9", "million KES"),
        ],
        "tags": ["avocado", "tree nurseries", "women's groups"],
        "partners": ["mount-kenya-forest-stewardship-trust", "nyeri-smallholder-water-users"],
        "partnership": "mount-kenya-landscape",
        "hero_image": None,
        "body": [
            ("heading", "Trees that pay their way"),
            (
                "paragraph",
                "<p>Farmers were willing to plant trees, but only trees that earn money or "
                "feed the family. The partnership dropped its first species list and let each "
                "farmer group choose from twenty species, with advice on spacing so trees do "
                "not shade the maize.</p>",
            ),
            (
                "paragraph",
                "<p>Eleven women's groups took over seedling production. They graft avocado "
                "themselves and sell to neighbours, schools and the county greening "
                "programme, which has made the nurseries independent of project money.</p>",
            ),
            (
                "quote",
                "The grafted avocado fruits in the third year. That is what convinced my "
                "husband to give me the boundary for trees.",
                "Nursery group member, Manyatta",
            ),
            ("heading", "Selling together"),
            (
                "paragraph",
                "<p>Buyers offered better prices for large, graded lots. Six hundred and "
                "twenty households now pool their fruit through two collection centres and "
                "share the cost of a grading table and a cooler.</p>",
            ),
        ],
    },
    {
        "slug": "acuerdos-reciprocos-agua-cauca",
        "locale": "es",
        "title": "Acuerdos recíprocos por el agua en la cuenca alta del río Cauca",
        "summary": (
            "Familias campesinas de la parte alta conservan bosque y nacimientos; los usuarios "
            "de agua de la parte baja aportan a un fondo que les entrega lo que cada familia "
            "elige: cercas, tanques, árboles de sombra o útiles escolares."
        ),
        "country": "CO",
        "region": "latin-america",
        "latitude": "2.38000",
        "longitude": "-76.45000",
        "area_hectares": "5200.0",
        "year": 2016,
        "themes": ["finance", "watershed-management", "governance"],
        "ecosystems": ["mountains", "freshwater"],
        "sdgs": [6, 15, 17],
        "outcomes": [
            ("Bosque y páramo bajo acuerdo", "5200", "ha"),
            ("Familias con acuerdo firmado", "430", "familias"),
            ("Aporte anual de usuarios aguas abajo", "310", "millones COP"),
        ],
        "tags": ["acuerdos por el agua", "fondo de agua", "páramo"],
        "partners": ["asociacion-campesina-rio-claro", "fondo-cuenca-viva"],
        "partnership": "cauca-river-watershed",
        "hero_image": "valley",
        "body": [
            ("heading", "Un acuerdo entre vecinos"),
            (
                "paragraph",
                "<p>Los acueductos veredales y el de la ciudad dependen de los mismos "
                "nacimientos. En lugar de comprar tierras, la alianza propuso acuerdos "
                "voluntarios: cada familia decide cuántas hectáreas de bosque conserva y qué "
                "apoyo recibe a cambio.</p>",
            ),
            (
                "paragraph",
                "<p>Los acuerdos duran cinco años y se revisan en asamblea. El fondo paga "
                "materiales, no dinero en efectivo, y publica cada año cuánto recibió y "
                "dónde lo invirtió.</p>",
            ),
            (
                "quote",
                "Antes el agua era problema de los de abajo. Ahora nos sentamos juntos y cada "
                "uno pone su parte.",
                "Lucía, coordinadora de la asociación campesina",
            ),
            ("heading", "Lo que aprendimos"),
            (
                "paragraph",
                "<p>Los acuerdos funcionaron mejor donde la junta de acción comunal hizo el "
                "seguimiento. Donde el seguimiento quedó en manos de técnicos externos, las "
                "cercas se deterioraron más rápido.</p>",
            ),
        ],
    },
    {
        "slug": "cafe-bajo-sombra-corredores-cauca",
        "locale": "es",
        "title": "Café bajo sombra y corredores de bosque en las laderas del Cauca",
        "summary": (
            "Caficultores del Cauca sembraron guamo, nogal cafetero y especies nativas para "
            "conectar fragmentos de bosque. Un sobreprecio por café de origen conservado "
            "financia el vivero comunitario."
        ),
        "country": "CO",
        "region": "latin-america",
        "latitude": "2.42000",
        "longitude": "-76.81000",
        "area_hectares": "760.0",
        "year": 2019,
        "themes": ["agroforestry", "biodiversity", "value-chains"],
        "ecosystems": ["tropical-forest", "farmland"],
        "sdgs": [8, 12, 15],
        "outcomes": [
            ("Cafetales con sombra diversificada", "760", "ha"),
            ("Corredores de bosque restablecidos", "14", "km"),
            ("Especies de aves registradas en los corredores", "126", "especies"),
        ],
        "tags": ["café", "corredores biológicos", "aves"],
        "partners": ["asociacion-campesina-rio-claro", "andean-landscapes-institute"],
        "partnership": "cauca-river-watershed",
        "hero_image": None,
        "body": [
            ("heading", "Sombra que conecta"),
            (
                "paragraph",
                "<p>Los fragmentos de bosque de las laderas estaban aislados entre cafetales "
                "a pleno sol. Las familias eligieron sembrar sombra en las franjas que unen "
                "esos fragmentos, siguiendo las quebradas.</p>",
            ),
            (
                "paragraph",
                "<p>Jóvenes de las veredas aprendieron a registrar aves con el instituto. Sus "
                "conteos de cada semestre muestran especies de bosque usando los cafetales "
                "sombreados, algo que los compradores valoran y pagan.</p>",
            ),
            (
                "quote",
                "El café bajo sombra madura más despacio, pero la taza es mejor y la finca "
                "ya no se lava con los aguaceros.",
                "Caficultor de El Tambo",
            ),
        ],
    },
    {
        "slug": "school-water-brigades-cauca-valley",
        "locale": "en",
        "title": "School water brigades monitor streams in the Cauca valley",
        "summary": (
            "Secondary-school students test stream water every month with simple kits and "
            "share the results with their water boards. Their data found three sewage "
            "discharges and is now part of the watershed's official monitoring."
        ),
        "country": "CO",
        "region": "latin-america",
        "latitude": "3.90000",
        "longitude": "-76.30000",
        "area_hectares": "12000.0",
        "year": 2022,
        "themes": ["monitoring", "watershed-management", "governance"],
        "ecosystems": ["freshwater"],
        "sdgs": [4, 6, 11],
        "outcomes": [
            ("Schools running a water brigade", "18", "schools"),
            ("Monitoring points sampled monthly", "46", "points"),
            ("Sewage discharges found and closed", "3", "discharges"),
        ],
        "tags": ["citizen science", "schools", "water quality"],
        "partners": ["andean-landscapes-institute", "fondo-cuenca-viva"],
        "partnership": "cauca-river-watershed",
        "hero_image": "valley",
        "body": [
            ("heading", "Students with test kits"),
            (
                "paragraph",
                "<p>Each brigade of ten students adopts two or three points on a stream near "
                "the school. Once a month they measure temperature, pH, dissolved oxygen and "
                "turbidity, and count the insects they find under stones.</p>",
            ),
            (
                "paragraph",
                "<p>Teachers fold the work into science and mathematics classes. The results "
                "go into a shared spreadsheet that the institute checks and publishes every "
                "quarter.</p>",
            ),
            (
                "quote",
                "When the oxygen dropped below the stream's usual range we walked up the bank "
                "and found the pipe. The water board closed it in two weeks.",
                "Student, grade ten",
            ),
            ("heading", "From classroom to water board"),
            (
                "paragraph",
                "<p>Brigades present their findings at the water board's assembly every "
                "semester. Three discharges have been closed, and the regional authority now "
                "counts the brigades' data in its own reports.</p>",
            ),
        ],
        "translation_es": {
            "title": "Brigadas escolares del agua monitorean quebradas en el valle del Cauca",
            "summary": (
                "Estudiantes de secundaria analizan el agua de las quebradas cada mes con kits "
                "sencillos y comparten los resultados con sus juntas de acueducto. Sus datos "
                "encontraron tres vertimientos y ya forman parte del monitoreo oficial de la "
                "cuenca."
            ),
        },
    },
    {
        "slug": "rewetting-peat-canal-blocks-kalimantan",
        "locale": "en",
        "title": "Rewetting drained peat with community-built canal blocks",
        "summary": (
            "Villagers along the Kahayan river built 240 canal blocks from local timber and "
            "sandbags, raising the water table across 9,000 hectares of drained peat. Fire "
            "hotspots in the blocked area fell sharply in the 2023 dry season."
        ),
        "country": "ID",
        "region": "asia",
        "latitude": "-2.35000",
        "longitude": "114.05000",
        "area_hectares": "9000.0",
        "year": 2017,
        "themes": ["restoration", "monitoring", "climate-adaptation"],
        "ecosystems": ["wetlands"],
        "sdgs": [3, 13, 15],
        "outcomes": [
            ("Canal blocks built and maintained by villages", "240", "blocks"),
            ("Peat with a raised water table", "9000", "ha"),
            ("Fewer fire hotspots than in 2019", "71", "%"),
        ],
        "tags": ["peat", "canal blocking", "fire prevention"],
        "partners": ["borneo-watershed-forum", "kahayan-village-fire-care-network"],
        "partnership": "kalimantan-peatlands",
        "hero_image": "peat-forest",
        "body": [
            ("heading", "Water is the firebreak"),
            (
                "paragraph",
                "<p>Dry peat burns underground for weeks. The canals that drained it also "
                "carried boats and timber, so villages wanted some left open. Each village "
                "decided which canals to block fully, which to fit with a gate, and which to "
                "keep for transport.</p>",
            ),
            (
                "figure",
                "peat-forest",
                "Illustration: dark swamp forest standing in still blackwater under a pale sky",
                "Blocked canals hold water in the peat through the dry season (illustration).",
            ),
            (
                "paragraph",
                "<p>Blocks are built by village teams in the dry months, when the water is "
                "low. Fire-care volunteers read groundwater loggers every week and repair "
                "blocks that leak.</p>",
            ),
            (
                "quote",
                "The loggers told us the water stays forty centimetres higher behind the "
                "block. Now we know which block to fix first.",
                "Fire-care volunteer, Kahayan river",
            ),
        ],
        "translation_es": {
            "title": "Rehumedecer la turba drenada con diques construidos por las comunidades",
            "summary": (
                "Pobladores del río Kahayan construyeron 240 diques con madera local y sacos "
                "de arena, y elevaron el nivel freático en 9.000 hectáreas de turba drenada. "
                "Los focos de incendio en la zona bloqueada cayeron con fuerza en la estación "
                "seca de 2023."
            ),
        },
    },
    {
        "slug": "paludiculture-rewetted-peat",
        "locale": "en",
        "title": "Paludiculture: crops that grow on rewetted peat",
        "summary": (
            "On rewetted peat, farmers grow purun sedge, liberica coffee and jelutong instead "
            "of crops that need drainage. A cooperative buys and markets the harvest, so "
            "keeping the peat wet also pays."
        ),
        "country": "ID",
        "region": "asia",
        "latitude": "-2.74000",
        "longitude": "114.26000",
        "area_hectares": "1300.0",
        "year": 2021,
        "themes": ["value-chains", "agroforestry", "restoration"],
        "ecosystems": ["wetlands", "tropical-forest"],
        "sdgs": [1, 8, 15],
        "outcomes": [
            ("Rewetted peat under paludiculture", "1300", "ha"),
            ("Farmers selling through the cooperative", "410", "farmers"),
            ("Purun mats sold", "26000", "mats"),
        ],
        "tags": ["paludiculture", "purun", "cooperatives"],
        "partners": ["sungai-hijau-rubber-cooperative", "borneo-watershed-forum"],
        "partnership": "kalimantan-peatlands",
        "hero_image": None,
        "body": [
            ("heading", "Farming without drainage"),
            (
                "paragraph",
                "<p>Oil palm and acacia need the water table lowered, which dries the peat "
                "and makes it burn. Paludiculture uses plants that tolerate wet soil. Purun "
                "sedge has been woven into mats by Dayak and Banjar women for generations; "
                "liberica coffee and jelutong trees add income over the longer term.</p>",
            ),
            (
                "paragraph",
                "<p>The cooperative guarantees a floor price for purun and trains weavers in "
                "new designs for city buyers. It also runs a small credit line for seedlings, "
                "repaid after the first harvest.</p>",
            ),
            (
                "quote",
                "My mother wove purun for our own floor. Now my daughter sells our mats to a "
                "shop in Jakarta.",
                "Weaver and cooperative member",
            ),
        ],
    },
    {
        "slug": "regeneracao-natural-montado",
        "locale": "pt",
        "title": "Regeneração natural do montado com pastoreio rotativo",
        "summary": (
            "Produtores do Alentejo dividiram as herdades em parcelas e passaram a mudar o "
            "gado de sítio a cada poucos dias. Com períodos de descanso e proteção das plantas "
            "jovens, milhares de sobreiros e azinheiras voltaram a nascer."
        ),
        "country": "PT",
        "region": "europe",
        "latitude": "38.65000",
        "longitude": "-8.21000",
        "area_hectares": "3400.0",
        "year": 2015,
        "themes": ["restoration", "biodiversity", "climate-adaptation"],
        "ecosystems": ["temperate-forest", "grasslands"],
        "sdgs": [12, 13, 15],
        "outcomes": [
            ("Montado sob pastoreio rotativo", "3400", "ha"),
            ("Árvores jovens protegidas", "12500", "árvores"),
            ("Aumento da matéria orgânica do solo", "0.6", "pontos percentuais"),
        ],
        "tags": ["montado", "pastoreio rotativo", "sobreiro"],
        "partners": ["cooperativa-montado-vivo", "centro-estudos-paisagem-mediterranica"],
        "partnership": "alentejo-montado-landscape",
        "hero_image": "oak-savanna",
        "body": [
            ("heading", "Um montado sem árvores novas"),
            (
                "paragraph",
                "<p>Em muitas herdades, a última geração de sobreiros nasceu há mais de "
                "cinquenta anos. O gado permanente come as plantas jovens e compacta o solo, "
                "e a seca mata as que escapam.</p>",
            ),
            (
                "figure",
                "oak-savanna",
                "Ilustração: sobreiros dispersos sobre pastagem dourada sob um céu azul",
                "O montado alentejano, com pastagem sob o coberto das árvores (ilustração).",
            ),
            (
                "paragraph",
                "<p>Com cercas elétricas móveis, o gado passa poucos dias em cada parcela e "
                "só volta quando o pasto recuperou. As plantas jovens mais promissoras são "
                "marcadas e protegidas com tubos ou ramos de esteva.</p>",
            ),
            (
                "quote",
                "Ao terceiro ano começámos a ver sobreirinhos em sítios onde não nascia nada "
                "desde o tempo do meu avô.",
                "Inês, produtora de cortiça em Montemor-o-Novo",
            ),
        ],
    },
    {
        "slug": "montado-landscape-label",
        "locale": "en",
        "title": "A landscape label for cork, acorn-fed pork and honey",
        "summary": (
            "Montado producers created a shared label that certifies products from farms "
            "meeting regeneration and grazing rules. A share of every sale goes to a "
            "landscape fund that pays for fencing and young trees."
        ),
        "country": "PT",
        "region": "europe",
        "latitude": "38.01000",
        "longitude": "-7.86000",
        "area_hectares": "21000.0",
        "year": 2023,
        "themes": ["value-chains", "finance", "governance"],
        "ecosystems": ["temperate-forest", "grasslands"],
        "sdgs": [8, 12, 17],
        "outcomes": [
            ("Farms certified under the label", "38", "farms"),
            ("Land managed under the label's rules", "21000", "ha"),
            ("Raised for the landscape fund in the first year", "84000", "EUR"),
        ],
        "tags": ["landscape label", "cork", "certification"],
        "partners": ["cooperativa-montado-vivo", "centro-estudos-paisagem-mediterranica"],
        "partnership": "alentejo-montado-landscape",
        "hero_image": "oak-savanna",
        "body": [
            ("heading", "One label, many products"),
            (
                "paragraph",
                "<p>No single product of the montado pays for its care. Cork is harvested "
                "every nine years, pork once a year, honey every spring. The partnership "
                "decided to sell them together under one label that tells buyers the whole "
                "landscape story.</p>",
            ),
            (
                "paragraph",
                "<p>Farms join after a visit by a producer and a researcher, not an outside "
                "auditor. The rules are short: rotational grazing, a minimum number of young "
                "trees protected per hectare, and no ploughing under the canopy.</p>",
            ),
            (
                "quote",
                "Buyers in Lisbon ask where the honey comes from. The label lets us answer "
                "with a place, not only a brand.",
                "Beekeeper and cooperative member, Beja",
            ),
            ("heading", "Where the money goes"),
            (
                "paragraph",
                "<p>Three per cent of the label's sales go to a landscape fund. Members "
                "decide each autumn which farms receive fencing, tree guards or water points, "
                "favouring those with the fewest young trees.</p>",
            ),
        ],
    },
    {
        "slug": "rehabilitation-khettaras-draa",
        "locale": "fr",
        "title": "Réhabiliter les khettaras et partager l'eau dans la vallée du Drâa",
        "summary": (
            "Avec les ayants droit de l'eau, une association locale a curé et consolidé "
            "vingt-deux khettaras du moyen Drâa. Le débit a repris dans les galeries, et les "
            "conseils de l'eau ont actualisé les tours d'irrigation."
        ),
        "country": "MA",
        "region": "middle-east",
        "latitude": "30.33000",
        "longitude": "-5.84000",
        "area_hectares": "1150.0",
        "year": 2014,
        "themes": ["watershed-management", "governance", "climate-adaptation"],
        "ecosystems": ["drylands", "farmland"],
        "sdgs": [6, 13, 16],
        "outcomes": [
            ("Khettaras réhabilitées", "22", "khettaras"),
            ("Palmeraie irriguée par les khettaras", "1150", "ha"),
            ("Familles ayants droit", "1700", "familles"),
        ],
        "tags": ["khettara", "irrigation traditionnelle", "droits d'eau"],
        "partners": ["association-khettara-vivante", "cooperative-nakhla-femmes-draa"],
        "partnership": "draa-valley-oases",
        "hero_image": "oasis",
        "body": [
            ("heading", "Des galeries qui s'effondraient"),
            (
                "paragraph",
                "<p>Les khettaras captent l'eau de la nappe et l'amènent par gravité jusqu'à "
                "la palmeraie. Faute d'entretien et avec la baisse de la nappe, beaucoup de "
                "galeries s'étaient effondrées ou ne coulaient plus qu'en hiver.</p>",
            ),
            (
                "paragraph",
                "<p>Les travaux ont suivi les règles de chaque khettara : ce sont les ayants "
                "droit qui décident de l'ordre des chantiers et qui fournissent une partie de "
                "la main-d'œuvre. L'association apporte les relevés, le matériel et un appui "
                "pour les demandes de subvention.</p>",
            ),
            (
                "quote",
                "La khettara appartient à ceux qui l'entretiennent. Nous avons seulement aidé "
                "à remettre le travail en commun en marche.",
                "Youssef, chargé de projet de l'association",
            ),
            ("heading", "Partager une eau plus rare"),
            (
                "paragraph",
                "<p>Les conseils de l'eau ont mesuré le débit de chaque khettara après les "
                "travaux et revu les tours d'eau en conséquence. Les nouveaux tours sont "
                "affichés à la mosquée et tenus à jour chaque saison.</p>",
            ),
        ],
    },
    {
        "slug": "date-palm-cooperatives-draa",
        "locale": "en",
        "title": "Women's date cooperatives and the oasis value chain",
        "summary": (
            "Three women's cooperatives in the middle Drâa sort, pack and process dates that "
            "used to be sold in bulk at harvest. Cold storage and date paste have doubled the "
            "value members earn per kilogram."
        ),
        "country": "MA",
        "region": "middle-east",
        "latitude": "29.98000",
        "longitude": "-5.58000",
        "area_hectares": "600.0",
        "year": 2019,
        "themes": ["value-chains", "gender-inclusion", "climate-adaptation"],
        "ecosystems": ["drylands", "farmland"],
        "sdgs": [2, 5, 8],
        "outcomes": [
            ("Women members of the cooperatives", "260", "members"),
            ("Dates processed per year", "140", "tonnes"),
            ("Increase in value earned per kilogram", "105", "%"),
        ],
        "tags": ["dates", "women's cooperatives", "cold storage"],
        "partners": ["cooperative-nakhla-femmes-draa"],
        "partnership": "draa-valley-oases",
        "hero_image": "oasis",
        "body": [
            ("heading", "Selling at the worst moment"),
            (
                "paragraph",
                "<p>Most families sold their dates to traders in the weeks after harvest, "
                "when prices are lowest. Damaged and small dates were fed to animals or "
                "thrown away.</p>",
            ),
            (
                "paragraph",
                "<p>The cooperatives sort dates by variety and grade, keep the best in a "
                "shared cold room and sell them before Ramadan, when demand peaks. Lower "
                "grades become date paste and syrup sold to bakeries in Ouarzazate and "
                "Marrakech.</p>",
            ),
            (
                "quote",
                "Before, the trader set the price at our door. Now we decide when to sell.",
                "Cooperative member, Tagounite",
            ),
            ("heading", "Palms for the next drought"),
            (
                "paragraph",
                "<p>Part of the margin pays for offshoots of bayoud-resistant varieties, "
                "replanted where old palms have died. Members choose the varieties together "
                "with the water councils, so new palms go where irrigation is secure.</p>",
            ),
        ],
        "translation_es": {
            "title": "Cooperativas de mujeres y la cadena de valor del dátil en el oasis",
            "summary": (
                "Tres cooperativas de mujeres del Draa medio clasifican, envasan y "
                "transforman dátiles que antes se vendían a granel en la cosecha. La cámara "
                "de frío y la pasta de dátil han duplicado el valor que reciben las socias "
                "por kilo."
            ),
        },
    },
    {
        "slug": "ridge-to-reef-replanting-ba",
        "locale": "en",
        "title": "Ridge-to-reef replanting after the cyclone in the Ba catchment",
        "summary": (
            "After a severe cyclone stripped the upland slopes, landowning clans, farmers and "
            "fishers replanted hillsides, river banks and mangroves as one plan. Less sediment "
            "now reaches the fishing grounds at the river mouth."
        ),
        "country": "FJ",
        "region": "oceania",
        "latitude": "-17.53000",
        "longitude": "177.67000",
        "area_hectares": "2600.0",
        "year": 2017,
        "themes": ["restoration", "climate-adaptation", "land-tenure"],
        "ecosystems": ["mangroves", "tropical-forest"],
        "sdgs": [13, 14, 15],
        "outcomes": [
            ("Upland slopes and river banks replanted", "2200", "ha"),
            ("Mangroves replanted at the river mouth", "400", "ha"),
            ("Villages with a replanting plan", "27", "villages"),
        ],
        "tags": ["ridge to reef", "mangroves", "cyclone recovery"],
        "partners": ["vanua-ba-catchment-committee", "pacific-landscape-resilience-facility"],
        "partnership": "ba-river-catchment",
        "hero_image": "coast",
        "body": [
            ("heading", "One river, one plan"),
            (
                "paragraph",
                "<p>The cyclone left bare slopes in the highlands and a delta choked with "
                "mud. Fishers downstream and farmers upstream had rarely met. The catchment "
                "committee brought them to the same table, village by village, starting with "
                "the clans who hold the land.</p>",
            ),
            (
                "paragraph",
                "<p>Each village chose where to plant: native trees on the steepest slopes, "
                "bamboo and vetiver on river banks, and mangroves where the old stands had "
                "been cut for firewood.</p>",
            ),
            (
                "quote",
                "The soil that leaves our hills ends on the reef where our cousins fish. We "
                "plant for them as much as for us.",
                "Mereani, secretary of the catchment committee",
            ),
        ],
    },
    {
        "slug": "customary-land-catchment-plan-ba",
        "locale": "en",
        "title": "Customary land and a catchment management plan that clans own",
        "summary": (
            "Twelve landowning clans of the upper Ba catchment mapped their land, agreed "
            "no-clearing zones along rivers and signed a catchment plan. A revolving loan "
            "fund backs the farm enterprises the plan allows."
        ),
        "country": "FJ",
        "region": "oceania",
        "latitude": "-17.62000",
        "longitude": "177.85000",
        "area_hectares": "18400.0",
        "year": 2021,
        "themes": ["governance", "land-tenure", "finance"],
        "ecosystems": ["freshwater", "mountains"],
        "sdgs": [1, 15, 16],
        "outcomes": [
            ("Clans that signed the catchment plan", "12", "clans"),
            ("Riverside land set aside from clearing", "1450", "ha"),
            ("Loans made to community enterprises", "47", "loans"),
        ],
        "tags": ["customary land", "catchment plan", "revolving fund"],
        "partners": ["vanua-ba-catchment-committee", "pacific-landscape-resilience-facility"],
        "partnership": "ba-river-catchment",
        "hero_image": None,
        "body": [
            ("heading", "Mapping before planning"),
            (
                "paragraph",
                "<p>Most land in the upper catchment is held by clans under customary "
                "tenure. Before anyone talked about rules, each clan walked and mapped its "
                "boundaries with elders and young people together, and settled two old "
                "disputes along the way.</p>",
            ),
            (
                "paragraph",
                "<p>The plan sets riverside zones where no land is cleared and slopes where "
                "only tree crops are grown. In return, the resilience facility lends to "
                "enterprises the plan supports: honey, kava under shade and eco-tourism "
                "guiding.</p>",
            ),
            (
                "quote",
                "The plan is written in our language and kept in the village hall. It is our "
                "plan, not a project's.",
                "Clan spokesman, upper Ba",
            ),
            ("heading", "Repayments that stay local"),
            (
                "paragraph",
                "<p>Repaid loans go back into the fund and are lent again in the catchment. "
                "Forty-seven loans have been made so far; the committee reviews late "
                "repayments with the borrower's village rather than through the courts.</p>",
            ),
        ],
    },
    {
        "slug": "cover-crop-network-lake-erie",
        "locale": "en",
        "title": "A farmer-led cover crop network in the western Lake Erie basin",
        "summary": (
            "Grain farmers in north-west Ohio share equipment, seed orders and field results "
            "to keep soil covered over winter. Edge-of-field monitoring shows lower phosphorus "
            "losses from fields in the network."
        ),
        "country": "US",
        "region": "north-america",
        "latitude": "41.25000",
        "longitude": "-83.65000",
        "area_hectares": "32000.0",
        "year": 2021,
        "themes": ["watershed-management", "monitoring", "finance"],
        "ecosystems": ["farmland", "freshwater"],
        "sdgs": [2, 6, 14],
        "outcomes": [
            ("Farmland under winter cover crops", "32000", "ha"),
            ("Farms in the network", "145", "farms"),
            ("Lower total phosphorus loss at monitored field edges", "29", "%"),
        ],
        "tags": ["cover crops", "phosphorus", "farmer networks"],
        "partners": [],
        "partnership": None,
        "hero_image": None,
        "body": [
            ("heading", "Farmers teaching farmers"),
            (
                "paragraph",
                "<p>Summer algal blooms in the lake are fed by phosphorus washing off "
                "farmland. Many farmers were willing to try cover crops but worried about "
                "seed costs and planting windows. The network pairs each newcomer with a "
                "neighbour who has grown cover crops for at least three seasons.</p>",
            ),
            (
                "paragraph",
                "<p>Members order seed together, share two high-clearance seeders and meet "
                "in a different field each March to dig soil pits and compare results.</p>",
            ),
            (
                "quote",
                "I trust the guy down the road who has done it for five years more than any "
                "brochure.",
                "Grain farmer, Wood County",
            ),
        ],
    },
]

RESOURCES: list[dict] = [
    {
        "slug": "convening-a-landscape-partnership",
        "title": "Convening a landscape partnership: a field guide",
        "resource_type": "guide",
        "licence": "cc-by-4.0",
        "summary": (
            "A practical guide to the first year of a landscape partnership: who to invite, "
            "how to run the first meetings, and how to agree a shared vision without losing "
            "the quietest voices."
        ),
        "publisher": "Commons Practice Collective",
        "year": 2024,
        "region": "",
        "themes": ["governance", "gender-inclusion"],
        "ecosystems": [],
        "tags": ["facilitation", "stakeholder mapping", "getting started"],
        "link": "https://example.org/resources/convening-a-landscape-partnership",
        "document": None,
        "body": (
            "<p>Written from the experience of partnerships in four continents, the guide "
            "walks through stakeholder mapping, meeting design, simple decision rules and "
            "the first joint action. Each chapter ends with a checklist.</p>"
        ),
    },
    {
        "slug": "canal-block-construction-checklist",
        "title": "Canal block construction checklist",
        "resource_type": "guide",
        "licence": "cc-by-sa-4.0",
        "summary": (
            "A two-page checklist village teams use to site, build and inspect timber and "
            "sandbag canal blocks on drained peat, from measuring the canal to the first "
            "dry-season inspection."
        ),
        "publisher": "Borneo Watershed Forum",
        "year": 2022,
        "region": "asia",
        "themes": ["restoration", "monitoring"],
        "ecosystems": ["wetlands"],
        "tags": ["peat", "canal blocking", "checklist"],
        "link": "",
        "document": {
            "title": "Canal block construction checklist (PDF)",
            "filename": "canal-block-checklist.pdf",
            "kind": "pdf",
            "lines": [
                "Canal block construction checklist (demo document)",
                "1. Measure canal width and depth at the planned site.",
                "2. Agree the site with the village and the canal's users.",
                "3. Drive two rows of timber piles at least one metre into mineral soil.",
                "4. Fill between the rows with sandbags of local peat-free soil.",
                "5. Build a spillway so floods pass over, not around, the block.",
                "6. Install a groundwater logger upstream and downstream.",
                "7. Inspect weekly in the dry season; record leaks and repairs.",
            ],
        },
        "body": (
            "<p>Print it, laminate it and take it to the canal. The checklist was tested by "
            "fire-care teams on the Kahayan river and revised after two dry seasons.</p>"
        ),
    },
    {
        "slug": "partnership-outcome-tracker",
        "title": "Partnership outcome tracker (spreadsheet template)",
        "resource_type": "tool",
        "licence": "cc0-1.0",
        "summary": (
            "A spreadsheet template for tracking a handful of landscape indicators over time, "
            "with a tab per indicator, simple charts and a sheet that explains each figure to "
            "partners who did not collect it."
        ),
        "publisher": "Landscape Metrics Lab",
        "year": 2023,
        "region": "",
        "themes": ["monitoring"],
        "ecosystems": [],
        "tags": ["indicators", "spreadsheet", "template"],
        "link": "https://example.org/resources/partnership-outcome-tracker",
        "document": None,
        "body": (
            "<p>Start with five indicators, not fifty. The template includes worked examples "
            "for hectares restored, households with new income and water turbidity.</p>"
        ),
    },
    {
        "slug": "meeting-facilitation-cards",
        "title": "Multi-stakeholder meeting facilitation cards",
        "resource_type": "tool",
        "licence": "cc-by-nc-4.0",
        "summary": (
            "Forty printable cards with exercises for partnership meetings: opening rounds, "
            "problem trees, trade-off games and ways to close a meeting with clear actions."
        ),
        "publisher": "Commons Practice Collective",
        "year": 2021,
        "region": "",
        "themes": ["governance", "gender-inclusion"],
        "ecosystems": [],
        "tags": ["facilitation", "workshops", "cards"],
        "link": "https://example.org/resources/meeting-facilitation-cards",
        "document": None,
        "body": (
            "<p>Each card names the purpose of the exercise, the time it takes, what to "
            "prepare and what can go wrong. Available in English, Spanish and French.</p>"
        ),
    },
    {
        "slug": "state-of-landscape-partnerships-east-africa-2024",
        "title": "State of landscape partnerships in East Africa 2024",
        "resource_type": "report",
        "licence": "all-rights-reserved",
        "summary": (
            "A survey of 41 landscape partnerships in Kenya, Tanzania, Uganda, Rwanda and "
            "Ethiopia: how they are governed and financed, what they measure, and what keeps "
            "them going after the first grant ends."
        ),
        "publisher": "East African Landscapes Observatory",
        "year": 2024,
        "region": "africa",
        "themes": ["governance", "finance"],
        "ecosystems": ["mountains", "drylands"],
        "tags": ["survey", "East Africa", "sustainability"],
        "link": "https://example.org/resources/state-of-landscape-partnerships-east-africa-2024",
        "document": None,
        "body": (
            "<p>The report finds that partnerships with a local government co-chair and a "
            "shared budget line outlast those run by a single project.</p>"
        ),
    },
    {
        "slug": "peatland-fire-seasons-compared",
        "title": "Peatland fire seasons compared: 2015, 2019 and 2023",
        "resource_type": "report",
        "licence": "cc-by-nc-4.0",
        "summary": (
            "An analysis of hotspot, rainfall and groundwater data across Central Kalimantan "
            "in three severe dry seasons, comparing areas with and without canal blocking."
        ),
        "publisher": "Tropical Peat Research Network",
        "year": 2024,
        "region": "asia",
        "themes": ["monitoring", "climate-adaptation", "restoration"],
        "ecosystems": ["wetlands"],
        "tags": ["fire", "El Niño", "groundwater"],
        "link": "https://example.org/resources/peatland-fire-seasons-compared",
        "document": None,
        "body": (
            "<p>Where the water table stayed within forty centimetres of the surface, "
            "hotspots were rare even in the driest weeks.</p>"
        ),
    },
    {
        "slug": "building-a-canal-block-in-a-day",
        "title": "Building a canal block in a day (video)",
        "resource_type": "video",
        "licence": "cc-by-4.0",
        "summary": (
            "A twelve-minute film following a village team from the first pile to the "
            "finished spillway, with subtitles in Indonesian, English and Spanish."
        ),
        "publisher": "Kahayan Community Media",
        "year": 2022,
        "region": "asia",
        "themes": ["restoration"],
        "ecosystems": ["wetlands"],
        "tags": ["peat", "canal blocking", "video"],
        "link": "https://example.org/videos/building-a-canal-block-in-a-day",
        "document": None,
        "body": "<p>Filmed by young people from the villages who build the blocks.</p>",
    },
    {
        "slug": "voices-from-the-montado",
        "title": "Voices from the montado: farmers on rotational grazing (video)",
        "resource_type": "video",
        "licence": "cc-by-nc-4.0",
        "summary": (
            "Five Alentejo producers explain, on their own land, why they moved to "
            "rotational grazing and what changed for their oaks, their soil and their "
            "accounts."
        ),
        "publisher": "Montado Stories",
        "year": 2023,
        "region": "europe",
        "themes": ["restoration", "value-chains"],
        "ecosystems": ["temperate-forest", "grasslands"],
        "tags": ["montado", "grazing", "video"],
        "link": "https://example.org/videos/voices-from-the-montado",
        "document": None,
        "body": "<p>In Portuguese with English subtitles; 18 minutes.</p>",
    },
    {
        "slug": "spring-discharge-mount-kenya",
        "title": "Spring discharge measurements, Mount Kenya southern slopes",
        "resource_type": "dataset",
        "licence": "odbl-1.0",
        "summary": (
            "Monthly discharge readings from protected springs on the southern slopes of "
            "Mount Kenya, collected by water users' associations with a bucket and a "
            "stopwatch. A small sample is attached as CSV."
        ),
        "publisher": "Nyeri Smallholder Water Users' Association",
        "year": 2024,
        "region": "africa",
        "themes": ["monitoring", "watershed-management"],
        "ecosystems": ["mountains", "freshwater"],
        "tags": ["springs", "open data", "citizen science"],
        "link": "",
        "document": {
            "title": "Spring discharge sample (CSV)",
            "filename": "spring-discharge-sample.csv",
            "kind": "csv",
            "lines": [
                "spring_id,month,discharge_litres_per_minute,measured_by",
                "NY-014,2024-01,42.5,association volunteer",
                "NY-014,2024-02,38.0,association volunteer",
                "NY-014,2024-03,35.5,association volunteer",
                "NY-027,2024-01,18.0,association volunteer",
                "NY-027,2024-02,16.5,association volunteer",
                "NY-027,2024-03,15.0,association volunteer",
            ],
        },
        "body": (
            "<p>Demo data for illustration. Each row is one reading: spring, month, "
            "discharge in litres per minute and who measured it.</p>"
        ),
    },
    {
        "slug": "khettara-inventory-middle-draa",
        "title": "Khettara inventory of the middle Drâa valley",
        "resource_type": "dataset",
        "licence": "cc-by-4.0",
        "summary": (
            "Location, length, state and water-rights holders of 160 khettaras in the middle "
            "Drâa, surveyed with the customary water councils between 2013 and 2020."
        ),
        "publisher": "Association Khettara Vivante",
        "year": 2020,
        "region": "middle-east",
        "themes": ["watershed-management", "governance"],
        "ecosystems": ["drylands"],
        "tags": ["khettara", "inventory", "open data"],
        "link": "https://example.org/datasets/khettara-inventory-middle-draa",
        "document": None,
        "body": (
            "<p>Names of individual rights holders are withheld; the dataset gives the "
            "number of families per khettara.</p>"
        ),
    },
]
