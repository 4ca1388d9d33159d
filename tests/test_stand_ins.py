"""Stand-ins for rare names and numbers (generators/stand_ins.py): what is swapped, how it is put back, and that the
default model copies every stand-in it is given and carries a sentence's rare names and numbers over."""

import re

import pytest

from generators import DecodingConfig, TranslationRequest, load
from generators.source_forms import casual_forms, with_words_for_symbols
from generators.stand_ins import (
    ARTICLE_POOLS,
    CALENDAR_STAND_INS,
    COLOUR_STAND_INS,
    FRENCH_FORMS,
    NATIONALITY_STAND_INS,
    NUMBERS,
    PEOPLE,
    PLACES,
    TIME_STAND_IN,
    WOMEN,
    YEARS,
    with_stand_ins,
)

KNOWN = {"Tom", "John", "Mary", "Boston", "Chicago", "Tokyo", "Osaka", "Kyoto", "Rome", "2013", "is", "my", "the",
         "in", "to", "and", "moved", "Japan", "France", "Italy", "university", "States", *NUMBERS}


def is_whole(word):
    return word in KNOWN


def test_rare_names_places_numbers_and_years_are_swapped_and_put_back():
    swapped = with_stand_ins("Ingrid moved to Tampere in 1991 with 450 euros and met Bogdan.", is_whole)
    assert swapped.text == "Tom moved to Boston in 2013 with 8 euros and met John."
    french = "Tom a déménagé à Boston en 2013 avec 8 euros et a rencontré John."
    assert swapped.restore(french) == "Ingrid a déménagé à Tampere en 1991 avec 450 euros et a rencontré Bogdan."
    assert swapped.relabel(["▁Tom", "▁a", "▁Boston", "▁8", "</s>"]) == ["▁Ingrid", "▁a", "▁Tampere", "▁450", "</s>"]


def test_the_number_of_an_age_written_with_hyphens_takes_a_number_stand_in():
    """"A 12-year-old boy" came out "Un petit garçon de dix ans", "a fourteen-year-old son" "de quatre ans"."""
    boy = with_stand_ins("A 12-year-old boy and a fourteen-year-old girl.", is_whole)
    assert boy.text == "A 8-year-old boy and a 6-year-old girl."
    assert boy.restore("Un garçon de 8 ans et une fille de six ans.") == \
        "Un garçon de 12 ans et une fille de quatorze ans."
    for kept in ("I have a ten-year-old boy.", "We adopted a six-month-old baby."):  # the models' own
        assert with_stand_ins(kept, is_whole).text == kept, kept


def test_a_time_opening_the_sentence_gets_its_comma():
    assert casual_forms("At 6:15 the alarm went off.", is_whole)[0] == "At 6:15, the alarm went off."
    assert casual_forms("At noon we ate.", is_whole)[0] == "At noon, we ate."
    for kept in ("After 10 years he came back.", "At 6:15, the alarm rang.", "At home the alarm rang."):
        assert casual_forms(kept, is_whole)[0] == kept, kept


def test_a_year_opening_the_sentence_and_a_sum_in_symbols_take_a_number_stand_in():
    """The models dropped an opening "2013" ("2020 was a difficult year." -> "L'année passée était …") and garbled
    sums ("2 + 2 = 4." -> "2 heures de l'atrossée de 4.", "9/11" -> "9 h 3011")."""
    opening = with_stand_ins("2020 was a difficult year, like 1984.", is_whole)
    assert opening.text == "8 was a difficult year, like 2013."
    assert opening.restore("8 était une année difficile, comme 2013.") == "2020 était une année difficile, comme 1984."
    sums = with_stand_ins("I know that 2 + 2 = 4 and 3 × 5.5=16.5, and 24/7.", is_whole)
    assert sums.text == "I know that 8 and 6, and 9."  # "4" is in the text: not a free stand-in
    assert sums.restore("Je sais que 8 et 6, et 9.") == "Je sais que 2 + 2 = 4 et 3 × 5.5=16.5, et 24/7."


def test_a_second_year_takes_a_number_stand_in_and_comes_back_without_hours():
    """One year stand-in: a second year had been left to the models ("in 2005" -> "en 255", "to 1945" -> "à
    dix-neuf-cent-cent-cinq"); as a number, "in 8" comes out "en 8 heures" at times."""
    swapped = with_stand_ins("She was born in 1987 and moved to Rome in 2005.", is_whole)
    assert swapped.text == "She was born in 2013 and moved to Rome in 8."
    assert swapped.restore("Elle est née en 2013 et a déménagé à Rome en 8 heures.") == \
        "Elle est née en 1987 et a déménagé à Rome en 2005."
    assert swapped.restore("Elle est née en 2013 et a déménagé à Rome en huit h.") == \
        "Elle est née en 1987 et a déménagé à Rome en 2005."
    sums = with_stand_ins("Add 37 and 39.", is_whole)  # any number, where the English tells no time
    assert sums.text == "Add 8 and 6." and sums.restore("Ajoute 8 et 6 heures.") == "Ajoute 37 et 39."
    opens = with_stand_ins("The shop opens at 7 on floor 12.", is_whole)  # "at 7": an hour
    assert opens.restore("Le magasin ouvre à 8 heures au 6 heures.") == "Le magasin ouvre à 7 heures au 12."
    bridge = with_stand_ins("The bridge is 1200 metres long, built in 1890.", is_whole)  # a quantity, then a year
    assert bridge.text == "The bridge is 8 metres long, built in 2013."
    counted = with_stand_ins("She was born in 1987 and waited 45 hours.", is_whole)  # a number, not a year
    assert counted.restore("Elle est née en 2013 et a attendu 8 heures.") == "Elle est née en 1987 et a attendu 45 heures."


def test_a_name_the_vocabulary_holds_as_a_rare_piece_gets_a_stand_in():
    """"Nagoya" (a whole piece, log-probability -12.3) had come out "à coup", "Hokkaido" "Hokka"."""
    known = lambda w: is_whole(w) or w in {"Nagoya", "India", "works"}  # noqa: E731
    rare = lambda w: w in {"Nagoya", "India"}  # noqa: E731
    assert with_stand_ins("Tom works in Nagoya.", known).text == "Tom works in Nagoya."  # whole: trusted
    swapped = with_stand_ins("Tom works in Nagoya.", known, None, rare)
    assert swapped.text == "Tom works in Boston." and swapped.restore("Tom travaille à Boston.") == \
        "Tom travaille à Nagoya."
    assert with_stand_ins("Tom works in India.", known, None, rare).text == "Tom works in India."  # a common word


def test_a_name_before_its_possessive_is_swapped_and_elided_the_french_way():
    """"Alessandro's shop" had gone to the models as written ("Le magasin de l'inveur"); "de Tom" for a name that
    begins with a vowel is written "d'Alessandro"."""
    shop = with_stand_ins("Alessandro's shop is near Ankara's airport.", is_whole)
    assert shop.text == "Tom's shop is near Boston's airport." and shop.swaps == {"Alessandro": "Tom", "Ankara": "Boston"}
    assert shop.restore("Le magasin de Tom est près de l'aéroport de Boston.") == \
        "Le magasin d'Alessandro est près de l'aéroport d'Ankara."
    assert with_stand_ins("Hiroshi's father came.", is_whole).restore("Le père de Tom est venu.") == \
        "Le père de Hiroshi est venu."  # a consonant: no elision
    for kept in ("I'm here.", "Don't go.", "It's Tom's."):
        assert with_stand_ins(kept, is_whole).text == kept, kept


def test_known_words_contractions_acronyms_weekdays_and_common_first_words_stay():
    for text in ("Tom is in Boston.", "I'm not obese.", "Tom's adopted.", "See you on Tuesday.",
                 "Corruption was a problem.", "Elephants can't ride bicycles.", "He is Portuguese.",
                 "It costs 3 euros.", "Call 007."):
        assert with_stand_ins(text, is_whole).text == text, text


def test_names_ending_in_a_get_a_womans_stand_in_and_the_same_word_the_same_stand_in():
    swapped = with_stand_ins("Chiara called Yusuf, and Yusuf called Chiara.", is_whole)
    assert swapped.text == "Mary called Tom, and Tom called Mary."
    assert swapped.restore("Marie a appelé Tom, et Tom a appelé Marie.") == \
        "Chiara a appelé Yusuf, et Yusuf a appelé Chiara."


def test_a_stand_in_already_in_the_sentence_is_not_used_and_pools_run_out_gracefully():
    swapped = with_stand_ins("Tom met Ingrid, Bogdan, Kwame, Siobhan and Rahul.", is_whole)
    assert "Tom" not in swapped.originals and "Ingrid" not in swapped.text
    assert set(swapped.originals.values()) <= {"Ingrid", "Bogdan", "Kwame", "Siobhan", "Rahul"}
    assert swapped.restore(swapped.text) == "Tom met Ingrid, Bogdan, Kwame, Siobhan and Rahul."


def test_a_name_of_several_words_is_one_stand_in_or_left_whole_to_the_model():
    """Word by word, "the United States" read "the Tom States" and came out "les États-Unis de United"."""
    swapped = with_stand_ins("Ingrid Svensson flew to Tampere Vaasa with Kofi.", is_whole)
    assert swapped.text == "Tom flew to Boston with John."
    assert swapped.restore("Tom a pris l'avion pour Boston avec John.") == \
        "Ingrid Svensson a pris l'avion pour Tampere Vaasa avec Kofi."
    known_last_word = lambda w: is_whole(w) or w == "States"  # noqa: E731 - the vocabulary holds "States" whole
    for text in ("I visited the United States.", "The United States is large."):
        assert with_stand_ins(text, known_last_word).text == text, text
    # months, weekdays and nationalities do not join a name; a sentence's common first word neither
    assert with_stand_ins("On Monday Ingrid met Bogdan.", is_whole).text == "On Monday Tom met John."
    assert with_stand_ins("Yesterday Ingrid Svensson called.", is_whole).text == "Yesterday Tom called."


