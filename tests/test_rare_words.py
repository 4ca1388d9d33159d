"""Rare nouns read as anchors and rare adjectives as colours, put back in French (generators/rare_nouns.py,
generators/rare_adjectives.py), and French elision mended (generators/french_elision.py)."""

import re

import pytest

from generators import DecodingConfig, TranslationRequest, load
from generators.french_elision import elide
from generators.french_guillemets import mended_guillemets
from generators.french_idioms import mend_idioms
from generators.rare_adjectives import adjectives
from generators.rare_adverbs import ADVERB_STAND_INS
from generators.rare_nouns import ANCHOR_SYNONYMS, ANCHORS, lexicon
from generators.rare_verbs import ANCHOR_VERBS, ENDINGS, FORMS
from generators.rare_verbs import lexicon as verb_lexicon
from generators.stand_ins import with_stand_ins

KNOWN = {"the", "The", "they", "every", "week", "closed", "after", "near", "found", "ended", "garden", "doctors",
         "house", "hotel", "cars", "school", "books", "animals", "doctor", "women", "nurse", "soldiers", "parents", "ideas"}


def is_whole(word):
    return word in KNOWN


def test_the_lexicon_holds_both_numbers_with_gender_and_elision():
    nouns = lexicon()
    glacier, number = nouns["glacier"]
    assert number == "sg" and nouns["glaciers"][1] == "pl"
    assert (glacier.french_singular, glacier.french_plural, glacier.gender, glacier.elides) == \
        ("glacier", "glaciers", "m", False)
    assert nouns["officials"][0].person and not nouns["treaty"][0].person
    assert all(noun.gender in "mf" and noun.french_singular for noun, _ in nouns.values())


def test_the_verb_and_adjective_lexicons_hold_regular_verbs_and_four_french_forms():
    for english, (verb, form) in verb_lexicon().items():
        assert english == verb.english[FORMS.index(form)] or form == "past"  # a past is also a participle
        # no change of stem: not "céder" ("cède"), "célébrer", "appeler", "employer" ("annexer", "tweeter" keep theirs)
        changes = verb.group == 1 and re.search(r"(?<!e)[eé](?:[^aeiouyéèêhx]|[bcdfgkptv][lr]|ch|gn|qu|gu)$|y$", verb.stem)
        assert verb.group in (1, 2) and verb.stem and not changes, verb
    assert verb_lexicon()["evacuated"][0].stem == "évacu" and verb_lexicon()["established"][0].group == 2
    for english, forms in adjectives().items():
        assert english.islower() and len(forms) == 4 and all(forms), english
    assert adjectives()["rural"] == ("rural", "rurale", "ruraux", "rurales")


def test_rare_nouns_go_in_as_anchors_of_their_gender_number_and_elision_and_come_back_in_french():
    swapped = with_stand_ins("The officials closed the glacier after the drought.", is_whole)
    assert swapped.text == "The soldiers closed the garden after the house."
    assert swapped.restore("Les soldats ont fermé le jardin après la maison.") == \
        "Les responsables ont fermé le glacier après la sécheresse."
    orbit = with_stand_ins("The satellite left its orbit.", is_whole)  # feminine, elided: "l'orbite" as "l'école"
    assert orbit.text == "The garden left its school."
    assert orbit.restore("Le jardin a quitté son école.") == "Le satellite a quitté son orbite."
    assert orbit.relabel(["▁garden", "▁school"]) == ["▁satellite", "▁orbit"]  # the heatmap shows the nouns


