"""English forms a small translation model mangles, found before it reads them: amounts ("$12.99"), units ("5 km"),
ordinals ("3rd", "21st"), clock times ("7 p.m.", "9:15"), numbers with separators ("12,000", "2.5", "555-0198",
"-5"), e-mail and web addresses, titled names ("Dr. Okafor"), names of several words and places with a French name,
quoted titles, curly quotation marks, British spellings ("favourite") and emoji, with the French each is written as
after translation. Used by stand_ins.py, which rewrites some into words the model
reads well and swaps the others for stand-ins.

Why each (read on the default model, sentences written here): "It costs $25.50." came out "Ça coûte deux cents
dollars.", "$8" -> "30 dollars"; "3.2 million" -> "32 millions"; "555-0134" -> "555134"; "7 p.m." -> "huit heures"
(the stand-in for 7, spelled out); "Ms. Nakamura" -> "à Ms." (the title's full stop read as the sentence's end);
"Dr. Okafor" -> "Drant Okafor"; "San Francisco" -> "Sans de Sans"; "The United Kingdom left the European Union." ->
"United Kingdom a laissé l'Europe Union.".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

from .calendar_words import CALENDAR_NAMES, MONTHS
from .number_words import ORDINAL_WORDS, PERCENT
from .swapped_form import SwappedForm

CURRENCIES = {"$": "dollars", "€": "euros", "£": "pounds"}
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
AMOUNT = re.compile(rf"(?<![\w.,])(?P<symbol>[$€£])\s?(?P<number>{_NUMBER})(?!\w|[.,]\d)"  # "$12.99," too
                    r"(?:\s(?P<scale>million|billion)(?!\w))?")  # "$2 million": "2 million dollars", not "2 dollars million"
CLOCK = re.compile(r"(?<![\w:.])(?P<hour>1[0-2]|0?[1-9])(?:[:.](?P<minute>[0-5]\d))?\s?(?P<half>[ap])\.?m\b\.?",
                   re.IGNORECASE)
# "a quarter to nine", "ten past eight", "half past twelve": the models wrote "neuf heures et quart", "dix heures et
# demie", "à moitié …"; read as "8:45", "8:10", "12:30" (then a time stand-in, put back as "8 h 45")
_HOURS = {word: n for n, word in enumerate("one two three four five six seven eight nine ten eleven twelve".split(), 1)}
_MINUTES = {"a quarter": 15, "quarter": 15, "half": 30, "five": 5, "ten": 10, "twenty": 20, "twenty-five": 25,
            "twenty five": 25}
WORD_CLOCK = re.compile(r"(?<![\w'’-])(?P<minutes>" + "|".join(sorted(_MINUTES, key=len, reverse=True)) + r")\s+"
                        r"(?P<side>past|to)\s+(?P<hour>" + "|".join(_HOURS) + r"|1[0-2]|[1-9])(?![\w'’:-])", re.IGNORECASE)
AT_A_TIME = re.compile(r"\b(?:at|it's|it is|about|around|till|until|by|before|after)\s+$", re.IGNORECASE)
UNIT_WORDS = {"km": " kilometers", "km/h": " kilometers per hour", "km²": " square kilometers", "m²": " square meters",
              "cm²": " square centimeters", "g": " grams", "kg": " kilos", "cm": " centimeters",
              "mm": " millimeters", "°C": " degrees", "°F": " degrees", "° C": " degrees", "° F": " degrees",
              "°": " degrees"}
UNIT = re.compile(rf"(?<![\w.,])(?P<number>{_NUMBER})\s?(?P<unit>km/h|km²|km|kg|cm²|cm|mm|m²|g|° ?[CF]|°)(?![\w/])")
KILOGRAMS = re.compile(r"\bkilogram(?:me)?(?=s?\b)", re.IGNORECASE)  # "kilos", which the models write; "kilograms": "kos"
# centimeters and millimeters: read as meters (the models wrote "centimets", "5imetètres"), put back in French
SMALL_METERS = re.compile(r"(?<![\w'’-])(?P<prefix>centi|milli)met(?:er|re)s(?![\w'’-])", re.IGNORECASE)
# "square kilometres", "square meters": the "meters" stand-in too (the models dropped "square": "250 kilomètres")
SQUARE_UNITS = re.compile(r"(?<![\w'’-])square\s+(?P<prefix>kilo|centi|milli)?met(?:er|re)s(?![\w'’-])", re.IGNORECASE)
MINUS_SIGN = re.compile(r"[−‒](?=\d)")  # the typographic minus (U+2212) and figure dash before a number
# a dash between two numbers ("won 3–1", "1914–1918"), which the models garbled ("3 enstrant"): a hyphen ("3-1")
NUMBER_DASH = re.compile(r"(?<![\w.,])(?P<first>\d+)\s?[–—]\s?(?P<second>\d+)(?![\w]|[.,]\d)")
BILLION = re.compile(r"(?<![\w'’-])billion(?=s?(?![\w'’-]))", re.IGNORECASE)
# "the 1990s", "the '60s", "the 80s": a decade (French "les années 1990", "les années 60")
DECADE = re.compile(r"(?<![\w'’-])(?P<the>the\s+)(?P<decade>(?:1[0-9]|20)\d0s|['’]?[1-9]0s)(?![\w'’-])",
                    re.IGNORECASE)
ORDINAL = re.compile(r"(?<![\w.,])(?P<number>[1-9]|1[0-2])(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?(?:" + "|".join(
    month.capitalize() for month in MONTHS) + r"))")  # not a date's day ("the 3rd of May": the date stand-in's)
AFTER_A_MONTH = re.compile(rf"\b(?:{'|'.join(MONTHS)})\s+$", re.IGNORECASE)  # "May 25th": a date's day
# "21st", "80th", "fifteenth", "thirtieth"; and "fourth" to "twelfth", which the models also wrote "quatreième"
LARGE_ORDINAL = re.compile(r"(?<![\w.,])(?:(?P<number>1[3-9]|[2-9]\d|\d{3,})(?:st|nd|rd|th)|[a-z]+(?:teenth|tieth)|"
                           r"fourth|fifth|ninth|eleventh|twelfth)\b", re.IGNORECASE)
# how the models wrote such an ordinal after its digits: "21s siècle", "25ième anniversaire", "14the étage"
ORDINAL_ENDINGS = r"\s?(?:ième|ieme|ème|eme|the|th|st|nd|rd|s)\b"
# an e-mail address or a web address: copied as written, through a stand-in (the model garbled both: "Visit
# www.example.org" -> "Visit awwample.")
ADDRESS = re.compile(r"(?<![\w@.-])(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)[^\s<>\"']*[\w/])")
# a number the word pass cannot take: thousands grouped ("12,000"), a decimal ("2.5"), digits joined by hyphens (a
# phone number or a code: "555-0198"); not a time ("10:30") nor part of a longer token
SEPARATED_NUMBER = re.compile(r"(?<![\w.,:/'’-])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d+(?:-\d+)+|(?<![^\s(])-\d+(?:\.\d+)?)"
                              r"(?![\w:/'’-]|[.,]\d)")  # ... or a negative number: "-5 degrees" came out "55 degrés"
# a sum or a ratio written with symbols ("2 + 2 = 4", "3 × 5", "9/11", "24/7"): one number stand-in, copied back as
# written ("2 + 2 = 4." came out "2 heures de l'atrossée de 4.", "9/11" "9 h 3011")
ARITHMETIC = re.compile(r"(?<![\w.,:/'’-])\d+(?:[.,]\d+)?(?:\s*[+×*÷=]\s*\d+(?:[.,]\d+)?|/\d+(?:[.,]\d+)?)+"
                        r"(?![\w:/'’-]|[.,]\d)")

TIME = re.compile(r"(?<![\w:.,/-])(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)(?![\w:/-]|[.,]\d)")
LOCAL_TIME = re.compile(r"\s+local\s+time\b")
# what a model still wrote for "local time" after the clock time put back with it (clock_times), or the distance it
# read the time as before a distance ("4 h 15, heure locale kilomètres, à environ 80 kilomètres")
LOCAL_TIME_LEFT = re.compile(r"(, heure locale,?)(?:,?\s+heures?)?(?:,?\s+locales?)?(?:\s+kilomètres)?(?<!,)(?<=\w)(?![\w-])")
# titles before a name: French abbreviation, and whether the title names a woman
TITLES = {"Mr": ("M.", False), "Mrs": ("Mme", True), "Ms": ("Mme", True), "Miss": ("Mlle", True), "Dr": ("Dr", False),
          "Prof": ("Pr", False)}
TITLED_NAME = re.compile(r"\b(?P<title>" + "|".join(TITLES) + r")\.?\s+(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)")

# Names of several words whose French form differs, and how French uses them: "m" / "f" a masculine / feminine
# country with an article ("le Royaume-Uni", "au Royaume-Uni"; "la Nouvelle-Zélande", "en Nouvelle-Zélande"), "v"
# a feminine one that begins with a vowel ("l'Afrique du Sud", "en Afrique du Sud"), "org" a feminine body that
# begins with a vowel ("l'Union européenne", "à l'Union européenne"), "pl" a plural ("les Nations unies", "aux
# Nations unies"), "city" a place without an article ("à Buenos Aires"). An English "the" before a name goes with
# it. The list is short on purpose: countries, bodies and cities a demo's users type; "Mount X" and "Lake X" are
# masculine names too ("le mont Kilimanjaro").
KNOWN_NAMES = {
    "United Kingdom": ("Royaume-Uni", "m"), "Middle East": ("Moyen-Orient", "m"), "Sri Lanka": ("Sri Lanka", "m"),
    "Costa Rica": ("Costa Rica", "m"), "Vatican City": ("Vatican", "m"), "Cape Town": ("Cap", "m"),
    "Pacific Ocean": ("Pacifique", "m"), "Atlantic Ocean": ("Atlantique", "v"),
    "New Zealand": ("Nouvelle-Zélande", "f"), "North Korea": ("Corée du Nord", "f"),
    "South Korea": ("Corée du Sud", "f"), "Czech Republic": ("République tchèque", "f"),
    "New Orleans": ("Nouvelle-Orléans", "f"),
    "South Africa": ("Afrique du Sud", "v"), "Saudi Arabia": ("Arabie saoudite", "v"),
    "South America": ("Amérique du Sud", "v"), "North America": ("Amérique du Nord", "v"),
    "Latin America": ("Amérique latine", "v"),
    "European Union": ("Union européenne", "org"), "World Health Organization": ("Organisation mondiale de la santé",
                                                                                 "org"),
    "World War II": ("Seconde Guerre mondiale", "f"), "World War I": ("Première Guerre mondiale", "f"),
    "Second World War": ("Seconde Guerre mondiale", "f"), "First World War": ("Première Guerre mondiale", "f"),
    "United Nations": ("Nations unies", "pl"), "United Arab Emirates": ("Émirats arabes unis", "pl"),
    "UN": ("ONU", "org"), "EU": ("UE", "org"), "NATO": ("OTAN", "org"), "UK": ("Royaume-Uni", "m"),
    "USA": ("États-Unis", "pl"), "US": ("États-Unis", "pl"), "U.S.": ("États-Unis", "pl"), "U.K.": ("Royaume-Uni", "m"),
    "U.N.": ("ONU", "org"), "U.S.A.": ("États-Unis", "pl"),
    "Los Angeles": ("Los Angeles", "city"), "San Francisco": ("San Francisco", "city"),
    "Buenos Aires": ("Buenos Aires", "city"), "Hong Kong": ("Hong Kong", "city"), "Las Vegas": ("Las Vegas", "city"),
    "San Diego": ("San Diego", "city"), "Tel Aviv": ("Tel Aviv", "city"), "Kuala Lumpur": ("Kuala Lumpur", "city"),
    "São Paulo": ("São Paulo", "city"), "Sao Paulo": ("São Paulo", "city"), "Mexico City": ("Mexico", "city"),
    "New Delhi": ("New Delhi", "city"), "Abu Dhabi": ("Abou Dabi", "city"),
    "Saint Petersburg": ("Saint-Pétersbourg", "city"), "St. Petersburg": ("Saint-Pétersbourg", "city"),
    # landmarks, events and bodies news text names often, which the models left in English or garbled ("Les Olympic
    # Games", "l'Eiffel Tower", "le Nobel Prize", "Le Mon Mon Mon commence" for "The World Cup starts", 2026-12-06)
    "Olympic Games": ("Jeux olympiques", "pl"), "Winter Olympics": ("Jeux olympiques d'hiver", "pl"),
    "World Cup": ("Coupe du monde", "f"), "Eiffel Tower": ("tour Eiffel", "f"), "Great Wall": ("Grande Muraille", "f"),
    "Statue of Liberty": ("statue de la Liberté", "f"), "Nobel Prize": ("prix Nobel", "m"),
    "Supreme Court": ("Cour suprême", "f"), "Mediterranean Sea": ("mer Méditerranée", "f"),
    "Black Sea": ("mer Noire", "f"), "North Sea": ("mer du Nord", "f"), "Red Sea": ("mer Rouge", "f"),
    "Indian Ocean": ("océan Indien", "v"), "Sahara Desert": ("désert du Sahara", "m"),
    "Richter scale": ("échelle de Richter", "f"),  # "sur le cale du Richter" (2026-12-07)
}


def _by_class(table: dict[str, tuple[tuple[str, str], ...]]) -> dict[str, tuple[str, str]]:
    """{class: ((English, French), …)} -> {English: (French, class)}, as KNOWN_NAMES holds names."""
    return {name: (french, kind) for kind, names in table.items() for name, french in names}


# names of several words that news, travel and encyclopedic text uses, which the models copied in English ("Le Silk
# Road", "du Solar System", "pendant les Middle Ages", "Le Suez Canal") or garbled ("Le noir noir" for "The Black
# Death"), 2026-12-07; "org" here also holds masculine names with "l'" ("l'Empire romain", "l'âge de pierre")
WORLD_NAMES = {
    "m": (("Solar System", "Système solaire"), ("Middle Ages", "Moyen Âge"), ("Persian Gulf", "golfe Persique"),
          ("Gulf of Mexico", "golfe du Mexique"), ("Panama Canal", "canal de Panama"), ("Suez Canal", "canal de Suez"),
          ("North Pole", "pôle Nord"), ("South Pole", "pôle Sud"), ("Yellow River", "fleuve Jaune"),
          ("Grand Canyon", "Grand Canyon"), ("Big Bang", "Big Bang"), ("South Sudan", "Soudan du Sud"),
          ("Puerto Rico", "Porto Rico"), ("Cape Verde", "Cap-Vert"), ("Louvre Museum", "musée du Louvre"),
          ("Buckingham Palace", "palais de Buckingham"), ("Channel Tunnel", "tunnel sous la Manche"),
          ("Security Council", "Conseil de sécurité"), ("Golden Gate Bridge", "pont du Golden Gate"),
          ("International Monetary Fund", "Fonds monétaire international"), ("European Parliament", "Parlement européen"),
          ("International Olympic Committee", "Comité international olympique"), ("Himalayas", "Himalaya"),
          ("Himalaya", "Himalaya"), ("Ural Mountains", "Oural"), ("Urals", "Oural"), ("Atlas Mountains", "Atlas"),
          ("World Food Programme", "Programme alimentaire mondial"), ("Senate", "Sénat"),
          ("James Webb Space Telescope", "télescope spatial James Webb"),
          ("Hubble Space Telescope", "télescope spatial Hubble"),
          # religions and teachings ("Le bouddhisme s'est répandu", "au bouddhisme")
          ("Buddhism", "bouddhisme"), ("Hinduism", "hindouisme"), ("Christianity", "christianisme"),
          ("Judaism", "judaïsme"), ("Taoism", "taoïsme"), ("Confucianism", "confucianisme"), ("Sikhism", "sikhisme"),
          # rivers French names its own way ("Le Nile est …", 2026-12-07); "Amazon" alone is also the company
          ("Nile", "Nil"), ("Rhine", "Rhin"), ("Ganges", "Gange"), ("Mekong", "Mékong"), ("Yangtze", "Yangtsé"),
          ("Tiber", "Tibre"), ("Zambezi", "Zambèze"), ("Tigris", "Tigre")),
    "f": (("Thames", "Tamise"), ("Volga", "Volga"),
          ("Silk Road", "route de la soie"), ("Papua New Guinea", "Papouasie-Nouvelle-Guinée"),
          ("New Guinea", "Nouvelle-Guinée"), ("Milky Way", "Voie lactée"),
          ("Industrial Revolution", "révolution industrielle"), ("French Revolution", "Révolution française"),
          ("Cold War", "guerre froide"), ("Red Cross", "Croix-Rouge"), ("White House", "Maison-Blanche"),
          ("Dead Sea", "mer Morte"), ("Caribbean Sea", "mer des Caraïbes"), ("Baltic Sea", "mer Baltique"),
          ("Caspian Sea", "mer Caspienne"), ("Great Barrier Reef", "Grande Barrière de corail"),
          ("Ivory Coast", "Côte d'Ivoire"), ("Dominican Republic", "République dominicaine"),
          ("Central African Republic", "République centrafricaine"), ("Great Depression", "Grande Dépression"),
          ("Black Death", "peste noire"), ("Forbidden City", "Cité interdite"), ("Great Britain", "Grande-Bretagne"),
          ("Britain", "Grande-Bretagne"), ("World Bank", "Banque mondiale"), ("Champions League", "Ligue des champions"),
          ("International Space Station", "Station spatiale internationale"), ("Amazon rainforest", "forêt amazonienne"),
          ("English Channel", "Manche"), ("Sistine Chapel", "chapelle Sixtine"), ("Red Square", "place Rouge"),
          ("Bank of England", "Banque d'Angleterre"), ("Bank of Japan", "Banque du Japon"),
          ("European Central Bank", "Banque centrale européenne"), ("Federal Reserve", "Réserve fédérale"),
          ("International Criminal Court", "Cour pénale internationale"), ("House of Commons", "Chambre des communes"),
          ("House of Lords", "Chambre des lords"), ("International Court of Justice", "Cour internationale de justice")),
    "v": (("Arctic Ocean", "océan Arctique"), ("Southern Ocean", "océan Austral"), ("Southeast Asia", "Asie du Sud-Est"),
          ("East Asia", "Asie de l'Est"), ("Central Asia", "Asie centrale"), ("Central America", "Amérique centrale"),
          ("Western Europe", "Europe de l'Ouest"), ("Eastern Europe", "Europe de l'Est"),
          ("Northern Europe", "Europe du Nord"), ("Southern Europe", "Europe du Sud"),
          ("West Africa", "Afrique de l'Ouest"), ("East Africa", "Afrique de l'Est"), ("North Africa", "Afrique du Nord"),
          ("Northern Ireland", "Irlande du Nord"), ("Easter Island", "île de Pâques")),
    "org": (("Roman Empire", "Empire romain"), ("Ottoman Empire", "Empire ottoman"),
            ("British Empire", "Empire britannique"), ("Byzantine Empire", "Empire byzantin"),
            ("Mongol Empire", "Empire mongol"), ("Soviet Union", "Union soviétique"), ("African Union", "Union africaine"),
            ("Stone Age", "âge de pierre"), ("Bronze Age", "âge du bronze"), ("Iron Age", "âge du fer"),
            ("European Space Agency", "Agence spatiale européenne"),
            ("World Trade Organization", "Organisation mondiale du commerce")),
    "pl": (("Rocky Mountains", "montagnes Rocheuses"), ("Canary Islands", "îles Canaries"),
           ("Galapagos Islands", "îles Galápagos"), ("Great Lakes", "Grands Lacs"), ("Niagara Falls", "chutes du Niagara"),
           ("Victoria Falls", "chutes Victoria"), ("Paralympic Games", "Jeux paralympiques"), ("Alps", "Alpes"),
           ("Pyrenees", "Pyrénées"), ("Andes", "Andes"), ("Appalachian Mountains", "Appalaches"),
           ("Appalachians", "Appalaches"), ("Carpathian Mountains", "Carpates"), ("Carpathians", "Carpates"),
           ("Dolomites", "Dolomites"), ("Balkans", "Balkans"), ("Caribbean", "Caraïbes")),
    "city": (("Rio de Janeiro", "Rio de Janeiro"), ("Addis Ababa", "Addis-Abeba"),
             ("Ho Chi Minh City", "Hô Chi Minh-Ville"),
             # planets whose French differs, written without an article ("sur Vénus"): "Saturn a de belles bagues"
             ("Saturn", "Saturne"), ("Venus", "Vénus"), ("Pluto", "Pluton"),
             # cities French names its own way
             ("Bologna", "Bologne"), ("Genoa", "Gênes"), ("Padua", "Padoue"), ("Dresden", "Dresde"),
             ("Hamburg", "Hambourg"), ("Antwerp", "Anvers"), ("Ghent", "Gand"), ("Aachen", "Aix-la-Chapelle"),
             ("Krakow", "Cracovie"), ("Kraków", "Cracovie"), ("Tangier", "Tanger"), ("Marrakesh", "Marrakech"),
             ("Damascus", "Damas"), ("Baghdad", "Bagdad"), ("Tehran", "Téhéran"), ("Kabul", "Kaboul"),
             ("Hague", "La Haye")),  # "the Hague": French writes the article with the name, "à La Haye"
}
KNOWN_NAMES |= _by_class(WORLD_NAMES)
# people of history whose names French writes its own way, which the models copied ("Christopher Columbus a atteint",
# "Plato était", "Joan d'Arc"): a person's stand-in, the French form put back
FAMOUS_PEOPLE = {
    "person": (("Christopher Columbus", "Christophe Colomb"), ("Leonardo da Vinci", "Léonard de Vinci"),
               ("Alexander the Great", "Alexandre le Grand"), ("Peter the Great", "Pierre le Grand"),
               ("Frederick the Great", "Frédéric le Grand"), ("Ivan the Terrible", "Ivan le Terrible"),
               ("Suleiman the Magnificent", "Soliman le Magnifique"), ("William the Conqueror", "Guillaume le Conquérant"),
               ("Richard the Lionheart", "Richard Cœur de Lion"), ("Julius Caesar", "Jules César"),
               ("Mark Antony", "Marc Antoine"), ("Genghis Khan", "Gengis Khan"), ("Galileo Galilei", "Galilée"),
               ("Galileo", "Galilée"), ("Ferdinand Magellan", "Fernand de Magellan"),
               ("Nicolaus Copernicus", "Nicolas Copernic"), ("Copernicus", "Copernic"), ("Michelangelo", "Michel-Ange"),
               ("Napoleon Bonaparte", "Napoléon Bonaparte"), ("Napoleon", "Napoléon"), ("Plato", "Platon"),
               ("Aristotle", "Aristote"), ("Socrates", "Socrate"), ("Archimedes", "Archimède"),
               ("Pythagoras", "Pythagore"), ("Tutankhamun", "Toutânkhamon"), ("Moses", "Moïse"),
               ("Petrarch", "Pétrarque"), ("Dante Alighieri", "Dante")),
    "woman": (("Joan of Arc", "Jeanne d'Arc"), ("Catherine the Great", "Catherine la Grande"),
              ("Cleopatra", "Cléopâtre")),
}
KNOWN_NAMES |= _by_class(FAMOUS_PEOPLE)
# feminine names that are not countries: French writes "dans la mer Morte", "à la Maison-Blanche", "de la Voie
# lactée", never "en mer Morte" (what the stand-in "France" gives: "Les touristes flottent facilement en mer Morte");
# a French name in lower case ("mer Noire", "tour Eiffel") is never a country, so only capitalised ones are listed
FEMININE_NOT_COUNTRIES = frozenset({
    "Seconde Guerre mondiale", "Première Guerre mondiale", "Coupe du monde", "Grande Muraille", "Cour suprême",
    "Voie lactée", "Révolution française", "Croix-Rouge", "Maison-Blanche", "Grande Barrière de corail",
    "Grande Dépression", "Cité interdite", "Banque mondiale", "Ligue des champions", "Station spatiale internationale",
    "Manche", "Banque d'Angleterre", "Banque du Japon", "Banque centrale européenne", "Réserve fédérale",
    "Cour pénale internationale", "Chambre des communes", "Chambre des lords", "Cour internationale de justice"})


ALSO_ADJECTIVES = frozenset({"Caribbean"})  # a name only where no noun follows ("the Caribbean", not "Caribbean food")
ADJECTIVE_USE = re.compile(r"\s+(?!(?:in|on|at|to|of|for|from|with|by|and|or|but|is|are|was|were|has|have|had|will|"
                           r"during|since|until|each|every|last|this|that|where|which|who|after|before|because)\b)[a-z]")
# mountain ranges and island groups: French writes "dans l'Himalaya", "dans les Alpes", "dans les Caraïbes" where a
# country's stand-in gives "au Japon", "aux États-Unis" ("au Himalaya", "aux Alpes" before, 2026-12-07); the French
# name -> how it is written after "dans" (a mute h elides: "l'Himalaya")
WITHIN_NAMES = {"Himalaya": "l'Himalaya", "Oural": "l'Oural", "Atlas": "l'Atlas",
                **{french: f"les {french}" for french in ("Alpes", "Pyrénées", "Andes", "Appalaches", "Carpates",
                                                         "Dolomites", "Balkans", "montagnes Rocheuses", "Caraïbes")}}


def within_form(french: str) -> str | None:
    """How a name is written after "dans" where French does not say "au"/"aux" ("l'Himalaya", "le désert de Gobi")."""
    return WITHIN_NAMES.get(french) or (f"le {french}" if french.startswith("désert ") else None)


def feminine_not_country(french: str) -> bool:
    """A feminine name's French form that takes "la" everywhere ("dans la mer de Barents", "de la Voie lactée")."""
    return french[:1].islower() or french in FEMININE_NOT_COUNTRIES