def test_amounts_clock_times_and_numbers_with_separators_are_swapped_and_written_the_french_way():
    swapped = with_stand_ins("Ingrid paid $12.99 at 7 p.m. for 2.5 kilos, and 12,000 people called 555-0198.", is_whole)
    assert swapped.text == "Tom paid 8 dollars at 2:30 for 6 kilos, and 4 people called 9."
    assert swapped.swaps["$12.99"] == "12.99 dollars" and swapped.swaps["7 p.m."] == "19:00"
    assert swapped.restore("Tom a payé 8 dollars à 14 h 30 pour 6 kilos, et 4 personnes ont appelé le 9.") == \
        "Ingrid a payé 12,99 dollars à 19 h pour 2,5 kilos, et 12 000 personnes ont appelé le 555-0198."
    # a clock time is one stand-in, "2:30", which every bundled model writes "14 h 30"; a second is left as it is
    times = with_stand_ins("We left at 9:15 a.m. and came back at 12 a.m.", is_whole)
    assert times.text == "We left at 2:30 and came back at 0:00."
    assert times.restore("Nous sommes partis à 14h30 et revenus à 0 h.") == "Nous sommes partis à 9 h 15 et revenus à 0 h."
    british = with_stand_ins("The train leaves at 7.15 pm, not 7.15 euros a month.", is_whole)  # "7,15 heures"
    assert british.swaps["7.15 pm"] == "19:15" and british.restore(british.text.replace("2:30", "14 h 30")).startswith(
        "The train leaves at 19 h 15, not")
    assert with_stand_ins("We left at 9 a.m.", is_whole).text == "We left at 2:30."  # the sentence still ends
    # "local time" after a clock time: ", heure locale" put back with it, what a model wrote for it dropped
    # (set off by a comma where the sentence goes on: "at 2:30 local time about 9 kilometers" was read as a distance)
    local = with_stand_ins("It struck at 4:15 a.m. local time near the coast.", is_whole)
    assert local.text == "It struck at 2:30 local time, near the coast."
    assert local.restore("Il a frappé à 14 h 30 locales, près de la côte.") == \
        "Il a frappé à 4 h 15, heure locale, près de la côte."
    assert local.restore("Il a frappé à 14 h 30 kilomètres, près de la côte.") == \
        "Il a frappé à 4 h 15, heure locale, près de la côte."
    ended = with_stand_ins("It landed at 10:30 p.m. local time.", is_whole)
    assert ended.restore("Il a atterri à 14 h 30 heure locale.") == "Il a atterri à 22 h 30, heure locale."
    assert ended.restore("Il a atterri à 14 h 30, heures locales.") == "Il a atterri à 22 h 30, heure locale."
    assert with_stand_ins("At 6:45 local time on Sunday, we left.", is_whole).restore(
        "À 14 h 30, heures, dimanche, nous sommes partis.") == "À 6 h 45, heure locale, dimanche, nous sommes partis."
    assert with_stand_ins("Lunch at 12:30.", is_whole).text == "Lunch at 2:30."  # "12:30" does not hold the stand-in
    # before a date, "10:00" ("at 2:30 on October 20th" lost the day: "à 14 h 30 octobre"), or "9:00" when a 10 is
    # about, "2:30" when a 9 is too
    dated = lambda w: is_whole(w) or w in {"October", "20"}  # noqa: E731 - the vocabulary holds the date stand-in
    meeting = with_stand_ins("Let's meet at 8:45 on Nov. 12.", dated)
    assert meeting.text == "Let's meet at 10:00 on October 20th."
    assert meeting.restore("Rencontrons-nous à 10 heures le 20 octobre.") == "Rencontrons-nous à 8 h 45 le 12 novembre."
    assert meeting.restore("Le train part à 10 h00 le 20 octobre.") == "Le train part à 8 h 45 le 12 novembre."
    assert with_stand_ins("On March 3, we left at 10:15.", dated).text == "On October 20th, we left at 2:30."
    # a time's "20" goes to the time stand-in: the date still gets its own ("à 7 h 20 le mai 3" before, stop 47)
    twenty = with_stand_ins("We will arrive at 7:20 on August 9.", dated)
    assert twenty.text == "We will arrive at 10:00 on October 20th."
    assert twenty.restore("Nous arriverons à 10 heures le 20 octobre.") == "Nous arriverons à 7 h 20 le 9 août."
    assert with_stand_ins("Ten of us met at 8:45 on May 3.", dated).text == "6 of us met at 9:00 on October 20th."
    assert with_stand_ins("Nine of us, not 10, met at 8:45 on May 3.", dated).text == \
        "6 of us, not 4, met at 2:30 on October 20th."
    for words, read in (("at a quarter to nine", "at 8:45"), ("at ten past eight", "at 8:10"), ("It's twenty to one",
                        "It's 12:40"), ("at half past 12", "at 12:30"), ("from nine to five", "from nine to five")):
        assert with_words_for_symbols(words)[0] == read, words  # "à neuf heures et quart", "dix heures et demie"
    assert with_stand_ins("It costs €5.", is_whole).text == "It costs 8 euros."
    assert with_stand_ins("It costs $12.99, or $1,200.", is_whole).text == "It costs 8 dollars, or 6 dollars."
    assert with_stand_ins("It costs $12,5.", is_whole).text == "It costs $12,5."  # not an amount written in English


def test_units_degrees_and_small_ordinals_go_in_as_words_and_addresses_and_acronyms_as_stand_ins():
    swapped = with_stand_ins("Walk 5 km to the 3rd house at 20°C and buy 250 g of rice.", is_whole)
    assert swapped.text == "Walk 8 kilometers to the third house at 6 degrees and buy 4 grams of rice."
    assert swapped.swaps["5 km"] == "5 kilometers" and swapped.swaps["3rd"] == "third"
    dated = with_stand_ins("We met on the 3rd of May.", lambda w: is_whole(w) or w in {"October", "20"})
    assert dated.swaps == {"3rd of May": "October 20th"}  # a date's day stays the date's
    mail = with_stand_ins("Write to anna.berg@example.com or visit www.example.org/help today.", is_whole)
    assert mail.text == "Write to Tom or visit Boston today."
    assert mail.restore("Écris à Tom ou visite Boston aujourd'hui.") == \
        "Écris à anna.berg@example.com ou visite www.example.org/help aujourd'hui."
    acronyms = with_stand_ins("NASA and the UN met in the UK.", is_whole)
    assert acronyms.text == "Tom and the university met in Japan."
    assert acronyms.restore("Tom et l'université se sont réunis au Japon.") == \
        "NASA et l'ONU se sont réunis au Royaume-Uni."
    assert with_stand_ins("The ATM took my card in chapter IV.", is_whole).text == \
        "The ATM took my card in chapter IV."  # learned in training ("le DAB"); a Roman numeral
    shouted = with_stand_ins("I LOVE NASA ON MONDAY!", is_whole)  # capitals throughout: no acronyms
    assert shouted.text == "I love nasa on Monday!" and shouted.restore("J'aime la nasa lundi !") == \
        "J'AIME LA NASA LUNDI !"


def test_numeric_dates_negative_numbers_and_the_world_wars():
    with_date_pieces = lambda w: is_whole(w) or w in {"October", "20"}  # noqa: E731
    dated = with_stand_ins("The meeting is on 12/05/2024.", with_date_pieces)
    assert dated.text == "The meeting is on October 20th."
    assert dated.restore("La réunion est le 20 octobre.") == "La réunion est le 12/05/2024."  # as written
    assert with_stand_ins("Born 1999-03-04.", with_date_pieces).restore("Né le 20 octobre.") == "Né le 1999-03-04."
    cold = with_stand_ins("It fell to -5 degrees, then -2.5.", is_whole)
    assert cold.text == "It fell to 8 degrees, then 6." and cold.restore("Il est tombé à 8 degrés, puis 6.") == \
        "Il est tombé à -5 degrés, puis -2,5."
    war = with_stand_ins("World War II ended in 1945.", is_whole)
    assert war.text == "France ended in 2013."
    assert war.restore("La France s'est terminée en 2013.") == "La Seconde Guerre mondiale s'est terminée en 1945."


def test_a_spelled_out_number_stand_in_is_put_back_unless_the_sentence_has_that_word():
    swapped = with_stand_ins("The bus leaves at 7 and 15.", is_whole)
    assert swapped.text == "The bus leaves at 8 and 6."
    assert swapped.restore("Le bus part à huit et six.") == "Le bus part à 7 et 15."
    eight = with_stand_ins("All eight of us took bus 15.", is_whole)
    assert eight.text == "All eight of us took bus 6." and eight.restore("Tous les huit, nous avons pris le 6.") == \
        "Tous les huit, nous avons pris le 15."


def test_titled_names_are_one_stand_in_written_with_the_french_title():
    swapped = with_stand_ins("Dr. Okafor met Ms. Nakamura and Mr. Haddad.", is_whole)
    assert swapped.text == "Tom met Mary and John."  # a woman's title, a woman's stand-in
    assert swapped.restore("Tom a rencontré Marie et John.") == "Dr Okafor a rencontré Mme Nakamura et M. Haddad."


def test_names_french_writes_with_an_article_take_a_stand_in_of_the_same_article():
    cases = {"The United Kingdom left the European Union.": "Japan left the university.",
             "She moved to New Zealand.": "She moved to France.",
             "I have never been to South Africa.": "I have never been to Italy.",
             "The United Nations met in Hong Kong.": "The United States met in Boston.",
             "Mount Kilimanjaro is high.": "Japan is high."}
    for text, expected in cases.items():
        assert with_stand_ins(text, is_whole).text == expected, text
    swapped = with_stand_ins("The United Kingdom left the European Union.", is_whole)
    assert swapped.restore("Le Japon a quitté l'université.") == "Le Royaume-Uni a quitté l'Union européenne."
    assert with_stand_ins("I have never been to South Africa.", is_whole).restore("Je ne suis jamais allé en Italie.") \
        == "Je ne suis jamais allé en Afrique du Sud."
    assert with_stand_ins("Mount Kilimanjaro is high.", is_whole).restore("Le Japon est haut.") == \
        "Le mont Kilimanjaro est haut."
    # a stand-in already in the sentence is not used: the name takes a place's stand-in
    assert with_stand_ins("Japan and the United Kingdom are allies.", is_whole).text == \
        "Japan and Boston are allies."


def test_countries_and_cities_go_in_as_a_stand_in_and_come_back_with_their_french_names():
    swapped = with_stand_ins("Ingrid flew from Geneva to Egypt and then to Sweden.", is_whole)
    assert swapped.text == "Tom flew from Boston to Italy and then to France."
    assert swapped.restore("Tom a pris l'avion de Boston en Italie puis en France.") == \
        "Ingrid a pris l'avion de Genève en Égypte puis en Suède."


def test_the_default_model_writes_countries_and_cities_in_french(default_model):
    """Before, "I have never been to Egypt." came out "… à Egypt." and "Canada" as "l'hamectue" (this model alone)."""
    cases = {"I have never been to Egypt.": "en Égypte", "She moved to Canada last year.": "au Canada",
             "Sweden is very far.": "Suède", "We live in Geneva.": "à Genève", "He works in Berlin.": "à Berlin",
             "They visited the Netherlands.": "les Pays-Bas"}
    texts = [r.text for r in default_model.generate_batch([TranslationRequest(t) for t in cases])]
    for french, text in zip(cases.values(), texts):
        assert french in text, (french, text)


def test_a_name_after_the_takes_the_masculine_article_stand_in_while_it_is_free():
    """French writes such names with "le" ("au Louvre", "le Super Bowl"): "the Louvre" -> "Japan" -> "au Japon"."""
    swapped = with_stand_ins("We went to the Louvre and the Blue Lagoon, then the Louvre again.", is_whole)
    assert swapped.text == "We went to Japan and the Tom, then Japan again."
    assert swapped.restore("Nous sommes allés au Japon et au Tom, puis au Japon.") == \
        "Nous sommes allés au Louvre et au Blue Lagoon, puis au Louvre."
    plural = with_stand_ins("The Beatles sang.", is_whole)
    assert plural.text == "The United States sang." and plural.restore("Les États-Unis ont chanté.") == \
        "Les Beatles ont chanté."
    vowel = with_stand_ins("He sailed across the Atlantic to the Azores.", is_whole)
    assert vowel.text == "He sailed across Japan to the United States."
    assert vowel.restore("Il a traversé le Japon jusqu'aux États-Unis.") == "Il a traversé l'Atlantic jusqu'aux Azores."
    assert vowel.restore("Au Japon, du Japon.") == "À l'Atlantic, de l'Atlantic."