def test_a_noun_opening_the_text_gets_an_anchor_with_the_and_a_verb_one_needs_a_determiner():
    opening = with_stand_ins("Researchers found the fossils near the glacier.", is_whole)
    assert opening.text == "The soldiers found the books near the garden."  # "Soldiers": copied ("House a causé")
    assert opening.restore("Les soldats ont trouvé les livres près du jardin.") == \
        "Les chercheurs ont trouvé les fossiles près du glacier."
    assert with_stand_ins("They found fossils.", is_whole).text == "They found fossils."  # "fossil fuels": a verb
    assert with_stand_ins("The official car.", is_whole).text == "The official car."  # or an adjective
    assert with_stand_ins("The official said no.", is_whole).text == "The doctor said no."
    assert with_stand_ins("Many species live here.", is_whole).restore("Beaucoup d'idées vivent ici.") == \
        "Beaucoup d'espèces vivent ici."  # one English form for both numbers: plural after "many"
    assert with_stand_ins("They protest every week.", is_whole).text == "They protest every week."
    assert with_stand_ins("The protest ended.", is_whole).text == "The house ended."


def test_a_noun_of_several_words_is_one_anchor_and_a_french_plural_only_noun_a_plural_one():
    climate = with_stand_ins("They talked about climate change and the prime minister.", is_whole)
    assert climate.text == "They talked about garden and the doctor."
    assert climate.restore("Ils ont parlé du jardin et du médecin.") == \
        "Ils ont parlé du changement climatique et du Premier ministre."
    rain = with_stand_ins("Heavy rain closed the general election.", is_whole)  # "fortes pluies", "élections …"
    assert rain.text == "The women closed the ideas."
    assert rain.restore("Les femmes ont fermé les idées.") == "Les fortes pluies ont fermé les élections générales."
    # an office in capitals without a name is read in lower case (institutions.py), then as the anchor; with a name
    # it is the office-and-name rule's
    office = with_stand_ins("The Prime Minister left.", is_whole)
    assert office.text == "The doctor left." and office.restore("Le médecin est parti.") == "Le Premier ministre est parti."
    assert "doctor" not in with_stand_ins("The Prime Minister Ana Lopez left.", is_whole).text


def test_an_anchor_the_text_holds_is_not_used_and_another_of_its_kind_is():
    swapped = with_stand_ins("The soldiers met the officials.", is_whole)
    assert "soldiers" not in swapped.originals and swapped.originals.get("parents") == "officials"
    assert swapped.restore("Les soldats ont rencontré les parents.") == "Les soldats ont rencontré les responsables."


def test_a_vocabulary_that_holds_the_noun_leaves_it_to_the_model():
    assert with_stand_ins("The glacier melted.", lambda w: True).text == "The glacier melted."


def test_rare_adjectives_go_in_as_colours_and_come_back_in_french_in_gender_and_number():
    known = lambda w: is_whole(w) or w in {"green", "blue", "towns", "roads", "villages", "dress"}  # noqa: E731
    swapped = with_stand_ins("The coastal towns and the rural roads.", known)
    assert swapped.text == "The green towns and the blue roads."
    assert swapped.restore("Les villes vertes et les routes bleues.") == "Les villes côtières et les routes rurales."
    assert with_stand_ins("Rural villages.", known).restore("Des villages verts.") == "Des villages ruraux."
    shared = with_stand_ins("A purple dress on the coastal road.", known)  # a colour and an adjective: one pool
    assert shared.originals == {"green": "purple", "blue": "coastal"}
    assert with_stand_ins("The coastal road.", lambda w: True).text == "The coastal road."  # held whole: left