# countries and cities that a bundled model leaves in English ("à Egypt", "à Geneva") or garbles ("Canada" ->
# "l'hamectue" from the transformer alone, "Berlin" -> "à peine"), in 3 template sentences each (2026-12-06)
PLACES_BY_CLASS = {  # French article class (as KNOWN_NAMES') -> (English, French) names
    "m": (("Canada", "Canada"), ("Denmark", "Danemark"), ("Morocco", "Maroc"), ("Peru", "Pérou"),
          ("Vietnam", "Vietnam"), ("Kenya", "Kenya"), ("Nigeria", "Nigeria"), ("Pakistan", "Pakistan"),
          ("Chile", "Chili"), ("Lebanon", "Liban"), ("Luxembourg", "Luxembourg"), ("Nepal", "Népal"),
          ("Senegal", "Sénégal"), ("Cameroon", "Cameroun"), ("Venezuela", "Venezuela"), ("Cairo", "Caire"),
          # more countries and regions news and travel text names ("arriving in Uzbekistan" -> "arrivant à
          # Uzbekistan" had gone in as a city), 2026-12-07
          ("Kazakhstan", "Kazakhstan"), ("Kyrgyzstan", "Kirghizistan"), ("Tajikistan", "Tadjikistan"),
          ("Turkmenistan", "Turkménistan"), ("Cambodia", "Cambodge"), ("Laos", "Laos"), ("Myanmar", "Myanmar"),
          ("Bangladesh", "Bangladesh"), ("Bhutan", "Bhoutan"), ("Qatar", "Qatar"), ("Kuwait", "Koweït"),
          ("Yemen", "Yémen"), ("Sudan", "Soudan"), ("Ghana", "Ghana"), ("Mali", "Mali"), ("Rwanda", "Rwanda"),
          ("Zimbabwe", "Zimbabwe"), ("Mozambique", "Mozambique"), ("Botswana", "Botswana"), ("Malawi", "Malawi"),
          ("Benin", "Bénin"), ("Gabon", "Gabon"), ("Paraguay", "Paraguay"), ("Uruguay", "Uruguay"),
          ("Guatemala", "Guatemala"), ("Honduras", "Honduras"), ("Nicaragua", "Nicaragua"), ("Tibet", "Tibet"),
          ("Texas", "Texas"), ("Yukon", "Yukon")),
    "f": (("Greece", "Grèce"), ("Sweden", "Suède"), ("Norway", "Norvège"), ("Poland", "Pologne"),
          ("Turkey", "Turquie"), ("Belgium", "Belgique"), ("Thailand", "Thaïlande"), ("Finland", "Finlande"),
          ("Switzerland", "Suisse"), ("Hungary", "Hongrie"), ("Romania", "Roumanie"), ("Bulgaria", "Bulgarie"),
          ("Croatia", "Croatie"), ("Serbia", "Serbie"), ("Tunisia", "Tunisie"), ("Syria", "Syrie"),
          ("Colombia", "Colombie"), ("Bolivia", "Bolivie"), ("Malaysia", "Malaisie"), ("Tanzania", "Tanzanie"),
          ("Lithuania", "Lituanie"), ("Latvia", "Lettonie"), ("Slovakia", "Slovaquie"), ("Slovenia", "Slovénie"),
          ("Mongolia", "Mongolie"), ("Libya", "Libye"), ("Zambia", "Zambie"), ("Namibia", "Namibie"),
          ("Somalia", "Somalie"), ("Mauritania", "Mauritanie"), ("Belarus", "Biélorussie"), ("Moldova", "Moldavie"),
          ("Bosnia", "Bosnie"), ("Tasmania", "Tasmanie"), ("Sicily", "Sicile"), ("Sardinia", "Sardaigne"),
          ("Corsica", "Corse"), ("Crete", "Crète"), ("Bavaria", "Bavière"), ("Catalonia", "Catalogne"),
          ("Tuscany", "Toscane"), ("Normandy", "Normandie"), ("Brittany", "Bretagne"), ("Patagonia", "Patagonie"),
          ("Siberia", "Sibérie"), ("Scandinavia", "Scandinavie"), ("California", "Californie"),
          ("Florida", "Floride"), ("Louisiana", "Louisiane"), ("Pennsylvania", "Pennsylvanie")),
    "v": (("Egypt", "Égypte"), ("Ireland", "Irlande"), ("Scotland", "Écosse"), ("Argentina", "Argentine"),
          ("Austria", "Autriche"), ("Ukraine", "Ukraine"), ("Algeria", "Algérie"), ("Ethiopia", "Éthiopie"),
          ("Iceland", "Islande"), ("Estonia", "Estonie"), ("Indonesia", "Indonésie"), ("Iran", "Iran"),
          ("Iraq", "Irak"), ("Afghanistan", "Afghanistan"), ("Ecuador", "Équateur"),
          ("Uzbekistan", "Ouzbékistan"), ("Azerbaijan", "Azerbaïdjan"), ("Armenia", "Arménie"), ("Albania", "Albanie"),
          ("Eritrea", "Érythrée"), ("Uganda", "Ouganda"), ("Angola", "Angola"), ("Antarctica", "Antarctique"),
          ("Alaska", "Alaska"), ("Andalusia", "Andalousie")),
    "pl": (("Netherlands", "Pays-Bas"), ("Philippines", "Philippines")),
    "city": (("Geneva", "Genève"), ("Venice", "Venise"), ("Vienna", "Vienne"), ("Lisbon", "Lisbonne"),
             ("Beijing", "Pékin"), ("Montreal", "Montréal"), ("Quebec", "Québec"), ("Berlin", "Berlin"),
             ("Moscow", "Moscou"), ("Warsaw", "Varsovie"), ("Copenhagen", "Copenhague"), ("Athens", "Athènes"),
             ("Brussels", "Bruxelles"), ("Edinburgh", "Édimbourg"), ("Seville", "Séville"),
             ("Barcelona", "Barcelone"), ("Algiers", "Alger"), ("Beirut", "Beyrouth"), ("Jerusalem", "Jérusalem"),
             ("Seoul", "Séoul"), ("Singapore", "Singapour"), ("Israel", "Israël"), ("Prague", "Prague"),
             ("Stockholm", "Stockholm"), ("Budapest", "Budapest"), ("Bucharest", "Bucarest"), ("Munich", "Munich"),
             ("Naples", "Naples"), ("Madrid", "Madrid")),  # "Madrid beat Porto" -> "Madri a battu"
}
PLACE_NAMES = _by_class(PLACES_BY_CLASS)
KNOWN_NAMES |= PLACE_NAMES
# a known name ending in a dot ("U.S.", "U.K.") that ends the sentence: its last dot is also the full stop, which the
# name's stand-in took along (the model then went on: "… aux États-Unis des États-Unes aux États …"); the full stop
# is written again after it
DOTTED_NAME_AT_END = re.compile(r"(?<![\w.])(" + "|".join(re.escape(n) for n in KNOWN_NAMES if n.endswith("."))
                                + r")(?=[\"'”’)]*\s*$)")
