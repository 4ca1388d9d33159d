"""Languages and nationalities the translators cannot spell, read as one they know and put back in French.

The training pairs are full of "Japanese" (234 English sides) and "Chinese" (80) but hold "Portuguese" 3 times,
"Swedish" 3, "Turkish", "Hindi", "Vietnamese" and "Norwegian" never, and the vocabulary has them only in pieces:
"I speak Portuguese." came out "Je parle à Portuse.", "She is Swedish." "Elle est Swedishe.", "He is learning
Turkish." "Il apprend Turkish.". Each such word goes in as "Japanese" (or "Chinese"), which every bundled model
writes "japonais", "japonaise", "japonaises", "Japonais"; the answer then takes the word's own French form, of the
same gender and number ("portugais", "portugaise", "portugaises"), with the article elided where French elides it
("le japonais" -> "l'arabe").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .swapped_form import SwappedForm
from .word_lists import opens_text

# English -> (French masculine, French feminine): the language, or the adjective ("un restaurant coréen", "une
# amie coréenne"); a noun of people takes the capital ("les Portugais")
NATIONALITIES = {
    "Portuguese": ("portugais", "portugaise"), "Turkish": ("turc", "turque"), "Swedish": ("suédois", "suédoise"),
    "Dutch": ("néerlandais", "néerlandaise"), "Polish": ("polonais", "polonaise"), "Arabic": ("arabe", "arabe"),
    "Hindi": ("hindi", "hindie"), "Greek": ("grec", "grecque"), "Vietnamese": ("vietnamien", "vietnamienne"),
    "Norwegian": ("norvégien", "norvégienne"), "Thai": ("thaïlandais", "thaïlandaise"), "Korean": ("coréen", "coréenne"),
    "Danish": ("danois", "danoise"), "Finnish": ("finnois", "finlandaise"), "Czech": ("tchèque", "tchèque"),
    "Hungarian": ("hongrois", "hongroise"), "Indonesian": ("indonésien", "indonésienne"),
    "Ukrainian": ("ukrainien", "ukrainienne"), "Persian": ("persan", "persane"), "Hebrew": ("hébreu", "hébraïque"),
    "Swahili": ("swahili", "swahilie"), "Irish": ("irlandais", "irlandaise"), "Scottish": ("écossais", "écossaise"),
    "Welsh": ("gallois", "galloise"), "Mexican": ("mexicain", "mexicaine"), "Brazilian": ("brésilien", "brésilienne"),
    "Egyptian": ("égyptien", "égyptienne"), "Indian": ("indien", "indienne"), "Swiss": ("suisse", "suisse"),
    "Belgian": ("belge", "belge"), "Austrian": ("autrichien", "autrichienne"), "Argentinian": ("argentin", "argentine"),
    "Peruvian": ("péruvien", "péruvienne"), "Chilean": ("chilien", "chilienne"), "Icelandic": ("islandais", "islandaise"),
    "Romanian": ("roumain", "roumaine"), "Bulgarian": ("bulgare", "bulgare"), "Serbian": ("serbe", "serbe"),
    "Croatian": ("croate", "croate"), "Latin": ("latin", "latine"), "Filipino": ("philippin", "philippine"),
    "Nigerian": ("nigérian", "nigériane"), "Kenyan": ("kényan", "kényane"), "Moroccan": ("marocain", "marocaine"),
    "Algerian": ("algérien", "algérienne"), "Tunisian": ("tunisien", "tunisienne"), "Lebanese": ("libanais", "libanaise"),
    "Iranian": ("iranien", "iranienne"), "Iraqi": ("irakien", "irakienne"), "Israeli": ("israélien", "israélienne"),
    "Pakistani": ("pakistanais", "pakistanaise"), "Bengali": ("bengali", "bengalie"), "Urdu": ("ourdou", "ourdoue"),
    "Malay": ("malais", "malaise"), "Catalan": ("catalan", "catalane"), "Basque": ("basque", "basque"),
    "Esperanto": ("espéranto", "espéranto"), "Russian": ("russe", "russe"), "Australian": ("australien", "australienne"),
    "Cuban": ("cubain", "cubaine"),
    # religions and more peoples, which news and travel text names ("un temple à Buddhist", "sont Muslim", 2026-12-07)
    "Buddhist": ("bouddhiste", "bouddhiste"), "Hindu": ("hindou", "hindoue"), "Muslim": ("musulman", "musulmane"),
    "Jewish": ("juif", "juive"), "Sikh": ("sikh", "sikhe"), "Islamic": ("islamique", "islamique"),
    "Ethiopian": ("éthiopien", "éthiopienne"), "Colombian": ("colombien", "colombienne"),
    "Venezuelan": ("vénézuélien", "vénézuélienne"), "Ghanaian": ("ghanéen", "ghanéenne"),
    "Sudanese": ("soudanais", "soudanaise"), "Somali": ("somalien", "somalienne"), "Syrian": ("syrien", "syrienne"),
    "Afghan": ("afghan", "afghane"), "Nepalese": ("népalais", "népalaise"), "Tibetan": ("tibétain", "tibétaine"),
    "Mongolian": ("mongol", "mongole"), "Armenian": ("arménien", "arménienne"), "Estonian": ("estonien", "estonienne"),
    "Latvian": ("letton", "lettone"), "Lithuanian": ("lituanien", "lituanienne"), "Slovak": ("slovaque", "slovaque"),
    "Slovenian": ("slovène", "slovène"), "Ecuadorian": ("équatorien", "équatorienne"),
    "Bolivian": ("bolivien", "bolivienne"), "Uruguayan": ("uruguayen", "uruguayenne"),
    "Jamaican": ("jamaïcain", "jamaïcaine"), "Haitian": ("haïtien", "haïtienne"), "Senegalese": ("sénégalais", "sénégalaise"),
    "Congolese": ("congolais", "congolaise"), "Ugandan": ("ougandais", "ougandaise"),
    "Tanzanian": ("tanzanien", "tanzanienne"), "Rwandan": ("rwandais", "rwandaise"),
    "Cambodian": ("cambodgien", "cambodgienne"), "Burmese": ("birman", "birmane"),
    "Bangladeshi": ("bangladais", "bangladaise"), "Maori": ("maori", "maorie"),
    "Scandinavian": ("scandinave", "scandinave"), "Siberian": ("sibérien", "sibérienne"),
}
FEMININE = {masculine: feminine for masculine, feminine in NATIONALITIES.values()}
NATIONALITY_NAME = re.compile(r"(?<![\w'’-])(" + "|".join(sorted(NATIONALITIES, key=len, reverse=True)) + r")(?![\w'’-])",
                              re.IGNORECASE)
VERBS = frozenset({"polish"})  # "polish the shoes": the verb, unless capitalised inside a sentence


def nationality_names(text: str, is_whole: Callable[[str], bool]) -> list[SwappedForm]:
    """Languages and nationalities of NATIONALITIES the vocabulary holds only in pieces, capitalised or typed in lower
    case (not "polish" then, nor "Polish" opening the text); each swapped span's French is the masculine form."""
    out = []
    for match in NATIONALITY_NAME.finditer(text):
        written = match.group(1)
        name = written[0].upper() + written[1:].lower()
        opening = opens_text(text, match.start())
        if name.lower() in VERBS and (written.islower() or opening):
            continue
        if not is_whole(name):
            out.append(SwappedForm(match.start(), match.end(), written, "nationality", NATIONALITIES[name][0]))
    return out