def test_rare_verbs_go_in_as_an_anchor_in_the_same_form_and_come_back_with_their_stem():
    known = lambda w: is_whole(w) or w in {"close", "work", "island", "minister", "on", "friday", "new"}  # noqa: E731
    swapped = with_stand_ins("They evacuated the island and the minister collaborated.", known)
    assert swapped.text == "They closed the island and the minister worked."
    assert swapped.swaps == {"evacuated": "closed", "collaborated": "worked"}
    assert swapped.restore("Ils ont fermé l'île et le ministre a travaillé.") == \
        "Ils ont évacué l'île et le ministre a collaboré."
    announced = with_stand_ins("The minister announced new rules.", known)  # -cer: "annonçait", "annonçons"
    assert announced.restore("Le ministre fermait, nous fermons, ils fermeront.") == \
        "Le ministre annonçait, nous annonçons, ils annonceront."
    assert with_stand_ins("The launch failed.", known).text == "The launch failed."  # a noun: left
    assert with_stand_ins("They will launch it.", known).text == "They will close it."  # after a modal, a verb
    assert announced.relabel(["▁closed"]) == ["▁announced"]
    established = with_stand_ins("The town was established in 1200 and invaded twice.",
                                 lambda w: known(w) or w == "choose")
    assert established.text.startswith("The town was chosen in ")  # a participle after "was": "chosen", not "chose"
    assert established.text.endswith(" and invaded twice.")  # one anchor for verbs in -ir: the second is left
    assert established.restore("La ville a été choisie en 1200. Nous choisissons.") == \
        "La ville a été établie en 1200. Nous établissons."


def test_rare_adverbs_go_in_as_quickly_and_come_back_in_french():
    known = lambda w: is_whole(w) or w in {"quickly", "slowly", "rose", "prices", "ended"}  # noqa: E731
    swapped = with_stand_ins("Prices rose sharply and the protest ended peacefully.", known)
    assert swapped.text == "Prices rose quickly and the house ended slowly."
    assert swapped.restore("Les prix ont vite augmenté et la maison s'est terminée lentement.") == \
        "Les prix ont fortement augmenté et la manifestation s'est terminée pacifiquement."
    assert with_stand_ins("He quickly and sharply said no.", known).originals.get("slowly") == "sharply"  # "quickly": in the text


@pytest.mark.parametrize("french, elided", [
    ("Le avocat a dit que il était prêt.", "L'avocat a dit qu'il était prêt."),
    ("Il ne y a pas de eau.", "Il n'y a pas d'eau."),
    ("Je ai parlé au ambassadeur du empire.", "J'ai parlé à l'ambassadeur de l'empire."),
    ("Le hôtel de Anne, le héros.", "L'hôtel d'Anne, le héros."),  # an aspirated "h" keeps its article
    ("Si il pleut, je le aime.", "S'il pleut, je l'aime."),
    ("le onze mai, la une du journal, que un ami", "le onze mai, la une du journal, qu'un ami"),
    ("LE AVOCAT", "L'AVOCAT"),
    ("L'avocat de Paul est là.", "L'avocat de Paul est là."),
    ("ouvert du avril au octobre", "ouvert d'avril en octobre"),  # a month: no article
    ("La monnaie est l' euro, qu' il aime.", "La monnaie est l'euro, qu'il aime."),  # written apart
])
def test_french_elision_is_written_where_the_models_missed_it(french, elided):
    assert elide(french) == elided


ANCHOR_FRAMES = {"sg": ["The {} said that the plan was ready.", "We visited the {} last week.",
                        "Nobody knew where the {} was.", "The report describes the {} in detail.",
                        "They talked about the {} for hours.", "The {} is very old."],
                 "pl": ["The {} said that the plan was ready.", "We visited the {} last week.",
                        "Many {} were found near the river.", "The {} arrived yesterday.",
                        "The report describes the {} in detail.", "Some {} refused to leave."]}


@pytest.mark.parametrize("model_name", ["transformer-small-en-fr", "rnn-attention-en-fr"])
def test_each_bundled_model_writes_the_first_anchor_of_each_kind_in_french(model_name):
    model = load(model_name, task="translation")
    config = DecodingConfig(num_beams=4, max_new_tokens=40)
    for (_, number, _, _), anchors in ANCHORS.items():
        english, _, singular, plural = anchors[0]
        requests = [TranslationRequest(f.format(english), config) for f in ANCHOR_FRAMES[number]]
        texts = [r.text.lower() for r in model.generate_batch(requests)]
        written = singular if number == "sg" else plural
        forms = (written, *ANCHOR_SYNONYMS.get(written, ()))
        assert sum(any(form in text for form in forms) for text in texts) >= len(texts) - 1, (english, texts)