KNOWN_NAME = re.compile(r"(?<![\w-])(?P<the>[Tt]he\s+)?(?P<name>"
                        + "|".join(re.escape(n) for n in sorted(KNOWN_NAMES, key=len, reverse=True)) + r")(?![\w-])")
# a title of office or family before a name: French writes it in lower case with an article ("le président Lincoln",
# "la reine Elizabeth", "l'oncle Bob"); the kind is that of the article stand-in it goes in as (m, f, v: as for places)
OFFICES = {"President": ("président", "m"), "Prime Minister": ("Premier ministre", "m"), "Minister": ("ministre", "m"),
           "King": ("roi", "m"), "Queen": ("reine", "f"), "Prince": ("prince", "m"), "Princess": ("princesse", "f"),
           "Emperor": ("empereur", "m"), "Empress": ("impératrice", "v"), "Pope": ("pape", "m"),
           "Senator": ("sénateur", "m"), "Governor": ("gouverneur", "m"), "Mayor": ("maire", "m"),
           "Chancellor": ("chancelier", "m"), "Professor": ("professeur", "m"), "Captain": ("capitaine", "m"),
           "Uncle": ("oncle", "m"), "Aunt": ("tante", "f"), "Grandpa": ("papy", "m"), "Grandma": ("mamie", "f")}
