"""The demo newsroom's words: sections, authors and original sample articles (fiction written for Masthead).

The people, quotes and figures in these articles are invented for the demo; the places are real.
"""

from __future__ import annotations

from typing import Any

SECTIONS = [
    (
        "Middle East",
        "middle-east",
        "Reporting from the region: water, work, cities and the people in them.",
    ),
    ("Analysis", "analysis", "Longer reads that explain the numbers behind the news."),
    ("In Video", "in-video", "Short films from our reporters in the field."),
]

AUTHORS = [
    {
        "name": "Rana Haddad",
        "slug": "rana-haddad",
        "role": "Middle East correspondent",
        "bio": "Rana covers water, farming and climate across Iraq and the Levant. She has reported from the region for eleven years.",
    },
    {
        "name": "Karim Mansour",
        "slug": "karim-mansour",
        "role": "Energy and environment reporter",
        "bio": "Karim writes about power grids, solar and the economics of a hotter region. Before journalism he was a civil engineer.",
    },
    {
        "name": "Sami Khoury",
        "slug": "sami-khoury",
        "role": "Video journalist",
        "bio": "Sami films and edits our In Video series. He works with a phone, a small tripod and a great deal of patience.",
    },
    {
        "name": "Eleanor Vance",
        "slug": "eleanor-vance",
        "role": "Editor",
        "bio": "Eleanor edits the newsroom and writes about how it is paid for. She answers every reader letter, eventually.",
    },
]


def p(*paragraphs: str) -> list[tuple[str, Any]]:
    return [("paragraph", f"<p>{text}</p>") for text in paragraphs]


def h(text: str) -> tuple[str, Any]:
    return ("heading", {"text": text, "level": "h2"})


def quote(text: str, attribution: str = "") -> tuple[str, Any]:
    return ("pull_quote", {"quote": text, "attribution": attribution})


