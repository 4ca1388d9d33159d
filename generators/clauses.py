"""A long sentence cut at its clauses (", and …", ", which …"), each translated alone and joined with a comma.

The bundled models learned from short Tatoeba sentences (8 English words on average) and lose the thread of long
ones: they drop or repeat parts ("… à cause de l'énergie, à cause de l'énergie"). Cut before a conjunction or a
relative word that follows a comma, a sentence of 15 words or more becomes clauses of a length the models know;
a clause's translation must open with a French word for its English one (OPENINGS, a decoding constraint). The
ensemble (with the transformer member of 2026-12-06's stop 38), whole → cut → cut with the openings constrained
(BLEU, beam 4): 30 long news- and travel-guide-style
sentences written here (training/texts/wiki_style.en-fr.tsv) 26.37 → 32.75 → 35.03; news-style (60) 44.87 → 45.39
→ 46.71; dev-long 41.46 → 41.72 → 41.72; dev-unseen 39.01 → 39.20 → 39.20. Cut from 12 words: 45.26, 41.66, 39.16
(news, dev-long, dev-unseen); from 18: 45.63, 41.53, 39.06. Openings in lower case only: 35.76, 46.35, 41.56, 39.08;
the conjunction left out of the clause and only written by the constraint: 34.99, 46.10, 41.48, 39.02.
Cut also before a participle (", sending a cloud of ash …", ", according to …"; stop 41, seventh-stage transformer
member): the 6 sentences of the measuring sets it cuts (none in dev-unseen or dev-long) 17.70 → 32.30 BLEU with
the participle's translation opening on a French gerund ("en …"), 31.83 left free.
"""

from __future__ import annotations

import re

import torch

from .sentences import Sentence

MIN_SENTENCE_WORDS = 15  # shorter sentences are what the models learned from: left whole
MIN_CLAUSE_WORDS = 4  # "…, and so on." is not a clause to translate alone
_CLAUSE_START = re.compile(r",\s+(?=(?:and|but|because|so|while|which|where|when|who|as|[a-z]+ing)\s)")
# words in "-ing" after a comma that open no participle clause ("…, everything was fine")
NOT_PARTICIPLES = frozenset("everything something nothing anything morning evening thing things king spring ring "
                            "wedding building meeting ceiling string wing".split())


def split_clauses(sentence: Sentence) -> list[Sentence]:
    """The sentence as clauses (the sentence itself when short or without such a comma); every clause but the
    last is marked `clause` and joined to the next by ", "."""
    if len(sentence.text.split()) < MIN_SENTENCE_WORDS:
        return [sentence]
    cuts, start = [], 0
    for boundary in _CLAUSE_START.finditer(sentence.text):
        before, after = sentence.text[start : boundary.start()], sentence.text[boundary.end():]
        if after.split(" ", 1)[0].lower() in NOT_PARTICIPLES:
            continue
        if len(before.split()) >= MIN_CLAUSE_WORDS and len(after.split()) >= MIN_CLAUSE_WORDS:
            cuts.append((start, boundary.start()))
            start = boundary.end()
    if not cuts:
        return [sentence]
    clauses = [Sentence(sentence.text[a:b], ", ", clause=True) for a, b in cuts]
    return clauses + [Sentence(sentence.text[start:], sentence.joiner)]


def as_sentence(text: str, is_clause: bool, follows_clause: bool) -> str:
    """A clause written as the sentence the models read: a capital after a clause, a full stop before the next one
    ("and he says that …" -> "And he says that …"), so that the tab's notes do not list them as the user's text
    rewritten."""
    if follows_clause and text[:1].islower():
        text = text[0].upper() + text[1:]
    return text + "." if is_clause and text[-1:].isalnum() else text


# What a clause's translation may open with, by the English word that opens the clause. Given a clause alone, the
# models wrote "Und qu'il dit …" for "and he says …", "Lequel c'est pourquoi …" for "which is why …", "Mais que tu
# peux …" for "but you can …"; "as" (comme, car, alors que, pendant que …) is left to them.
OPENINGS = {"and": ("et",), "but": ("mais",), "because": ("parce", "car"), "so": ("alors", "donc", "si"),
            "while": ("pendant", "tandis", "alors"), "when": ("quand", "lorsque", "lorsqu'"), "where": ("où",),
            "which": ("qui", "ce", "que", "qu'", "dont", "où", "ceci", "cela", "ça"), "who": ("qui",),
            "saying": ("en", "disant"), "according": ("selon", "d'après"), "including": ("y", "notamment", "dont"),
            "during": ("pendant", "durant", "lors")}
# any other "-ing" word opening a clause (", sending a cloud of ash …"): a French gerund ("en envoyant …"); alone
# the models wrote "à l'envoyer un clou …", "mets-toi en pression …"
PARTICIPLE_OPENING = ("en",)
# What may not come right after a coordinating conjunction's French word: "and he says that …" came out "et qu'il
# dit que …", "but you can visit …" "mais que tu peux visiter …".
NOT_NEXT = {"and": ("que", "qu'"), "but": ("que", "qu'"), "so": ("que", "qu'")}


class OpeningWords:
    """A decoding constraint: the translation opens with one of these words (each a list of subword ids), ended
    there (the next subword starts a word or is punctuation, so "et" cannot grow into "etd"), and not followed by
    a word of `not_next`; then it goes on freely. word_starts(V) -> bool [V]: the subwords that start a word or are
    punctuation. A word ending in an apostrophe ("qu'") may be followed by anything."""

    def __init__(self, words: list[list[int]], word_starts, not_next: list[list[int]] = (), elided: set[int] = ()):
        self.words = [word for word in words if word]
        self.word_starts, self.elided = word_starts, set(elided)
        self.not_next = sorted({word[0] for word in not_next if word})  # first subwords barred right after the word

    def allowed(self, generated: torch.Tensor, vocab_size: int) -> torch.Tensor | None:
        """generated [B, t] -> bool [B, V], or None once every row is past its opening word and the next subword."""
        step = generated.shape[1]
        if not self.words or step > max(len(word) for word in self.words):
            return None
        mask = torch.ones(generated.shape[0], vocab_size, dtype=torch.bool)
        for row, written in enumerate(generated.tolist()):
            complete = [word for word in self.words if len(word) <= step and written[: len(word)] == word]
            if complete:
                just_written = [word for word in complete if len(word) == step]
                if just_written and not any(word[-1] in self.elided for word in just_written):
                    mask[row] = self.word_starts(vocab_size)
                    mask[row, self.not_next] = False
                continue
            following = {word[step] for word in self.words if word[:step] == written and len(word) > step}
            if following:
                mask[row] = False
                mask[row, sorted(following)] = True
        return mask


def opening_constraint(clause: str, encode_word, word_starts) -> OpeningWords | None:
    """The constraint for a clause's translation (None when its first word has no entry in OPENINGS);
    encode_word: French word -> its subword ids; word_starts: as OpeningWords takes it."""
    first = clause.split(" ", 1)[0].lower()
    openings = OPENINGS.get(first) or (PARTICIPLE_OPENING if first.endswith("ing") else None)
    if openings is None:
        return None
    words = [encode_word(form) for word in openings for form in (word, word.capitalize())]
    elided = {encode_word(word)[-1] for word in openings if word.endswith("'") and encode_word(word)}
    return OpeningWords(words, word_starts, [encode_word(word) for word in NOT_NEXT.get(first, ())], elided)