OFFICE_NAME = re.compile(r"(?<![\w-])(?P<the>[Tt]he\s+)?(?P<office>" + "|".join(sorted(OFFICES, key=len, reverse=True))
                         + r")\s+(?P<name>[A-Z][\w-]*(?:['’](?!s\b)\w[\w-]*)*(?:\s+[A-Z][\w-]*(?:['’](?!s\b)\w[\w-]*)*)*)"
                         r"(?![\w-])")  # "President Buchanan's": the name without its "'s"; "Uncle O'Brien" whole
MOUNT_OR_LAKE = re.compile(r"(?<![\w-])(?P<the>[Tt]he\s+)?(?P<name>(?P<what>Mount|Lake)\s+(?P<it>[A-Z][\w-]+))")
# "the Barents Sea" -> "la mer de Barents", "the Hudson River" -> "le fleuve Hudson", "the Galápagos Islands" -> "les
# îles Galápagos" (the models wrote "au Barents Sea", "Les Galápagos Islands"); not after an adjective or a colour
# ("the Arabian Sea", "the Red River": left to the model) nor a known name
SEA_OR_RIVER = re.compile(r"(?<![\w-])(?P<the>[Tt]he\s+)?(?P<name>(?P<it>(?![A-Z]\w*(?:an|ic)\b)"
                          r"(?!(?:Red|Black|White|Yellow|Green|Blue|North|South|East|West|Dead|Coral|Inland)\b)"
                          r"(?!Sahara\b)[A-Z][\w-]+)\s+(?P<what>Sea|River|Desert|Islands))(?![\w-])")