def test_a_feminine_name_that_is_not_a_country_comes_back_with_its_article():
    """"in the Dead Sea" goes in as "in France" ("en France"); French writes "dans la mer Morte", "de la Voie lactée"."""
    sea = with_stand_ins("Tourists float in the Dead Sea.", is_whole)
    assert sea.text == "Tourists float in France."
    assert sea.restore("Les touristes flottent en France.") == "Les touristes flottent dans la mer Morte."
    galaxy = with_stand_ins("The Milky Way is a galaxy.", is_whole)
    assert galaxy.restore("La France est une galaxie de France.") == "La Voie lactée est une galaxie de la Voie lactée."
    country = with_stand_ins("He was born in Ivory Coast.", is_whole)  # a country keeps "en"
    assert country.restore("Il est né en France.") == "Il est né en Côte d'Ivoire."


def test_a_second_name_of_the_same_class_gets_the_second_stand_in_with_the_same_article():
    """"the Mississippi River flows into the Gulf of Mexico" had given the gulf a city's stand-in ("à golfe du
    Mexique"); now "Japan" and "Brazil", "France" and "China"."""
    known = lambda word: is_whole(word) or word in {"Brazil", "China"}  # noqa: E731
    two = with_stand_ins("The Hudson River flows into the Gulf of Mexico.", known)
    assert two.text == "Japan flows into Brazil."
    assert two.restore("Le Japon se jette dans le Brésil.") == "Le fleuve Hudson se jette dans le golfe du Mexique."
    seas = with_stand_ins("It links the Dead Sea and the Baltic Sea.", known)
    assert seas.text == "It links France and China."
    assert seas.restore("Il relie la France et la Chine.") == "Il relie la mer Morte et la mer Baltique."


def test_a_name_run_holding_a_known_city_comes_back_as_written():
    """"the Berlin Marathon": "Berlin" (a known city) went in as "Boston", then the run "Boston Marathon" as "Japan",
    and the answer read "le Boston Marathon"."""
    swapped = with_stand_ins("Faith won the Berlin Marathon.", is_whole)
    assert "Berlin Marathon" in swapped.originals.values()
    assert "Boston" not in swapped.restore(swapped.text.replace("won", "a gagné"))


def test_a_people_in_the_plural_goes_in_as_americans_and_comes_back_as_its_french_noun():
    """"The Romans built roads." had come out "Les Romans ont construit …" (novels), "Many Africans live in Paris."
    "Many Africans vit à Paris."; a second people is left to the model, and none is swapped when "Americans" is in
    the text."""
    known = lambda word: is_whole(word) or word == "Americans"  # noqa: E731
    romans = with_stand_ins("The Romans built roads.", known)
    assert romans.text == "The Americans built roads."
    assert romans.restore("Les Américains ont construit des routes.") == "Les Romains ont construit des routes."
    assert with_stand_ins("The Romans and the Greeks built roads.", known).text.count("Americans") == 1
    assert with_stand_ins("Many Africans live here.", known).restore("De nombreux Étasuniens vivent ici.") == \
        "De nombreux Africains vivent ici."
    assert "Americans" not in with_stand_ins("The Americans met the Romans.", known).originals


def test_a_sea_or_a_river_named_by_one_word_is_written_the_french_way():
    """"the Barents Sea" had come out "au Barents Sea": "la mer de Barents", "le fleuve Hudson"; an adjective's sea
    ("the Arabian Sea") and a colour's river are left to the model."""
    sea = with_stand_ins("Few fish live in the Aral Sea.", is_whole)
    assert sea.text == "Few fish live in France."
    assert sea.restore("Peu de poissons vivent en France.") == "Peu de poissons vivent dans la mer d'Aral."
    river = with_stand_ins("The Hudson River froze.", is_whole)
    assert river.text == "Japan froze." and river.restore("Le Japon a gelé.") == "Le fleuve Hudson a gelé."
    assert with_stand_ins("The Arabian Sea is warm.", is_whole).restore("La France est chaude.") != \
        "La mer d'Arabian est chaude."
    assert "fleuve" not in with_stand_ins("The Red River flooded.", is_whole).restore("Le Japon a débordé.")
    islands = with_stand_ins("The Galápagos Islands inspired Darwin.", is_whole)  # "Les Galápagos Islands" before
    assert islands.text.startswith("The United States") and \
        islands.restore("Les États-Unis ont inspiré Darwin.") == "Les îles Galápagos ont inspiré Darwin."


def test_a_mountain_range_is_written_with_dans_and_the_hague_with_its_article():
    """"au Himalaya", "aux Alpes", "à The Hague" before (stop 47)."""
    high = with_stand_ins("Many climbers die in the Himalayas.", is_whole)
    assert high.text == "Many climbers die in Japan."
    assert high.restore("Beaucoup d'alpinistes meurent au Japon.") == "Beaucoup d'alpinistes meurent dans l'Himalaya."
    assert high.restore("Le Japon est haut.") == "L'Himalaya est haut."
    alps = with_stand_ins("We went skiing in the Alps.", is_whole)
    assert alps.restore("Nous sommes allés skier aux États-Unis.") == "Nous sommes allés skier dans les Alpes."
    # a range written the same in French has no rendering of its own ("aux Dolomites" had stayed); "États-Uni"
    # (the new transformer's slip) is a form of the stand-in too
    dolomites = with_stand_ins("We hiked in the Dolomites.", is_whole)
    assert dolomites.restore("Nous avons marché aux États-Uni.") == "Nous avons marché dans les Dolomites."
    hague = with_stand_ins("The treaty was signed in The Hague.", is_whole)
    assert "Hague" not in hague.text and "The" not in hague.text[3:]  # the article goes with the name
    stand_in = next(iter(hague.originals))
    assert hague.restore(f"Le traité a été signé à {stand_in}.") == "Le traité a été signé à La Haye."


def test_a_desert_is_written_the_french_way_and_countries_take_their_article():
    """"à l'Atacama Desert", "à Uzbekistan" (a city's stand-in) before (stop 47)."""
    gobi = with_stand_ins("They crossed the Gobi Desert.", is_whole)
    assert gobi.text == "They crossed Japan."
    assert gobi.restore("Les nomades ont traversé le Japon.") == "Les nomades ont traversé le désert de Gobi."
    assert gobi.restore("Ils vivent au Japon.") == "Ils vivent dans le désert de Gobi."
    assert with_stand_ins("It is dry in the Atacama Desert.", is_whole).restore("Il fait sec au Japon.") == \
        "Il fait sec dans le désert d'Atacama."
    uzbek = with_stand_ins("They arrived in Uzbekistan by land.", is_whole)
    assert uzbek.text == "They arrived in Italy by land."
    assert uzbek.restore("Ils sont arrivés en Italie par voie terrestre.") == \
        "Ils sont arrivés en Ouzbékistan par voie terrestre."


def test_the_caribbean_is_a_name_alone_and_an_adjective_before_a_noun():
    assert with_stand_ins("Storms hit the Caribbean in May.", is_whole).text == "Storms hit the United States in May."
    assert "Caribbean" in with_stand_ins("Caribbean islands are warm.", is_whole).text


def test_a_nationality_after_a_plural_noun_comes_back_in_the_plural():
    """"japonais" is also the masculine plural: "les pays japonais" had come back "Les pays scandinave"."""
    north = with_stand_ins("The Scandinavian countries are cold.", lambda word: is_whole(word) or word == "Japanese")
    assert north.text == "The Japanese countries are cold."
    assert north.restore("Les pays japonais sont froids.") == "Les pays scandinaves sont froids."
    assert north.restore("Le pays japonais est froid.") == "Le pays scandinave est froid."
    assert north.restore("Les villes japonaises sont froides.") == "Les villes scandinaves sont froides."


def test_an_institution_or_a_street_is_swapped_whole_even_when_its_words_are_known():
    known = lambda w: is_whole(w) or w in {"Harvard", "Street", "Baker"}  # noqa: E731
    swapped = with_stand_ins("Harvard College is on Baker Street.", known)  # ("Harvard University": universities.py)
    assert swapped.text == "Boston is on Tokyo."
    assert swapped.restore("Boston est à Tokyo.") == "Harvard College est à Baker Street."
    assert with_stand_ins("Yesterday Tom called.", known).text == "Yesterday Tom called."


def test_a_minus_sign_comes_through_the_default_model(default_model):
    """"−20 °C" (a typographic minus) had come out "��20 degrés": the sign's bytes cut short."""
    cold = default_model.generate(TranslationRequest("In winter, temperatures can drop below −20 °C.")).text
    assert "\ufffd" not in cold and "-20" in cold, cold


def test_multi_word_names_come_through_the_default_model(default_model):
    for text, kept in (("I visited the United States last year.", "États-Unis"),
                       ("I moved to the U.S. last year.", "aux États-Unis"), ("She studied in the U.K.", "au Royaume-Uni"),
                       ("My cousin has lived for many years in the U.S.", "aux États-Unis."),  # then nothing more
                       ("Ingrid Svensson moved to New Zealand in 1991.", "Ingrid Svensson"),
                       ("Ingrid Svensson moved to New Zealand in 1991.", "en Nouvelle-Zélande"),
                       ("The United Kingdom left the European Union.", "Le Royaume-Uni a quitté l'Union européenne"),
                       ("Dr. Okafor works at the World Health Organization.", "Dr Okafor"),
                       ("Dr. Okafor works at the World Health Organization.", "l'Organisation mondiale de la santé"),
                       ("Please send the report to Ms. Nakamura by Friday.", "Mme Nakamura"),
                       ("We flew from San Francisco to Buenos Aires.", "de San Francisco à Buenos Aires"),
                       ("It costs $25.50.", "25,50 dollars"), ("The company earned 3.2 million euros.", "3,2"),
                       ("My phone number is 555-0134.", "555-0134"), ("The train leaves at 7 p.m.", "19 h"), ("The train leaves at 7.15 pm.", "19 h 15"),
                       ("The shop opens at 9:15.", "9 h 15"), ("I work for NASA.", "NASA"),
                       ("The earthquake struck at 4:15 a.m. local time.", "4 h 15, heure locale."),
                       ("The UN was founded in 1945.", "L'ONU"), ("She lives on the 3rd floor.", "troisième"),
                       ("Send an email to anna.berg@example.com.", "anna.berg@example.com"),
                       ("The shop is 5 km away.", "5 kilomètres"), ("The meeting is on 12/05/2024.", "12/05/2024"),
                       ("World War II ended in 1945.", "Seconde Guerre mondiale"),
                       # copied in English until stop 46: "Le Silk Road", "pendant les Middle Ages", "Le Suez Canal"
                       ("The Silk Road linked China with Europe.", "La route de la soie"),
                       ("Many castles were built during the Middle Ages.", "Moyen Âge"),
                       ("The Suez Canal opened in 1869.", "Le canal de Suez"),
                       ("The Soviet Union collapsed in 1991.", "L'Union soviétique"),
                       ("Tourists float easily in the Dead Sea.", "dans la mer Morte"),
                       # "Christopher Columbus a atteint", "Plato était", "un temple à Buddhist" before
                       ("Christopher Columbus reached America in 1492.", "Christophe Colomb"),
                       ("Plato was a student of Socrates.", "Platon"), ("We visited a Buddhist temple.", "bouddhiste"),
                       ("The Mississippi River flows into the Gulf of Mexico.", "golfe du Mexique"),
                       ("The Romans built roads across their empire.", "Les Romains"),  # "Les Romans" before
                       ("Many Africans live in Paris.", "Africains"),
                       # "au Himalaya", "aux Alpes", "à The Hague", "Les pays scandinave" before (stop 47)
                       ("Many climbers die every year in the Himalayas.", "dans l'Himalaya"),
                       ("We went skiing in the Alps last winter.", "dans les Alpes"),
                       ("The treaty was signed in The Hague in 1907.", "à La Haye"),
                       ("Hurricanes often hit the Caribbean in September.", "les Caraïbes"),
                       ("Many European countries use the euro.", "pays européens"),
                       ("Visitors to the Atacama Desert should drink plenty of water.", "désert d'Atacama"),
                       ("She spent three weeks in Uzbekistan last summer.", "en Ouzbékistan"),
                       ("Madrid beat Porto 2 to 0.", "Madrid a battu"),  # "Madri a battu" before
                       ("Vikings sailed in long, narrow ships.", "Les Vikings")):  # "Vikings sailla" before
        assert kept in default_model.generate(TranslationRequest(text)).text, text