VERB_FRAMES = {True: ["They {past} the old bridge yesterday.", "The police have {participle} the road.",
                      "We will {base} the building tomorrow.", "She {s} the door every morning.", "He is {ing} the shop.",
                      "The town was {participle} last night.", "The army {past} the city in 1940."],
               False: ["They {past} all night.", "She {s} every day.", "We will {base} tomorrow.", "He is {ing} now.",
                       "They have {participle} for hours.", "Nobody wanted to {base}.", "The workers {past} on Monday."]}


@pytest.mark.parametrize("model_name", ["transformer-small-en-fr", "rnn-attention-en-fr"])
def test_each_bundled_model_conjugates_the_first_verb_anchor_of_each_kind(model_name):
    model = load(model_name, task="translation")
    config = DecodingConfig(num_beams=4, max_new_tokens=40)
    for (group, transitive), anchors in ANCHOR_VERBS.items():
        base, s, past, participle, ing, stem = anchors[0]
        requests = [TranslationRequest(f.format(base=base, s=s, past=past, participle=participle, ing=ing), config)
                    for f in VERB_FRAMES[transitive]]
        texts = [r.text.lower() for r in model.generate_batch(requests)]
        conjugated = [any(re.search(rf"\b{stem}{ending}\b", text) for ending in ENDINGS[group]) for text in texts]
        assert sum(conjugated) >= len(texts) - 1, (base, texts)


ADVERB_FRAMES = ["He spoke {} to the crowd.", "Prices rose {} last year.", "They worked {} all day.",
                 "The situation changed {} after the election.", "The children ran {} to the door.",
                 "The city grew {} in the 1990s."]


@pytest.mark.parametrize("model_name", ["transformer-small-en-fr", "rnn-attention-en-fr"])
def test_each_bundled_model_translates_the_adverb_anchors(model_name):
    model = load(model_name, task="translation")
    config = DecodingConfig(num_beams=4, max_new_tokens=40)
    for anchor, forms in list(ADVERB_STAND_INS.items())[:2]:
        texts = [r.text.lower() for r in model.generate_batch([TranslationRequest(f.format(anchor), config)
                                                               for f in ADVERB_FRAMES])]
        assert sum(any(form in text for form in forms) for text in texts) >= len(texts) - 1, (anchor, texts)


@pytest.mark.parametrize("text, french", [
    ("Prices rose sharply last year.", "fortement"),  # "Les prix de carburants ont augmenté à peu près."
    ("The police evacuated the building.", "évacué"),  # "… en vacuèrent …"
    ("The hikers followed the trail to the waterfall.", "Les randonneurs"),  # "Les hikers ont suivi le trail à l'eau."
    ("Astronomers discovered a new galaxy.", "une nouvelle galaxie"),  # "Astronomers a découvert un nouveau galax"
    ("The senator visited the monastery.", "le monastère"),  # "Le semator a visité … le montre."
    ("The lawyer said that the plan was ready.", "L'avocat a"),  # "Le avocat a dit …"; "a déclaré" since stop 46
    ("The coastal road is closed.", "La route côtière"),  # "La route de la coast …"
    ("The prime minister spoke about climate change.", "changement climatique"),  # "… le changement de change"
])
def test_the_default_model_writes_rare_nouns_and_elisions_in_french(text, french):
    translation = load("ensemble-en-fr", task="translation").generate(TranslationRequest(text)).text
    assert french in translation, translation