# a name of several words ending in one of these is an institution or a place the model translates word by word
# ("Harvard University" -> "L'université à Université", "Baker Street" -> "Baker rue"): it is swapped whole
GENERIC_LAST_WORDS = frozenset(
    "university college school institute academy hospital clinic museum gallery library theatre theater stadium "
    "street road avenue boulevard lane square bridge tower station airport park garden gardens zoo market hall "
    "hotel palace castle cathedral church abbey temple mosque lake river island islands mountain mountains ocean "
    "sea bay valley desert forest canyon falls organization organisation corporation company bank foundation "
    "association council ministry agency party club society union".split())


LATIN_WORD = re.compile(r"(?<![\w.@/:-])[A-Za-z]+(?![\w@/:-]|\.\w)")  # not inside an address or a longer word


QUOTED = re.compile(r"“([^“”\"]*)”|‘([^‘’]*)’(?!\w)|(?<![\w'’])'([^'\n]{2,})'(?!\w)")  # “…”, ‘…’, '…'
TITLE_WORD = r"(?:[A-Z0-9][\w'’&-]*[:,.!?]?)"
SMALL_WORDS = r"(?:of|the|and|a|an|in|on|at|to|for|with|from|by|or)"
QUOTED_TITLE = re.compile(rf'(?<=")({TITLE_WORD}(?:\s{TITLE_WORD}|\s{SMALL_WORDS}(?=\s)){{1,9}})(?=")')


def _noted(rewrites: dict[str, str], old: str, new: str) -> str:
    """`new`, with old -> new recorded in `rewrites` (for the tab's note) when it changes anything."""
    if new != old:
        rewrites[old] = new
    return new


def _recording(rewrites: dict[str, str], rewrite: Callable[[re.Match], str]) -> Callable[[re.Match], str]:
    """A re.sub replacement: rewrite(match), each change recorded in `rewrites`."""
    return lambda match: _noted(rewrites, match.group(0), rewrite(match))


def straight_quotes(text: str) -> tuple[str, dict[str, str]]:
    """Quotation marks written straight, as in the training pairs: “…”, ‘…’ and '…' -> "…". The models had seen
    nearly none of the others: "My favorite book is “Tom”." came out "Mon livre préféré est à l'âge de ce qu'on y a
    …", with 'Tom' "… à Vom."; with "Tom" it is "Mon livre préféré est "Tom".". Apostrophes are left."""
    rewrites: dict[str, str] = {}
    straight = _recording(rewrites, lambda m: f'"{m.group(m.lastindex)}"')  # the one alternative that matched
    return QUOTED.sub(straight, text).replace("“", '"').replace("”", '"'), rewrites


def quoted_titles(text: str) -> list[SwappedForm]:
    """A title in quotation marks ("The Little Prince", "Shoujin Ryouri": two words or more, each capitalised but
    for small words) is one person stand-in, copied as written; the models translated its words one by one
    ("… est Little Price Prince".") or lost it."""
    return [SwappedForm(m.start(), m.end(), m.group(0), "person", m.group(0)) for m in QUOTED_TITLE.finditer(text)]


# emoji and the pictographs, dingbats and joiners they are made of (not ©, ®, ™ or °)
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u231A-\u23FF\uFE0F\u200D\u20E3]+")


WRAPPING_QUOTES = re.compile(r'^["“«]\s*(?P<inside>[^"“”«»]+?)\s*["”»]$')
ANSWER_QUOTES = re.compile(r'^[\s"“”«»]+|[\s"“”«»]+$')


def unquoted(text: str) -> tuple[str, bool]:
    """A sentence wrapped in double quotes (a line of dialogue: '"Are you OK?" "Yes."' is two such sentences), read
    without them: the models dropped the closing quote and translated worse ('"Are you OK?"' came out "« vas-tu
    bien ?", without the quotes "Est-ce que tu vas bien ?"). Returns the text and whether it was quoted; the answer
    is then written in French quotation marks (StandIns.restore)."""
    match = WRAPPING_QUOTES.match(text.strip())
    return (match.group("inside"), True) if match else (text, False)


# a parenthesis the models cannot read, kept as written: codes and acronyms ("(UTC+2)", "(WHO)", "(1889–1976)") and
# measures ("(3 miles)", "(about 5 km)"); alone they garbled the whole sentence ("… local time (UTC+2) in the town
# hall." came out "… du temps à l'interrosteur de la ville des années de la ville.")
_MEASURE = r"(?:about\s+|approx\.?\s+|c\.\s+)?[\d.,]+\s?(?:km|mi|miles?|m|ft|feet|foot|kg|lbs?|pounds?|cm|mm|in|inches|°\s?[CF]|%|mph|km/h)\.?"
KEPT_PARENTHESIS = re.compile(rf"\s*\((?P<inside>[^()a-z]*[A-Z0-9][^()a-z]*|{_MEASURE})\)(?=[\s.,;:!?]|$)")
ANSWER_END = re.compile(r"\s*[.!?…»]*\s*$")  # where set-aside parentheses go back: before the closing punctuation


def set_aside_parentheses(text: str) -> tuple[str, tuple[str, ...]]:
    """The text without the parentheses it keeps as written (KEPT_PARENTHESIS) and those parentheses, which go back
    at the end of the answer, before its closing punctuation ("… à l'hôtel de ville (UTC+2)."); a text that opens
    with one is left as it is."""
    kept = tuple(f"({m.group('inside').strip()})" for m in KEPT_PARENTHESIS.finditer(text))
    if not kept or not text.split("(", 1)[0].strip():
        return text, ()
    return KEPT_PARENTHESIS.sub("", text), kept


def with_parentheses(translation: str, kept: tuple[str, ...]) -> str:
    """The answer with the set-aside parentheses put back before its closing punctuation."""
    end = ANSWER_END.search(translation)
    return translation[: end.start()] + "".join(f" {p}" for p in kept) + translation[end.start():]


def set_aside_emoji(text: str) -> tuple[str, str, str]:
    """Emoji taken out of what the model reads, to be put back around the translation: the models never saw one
    ("Thanks for the gift 😊" came out "Merci pour le cadeau de l'imposteur à l'épreuve de l'impatience.", "I ❤️
    Paris!" "J'ai l'étrosion de l'étorée de l'autre à Paris."). Returns the text without them, what opened it (emoji
    and the space after them) and what goes at the end (those from inside the text, then those that ended it); text
    of emoji alone is left as it is."""
    if not EMOJI.search(text) or not any(c.isalnum() for c in EMOJI.sub("", text)):
        return text, "", ""  # nothing to set aside, or nothing else to translate
    head = re.match(rf"(?:{EMOJI.pattern}\s*)+", text)
    head_text = head.group(0) if head else ""
    foot = re.search(rf"(?:\s*{EMOJI.pattern})+\s*$", text[len(head_text):])
    foot_text = foot.group(0).rstrip() if foot else ""
    body = text[len(head_text) : len(text) - len(foot.group(0)) if foot else len(text)]
    inside = "".join(m.group(0) for m in EMOJI.finditer(body))
    body = re.sub(r"\s{2,}", " ", EMOJI.sub("", body)).strip()
    return body, head_text, (f" {inside}" if inside else "") + foot_text


def large_ordinals(text: str) -> tuple[str, ...]:
    """The ordinals from 13th on, as written ("21st", "fifteenth"). The models copy the digits but not the ending
    ("We live in the 21st century." came out "… au 21s siècle", "25th" "25ième", "14th" "14the") or spell the
    number out without its elision ("13th", "fifteenth" -> "treizeième", "quinzeième"): french_ordinals() writes
    both the French way. (1st to 12th are rewritten in words, which the models translate: "troisième".)"""
    return tuple(dict.fromkeys(m.group(0) for m in LARGE_ORDINAL.finditer(text)))


def digit_ordinals(text: str) -> list[SwappedForm]:
    """Ordinals in digits from 13th on ("21st", "25th", "100th"): an ordinal stand-in, written "21e", "25e" in the
    answer. Left to the models, half of them came out wrong ("This is her 25th birthday." -> "C'est son 3ième
    anniversaire.", "the 22nd century" -> "au 22 siècle", "She finished 45th" -> "Elle a fini 455"). A day of the
    month ("See you on the 25th.", "October 20th") is left as it is: French writes "le 25"."""
    return [SwappedForm(m.start(), m.end(), m.group(0), "ordinal", f"{int(m.group('number'))}e")
            for m in LARGE_ORDINAL.finditer(text) if m.group("number") and not _day_alone(text, m)]