@pytest.fixture(scope="module")
def default_model():
    return load("transformer-small-en-fr", task="translation")


TEMPLATES = {
    "person": ["{} is my neighbour.", "Yesterday {} bought a new car.", "I gave the book to {}.",
               "{} and her sister went to the market.", "Did you call {} last night?", "{} speaks three languages."],
    "place": ["I live in {}.", "We flew from {} to Paris.", "{} is a beautiful city.", "She works in a hospital in {}.",
              "The train to {} leaves at noon.", "They moved to {} last year."],
    "number": ["I bought {} apples.", "She paid {} euros for the shoes.", "There are {} students in the class.",
               "The box weighs {} kilos.", "The room costs {} dollars a night.", "We waited {} minutes."],
    "year": ["She was born in {}.", "In {}, he moved to Paris.", "The bridge was built in {}.", "They married in {}."],
    "time": ["The shop opens at {}.", "The meeting starts at {}.", "The train arrived at {}.", "I woke up at {} today.",
             "Call me at {} tomorrow.", "The film ends at {}."],
}


ARTICLE_TEMPLATES = ["I have never been to {}.", "She moved to {} last year.", "{} is very far.",
                     "He works for {}.", "We talked about {}.", "They left {} in 2013."]


def test_the_default_model_writes_each_article_stand_in_in_french(default_model):
    config = DecodingConfig(num_beams=4, max_new_tokens=40)
    for stand_in in (stand_in for pool in ARTICLE_POOLS.values() for stand_in in pool):
        requests = [TranslationRequest(t.format(stand_in), config, stand_ins=False) for t in ARTICLE_TEMPLATES]
        forms = {stand_in, *FRENCH_FORMS.get(stand_in, ())}
        texts = [r.text for r in default_model.generate_batch(requests)]
        assert sum(any(form in text for form in forms) for text in texts) >= len(texts) - 1, (stand_in, texts)


def test_the_default_model_copies_each_stand_in(default_model):
    config = DecodingConfig(num_beams=4, max_new_tokens=40)
    for kind, stand_ins in (("person", PEOPLE + WOMEN), ("place", PLACES), ("number", NUMBERS), ("year", YEARS),
                            ("time", (TIME_STAND_IN,))):
        for stand_in in stand_ins:
            requests = [TranslationRequest(t.format(stand_in), config, stand_ins=False) for t in TEMPLATES[kind]]
            forms = {stand_in, *FRENCH_FORMS.get(stand_in, ())}
            texts = [r.text for r in default_model.generate_batch(requests)]
            copied = sum(any(f in re.findall(r"\w+", text) if f.isalnum() else f in text for f in forms) for text in texts)
            assert copied >= len(texts) - 1, (stand_in, texts)


def test_rare_names_and_numbers_reach_the_translation_and_the_heatmap(default_model):
    text = "Ingrid moved to Tampere in 1991 with 450 euros."
    result = default_model.generate(TranslationRequest(text))
    for word in ("Ingrid", "Tampere", "1991", "450"):
        assert word in result.text and f"▁{word}" in result.source_tokens, (word, result.text)
    assert result.attention().shape == (len(result.target_tokens), len(result.source_tokens))
    plain = default_model.generate(TranslationRequest(text, stand_ins=False))
    assert "▁Tampere" not in plain.source_tokens  # without stand-ins the model sees Tampere in pieces


def test_a_date_is_one_stand_in_put_back_as_the_french_date():
    swapped = with_stand_ins("The meeting moved to Thursday, March 12, 2031.", lambda w: is_whole(w) or w in {"October", "20"})
    assert swapped.text == "The meeting moved to Thursday, October 20th."  # the year goes with its date
    assert swapped.swaps == {"March 12, 2031": "October 20th"}
    assert swapped.restore("La réunion a été déplacée au jeudi 20 octobre.") == \
        "La réunion a été déplacée au jeudi 12 mars 2031."
    apart = with_stand_ins("In 2031, the meeting moved to March 12.", lambda w: is_whole(w) or w in {"October", "20"})
    assert apart.swaps == {"March 12": "October 20th", "2031": "2013"}  # a year elsewhere keeps its own stand-in
    for doubled in ("le vingt octobre octobre.", "en octobre octobre.", "le 20 octobre octobre."):  # the RNN's
        assert swapped.restore(doubled).endswith("12 mars 2031."), doubled
    assert swapped.restore("Ta lettre de 20 octobre.") == "Ta lettre du 12 mars 2031."  # French writes "du" there
    assert swapped.restore("Ta lettre d'octobre.") == "Ta lettre de mars."  # the day dropped: the month at least
    assert swapped.relabel(["▁October", "▁20", "th", "▁20", "▁octobre"]) == ["▁March", "▁12", "th", "▁12", "▁mars"]
    whole = lambda w: w in {"October", "20"}  # noqa: E731
    for text, french in (("We rest on the 1st of May.", "1er mai"), ("She left on 15 August.", "15 août"),
                         ("She was born on July 4, 1990.", "4 juillet 1990"), ("On 2 September 2019", "2 septembre 2019"),
                         ("Call me on April 3rd.", "3 avril"), ("Due by December 9", "9 décembre")):
        swapped = with_stand_ins(text, whole)
        assert "October 20th" in swapped.text and swapped.restore("le 20 octobre.") == f"le {french}.", text
    for text in ("May I come in?", "We met in March.", "He is 20 on October 20th.", "It rained on March 3.5 days"):
        assert with_stand_ins(text, whole).date is None, text
    assert with_stand_ins("Due on March 12", lambda w: w == "20").date is None  # a model without the pieces
    for short in ("We met on Nov. 12.", "We met on Nov 12.", "We met on Sept 3rd."):  # abbreviated: the month in full
        assert with_stand_ins(short, whole).text == "We met on October 20th.", short


def test_a_number_stand_in_is_put_back_inside_a_longer_token():
    swapped = with_stand_ins("We paid 450 euros.", is_whole)
    assert swapped.restore("Nous avons payé 8€, à 8h30.") == "Nous avons payé 450€, à 450h30."
    assert swapped.restore("Nous avons payé 80 euros.") == "Nous avons payé 80 euros."  # another number stays


def test_the_default_model_writes_dates_in_french(default_model):
    config = DecodingConfig(num_beams=4, max_new_tokens=40)
    cases = {"The library reopens on January 7.": "7 janvier", "Her exam is on the 23rd of June.": "23 juin",
             "We flew home on 2 September 2019.": "2 septembre 2019", "The party is on May 1st.": "1er mai"}
    texts = [r.text for r in default_model.generate_batch([TranslationRequest(t, config) for t in cases])]
    assert sum(french in text for french, text in zip(cases.values(), texts)) >= 3, texts
    assert not any("octobre" in text for text in texts), texts


def test_a_plural_opening_the_sentence_that_the_vocabulary_splits_is_read_with_the_or_in_lower_case():
    """The models copied "Tourists" ("Tourists peut visiter …") or misread "Farmers" ("Les pays …"); a common noun's
    plural is read with "The" (opening_plurals.py), another plural the vocabulary holds better in lower case is
    lowered."""
    split = {"Tourists": 4, "tourists": 2, "Farmers": 4, "farmers": 2, "Mys": 2, "mys": 1, "Roberts": 5, "roberts": 4,
             "Miles": 3, "miles": 1, "Students": 5, "students": 5, "Visitors": 5, "visitors": 3, "Richards": 5,
             "richards": 3}
    pieces = lambda w: split.get(w, 1)  # noqa: E731
    known = lambda w: is_whole(w) or w in {"tourist", "farmer", "mys", "mile", "students"}  # noqa: E731
    tourists = with_stand_ins("Tourists can visit the castle.", known, pieces)
    assert tourists.text == "The tourists can visit the castle." and tourists.swaps == {"Tourists": "The tourists"}
    assert tourists.restore("Les touristes peuvent visiter le château.") == "Les touristes peuvent visiter le château."
    assert with_stand_ins("« Farmers are worried. »", known, pieces).text == "The farmers are worried."  # quotes aside
    assert with_stand_ins("Students are here.", known, pieces).text == "The students are here."  # held whole
    visitors = with_stand_ins("Visitors can swim.", known, pieces)  # "visitor" not held: lowered (2 pieces fewer)
    assert visitors.text == "visitors can swim." and visitors.restore("les visiteurs nagent.") == "Les visiteurs nagent."
    for kept in ("Mys are old.",  # 2 pieces: learned as it is
                 "Roberts has two brothers.",  # not held in lower case: a name
                 "Richards has two brothers.",  # 2 pieces fewer, but a given name's plural
                 "Miles has two brothers.",  # a name that reads as a plural
                 "Farmer tourists came.",  # not a plural
                 "Tourists!", "Tourists, come here."):  # an interjection or a call: "Cheers!" had come out "Occupe !"
        assert with_stand_ins(kept, known, pieces).text == kept, kept
    assert with_stand_ins("Tourists can visit the castle.", known).text == "Tourists can visit the castle."


def test_a_common_word_opening_the_sentence_that_the_vocabulary_splits_is_read_in_lower_case():
    """"Heavy rain …" had come out "La pluie de la pluie …", "Emergency services …" "Emergerge des services …"."""
    split = {"Heavy": 4, "Emergency": 5, "emergency": 1, "Ravi": 4, "ravi": 1, "Press": 4, "Very": 3, "Sweet": 5,
             "Happy": 4, "My": 2, "my": 1, "Lanterns": 5}
    pieces = lambda w: split.get(w, 1)  # noqa: E731
    assert with_stand_ins("Heavy rain is expected tomorrow.", is_whole, pieces).text == "heavy rain is expected tomorrow."
    emergency = with_stand_ins("Emergency services arrived quickly.", is_whole, pieces)
    assert emergency.text == "emergency services arrived quickly." and emergency.swaps == {"Emergency": "emergency"}
    for kept in ("Ravi lost 5 kilos.",  # a rare English word: a name ("Il a perdu 5 kilos." lowered)
                 "Press the red button.",  # an imperative before its object: learned capitalised
                 "Very well, thank you.", "Sweet dreams!",  # a set phrase of two words before the comma or "!"
                 "Happy new year to you all!",  # a greeting learned as written
                 "My brother is here.",  # 2 pieces: learned as it is
                 "Heavy!"):  # an interjection
        assert with_stand_ins(kept, is_whole, pieces).text[0].isupper(), kept  # ("Ravi" is swapped: a rare name)