# Each article: section slug, title, standfirst, dateline, authors (slugs), tags, hours since
# publication, palette and seed of its generated picture, caption, body (list of blocks; "VIDEO" and
# "YOUTUBE" are placeholders the loader fills in with media). Optional: "inline_highlights" ("on"
# lets readers comment on a passage they select; the site default is off, so a first run would
# otherwise never show the feature) and "inline_comment" (a reader's comment on one passage).
ARTICLES: list[dict[str, Any]] = [
    {
        "section": "in-video",
        "title": "In Video: The river at dusk, and the fishermen who wait for it",
        "standfirst": "On the lower Euphrates the boats go out later every year. We spent an evening with the crews who still do.",
        "dateline": "Nasiriyah, Iraq",
        "authors": ["sami-khoury", "rana-haddad"],
        "tags": ["water", "rivers", "fishing", "video"],
        "hours_ago": 3,
        "palette": "dusk",
        "seed": 7,
        "caption": "Evening light on the river south of the city.",
        "body": [
            *p(
                "The fishermen of the lower river used to set out in the afternoon. Now they wait for dusk, when the water cools enough for the fish to rise, and when the wind drops so the small boats can reach the channels that still run deep.",
            ),
            "VIDEO",
            *p(
                "Abu Hassan, who has fished here for forty years, says he measures the river by the reeds. <em>When I was young the reeds were taller than the boat,</em> he says. <em>Now my grandson can see over them.</em>",
                "The crews we filmed work in pairs: one steers, one watches the net. They come back after dark with a catch that fills half a basket on a good night. Most of it is sold before the boats are tied up.",
            ),
            quote(
                "The river does not argue. It simply leaves, a little every year.",
                "Abu Hassan, fisherman",
            ),
            h("How we filmed this"),
            *p(
                "This film was shot on a phone over two evenings and edited in the field. Captions are available in the player; a transcript follows below.",
                "Transcript: water lapping. The river at dusk, downstream of the old dam. Fishing boats go out later each year, fishermen say. The water is lower than anyone here remembers.",
            ),
        ],
    },
    {
        "section": "middle-east",
        "title": "Farmers on the lower Euphrates turn to drip lines as the river shrinks",
        "standfirst": "A co-operative near Nasiriyah has cut its water use by a third. The hard part, its members say, was not the pipes.",
        "dateline": "Nasiriyah, Iraq",
        "authors": ["rana-haddad"],
        "tags": ["water", "agriculture", "climate"],
        "hours_ago": 9,
        "inline_highlights": "on",
        "palette": "olive",
        "seed": 11,
        "caption": "Tomato rows under drip irrigation at the co-operative's demonstration plot.",
        "body": [
            *p(
                "For three generations the Karim family flooded its fields each spring, opening a gate in the canal and letting the water run until the soil was dark. This year the gate stayed shut. Black plastic lines now run along every row, and a small pump hums beside a storage pond.",
                "The family is one of twenty-six households in a co-operative that pooled money, and a loan from a provincial fund, to buy drip irrigation for about 140 hectares. Members say the fields used roughly a third less water last season, with yields about the same.",
            ),
            h("A shared pump, and shared arguments"),
            *p(
                "The equipment was the easy part, says Salma Jaber, who keeps the co-operative's accounts. Deciding who waters when took months of meetings. <em>With flooding, whoever is nearest the canal goes first,</em> she says. <em>With the pump, we had to write a timetable, and everyone had to trust it.</em>",
                "The timetable now hangs on the wall of the pump house, laminated against the dust. Disputes go to a committee of three, one of whom is always from the far end of the canal.",
            ),
            quote(
                "Pipes do not save water. Agreements save water. The pipes just make the agreement possible.",
                "Salma Jaber, co-operative treasurer",
            ),
            *p(
                "Agronomists caution that drip systems are not a cure for a shrinking river. Saved water is often used to plant more land, and filters clog quickly on silty water. The co-operative says it has kept its planted area the same, and cleans its filters twice a week.",
                "Whether the model spreads depends on credit. Most farmers here cannot pay up front for equipment that repays itself over four or five seasons, and the provincial fund that backed this project has a waiting list.",
            ),
        ],
    },
    {
        "section": "middle-east",
        "title": "In Amman, a rooftop solar boom outpaces the grid that has to carry it",
        "standfirst": "Panels are going up faster than the distribution network can absorb their midday output. Engineers are looking at batteries, tariffs and water heaters.",
        "dateline": "Amman, Jordan",
        "authors": ["karim-mansour", "rana-haddad"],
        "tags": ["energy", "solar", "cities"],
        "hours_ago": 20,
        "palette": "desert",
        "seed": 12,
        "caption": "Rooftops in the east of the city, where panels share space with water tanks.",
        "body": [
            *p(
                "From the roof of a five-storey building in Jabal al-Hussein, you can count more than forty solar arrays before the view runs out. Some are tidy rows on steel frames; others are three panels wired to a single flat, propped on breeze blocks next to the water tank.",
                "Households and small businesses have installed them because the arithmetic is simple: a system pays for itself in a few years at current tariffs. The arithmetic for the grid is harder. At noon on a clear spring day, some neighbourhood feeders now carry power the wrong way, back towards substations that were built to send it out.",
            ),
            h("Too much of a good thing at noon"),
            *p(
                "Engineers at the distribution company describe a familiar curve: demand falls in the middle of the day as rooftops cover it, then climbs steeply after sunset. Voltage on some lines rises above safe limits when many systems export at once, and inverters switch off to protect themselves.",
                "One answer is storage, but batteries remain expensive for households. Another is cheaper: shifting demand into the sunny hours. Electric water heaters, which many homes already own, can be timed to run at noon and hold their heat into the evening.",
            ),
            quote(
                "The cheapest battery in this city is a water tank on the roof. We just have to heat it at the right time.",
                "A grid planner in Amman",
            ),
            *p(
                "Regulators are consulting on time-of-use tariffs that would reward exactly that. Installers say customers will follow the price, as they did when they bought the panels. The question is whether the rules arrive before more feeders hit their limits.",
            ),
        ],
    },
    {
        "section": "middle-east",
        "title": "Beirut's neighbourhood libraries reopen, one borrowed shelf at a time",
        "standfirst": "Volunteers have restocked four small reading rooms with donated books. The most requested section is not the one they expected.",
        "dateline": "Beirut, Lebanon",
        "authors": ["rana-haddad"],
        "tags": ["culture", "cities", "education"],
        "hours_ago": 30,
        "palette": "dawn",
        "seed": 4,
        "caption": "A reading room in Achrafieh opens its doors on a Saturday morning.",
        "body": [
            *p(
                "The reading room on the ground floor of a former tailor's shop has eleven chairs, two tables and, since last month, about three thousand books. Every one of them was given by someone who lives within walking distance.",
                "It is one of four small libraries reopened this year by a group of volunteers who met through a neighbourhood chat group. They collect books on Friday evenings, sort them on Saturday mornings and open the doors at ten.",
            ),
            h("Cookbooks and exam guides"),
            *p(
                "The volunteers expected novels to be the most popular shelf. Instead the cookbooks go first, followed by school revision guides. <em>People want books they can use,</em> says Maya Sfeir, a retired teacher who runs the Saturday shift. <em>A novel you can read once. A cookbook you borrow again.</em>",
                "Children's books are the other gap. The group has started a swap: bring two books your children have outgrown, take one home.",
            ),
            quote(
                "A library is a promise that the neighbourhood will still be here when you bring the book back.",
                "Maya Sfeir, volunteer",
            ),
            *p(
                "The rooms run on goodwill and a small fund for electricity. A generator subscription keeps the lights on in the evenings, and the group is raising money for a second one so the reading rooms can stay open during the long summer power cuts.",
            ),
        ],
    },
    {
        "section": "middle-east",
        "title": "Port workers in Aqaba train for the cranes that will work beside them",
        "standfirst": "A new terminal will run partly automated cranes. The dockers who load ships today are learning to supervise them from a control room.",
        "dateline": "Aqaba, Jordan",
        "authors": ["karim-mansour"],
        "tags": ["work", "trade", "technology"],
        "hours_ago": 44,
        "palette": "sea",
        "seed": 9,
        "caption": "Container stacks on the quay at first light.",
        "body": [
            *p(
                "In a portable cabin at the edge of the container yard, eight dockers sit in front of screens showing a crane that is not there yet. The simulator is part of a training programme for a terminal extension that will open next year with remotely operated cranes.",
                "The men in the cabin have between six and twenty-two years on the quay. Most have driven straddle carriers and reach stackers; a few have worked in the cab of a ship-to-shore crane, forty metres up.",
            ),
            h("From the cab to the control room"),
            *p(
                "The new cranes will move containers on their own for most of the lift, handing control to a human operator for the delicate moments: picking a box from a ship's hold, setting it on a truck. One operator will oversee several cranes.",
                "The port says no permanent jobs will be cut, and that the extension will need more people overall. The dockers' committee says it will hold the company to that, and wants the training open to every worker who applies, not only the youngest.",
            ),
            quote(
                "Up in the cab you feel the wind. In here you have to imagine it.",
                "A crane operator in training",
            ),
            *p(
                "Trainers say the hardest habit to learn is patience: trusting the machine to finish a movement it has started. The best students, so far, are the ones with the most years on the quay.",
            ),
        ],
    },
    {
        "section": "analysis",
        "title": "The water arithmetic nobody wants to do",
        "standfirst": "Rivers, aquifers and desalination plants each tell part of the story. Put the numbers side by side and the choices become clearer, and harder.",
        "dateline": "",
        "authors": ["karim-mansour"],
        "tags": ["water", "climate", "explainer"],
        "hours_ago": 26,
        "inline_highlights": "on",
        "inline_comment": {
            "name": "Hana S.",
            "quote": "agriculture uses around four-fifths of the fresh water",
            "body": "Is that share the same in Jordan as in Iraq? I had read that Jordan's farms "
            "use closer to half, because so much of its water goes to the cities.",
        },
        "palette": "slate",
        "seed": 15,
        "caption": "Illustration: a reservoir at the end of a dry summer.",
        "body": [
            *p(
                "Every water debate in the region eventually becomes an argument about one source. Upstream dams, falling aquifers, the cost of desalination. Each is real. But a household tap, a farm and a factory draw on all of them at once, and the useful question is how the whole budget balances.",
                "Start with a rule of thumb that holds in most of the region: agriculture uses around four-fifths of the fresh water, cities most of the rest. That means a small percentage saved on farms can be worth more than a large campaign aimed at households.",
            ),
            h("Three sources, three prices"),
            *p(
                "Surface water is cheap to deliver but increasingly unreliable. Groundwater is reliable until it is not: in many basins, wells are being deepened every few years as the water table falls. Desalinated water is reliable and expensive, and it needs a great deal of energy, which is why solar power and water policy keep turning up in the same conversations.",
                "Treated wastewater is the quiet fourth source. Cities already produce it; using it for irrigation closes a loop. The obstacles are pipes, public trust and the price of treating water to a standard farmers and shoppers accept.",
            ),
            quote(
                "A litre saved in the field is worth more than a litre saved in the shower. That is not a slogan; it is a ratio."
            ),
            *p(
                "None of this makes the choices easy. Paying farmers to use less water means paying someone. Pricing water properly in cities means higher bills for people who are already stretched. But a debate that starts from the whole budget, rather than from a single villain, is more likely to end with something that works.",
            ),
        ],
    },
    {
        "section": "analysis",
        "title": "Why small newsrooms are betting on readers, not advertisers",
        "standfirst": "Advertising paid for journalism for a century. For a newsroom of our size it now pays for very little. Here is how we think about the alternative.",
        "dateline": "",
        "authors": ["eleanor-vance"],
        "tags": ["journalism", "media", "transparency"],
        "hours_ago": 56,
        "palette": "clay",
        "seed": 21,
        "caption": "Illustration: the newsroom's view across the city at sunset.",
        "body": [
            *p(
                "When we started this newsroom we made a spreadsheet of every way a small publication can pay its reporters. Advertising was the first row and the shortest conversation: at our audience size, display ads pay for roughly one reporter's phone bill.",
                "Reader support is slower to build and harder to fake. It rewards the work readers actually value, which is not always the work that gets the most clicks. That is the point.",
            ),
            h("What readers pay for"),
            *p(
                "Our supporters tell us they pay for three things: reporting nobody else is doing, corrections made in public, and a comment section they can read without wincing. We try to publish all three every week.",
                "We also publish what the money buys. Every quarter we post a short account of income and spending, including the months that went badly.",
            ),
            quote(
                "Independence is not a slogan on a masthead. It is a line in a budget.",
                "Eleanor Vance",
            ),
            *p(
                "If you read us regularly and can afford it, consider supporting the work. If you cannot, read, share and argue with us in the comments. Both keep a newsroom alive.",
            ),
        ],
    },
    {
        "section": "analysis",
        "title": "What a year of corrections taught us about our own reporting",
        "standfirst": "We corrected 31 articles in twelve months. Most errors were small. The patterns behind them were not.",
        "dateline": "",
        "authors": ["eleanor-vance", "rana-haddad"],
        "tags": ["journalism", "transparency", "corrections"],
        "hours_ago": 80,
        "palette": "night",
        "seed": 18,
        "caption": "Illustration: the newsroom at night, before a deadline.",
        "body": [
            *p(
                "Every correction we publish carries a note at the foot of the article, and every note is logged in a spreadsheet. At the end of the year we read the whole log in one sitting. It was humbling, and useful.",
                "Of 31 corrections, 14 were names and titles spelled or given wrongly, nine were numbers, five were dates and three were errors of substance, where we had misunderstood what a source told us.",
            ),
            h("Numbers go wrong in transit"),
            *p(
                "Almost every numerical error happened between a document and the page: a figure copied from a report in the wrong unit, a percentage turned into a percentage point. We now ask a second person to check every number against its source before publication.",
                "The errors of substance had one thing in common: each came from a single source on a deadline. We have not stopped publishing on deadlines, but we now say in the article when a claim rests on one person's account.",
            ),
            quote(
                "Readers forgive mistakes. They do not forgive hiding them.",
                "A reader's letter, quoted with permission",
            ),
            *p(
                "We will publish next year's log, too. If you spot an error in our reporting, the correction form is at the foot of every article, and a person reads every submission.",
            ),
        ],
    },
    {
        "section": "in-video",
        "title": "In Video: Before sunrise at a Tunis bakery that feeds a whole street",
        "standfirst": "Three bakers, one wood-fired oven and four hundred loaves before the first bus. Our film follows a night shift in the medina.",
        "dateline": "Tunis, Tunisia",
        "authors": ["sami-khoury"],
        "tags": ["food", "work", "video", "cities"],
        "hours_ago": 14,
        "palette": "clay",
        "seed": 3,
        "caption": "The oven's glow in the hour before dawn.",
        "body": [
            *p(
                "The first dough is mixed at two in the morning. By five, the shelves by the door are stacked with round loaves still too hot to hold, and the queue has started: bus drivers, nurses coming off shift, children sent with a coin and a cloth bag.",
            ),
            "YOUTUBE",
            *p(
                "Hedi, the head baker, learned the trade from his uncle in the same room. The oven is older than both of them. It is fed with olive wood bought by the truckload in autumn, when the groves are pruned.",
                "Flour prices have doubled in three years, and the bakery's margin is a few millimes a loaf. Hedi says he will keep the price where it is for as long as he can. <em>If the bread goes up, the whole street feels it,</em> he says.",
            ),
            quote(
                "The oven never really goes cold. We just let it rest a little on Sundays.",
                "Hedi, head baker",
            ),
            *p(
                "The film was recorded over one night with the bakers' permission. The customers who appear agreed to be filmed.",
            ),
        ],
    },
]