def _day_alone(text: str, ordinal: re.Match) -> bool:
    """A day of the month: after a month ("October 20th", the date stand-in) or "on the 25th" closing its clause."""
    before = text[: ordinal.start()]
    return bool(AFTER_A_MONTH.search(before)
                or re.search(r"\bon\s+the\s+$", before, re.IGNORECASE)
                and re.match(r"\s*(?:[,.!?;:]|$)", text[ordinal.end() :]))


def french_ordinals(translation: str, ordinals: tuple[str, ...]) -> str:
    """For the ordinals of large_ordinals(): "21s siècle", "25ième" -> "21e siècle", "25e"; "treizeième" ->
    "treizième" (no French word has "eième")."""
    for ordinal in ordinals:
        number = ordinal[:-2]
        if number.isdigit():
            translation = re.sub(rf"(?<![\d.,]){number}{ORDINAL_ENDINGS}", f"{number}e", translation)
    return re.sub(r"(?<=\w)eième", "ième", translation) if ordinals else translation


def small_meters(text: str) -> list[SwappedForm]:
    """"centimeters", "millimetres": a "meters" stand-in, put back as "centimètres", "millimètres" (the vocabulary
    holds "meters" whole, not "meter": a singular is left to the model)."""
    return [SwappedForm(m.start(), m.end(), m.group(0), "unit", f"{m.group('prefix').lower()}mètres")
            for m in SMALL_METERS.finditer(text)]


def square_units(text: str) -> list[SwappedForm]:
    """"square kilometers" (also "km²", read so by with_words_for_symbols): the "meters" stand-in, put back as
    "kilomètres carrés"."""
    return [SwappedForm(m.start(), m.end(), m.group(0), "unit", f"{(m.group('prefix') or '').lower()}mètres carrés")
            for m in SQUARE_UNITS.finditer(text)]


def decades(text: str) -> list[SwappedForm]:
    """"the 1990s": the plural place stand-in ("the United States", which every bundled model writes "les / aux / des
    États-Unis"), put back as "les années 1990" ("In the 1990s, …" came out "En 1990, …", "She grew up in the
    1980s." "Elle a grandi dans les objets.", "the 1950s" "en mille milles")."""
    return [SwappedForm(m.start(), m.end(), m.group("decade"), "decade", "années " + m.group("decade").lstrip("'’")[:-1],
                        len(m.group("the"))) for m in DECADE.finditer(text)]


def billions(text: str) -> list[SwappedForm]:
    """"billion": a "million" stand-in, put back as "milliard" (11 training sentences hold "billion"; "€40 billion"
    came out "40 factures de euros"). A plural keeps its "s": "billions" -> "millions" -> "milliards"."""
    return [SwappedForm(m.start(), m.end(), m.group(0), "scale", "milliard") for m in BILLION.finditer(text)]


def french_number(written: str) -> str:
    """"12.99" -> "12,99", "12,000" -> "12 000" (Tatoeba's French groups thousands with a space); codes as written."""
    if "-" in written[1:]:  # a code ("555-0198"); a leading minus is a negative number's
        return written
    whole, _, decimals = written.partition(".")
    whole = whole.replace(",", " ")
    return f"{whole},{decimals}" if decimals else whole


QUESTION_OPENERS = frozenset(
    "what where when why who whom whose which how can could do does did is are was were will would should shall may "
    "might have has had must am isn't aren't don't doesn't didn't won't wouldn't can't couldn't shouldn't".split())
LONE_I = re.compile(r"(?<![\w.'’-])i(?=['’](?:m|ve|ll|d)\b|(?![\w.'’-]))")  # "i", "i'm"; not "i.e."
NATIONALITY = re.compile(r"(?:ese|ish|ian|ean|ican|ch)$")  # "french", "english", "japanese", "canadian"
# names typed in lower case that are written capitalised: a single-word place of PLACE_NAMES (not "turkey"), weekdays,
# months (not "may", "march"), and names and cities the training pairs are full of
CAPITALISED_NAMES = frozenset(
    {name.lower() for name in PLACE_NAMES if " " not in name} - {"turkey", "chile"}
    | CALENDAR_NAMES - {"may", "march"}
    | set("tom mary john alice paris london boston chicago tokyo osaka kyoto rome berlin japan france italy canada "
          "england america spain germany china europe".split()))
# "Nov. 12", "Sept 3rd": the month in full, so that the date stand-in takes it
MONTH_ABBREVIATION = re.compile(r"\b(?P<month>Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?(?=\s+\d{1,2}(?!\d))")
NAMED = re.compile(r"\b(?:name is|name's|call me)\s+([a-z]+)(?=\W*$|\s+and\b|[,.!?])", re.IGNORECASE)
# contractions typed without their apostrophe, the ones that are no other word ("its", "ill", "well", "were", "lets",
# "hell", "shell", "wed", "id" are): "She doesnt like cheese." came out "Elle aime le fromage.", "We wont go." "Nous
# avons gagné.", "He didnt come." "Il s'est fait venir."
APOSTROPHE_LESS = {word.replace("'", "").lower(): word for word in (
    "don't doesn't didn't can't won't isn't aren't wasn't weren't haven't hasn't hadn't wouldn't shouldn't couldn't "
    "mustn't needn't I'm I've you're you've you'll they're they've they'll we've that's what's there's who's "
    "where's how's").split()}
# and text-message spellings no training pair has ("thx for your help" came out "Thx pour ton aide.", "can u help
# me pls" "Leu peut-il m'aider ?")
TEXTING_WORDS = {"thx": "thanks", "pls": "please", "plz": "please", "u": "you", "ur": "your", "cuz": "because",
                 "kinda": "kind of", "tmrw": "tomorrow", "btw": "by the way", "idk": "I don't know", "yeah": "yes"}
CASUAL_SPELLINGS = APOSTROPHE_LESS | TEXTING_WORDS
CASUAL_SPELLING = re.compile(r"(?<![\w.'’-])(?:" + "|".join(CASUAL_SPELLINGS) + r")(?![\w'’-]|\.\w)", re.IGNORECASE)


# a time opening the sentence without its comma ("At 6:15 the alarm went off." came out "À 14 h 300 l'alarme.", "After
# 10 the streets are empty." "Après 10 rues sont vides."; with the comma both are right); the next word shows the
# time phrase has ended ("After 10 years" is left)
OPENING_TIME = re.compile(r"^(?:At|After|Before|By|Until|Around|From)\s+(?:\d{1,2}(?::\d\d)?(?:\s?[ap]\.?m\b\.?)?|noon|"
                          r"midnight)(?=\s+(?:the|a|an|we|I|he|she|they|it|you|my|our|his|her|their|everyone|"
                          r"everybody|nobody|someone|there)\b)")


def _spelt_out(match: re.Match) -> str:
    """"doesnt" -> "doesn't", "Im" -> "I'm", "Thx" -> "Thanks" (a capital kept)."""
    written = match.group(0)
    word = CASUAL_SPELLINGS[written.lower()]
    return word[0].upper() + word[1:] if written[0].isupper() else word


# news phrasing Tatoeba nearly lacks, in words the models translate: "The storm is expected to reach the coast." came
# out "La tempête s'attendait à atteindre …"; as "should": "La tempête devrait atteindre …"
EXPECTED_TO = re.compile(r"\b(?:is|are)\s+(?:widely\s+|also\s+)?expected\s+to\b")

# a superlative "on record", which the models read word for word ("the wettest month on record" -> "le mois le record
# du record"); as "ever recorded": "le mois le plus humide jamais enregistré" (2026-12-07)
ON_RECORD = re.compile(r"\b((?:most|least)\s+\w+(?:\s+\w+){0,2}|\w+est(?:\s+\w+){1,2})\s+on\s+record\b")

# a reporting clause closing the sentence ("…, officials said."), which the models dropped or ran into the sentence
# ("The death toll … has risen to 47, officials said." -> "… a augmenté jusqu'à 47 responsables.", "…, la police a
# dit."); read in front, with "that": "Officials said that the death toll …" -> "Les responsables ont indiqué que …"
REPORTED = re.compile(r"^(?P<body>[^\"“”«»,]{12,}?),\s+(?P<who>(?:[Tt]he\s+|[Aa]n?\s+)?(?:[\w'’-]+\s+){0,3}?[\w'’-]+)\s+"
                      r"(?P<verb>said|says|added|reported|announced|confirmed)(?P<when>\s+(?:on\s+[A-Z]\w+|today|"
                      r"yesterday|last\s+week|in\s+a\s+statement))?\s*\.$")
REPORTERS_NOT = frozenset("it this that which who what there".split())  # "…, which said": no reporting clause
# a body in the first or second person is speech quoted without its marks ("We will win, he said."): left
SPEAKERS = re.compile(r"\b(?:I|I['’]m|I['’]ll|I['’]ve|we|we['’]re|we['’]ll|you|your|my|our|me|us)\b", re.IGNORECASE)
# the body's first word written in lower case once it follows "that" (a name keeps its capital)
LOWERED_OPENERS = frozenset("the a an this that these those its their his her our my your some many most all no "
                            "several every each both few more less at in on after before during".split())