def test_quotation_marks_are_written_straight_and_a_quoted_title_is_one_stand_in():
    swapped = with_stand_ins("My favorite book is “The Little Prince”.", is_whole)
    assert swapped.text == 'My favorite book is "Tom".'
    assert swapped.restore('Mon livre préféré est "Tom".') == 'Mon livre préféré est "The Little Prince".'
    assert swapped.swaps == {"“The Little Prince”": '"The Little Prince"', "The Little Prince": "Tom"}
    assert with_stand_ins("Have you read 'War and Peace'?", is_whole).text == 'Have you read "Tom"?'
    assert with_stand_ins("He said ‘hello’ to Tom.", is_whole).text == 'He said "hello" to Tom.'  # not a title
    for kept in ("The students' books are on the table.", "I love rock 'n' roll.", "It's Tom's book."):
        assert with_stand_ins(kept, is_whole).text == kept  # apostrophes


def test_british_spellings_are_read_the_american_way_where_the_vocabulary_knows_that_one_better():
    pieces = {"favourite": 3, "favorite": 1, "colour": 2, "color": 1, "buses": 2, "busses": 3}
    piece_count = lambda w: pieces.get(w.lower(), 1)  # noqa: E731
    swapped = with_stand_ins("Favourite colour, two buses.", is_whole, piece_count)
    assert swapped.text == "Favorite color, two buses." and swapped.swaps == {"Favourite": "Favorite", "colour": "color"}
    assert with_stand_ins("Write to colour@example.com.", is_whole, piece_count).text == \
        "Write to Tom."  # an address: swapped whole, never respelt
    assert with_stand_ins("My favourite colour.", is_whole).text == "My favourite colour."  # no vocabulary to ask


def test_british_words_the_training_pairs_lack_are_read_as_the_american_ones():
    """No training pair has "cinema", "motorway" or "lorry" ("… à la cine", "Le motorateur", "Un liry")."""
    piece_count = lambda w: 1  # noqa: E731
    swapped = with_stand_ins("Cinema tickets by the car park, two lorries on the motorway.", is_whole, piece_count)
    assert swapped.text == "Movie theater tickets by the parking lot, two trucks on the highway."
    assert swapped.swaps == {"Cinema": "Movie theater", "car park": "parking lot", "lorries": "trucks",
                             "motorway": "highway"}
    for kept in ("The cinematographer arrived.", "My uncle is a petrolhead.", "A car parked here."):
        assert with_stand_ins(kept, is_whole, piece_count).text == kept, kept
    assert with_stand_ins("We went to the cinema.", is_whole).text == "We went to the cinema."  # no vocabulary to ask


def test_a_letters_salutation_is_set_aside_and_written_the_french_way_before_the_answer():
    """No training pair opens with "Dear": "Dear Marie, thank you …" had come out "Dar Mary, merci …"."""
    from generators.salutations import french_salutation

    letter = with_stand_ins("Dear Marie, thank you for your letter.", is_whole)
    assert letter.text == "Thank you for your letter." and letter.changes_answer
    assert letter.restore("Merci pour ta lettre.") == "Chère Marie, merci pour ta lettre."
    named = with_stand_ins("Dear John, Tom is here.", is_whole)
    assert named.restore("Tom est ici.") == "Cher John, Tom est ici."  # a name keeps its capital
    assert with_stand_ins("Dear Paul, I miss you.", is_whole).restore("Tu me manques.") == "Cher Paul, tu me manques."
    assert [french_salutation(who) for who in ("Sir or Madam", "Mr. Brown", "Ms. Tanaka", "friends", "Chiara")] == \
        ["Madame, Monsieur", "Cher Monsieur Brown", "Chère Madame Tanaka", "Chers amis", "Chère Chiara"]
    for kept in ("Dear me, what a mess!", "Dear Tom", "The dear old man, Tom, came."):  # no letter's salutation
        assert not with_stand_ins(kept, is_whole).opening, kept


def test_an_opening_connective_or_weekday_is_set_aside_and_written_in_french_before_the_answer():
    """"However, the plan was rejected." came out "Quoi que le plan a été rejeté.", "Therefore, …" "Avant, …"."""
    however = with_stand_ins("However, the plan was rejected.", is_whole)
    assert however.text == "The plan was rejected." and however.opening == "Cependant, "
    assert however.restore("Le plan a été rejeté.") == "Cependant, le plan a été rejeté."
    named = with_stand_ins("Meanwhile, Ingrid arrived in Tampere.", is_whole)
    assert named.text == "Tom arrived in Boston."  # the names are still swapped, and keep their capital in French
    assert named.restore("Tom est arrivé à Boston.") == "Pendant ce temps, Ingrid est arrivé à Tampere."
    assert with_stand_ins("On the other hand, I agree.", is_whole).restore("Je suis d'accord.") == \
        "En revanche, je suis d'accord."
    sunday = with_stand_ins("However, Sunday was sunny.", is_whole)  # "Le dimanche …" is no name: lower case
    assert sunday.restore("Le dimanche était ensoleillé.") == "Cependant, le dimanche était ensoleillé."
    weekday = with_stand_ins("On Friday night, we went to the cinema.", is_whole)
    assert weekday.text == "We went to the cinema." and weekday.opening == "Vendredi soir, "
    shouted = with_stand_ins("HOWEVER, THE PLAN WAS REJECTED.", is_whole)
    assert shouted.restore("Le plan a été rejeté.") == "CEPENDANT, LE PLAN A ÉTÉ REJETÉ."
    for kept in ("However hard he tries, he fails.", "However, no.", "Thus.", "On Monday we rest.",
                 "Instead of tea, I drank coffee."):  # no connective and comma before two words or more
        assert not with_stand_ins(kept, is_whole).opening, kept


@pytest.mark.parametrize("text, opening, rest", [
    ("Last year we went to Rome.", "L'année dernière, ", "We went to Rome."),  # "Nous sommes allés en Espagne."
    ("Next week, I start a new job.", "La semaine prochaine, ", "I start a new job."),  # "La semaine, je commence …"
    ("Last month the company hired ten people.", "Le mois dernier, ", "The company hired ten people."),
    ("Next summer Ingrid will visit Rome.", "L'été prochain, ", "Tom will visit Rome."),  # a name as the subject
    ("Last Sunday we visited my grandmother.", "Dimanche dernier, ", "We visited my grandmother."),
    ("Last night I slept badly.", "La nuit dernière, ", "I slept badly."),
])
def test_an_opening_last_or_next_period_is_set_aside(text, opening, rest):
    """The models dropped or garbled it in 9 of 12 such sentences ("Last year we went to Spain." -> "Nous sommes allés
    en Espagne.")."""
    swapped = with_stand_ins(text, is_whole)
    assert swapped.opening == opening and swapped.text == rest


@pytest.mark.parametrize("kept", ["Last year was hard.", "Next week will be busy.", "Last year's winner was Tom.",
                                  "Last time I saw him he was sick.", "Next, we add the eggs."])
def test_a_period_that_is_the_subject_or_no_period_is_left(kept):
    assert not with_stand_ins(kept, is_whole).opening


def test_a_year_opening_the_sentence_takes_no_article():
    """"1984 was a difficult year for my family." came out "Le 1984 a été …"."""
    year = with_stand_ins("1984 was a difficult year for my family.", is_whole)
    stand_in = next(s for s, written in year.originals.items() if written == "1984")
    assert year.restore(f"Le {stand_in} a été une année difficile pour ma famille.") == \
        "1984 a été une année difficile pour ma famille."
    assert year.restore(f"En {stand_in}, le 1984 …").startswith("En 1984")


@pytest.mark.parametrize("text, read, french", [
    ("She studied at Uppsala University.", "She studied at the university.", "l'université d'Uppsala"),
    ("He graduated from the University of Harvard.", "He graduated from the university.", "l'université de Harvard"),
    ("Harvard University is old.", "The university is old.", "L'université de Harvard"),
    ("She taught at the University of Texas.", "She taught at the university.", "l'université du Texas"),
    ("He studied at New York University.", "He studied at the university.", "l'université de New York"),
])
def test_a_university_named_after_a_place_or_person_is_written_the_french_way(text, read, french):
    """"Uppsala University" had been copied ("à Uppsala University"), "the University of Harvard" garbled
    ("l'université d'Hôte")."""
    swapped = with_stand_ins(text, is_whole)
    assert swapped.text == read
    answer = "L'université est vieille." if read.startswith("The") else "Il a étudié à l'université."
    assert french.lower() in swapped.restore(answer).lower()


@pytest.mark.parametrize("kept", ["He studied at Ohio State University.", "The Open University is large.",
                                  "She went to the American University of Beirut."])
def test_a_university_named_by_common_words_is_left(kept):
    assert "the university" not in with_stand_ins(kept, is_whole).text


def test_large_ordinals_are_written_the_french_way():
    ordinal = lambda w: is_whole(w) or w == "third"  # noqa: E731  (the ordinal stand-in: one piece)
    swapped = with_stand_ins("In the 21st century, on the 14th floor, for the fifteenth time.", ordinal)
    # the first ordinal takes the one ordinal stand-in (below); the others are mended in the answer
    assert swapped.text == "In the third century, on the 14th floor, for the fifteenth time."
    assert swapped.ordinals == ("14th", "fifteenth")
    assert swapped.restore("Au troisième siècle, à l'étage 14the, pour la quinzeième fois.") == \
        "Au 21e siècle, à l'étage 14e, pour la quinzième fois."
    assert swapped.restore("Au 121s siècle.") == "Au 121s siècle."  # another number: not touched
    assert with_stand_ins("The 3rd of May.", is_whole).ordinals == ()  # a date; small ordinals are rewritten in words


def test_an_ordinal_in_digits_is_the_ordinal_stand_in():
    """Left to the models, half of 90 such sentences came out wrong ("This is her 25th birthday." -> "C'est son
    3ième anniversaire.", "the 22nd century" -> "au 22 siècle", "She finished 45th" -> "Elle a fini 455")."""
    ordinal = lambda w: is_whole(w) or w in {"third", "October", "20"}  # noqa: E731
    swapped = with_stand_ins("This is her 25th birthday.", ordinal)
    assert swapped.text == "This is her third birthday." and swapped.swaps == {"25th": "third"}
    assert swapped.restore("C'est son troisième anniversaire.") == "C'est son 25e anniversaire."
    assert with_stand_ins("Our 100th customer wins.", ordinal).restore("Notre troisième client gagne.") == \
        "Notre 100e client gagne."
    for kept in ("See you on the 25th.", "Is it on the 14th, or later?"):  # a day of the month: "le 25"
        assert with_stand_ins(kept, ordinal).text == kept, kept
    assert with_stand_ins("We met on May 25th.", ordinal).text == "We met on October 20th."  # a date's day