@pytest.mark.parametrize("text, mended", [
    ("Lena sera 30 ans le mois prochain.", "Lena aura 30 ans le mois prochain."),  # from "will be 30 years old"
    ("Anouk est 19 ans et étudie à Utrecht.", "Anouk a 19 ans et étudie à Utrecht."),
    ("Elle était vingt ans quand elle est partie.", "Elle avait vingt ans quand elle est partie."),
    ("Ce sera 30 ans de mariage.", "Ce sera 30 ans de mariage."),  # no person
    ("Il est parti il y a 30 ans.", "Il est parti il y a 30 ans."),
    ("Tom est trois ans plus âgé que moi.", "Tom est trois ans plus âgé que moi."),  # a difference, not an age
])
def test_an_age_is_had_not_been(text, mended):
    assert mend_idioms(text) == mended


def test_take_place_is_written_with_avoir_in_every_tense():
    assert mend_idioms("Le festival prend lieu tous les étés.") == "Le festival a lieu tous les étés."
    assert mend_idioms("Les jeux ont pris lieu à Athènes et prendront lieu à Rome.") == \
        "Les jeux ont eu lieu à Athènes et auront lieu à Rome."
    assert mend_idioms("Prend lieu demain.") == "A lieu demain."
    assert mend_idioms("Il prend le lieu au sérieux. Il prend un lieutenant.") == \
        "Il prend le lieu au sérieux. Il prend un lieutenant."  # not the calque
    # "been to Egypt": "en" before a country or continent opening on a vowel, after a verb of being, going or living
    assert mend_idioms("Je n'ai jamais été à l'Égypte.") == "Je n'ai jamais été en Égypte."
    assert mend_idioms("Nous sommes allés à l'Asie et ils vivent à l'Iran.") == "Nous sommes allés en Asie et ils vivent en Iran."
    assert mend_idioms("Il a déclaré la guerre à l'Italie.") == "Il a déclaré la guerre à l'Italie."  # not a place verb
    assert mend_idioms("Je suis allé à l'école.") == "Je suis allé à l'école."  # not a country
    # through the default model, most "take place" sentences come out with "avoir lieu" and none with the calque (the
    # eleventh-stage transformer, stop 49, wrote "Les élections prennent chaque quatre ans.": "lieu" dropped)
    texts = [r.text for r in load("ensemble-en-fr", task="translation").generate_batch([TranslationRequest(t) for t in (
        "The elections take place every four years.", "The meeting will take place tomorrow.",
        "The festival takes place every summer.", "The wedding took place in June.",
        "Where did the accident take place?")])]
    right = [t for t in texts if re.search(r"\b(?:a|ont|aura|auront|a eu|ont eu|a-t-il eu|avait|avaient) lieu\b", t)]
    assert len(right) >= 4 and not any(re.search(r"\bpr(?:en|i)\w* lieu\b", t) for t in texts), texts


def test_guillemets_get_a_space_inside_and_a_quoted_title_comes_back_so():
    assert mended_guillemets("Mon livre préféré est «Tom ».") == "Mon livre préféré est « Tom »."
    assert mended_guillemets("Il a dit «oui» et d'«accord».") == "Il a dit « oui » et d'« accord »."
    assert mended_guillemets("« Bien » , dit-il.") == "« Bien » , dit-il."  # already spaced: as it is
    assert mended_guillemets('Il a dit "non".') == 'Il a dit "non".'
    assert mended_guillemets("Mon livre préféré est « Tom » ».") == "Mon livre préféré est « Tom »."  # doubled
    assert mended_guillemets("« Oui » » « Non » »") == "« Oui » « Non »"
    assert mended_guillemets("Il a dit » oui ».") == "Il a dit » oui »."  # no opening to pair: left as written
    # the English comma inside the quotation goes after the closing guillemet
    assert mended_guillemets("« Nous sommes tristes, », a déclaré Tom.") == "« Nous sommes tristes », a déclaré Tom."
    assert mended_guillemets("« Oui, » a-t-il dit.") == "« Oui », a-t-il dit."
    result = load("ensemble-en-fr", task="translation").generate(
        TranslationRequest("My favourite book is “The Little Prince”."))
    assert "«The" not in result.text and "The Little Prince" in result.text, result.text