def _reported_first(match: re.Match) -> str:
    """"X, officials said." -> "Officials said that x."."""
    who, body = match.group("who"), match.group("body")
    first = body.split(maxsplit=1)[0]
    if first.lower() in LOWERED_OPENERS:
        body = body[0].lower() + body[1:]
    return f"{who[0].upper()}{who[1:]} {match.group('verb')}{match.group('when') or ''} that {body}."

# "local time" after a clock time, set off by a comma where the sentence goes on: "struck at 2:30 local time about 9
# kilometers south-west" came out "à 14 kilomètres à l'heure du sud-dessus" (the time read as a distance); with the
# comma, "à 14 h 30, à environ 9 kilomètres" (the clock time's French then carries ", heure locale": clock_times)
LOCAL_TIME_GOING_ON = re.compile(r"(?<=\d)(?:\s*[ap]\.?m\.?)?\s+local\s+time(?=\s+[a-z])")


# prepositions opening a sentence that the models misread, as words they know ("Apart from the price, …" had come
# out "Éloigné du prix, …", "Following the election, …" "Suivez l'élection, …", "Within a week, …" "Avec une
# semaine, …"); before a determiner or a number, with a comma later (opening_phrases.py constrains others)
OPENING_PREPOSITIONS = {"apart from": "Except for", "aside from": "Except for", "following": "After", "within": "In",
                        "unlike": "Like"}  # "Unlike his brother, …" is read "Like …", its French opening "Contrairement"
OPENING_PREPOSITION = re.compile(r"^(?:" + "|".join(word.capitalize() for word in OPENING_PREPOSITIONS) + r")(?=\s+"
                                 r"(?:the|a|an|his|her|its|their|our|my|this|that|these|those|most|many|some|other|two|three|\d+|[A-Z]\w+)\b"
                                 r"[^,.;:!?]*,)")


def news_phrases(text: str) -> tuple[str, dict[str, str]]:
    """"is expected to" -> "should", "Following the election, …" -> "After the election, …", "the hottest year on
    record" -> "the hottest year ever recorded", "X, officials said." -> "Officials said that X." (the tab's note
    lists the rewrite)."""
    rewrites: dict[str, str] = {}
    text = OPENING_PREPOSITION.sub(_recording(rewrites, lambda m: OPENING_PREPOSITIONS[m.group(0).lower()]), text)
    text = ON_RECORD.sub(_recording(rewrites, lambda m: f"{m.group(1)} ever recorded"), text)
    text = LOCAL_TIME_GOING_ON.sub(_recording(rewrites, lambda m: m.group(0) + ","), text)
    reported = REPORTED.match(text)
    if reported and reported.group("who").split()[0].lower() not in REPORTERS_NOT \
            and not SPEAKERS.search(reported.group("body")):
        said = f"{reported.group('who')} {reported.group('verb')}{reported.group('when') or ''}"
        rewrites[f", {said}."] = f"{said[0].upper()}{said[1:]} that …"  # the tab's note: ", officials said." -> …
        text = _reported_first(reported)
    return EXPECTED_TO.sub(_recording(rewrites, lambda m: "should"), text), rewrites


def casual_forms(text: str, is_whole: Callable[[str], bool]) -> tuple[str, dict[str, str]]:
    """Text typed casually written as the training pairs are: "i" -> "I", the first letter a capital, a final "?"
    after a question's opening word ("where", "can", …) or "." where a word ends the text, and names typed in lower
    case capitalised ("berlin", "monday", "french": a language or nationality the vocabulary holds only
    capitalised; "anna" in "my name is anna", a word the vocabulary does not hold). The models had read "i would
    like a coffee please" as "i serait comme un café", "my name is anna and i live in berlin" as "Mon nom est une
    épide de son nom." and answered "where is the train station" without its "?". Contractions typed without their
    apostrophe get it back ("doesnt" -> "doesn't"), text-message words are spelt out ("thx" -> "thanks"). Returns
    the text and each rewrite (as written -> as rewritten)."""
    rewrites: dict[str, str] = {}

    recorded = partial(_noted, rewrites)

    def named(match: re.Match) -> str:
        word = match.group(0)
        if word.islower() and (word in CAPITALISED_NAMES or NATIONALITY.search(word) and not is_whole(word)
                               and is_whole(word.capitalize())):
            return recorded(word, word.capitalize())
        return word

    text = MONTH_ABBREVIATION.sub(_recording(rewrites, lambda m: next(
        month.capitalize() for month in MONTHS if month.startswith(m.group("month").lower()))), text)
    text = CASUAL_SPELLING.sub(_recording(rewrites, _spelt_out), text)
    text = LATIN_WORD.sub(named, LONE_I.sub(lambda m: recorded("i", "I"), text))
    text = NAMED.sub(lambda m: m.group(0)[: -len(m.group(1))] + recorded(m.group(1), m.group(1).capitalize())
                     if m.group(1).islower() and not is_whole(m.group(1)) else m.group(0), text)  # "my name is anna"
    first = re.search(r"[^\W\d_]", text)
    if not first:
        return text, rewrites
    opener = re.match(r"[\w'’-]+", text[first.start():]).group(0)
    if opener[0].islower() and not re.search(r"\w", text[: first.start()]):  # not after a number: "8 people came"
        text = text[: first.start()] + recorded(opener, opener[0].upper() + opener[1:]) + text[first.start() + len(opener):]
    text = OPENING_TIME.sub(lambda m: recorded(m.group(0), m.group(0) + ","), text)
    last = re.search(r"[\w'’-]+$", text)
    if last and re.search(r"\w$", text):
        opening = opener.lower().replace("’", "'")
        mark = "?" if opening in QUESTION_OPENERS or opening.split("'")[0] in QUESTION_OPENERS else "."  # "what's"
        text = text[: last.start()] + recorded(last.group(0), last.group(0) + mark)
    return text, rewrites


def american_spellings(text: str, piece_count: Callable[[str], int]) -> tuple[str, dict[str, str]]:
    """British spellings written the American way where the vocabulary holds the American one in fewer pieces: the
    bundled models learned from Tatoeba pairs spelt the American way (72 of the 152,517 training sentences have a
    British spelling; "favourite" 1, "favorite" 192), and "My favourite book" came out "Mon livre de favourite".
    The word list is breame's; its "buses" -> "busses" and the like are refused by the piece count. Returns the
    text and each rewrite (as written -> as rewritten) for the tab's note."""
    rewrites: dict[str, str] = {}

    def american(match: re.Match) -> str:
        word = match.group(0)
        us = BRITISH_ENGLISH_SPELLINGS.get(word.lower())
        if not us or piece_count(us) >= piece_count(word.lower()):
            return word
        return us.capitalize() if word[0].isupper() else us

    return LATIN_WORD.sub(_recording(rewrites, american), text), rewrites


def with_words_for_symbols(text: str) -> tuple[str, dict[str, str]]:
    """Amounts, units, small ordinals and clock times in words the model reads well: "$12.99" -> "12.99 dollars",
    "5 km" -> "5 kilometers" ("5 kmètre" before), "20°C" -> "20 degrees", "3rd" -> "third" ("3rd floor" came out
    "3 ans"), "7 p.m." -> "19:00", "9:15 a.m." -> "9:15". Returns the text and each rewrite (as written -> as
    rewritten) for the tab's note."""
    rewrites: dict[str, str] = {}

    recorded = partial(_recording, rewrites)

    def clock(match: re.Match) -> str:
        hour = int(match.group("hour")) % 12 + (12 if match.group("half").lower() == "p" else 0)
        written = match.group(0)
        rest = text[match.end():]
        ends_sentence = written.endswith(".") and (not rest.strip() or rest[:1].isspace() and rest.lstrip()[:1].isupper())
        rewrites[written] = f"{hour}:{match.group('minute') or '00'}"
        return rewrites[written] + ("." if ends_sentence else "")

    text = MINUS_SIGN.sub(recorded(lambda m: "-"), text)  # "−20 °C": its bytes came out "��20 degrés"
    text = AMOUNT.sub(recorded(lambda m: " ".join(filter(None, (m.group("number"), m.group("scale"),
                                                                CURRENCIES[m.group("symbol")])))), text)
    text = UNIT.sub(recorded(lambda m: f"{m.group('number')}{UNIT_WORDS[m.group('unit')]}"), text)
    text = KILOGRAMS.sub(recorded(lambda m: "kilo"), text)
    text = PERCENT.sub(recorded(lambda m: f"{m.group('number')}%"), text)
    text = NUMBER_DASH.sub(recorded(lambda m: f"{m.group('first')}-{m.group('second')}"), text)
    text = ORDINAL.sub(recorded(lambda m: ORDINAL_WORDS[int(m.group("number"))]), text)

    def clock_in_words(match: re.Match) -> str:
        minutes = _MINUTES[match.group("minutes").lower()]
        hour = _HOURS.get(match.group("hour").lower()) or int(match.group("hour"))
        if match.group("side").lower() == "to":  # "ten to five" also reads "from ten to five": only after "at", …
            if minutes == 30 or not AT_A_TIME.search(text[: match.start()]):
                return match.group(0)
            hour, minutes = hour - 1 or 12, 60 - minutes
        return _noted(rewrites, match.group(0), f"{hour}:{minutes:02d}")

    text = WORD_CLOCK.sub(clock_in_words, text)
    return CLOCK.sub(clock, text), rewrites