def test_a_decade_is_the_plural_place_stand_in_put_back_as_les_annees():
    """"In the 1990s, …" came out "En 1990, …", "She grew up in the 1980s." "Elle a grandi dans les objets."."""
    states = lambda w: is_whole(w) or w in {"United", "States"}  # noqa: E731
    nineties = with_stand_ins("In the 1990s, few people had mobile phones.", states)
    assert nineties.text == "In the United States, few people had mobile phones."
    assert nineties.restore("Aux États-Unis, peu de gens avaient des portables.") == \
        "Dans les années 1990, peu de gens avaient des portables."
    sixties = with_stand_ins("The music of the '60s is great.", states)
    assert sixties.restore("La musique des États-Unis est géniale.") == "La musique des années 60 est géniale."
    assert with_stand_ins("The 1920s were a time of change.", states).text == "The United States were a time of change."
    # the stand-in is taken (the text has "States"): the decade is left to the model, not given a place's stand-in
    assert with_stand_ins("The United States grew in the 1950s.", states).text.endswith("in the 1950s.")
    assert with_stand_ins("He was born in 1990.", states).text == "He was born in 2013."  # a year, not a decade
    # the heatmap's source columns show the decade, not the stand-in's words
    assert nineties.relabel(["▁In", "▁the", "▁United", "▁States", ",", "▁few"]) == \
        ["▁In", "▁the", "▁1990s", "▁·", ",", "▁few"]
    assert sixties.relabel(["▁the", "▁United", "▁States", "▁is"]) == ["▁the", "▁'60s", "▁·", "▁is"]
    twenties = with_stand_ins("The 1920s were a time of change.", states)
    assert twenties.relabel(["▁The", "▁United", "▁States", "▁were"]) == ["▁The", "▁1920s", "▁·", "▁were"]
    assert twenties.relabel(["▁The", "▁Un", "ited", "▁States", "▁were"]) == ["▁The", "▁1920s", "·", "▁·", "▁were"]


def test_a_dates_day_in_words_is_the_date_stand_in():
    """"on the twentieth of June" came out "sur l'ordre de juin", "the fifth of May" "au cinquième mai"."""
    for text, french in (("on the fifth of May", "le 5 mai"), ("on the twentieth of June", "le 20 juin"),
                         ("on June twenty-first, 2020", "le 21 juin 2020"), ("on the first of March", "le 1er mars")):
        swapped = with_stand_ins(f"We met {text}.", lambda w: is_whole(w) or w in {"October", "20"})
        assert swapped.text.startswith("We met on ") and "October 20th" in swapped.text, text
        assert swapped.restore("Nous nous sommes rencontrés le 20 octobre.") == \
            f"Nous nous sommes rencontrés {french}.", text


def test_emoji_are_set_aside_and_put_back_around_the_translation():
    thanks = with_stand_ins("Thanks for the gift Ingrid 😊", is_whole)
    assert thanks.text == "Thanks for the gift Tom." and thanks.restore("Merci pour le cadeau Tom.") == \
        "Merci pour le cadeau Ingrid. 😊"
    wave = with_stand_ins("👋🏽 Hi, I ❤️ Tom!", is_whole)  # from inside the text: put at the end
    assert wave.text == "Hi, I Tom!" and wave.restore("Salut, Tom !") == "👋🏽 Salut, Tom ! ❤️"
    for kept in ("😊🎉", "It is 20° © 2024."):  # emoji alone; symbols that are not emoji
        assert with_stand_ins(kept, is_whole).emoji == ("", ""), kept


def test_the_default_model_translates_a_sentence_ending_in_emoji(default_model):
    result = default_model.generate(TranslationRequest("Thanks for the gift 😊"))
    assert result.text.startswith("Merci pour le cadeau") and result.text.endswith(" 😊"), result.text
    assert "😊" not in "".join(result.source_tokens)  # the model never read it


def test_a_quoted_line_of_dialogue_is_read_without_its_quotes_and_answered_in_french_ones():
    """'"Are you OK?"' came out "« vas-tu bien ?" (no closing quote); without the quotes, "Est-ce que tu vas bien ?"."""
    quoted = with_stand_ins('"Are you OK?"', lambda w: is_whole(w) or w == "OK")
    assert quoted.text == "Are you OK?" and quoted.restore("« Est-ce que tu vas bien ?") == "« Est-ce que tu vas bien ? »"
    assert with_stand_ins("“Yes, I'm fine.”", is_whole).restore('"Oui, je vais bien."') == "« Oui, je vais bien. »"
    for kept in ('He said "hello" to me.', '"Hi," he said, "come in."'):
        assert not with_stand_ins(kept, is_whole).quoted, kept


def test_a_given_name_opening_the_sentence_is_a_name_even_when_common_in_english_text():
    """"Steve is my best friend." came out "Levez est mon meilleur ami.": "steve" is as frequent as "corruption"."""
    assert with_stand_ins("Steve is my best friend.", is_whole).text == "Tom is my best friend."
    assert with_stand_ins("Laura and Steve left.", is_whole).text == "Mary and Tom left."
    # a name on both census lists counts by its larger share: "Lauren" (0.137 % of women, 0.004 % of men)
    assert with_stand_ins("Lauren is my best friend.", is_whole).text == "Tom is my best friend."  # "Leur est …"
    for kept in ("Corruption was a problem.", "Will you come?"):
        assert with_stand_ins(kept, lambda w: is_whole(w) or w in {"will", "you", "come"}).text == kept, kept
    # a census name given to fewer than 1 in 10,000 people, or a season, is a word ("Merry Christmas!" had come out
    # "Merry Noël !"), unless a name follows it
    for kept in ("Merry Christmas!", "Royal families are rich.", "Autumn is my favorite season."):
        assert with_stand_ins(kept, is_whole).text == kept, kept
    queen = with_stand_ins("Queen Elizabeth visited Tampere.", is_whole)  # a title: one name, with its article
    assert queen.text == "France visited Boston." and queen.restore("La France a visité Boston.") == \
        "La reine Elizabeth a visité Tampere."


def test_mary_stays_mary_as_in_most_training_pairs():
    assert with_stand_ins("Mary is a widow.", is_whole).restore("Marie est veuve.") == "Mary est veuve."
    assert with_stand_ins("Marie and Mary came.", lambda w: is_whole(w) or w == "Marie").restore(
        "Marie et Marie sont venues.") == \
        "Marie et Marie sont venues."  # the source has the French form too: left
    assert with_stand_ins("Thomas is here.", lambda w: is_whole(w) or w == "Thomas").restore("Tom est ici.") == \
        "Thomas est ici."  # the models wrote "Tom" for "Thomas", "Marie" for "Maria"
    chiara = with_stand_ins("Chiara is a widow.", is_whole)  # "Mary" as the stand-in: its original comes back
    assert chiara.text == "Mary is a widow." and chiara.restore("Marie est veuve.") == "Chiara est veuve."


def test_casually_typed_text_is_read_as_the_training_pairs_are_written():
    known = lambda w: is_whole(w) or w in {"French", "fish", "windows", "Berlin"}  # noqa: E731
    swapped = with_stand_ins("my name is ingrid and i'm french, i live in berlin", known)
    assert swapped.text == "My name is Tom and I'm French, I live in Boston."  # Berlin: a city stand-in
    assert swapped.swaps["i"] == "I" and swapped.swaps["berlin"] == "Berlin"
    assert with_stand_ins("where is the train station", known).text == "Where is the train station?"
    assert with_stand_ins("can you help me", known).text == "Can you help me?"
    for kept in ("I like fish and open windows.", "Is it late?", "I.e. fine.", "Tom left!"):
        assert with_stand_ins(kept, known).text == kept, kept


def test_contractions_typed_without_their_apostrophe_and_text_message_words_are_spelt_out():
    """"She doesnt like cheese." had come out "Elle aime le fromage.", "We wont go." "Nous avons gagné.", "can u help
    me pls" "Leu peut-il m'aider ?"."""
    swapped = with_stand_ins("Im sure she doesnt know, thats why we wont go", is_whole)
    assert swapped.text == "I'm sure she doesn't know, that's why we won't go."
    assert swapped.swaps["doesnt"] == "doesn't" and swapped.swaps["Im"] == "I'm"
    assert with_stand_ins("whats your name", is_whole).text == "What's your name?"
    assert with_stand_ins("can u help me pls", is_whole).text == "Can you help me please?"
    assert with_stand_ins("Thx, see u", is_whole).text == "Thanks, see you."
    for kept in ("Its tail is long.", "I was ill.", "She lets me drive.", "We were well.", "Don't go."):
        assert with_stand_ins(kept, is_whole).text == kept, kept
    for kept in ("Make a U-turn.", "The U.S. is big."):
        assert casual_forms(kept, is_whole)[0] == kept, kept


def test_weekdays_and_months_the_vocabulary_splits_go_in_as_ones_it_holds_and_come_back_in_french():
    """"moved to next Tuesday" came out "… à la prochaine Tues.", "in November" "à November"."""
    calendar = {"Monday", "Sunday", "Wednesday", "January", "October", "March", "May", "20"}
    known = lambda w: is_whole(w) or w in calendar  # noqa: E731
    swapped = with_stand_ins("Tuesday was long, and Tom left on Tuesdays in November.", known)
    assert swapped.text == "Monday was long, and Tom left on Mondays in January."  # the plural's "s" stays
    assert swapped.swaps == {"Tuesday": "Monday", "November": "January"}
    assert swapped.restore("Lundi était long, et Tom partait les lundis en janvier.") == \
        "Mardi était long, et Tom partait les mardis en novembre."
    assert swapped.relabel(["▁Monday", "▁lundi", "▁January"]) == ["▁Tuesday", "▁mardi", "▁November"]
    both = with_stand_ins("I prefer Mondays, from June to August.", known)  # a stand-in in the text is not used
    assert both.text == "I prefer Mondays, from January to October."
    assert both.restore("Je préfère les lundis, de janvier à octobre.") == "Je préfère les lundis, de juin à août."
    assert both.restore("La fin d'octobre et la fin de janvier.") == "La fin d'août et la fin de juin."
    easter = with_stand_ins("What about Easter?", lambda w: known(w) or w == "Christmas")  # "pour Easter"
    assert easter.text == "What about Christmas?" and easter.restore("Et pour Noël ?") == "Et pour Pâques ?"
    elided = with_stand_ins("From January to July.", known)  # "d'octobre" -> "de juillet"
    assert elided.text == "From January to October." and elided.restore("D'octobre.") == "De juillet."
    for text, read in (("The shop opens in March.", "The shop opens in January."),  # "March", "May": months after a
                       ("We met last May.", "We met last January."),  # cue, the verbs elsewhere
                       ("May I come in? March!", "May I come in? March!"), ("See you on Wednesday.", None),
                       ("Tom left on May 3 and came back in July.", "Tom left on October 20th and came back in January.")):
        assert with_stand_ins(text, known).text == (read or text), text
    assert with_stand_ins("See you on Tuesday.", is_whole).text == "See you on Tuesday."  # no stand-in held whole


def test_numbers_in_words_from_eleven_on_or_opening_the_text_are_a_number_stand_in_put_back_in_french_words():
    """"She is fourteen." came out "Elle a quatre ans.", "seventy" "sept", "nineteen" "neuf"."""
    swapped = with_stand_ins("She is fourteen and has twenty-five cousins.", is_whole)
    assert swapped.text == "She is 8 years old and has 6 cousins."  # a bare age read with "years old" (bare_ages.py)
    assert swapped.swaps == {"fourteen": "8", "twenty-five": "6"}
    assert swapped.restore("Elle a huit ans et a 6 cousins.") == "Elle a quatorze ans et a vingt-cinq cousins."
    assert swapped.relabel(["▁8", "▁6"]) == ["▁fourteen", "▁twenty-five"]  # the heatmap's source columns
    assert swapped.relabel(["▁huit", "▁6"], target=True) == ["▁quatorze", "▁vingt-cinq"]  # and its target rows
    opening = with_stand_ins("Four people came.", is_whole)  # had been dropped: "Les gens sont venus …"
    assert opening.text == "8 people came." and opening.restore("8 personnes sont venues.") == \
        "Quatre personnes sont venues."  # capitalised as the sentence's first word
    for text, french in (("two hundred and fifty", "deux cent cinquante"), ("seventy-one", "soixante et onze"),
                         ("eighty", "quatre-vingts"), ("one hundred five", "cent cinq")):
        assert with_stand_ins(f"I saw {text} birds.", is_whole).restore("J'ai vu 8 oiseaux.") == \
            f"J'ai vu {french} oiseaux.", text
    for kept in ("I have two cats and one dog.", "No one knows.", "It is one two three.", "We ate ten apples."):
        assert with_stand_ins(kept, is_whole).text == kept, kept
    known = lambda w: is_whole(w) or w == "third"  # noqa: E731
    ordinal = with_stand_ins("It is my fourth visit, on the 9th floor.", known)  # "mon quart de quatre visite"
    assert ordinal.text == "It is my third visit, on the ninth floor."  # one ordinal stand-in: the second is left
    assert ordinal.restore("C'est ma troisième visite, au neuvième étage.") == \
        "C'est ma quatrième visite, au neuvième étage."
    for text, french in (("nineteenth", "dix-neuvième"), ("twenty-first", "vingt et unième"),
                         ("Forty second", "quarante-deuxième"), ("hundredth", "centième")):  # "au neuf siècle"
        swapped = with_stand_ins(f"It was the {text} time.", known)
        assert swapped.text == "It was the third time." and swapped.swaps == {text: "third"}, text
        assert swapped.restore("C'était la troisième fois.") == f"C'était la {french} fois.", text
    for kept in ("He came first.", "The third man.", "A second try."):  # the models translate these
        assert with_stand_ins(kept, known).text == kept, kept
    typed = with_stand_ins("8 people came.", is_whole)  # nothing swapped, yet the models' "De 8 …" is mended
    assert typed.text == "8 people came." and typed.restore("De 8 personnes sont venues.") == "8 personnes sont venues."
    assert opening.restore("De quatre personnes sont venues.") == "Quatre personnes sont venues."


def test_languages_and_nationalities_the_vocabulary_splits_come_back_in_french_in_gender_and_number():
    """"I speak Portuguese." came out "Je parle à Portuse.", "She is Swedish." "Elle est Swedishe."."""
    known = lambda w: is_whole(w) or w in {"Japanese", "Chinese", "Korean"}  # noqa: E731
    swapped = with_stand_ins("She is Swedish and speaks Arabic.", known)
    assert swapped.text == "She is Japanese and speaks Chinese."
    assert swapped.restore("Elle est japonaise et parle le chinois.") == "Elle est suédoise et parle l'arabe."
    assert swapped.restore("Les Japonais et les îles japonaises.") == "Les Suédois et les îles suédoises."
    greek = with_stand_ins("The Greek islands, the Hungarian.", known)
    assert greek.restore("Les îles japonaises, le chinois.") == "Les îles grecques, le hongrois."  # an aspirated h
    assert with_stand_ins("I speak Korean.", known).text == "I speak Korean."  # held whole: left to the model
    assert with_stand_ins("i speak portuguese", known).text == "I speak Japanese."  # typed in lower case
    for verb in ("Polish your shoes.", "Please polish the table."):
        assert "Japanese" not in with_stand_ins(verb, known).text, verb


def test_percent_kilograms_and_centimeters_are_read_in_forms_the_models_translate():
    """"fifty percent of the students" came out "cinquante pour les étudiants", "kilograms" "kos", "centimeters"
    "centimets"."""
    known = lambda w: is_whole(w) or w == "meters"  # noqa: E731
    percent = with_stand_ins("About 50 percent of us and 99 per cent sure.", known)
    assert percent.text == "About 8% of us and 6% sure."  # the numbers take number stand-ins, as before
    # in digits, the way French news writes it (the written pairs' 808 "%"); in words, "pour cent"
    assert percent.restore("Environ 8% de nous et sûrs à 6 %.") == "Environ 50 % de nous et sûrs à 99 %."
    assert with_stand_ins("Fifty percent agree.", known).restore("De 8% sont d'accord.") == \
        "Cinquante pour cent sont d'accord."
    assert with_stand_ins("The percent sign.", known).text == "The percent sign."
    units = with_stand_ins("I weigh 8 kilograms, he is 180 centimeters tall; 5 mm.", known)
    assert units.text == "I weigh 8 kilos, he is 6 meters tall; 4 millimeters."  # one "meters" stand-in: "mm" left
    assert units.restore("Je pèse 8 kilos, il mesure 6 mètres.") == "Je pèse 8 kilos, il mesure 180 centimètres."
    # "250 km²" came out "250 kmest2", "12 square kilometres" "12 carretètres", "45 square meters" "45 carnquête"
    area = with_stand_ins("The park covers 250 km² and the lake 12 square kilometres.", known)
    assert area.text == "The park covers 8 meters and the lake 6 square kilometres."  # one unit stand-in
    assert area.restore("Le parc couvre 8 mètres et le lac 6 kilomètres.") == \
        "Le parc couvre 250 kilomètres carrés et le lac 12 kilomètres."
    assert with_stand_ins("The flat is 45 m².", known).restore("L'appartement fait 45 mètres.") == \
        "L'appartement fait 45 mètres carrés."
    both = with_stand_ins("It is 4 meters long and 12 square meters in all.", known)  # "meters" is taken: left
    assert both.text == "It is 4 meters long and 8 square meters in all."


def test_codes_and_measures_in_parentheses_are_set_aside_and_put_back_before_the_closing_punctuation():
    """"… local time (UTC+2) in the town hall." came out "… du temps à l'interrosteur de la ville des années de la
    ville.", "the World Health Organization (WHO)" "… de la santé universitaire de l'Organisation mondiale …"."""
    utc = with_stand_ins("The meeting started at 10:00 local time (UTC+2) in the town hall.", is_whole)
    assert "(" not in utc.text and utc.parentheses == ("(UTC+2)",)
    assert utc.restore("La réunion a commencé à 14 h 30 à la mairie.").endswith("à la mairie (UTC+2).")
    both = with_stand_ins("Is the trail 5 km (3 miles) long (EU)?", is_whole)
    assert both.parentheses == ("(3 miles)", "(EU)")
    assert both.restore("Le sentier fait-il 5 kilomètres de long ?") == "Le sentier fait-il 5 kilomètres de long (3 miles) (EU) ?"
    for kept in ("Tom (who is my brother) lives here.", "(AP) The storm has passed.", "I (really) agree."):
        assert with_stand_ins(kept, is_whole).parentheses == (), kept  # words to translate; a text opening with one


def test_is_expected_to_is_read_as_should():
    """"The storm is expected to reach the coast tonight." came out "La tempête s'attendait à atteindre …"."""
    storm = with_stand_ins("The storm is expected to reach the coast tonight.", is_whole)
    assert storm.text == "The storm should reach the coast tonight." and storm.swaps == {"is expected to": "should"}
    assert with_stand_ins("Prices are widely expected to rise.", is_whole).text == "Prices should rise."
    for kept in ("He was expected to win.", "I expected to see you.", "It is expected."):
        assert with_stand_ins(kept, is_whole).text == kept, kept


def test_a_dash_between_numbers_is_read_as_a_hyphen():
    """"The match ended 3–1." came out "Le match a fini 3 enstrant.", "from 1889–1976" "de 1889 000976"."""
    score = with_stand_ins("The match ended 3–1 after extra time.", is_whole)
    assert score.text == "The match ended 8 after extra time."  # a number with a separator: one stand-in
    assert score.restore("Le match a fini 8 après prolongation.") == "Le match a fini 3-1 après prolongation."
    assert with_stand_ins("It rained — 3 days.", is_whole).text == "It rained — 3 days."  # a dash between words


def test_titles_of_office_and_family_before_a_name_come_back_in_french_with_their_article():
    """"President Wilson" had come out "President Wilson", "Queen Elizabeth" "Queen Elizabeth est mort", "Prime
    Minister Justin Trudeau" "Prime que Minister Justin Trudeau"."""
    known = lambda w: is_whole(w) or w in {"Japan", "France", "Italy"}  # noqa: E731
    wilson = with_stand_ins("Most people agreed with President Wilson.", known)
    assert wilson.text == "Most people agreed with Japan." and wilson.swaps == {"President Wilson": "Japan"}
    assert wilson.restore("La plupart étaient d'accord avec le Japon.") == \
        "La plupart étaient d'accord avec le président Wilson."
    assert with_stand_ins("We wrote to the Prime Minister Ana Lopez.", known).restore("Nous avons écrit au Japon.") == \
        "Nous avons écrit au Premier ministre Ana Lopez."
    uncle = with_stand_ins("I met Uncle O'Brien.", known)  # a vowel: "l'oncle"
    assert uncle.text == "I met Japan." and uncle.restore("J'ai rencontré le Japon.") == "J'ai rencontré l'oncle O'Brien."
    queen = with_stand_ins("Queen Elizabeth's letter arrived.", known)  # the name without its "'s"
    assert queen.text == "France's letter arrived."
    assert queen.restore("La lettre de France est arrivée.") == "La lettre de la reine Elizabeth est arrivée."
    assert queen.restore("La France a écrit.") == "La reine Elizabeth a écrit."
    for place in ("I live on King Street.", "We visited Prince Edward Island."):  # places named after someone
        renderings = with_stand_ins(place, known).renderings.values()
        assert not any(french.startswith(("roi ", "prince ")) for french in renderings), (place, renderings)


def test_a_plural_name_with_an_article_comes_back_whole_from_the_models_longer_form():
    known = lambda w: is_whole(w) or w in {"States", "TV"}  # noqa: E731
    games = with_stand_ins("We watched the Olympic Games on TV.", known)
    assert games.text == "We watched the United States on TV."
    assert games.restore("Nous avons regardé les États-Unis d'Amérique à la télé.") == \
        "Nous avons regardé les Jeux olympiques à la télé."  # not "les Jeux olympiques d'Amérique"


def test_amounts_in_millions_and_billions_read_in_the_order_and_words_the_models_translate():
    """"$2 million" had been read "2 dollars million" ("plus de 2 dollars millions d'œuvres"), "€40 billion" came
    out "40 euros"."""
    known = lambda w: is_whole(w) or w == "million"  # noqa: E731
    assert with_stand_ins("It cost $2 million.", known).text == "It cost 8 million dollars."
    amount = with_stand_ins("It cost €40 billion.", known)
    assert amount.text == "It cost 8 million euros."
    assert amount.swaps == {"€40 billion": "40 billion euros", "40": "8", "billion": "million"}
    assert amount.restore("Ça a coûté 8 millions d'euros.") == "Ça a coûté 40 milliards d'euros."
    stars = with_stand_ins("There are billions of stars.", known)
    assert stars.text == "There are millions of stars." and \
        stars.restore("Il y a des millions d'étoiles.") == "Il y a des milliards d'étoiles."
    assert with_stand_ins("A million and a billion.", known).text == "A million and a billion."  # "million" taken