def known_names(text: str) -> list[SwappedForm]:
    """KNOWN_NAMES, "Mount X", "Lake X" and titled names ("President Lincoln", OFFICES) in the text; a span starts at
    the "the" before the name, where written."""
    out = []
    for match in KNOWN_NAME.finditer(text):
        if match.group("name") in ALSO_ADJECTIVES and ADJECTIVE_USE.match(text, match.end()):
            continue  # "Caribbean islands": an adjective, left to the model
        french, kind = KNOWN_NAMES[match.group("name")]
        out.append(SwappedForm(match.start(), match.end(), match.group("name"), kind, french, len(match.group("the") or "")))
    for match in MOUNT_OR_LAKE.finditer(text):
        french = {"Mount": "mont", "Lake": "lac"}[match.group("what")]
        out.append(SwappedForm(match.start(), match.end(), match.group("name"), "m", f"{french} {match.group('it')}",
                               len(match.group("the") or "")))
    for match in SEA_OR_RIVER.finditer(text):
        it, what = match.group("it"), match.group("what")
        of = f"d'{it}" if it[0] in "AEIOU" else f"de {it}"
        french = {"Sea": f"mer {of}", "Desert": f"désert {of}", "River": f"fleuve {it}", "Islands": f"îles {it}"}[what]
        kind = {"Sea": "f", "Islands": "pl"}.get(what, "m")
        out.append(SwappedForm(match.start(), match.end(), match.group("name"), kind, french, len(match.group("the") or "")))
    for match in OFFICE_NAME.finditer(text):  # "Prime Minister Justin Trudeau" had come out "Prime que Minister …"
        if match.group("name").split()[-1].lower() in GENERIC_LAST_WORDS:
            continue  # a place named after someone: "King Street", "Prince Edward Island"
        french, kind = OFFICES[match.group("office")]
        out.append(SwappedForm(match.start(), match.end(), match.group(0)[len(match.group("the") or ""):], kind,
                               f"{french} {match.group('name')}", len(match.group("the") or "")))
    return out


# peoples named in the plural, which the models copied or read as other words ("L'ancienne Egyptians a construit",
# "Les Romans ont construit", "Many Africans vit à Paris"), as the French noun; the first goes in as "Americans",
# which every bundled model writes "Américains" (a second is left to the model)
PEOPLES = {
    "Egyptians": "Égyptiens", "Romans": "Romains", "Greeks": "Grecs", "Aztecs": "Aztèques", "Persians": "Perses",
    "Celts": "Celtes", "Africans": "Africains", "Spaniards": "Espagnols", "Mayans": "Mayas", "Babylonians": "Babyloniens",
    "Phoenicians": "Phéniciens", "Etruscans": "Étrusques", "Normans": "Normands", "Sumerians": "Sumériens",
    "Assyrians": "Assyriens", "Carthaginians": "Carthaginois", "Byzantines": "Byzantins", "Arabs": "Arabes",
    "Turks": "Turcs", "Kurds": "Kurdes", "Swedes": "Suédois", "Danes": "Danois", "Poles": "Polonais",
    "Finns": "Finlandais", "Scots": "Écossais", "Britons": "Britanniques", "Europeans": "Européens",
    "Asians": "Asiatiques", "Australians": "Australiens", "Mexicans": "Mexicains", "Brazilians": "Brésiliens",
    "Nigerians": "Nigérians", "Kenyans": "Kényans", "Israelis": "Israéliens", "Palestinians": "Palestiniens",
    "Iranians": "Iraniens", "Iraqis": "Irakiens", "Pakistanis": "Pakistanais", "Ukrainians": "Ukrainiens",
    "Koreans": "Coréens", "Filipinos": "Philippins", "Indonesians": "Indonésiens", "Ethiopians": "Éthiopiens",
    "Algerians": "Algériens", "Moroccans": "Marocains", "Tunisians": "Tunisiens", "Syrians": "Syriens",
    "Afghans": "Afghans", "Argentinians": "Argentins", "Colombians": "Colombiens", "Peruvians": "Péruviens",
    "Chileans": "Chiliens", "Cubans": "Cubains", "Haitians": "Haïtiens", "Jamaicans": "Jamaïcains",
    # peoples of history ("Vikings sailla dans le long …", 2026-12-07)
    "Vikings": "Vikings", "Incas": "Incas", "Mongols": "Mongols", "Saxons": "Saxons", "Anglo-Saxons": "Anglo-Saxons",
    "Visigoths": "Wisigoths", "Goths": "Goths", "Huns": "Huns", "Gauls": "Gaulois", "Franks": "Francs",
    "Hittites": "Hittites", "Minoans": "Minoens", "Olmecs": "Olmèques", "Maori": "Maoris",
    # believers, in lower case as French writes them ("sacré à Hindus", 2026-12-07)
    "Hindus": "hindous", "Muslims": "musulmans", "Buddhists": "bouddhistes", "Christians": "chrétiens",
    "Sikhs": "sikhs", "Protestants": "protestants", "Catholics": "catholiques",
}
PEOPLE_NAME = re.compile(r"(?<![\w-])(" + "|".join(sorted(PEOPLES, key=len, reverse=True)) + r")(?![\w'’-])")


def peoples(text: str) -> list[SwappedForm]:
    """Peoples named in the plural ("the Egyptians", "many Africans"), each with its French noun."""
    return [SwappedForm(m.start(), m.end(), m.group(1), "people", PEOPLES[m.group(1)]) for m in PEOPLE_NAME.finditer(text)]


def titled_names(text: str) -> list[SwappedForm]:
    """"Dr. Okafor", "Ms. Nakamura Aoi": one person each, written in French with the French title ("Dr Okafor",
    "Mme Nakamura Aoi")."""
    out = []
    for match in TITLED_NAME.finditer(text):
        title, woman = TITLES[match.group("title")]
        written = match.group(0)
        out.append(SwappedForm(match.start(), match.end(), written, "woman" if woman else "person",
                               f"{title} {match.group('name')}"))
    return out


def separated_numbers(text: str) -> list[SwappedForm]:
    """Numbers with separators (SEPARATED_NUMBER) and sums or ratios in symbols (ARITHMETIC), one stand-in each."""
    return [SwappedForm(m.start(), m.end(), m.group(0), "number", french_number(m.group(0)))
            for m in SEPARATED_NUMBER.finditer(text)] + \
        [SwappedForm(m.start(), m.end(), m.group(0), "number", m.group(0)) for m in ARITHMETIC.finditer(text)]


def clock_times(text: str) -> list[SwappedForm]:
    """"9:15" -> "9 h 15", "19:00" -> "19 h" (the French way; Tatoeba writes "à 14 h"); "4:15 local time" -> "4 h 15,
    heure locale" (set off by a second comma where the sentence goes on; it came out "4 h 15 locales", or the time
    was read as a distance: "à 4 h 15 kilomètres")."""
    out = []
    for match in TIME.finditer(text):
        hour, minute = int(match.group("hour")), match.group("minute")
        french, end = f"{hour} h" if minute == "00" else f"{hour} h {minute}", match.end()
        local = LOCAL_TIME.match(text, end)
        if local:
            french += ", heure locale" + ("," if re.match(r"\s+\w", text[local.end():]) else "")
        out.append(SwappedForm(match.start(), end, match.group(0), "time", french))
    return out


def local_time_mended(french: str) -> str:
    """`french` with what a model wrote for "local time" after the ", heure locale" a clock time was put back with
    dropped, and the commas around it mended: "4 h 15, heure locale locales." -> "4 h 15, heure locale."."""
    if "heure locale" not in french:
        return french
    french = LOCAL_TIME_LEFT.sub(r"\1", french)
    return re.sub(r"heure locale(?:,\s*)+(?=[.!?;:]|$)", "heure locale", french).replace(
        "heure locale,,", "heure locale,")


def addresses(text: str) -> list[SwappedForm]:
    """E-mail addresses (a person's stand-in: "write to Tom") and web addresses (a place's: "visit Boston")."""
    return [SwappedForm(m.start(), m.end(), m.group(0), "person" if "@" in m.group(0) else "place", m.group(0))
            for m in ADDRESS.finditer(text)]