def test_colours_the_vocabulary_splits_come_back_in_french_in_gender_and_number():
    """"She wore a purple dress." came out "Elle portait une robe purple.", "The walls are beige." "… des murs."."""
    known = lambda w: is_whole(w) or w == "green"  # noqa: E731
    swapped = with_stand_ins("A purple dress and turquoise walls.", known)
    assert swapped.text == "A green dress and turquoise walls."  # one colour stand-in: the second is left
    assert swapped.restore("Une robe verte, des murs verts, un vert.") == "Une robe violette, des murs violets, un violet."
    beige = with_stand_ins("The walls are beige.", known)  # French writes it as English does
    assert beige.restore("Les murs sont verts.") == "Les murs sont beiges."
    assert with_stand_ins("Tom saw turquoise shirts.", known).restore("Tom a vu des chemises vertes.") == \
        "Tom a vu des chemises turquoise."  # named after a thing: no plural
    assert with_stand_ins("Violet is here.", known).text != "green is here."  # a name


@pytest.mark.parametrize("model_name", ["transformer-small-en-fr", "rnn-attention-en-fr"])
def test_each_bundled_model_writes_the_calendar_nationality_and_colour_stand_ins_in_french(model_name):
    model = load(model_name, task="translation")
    config = DecodingConfig(num_beams=4, max_new_tokens=40)
    frames = {"weekday": ["I'll see you on {}.", "The shop is closed on {}.", "He came back last {}.",
                          "{} was a long day.", "The meeting has been moved to next {}.", "I hate {}s."],
              "month": ["My birthday is in {}.", "It snows a lot in {}.", "We're going to Italy in {}.",
                        "School starts in {}.", "I was born in {}.", "It's very hot in {}."],
              "holiday": ["What are you doing for {}?", "{} is coming.", "The shops are closed at {}.",
                          "I got this for {}.", "We always go home for {}.", "{} is my favorite holiday."],
              "nationality": ["I speak {}.", "She is {}.", "We ate at a {} restaurant.", "He is learning {}.",
                              "My wife is {}.", "I love {} food."],
              "colour": ["She wore a {} dress.", "The walls are {}.", "He painted the door {}.", "I bought a {} car.",
                         "Her eyes are {}.", "The {} shirts are cheap."]}
    for kind, stand_ins in (*CALENDAR_STAND_INS.items(), ("nationality", tuple(NATIONALITY_STAND_INS)),
                            ("colour", tuple(COLOUR_STAND_INS))):
        for stand_in in stand_ins:
            requests = [TranslationRequest(f.format(stand_in), config, stand_ins=False) for f in frames[kind]]
            texts = [r.text.lower() for r in model.generate_batch(requests)]
            assert sum(FRENCH_FORMS[stand_in][0].lower() in text for text in texts) >= len(texts) - 1, (stand_in, texts)


@pytest.mark.parametrize("text, french", [
    ("Tourists can visit the old castle.", "Les touristes"),  # had come out "Tourists peut visiter …"
    ("Visitors must buy their tickets in advance.", "Les visiteurs doivent"),  # "Visitors doit acheter …"
    ("Farmers are worried about the weather.", "Les fermiers|Les agriculteurs"),  # "Les pays …"
    ("Experts believe that the number of birds has fallen.", "Les experts"),
    ("Heavy rain is expected tomorrow.", "fortes pluies"),  # "La pluie de la pluie est attendue demain."
    ("Emergency services arrived quickly.", "services d'urgence"),  # "Les services de services …"
    ("Happiness is the key to success.", "Le bonheur"),
    ("What is your favourite colour?", "couleur préférée"),  # "favourite" left in English
    ("My favourite book is “The Little Prince”.", 'préféré est "The Little Prince"|préféré est « The Little Prince »'),
    ("Have you read 'War and Peace'?", '"War and Peace"|« War and Peace »'),
    ("We live in the 21st century.", "21e siècle"),  # "21s siècle"
    ("In the 1990s, few people had mobile phones.", "Dans les années 1990,"),  # "En 1990, …"
    ("She grew up in the 1980s.", "dans les années 1980"),  # "Elle a grandi dans les objets."
    ("The castle was built in the 13th century.", "13e siècle|treizième siècle"),  # "treizeième"
    ("This is her 25th birthday.", "25e anniversaire"),  # "25ième", "3ième"
    ("The church was built in the 22nd century.", "au 22e siècle"),  # "au 22 siècle"
    ("She finished 45th in the race.", "45e"),  # "Elle a fini 455 dans la course."
    ("where is the train station", "la gare ?"),  # no "?"
    ("i would like a coffee please", "Je voudrais un café"),  # "i serait comme un café"
    ("She doesnt like cheese.", "n'aime pas"),  # "Elle aime le fromage.": the negation lost
    ("Dear Marie, thank you for your letter.", "Chère Marie, merci pour"),  # "Dar Mary, merci pour ta lettre."
    ("my name is anna and i live in berlin", "Berlin"),  # "Mon nom est une épide de son nom."
    ("The meeting has been moved to next Tuesday.", "mardi prochain"),  # "… à la prochaine Tues."
    ("My birthday is in November.", "en novembre"),  # "… à November."
    ("She goes swimming on Tuesdays.", "mardi"),  # "sur Tuesdays": the plural had taken a person's stand-in
    ("She is fourteen years old.", "Elle a quatorze ans."),  # "Elle a quatre ans."
    ("Four people came to the party.", "Quatre personnes"),  # "Les gens sont venus à la fête."
    ("This is my fourth visit to Paris.", "quatrième"),  # "quatreième"
    ("The museum was built in the nineteenth century.", "dix-neuvième siècle"),  # "au neuf siècle"
    ("He lives on the fifteenth floor.", "au quinzième étage"),  # "à l'quinzième étage"
    ("We will meet on the fifth of May.", "le 5 mai"),  # "au cinquième mai"
    ("The war lasted from 1939 to 1945.", "de 1939 à 1945."),  # "à dix-neuf-cent-cent-cinq", "à 1945 heures"
    ("I speak Portuguese.", "Je parle portugais."),  # "Je parle à Portuse."
    ("She is Swedish.", "Elle est suédoise."),  # "Elle est Swedishe."
    ("She wore a purple dress.", "une robe violette"),  # "une robe purple"
    ("About fifty percent of the students passed.", "cinquante pour cent"),  # "cinquante pour les étudiants"
    ("Profits fell by 18 percent last year.", "18 %"),  # "18 pour cent", where French news writes "%"
    ("He is 180 centimeters tall.", "180 centimètres"),  # "180 centimets"
    ("The government spent €40 billion on roads.", "40 milliards"),  # "40 factures de euros"
    ("Most Americans agreed with President Wilson.", "avec le président Wilson."),  # "avec President Wilson."
    ("A 12-year-old boy found the ring.", "garçon de 12 ans"),  # "Un petit garçon de dix ans"
    ("2020 was a difficult year.", "2020 était une année difficile."),  # "L'année passée était …"
    ("2 + 2 = 4.", "2 + 2 = 4."),  # "2 heures de l'atrossée de 4."
    ("By the way, have you ever been to Hokkaido?", "Hokkaido ?"),  # "Hokka ?": a rare whole piece
    ("Alessandro's shop is closed on Mondays.", "d'Alessandro"),  # "Le magasin de l'inveur …"
    ("2 and 3 make 5.", "font 5."),  # "font 5 heures."
    ("At 6:15 the alarm went off.", "À 6 h 15, l'alarme"),  # "À 14 h 300 l'alarme."
    ("After 10 the streets are empty.", "Après 10, les rues"),  # "Après 10 rues sont vides."
    ("1 is the loneliest number.", "1 est"),  # "C'est le numéro le numéro de lonele."
    ("We visited the Eiffel Tower.", "la tour Eiffel."),  # "l'Eiffel Tower"
    ("The Olympic Games will take place in Paris.", "Les Jeux olympiques"),  # "Les Olympic Games vont …"
    ("Queen Elizabeth opened the new hospital.", "La reine Elizabeth"),  # "Queen Elizabeth"
    ("I met Uncle Bob at the station.", "l'oncle Bob"),  # "Uncle Bob"
    ("Let's meet at a quarter to nine.", "8 h 45"),  # "à neuf heures et quart"
    ("We have lunch at 12:30.", "12 h 30"),  # "à quatre heures trente"
    ("Let's meet at a quarter to nine on Nov. 12.", "8 h 45 le 12 novembre"),  # "à 8 h 45 novembre"
    ("We went to the cinema last night.", "au cinéma"),  # "à la cine"
    ("A lorry blocked the road.", "Un camion"),  # "Un liry"
    ("I left my car in the car park.", "parking"),  # "dans le parc"
    ("Merry Christmas!", "Joyeux Noël !"),  # "Merry Noël !": "Merry" was taken for a given name
    ("Autumn is my favorite season.", "L'automne"),  # "Autumn est ma saison préférée."
    ('"Does she play tennis?" "Yes, she does."', "» « "),  # "« Est-ce qu'elle joue au tennis ? "Oui, elle est."
    ("However, the plan was rejected by the city council.", "Cependant, le plan"),  # "Quiconque, le plan …"
    ("On the other hand, the food is cheap.", "En revanche, la nourriture"),  # "Une autre main, …"
    ("On Monday, the president visited the school.", "Lundi, le président"),  # "Le lundi, le président …"
    ("The storm is expected to reach the coast tonight.", "devrait"),  # "La tempête s'attendait à atteindre …"
    ("Last year we spent two weeks in Vietnam.", "L'année dernière, nous avons passé"),  # "Nous avons passé …"
    ("Next month the museum will close for repairs.", "Le mois prochain, le musée"),  # "Le mois prochain musée …"
    ("She studied at Uppsala University.", "l'université d'Uppsala"),  # "à Uppsala University"
    ("He graduated from the University of Harvard in 2010.", "l'université de Harvard"),  # "… d'Hôte"
    ("3 days ago, Kenji called me from Osaka.", "Il y a 3 jours, Kenji"),  # "Il y a il y a 3 jours"
    ("It was the wettest month on record.", "jamais enregistré"),  # "le mois le record du record"
    ("She works for the U.N. in Geneva.", "l'ONU"),  # "l'U."
    ("The incumbent president lost the election.", "président sortant"),  # "L'incumbent président"
    ("The earthquake measured 6.1 on the Richter scale.", "l'échelle de Richter"),  # "sur le cale du Richter"
    ("The Nile is the longest river in Africa.", "Le Nil"),  # "Le Nile"
    ("We took a boat on the Thames.", "Tamise"),  # "Thames"
    ("Christians celebrate Easter.", "chrétiens"),  # "Christians célébre Pâques."
    ("Many Muslims fast during Ramadan.", "musulmans"),  # "Many Muslims est rapide …"
])
def test_the_default_model_translates_forms_it_used_to_mangle(default_model, text, french):
    """`french`: what the translation holds (one of several, "|" between them)."""
    translation = default_model.generate(TranslationRequest(text)).text
    assert any(form in translation for form in french.split("|")), translation


def test_the_default_model_opens_on_a_year_without_an_article(default_model):
    translation = default_model.generate(TranslationRequest("1984 was a difficult year for my family.")).text
    assert translation.startswith("1984 "), translation  # "Le 1984 a été …"
