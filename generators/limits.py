"""Every server-side limit in one place (the README lists them); the app and the CLI enforce these."""

MAX_INPUT_CHARS = 20_000  # longer prompts / sources are refused with a message
MAX_NEW_TOKENS = 512
MAX_TRANSLATION_CHARS = 2_000  # translation sources: the models learned from sentences, not documents
MAX_BEAMS = 8
MAX_RETURN_SEQUENCES = 8
MAX_NO_REPEAT_NGRAM = 10
MAX_TOP_K = 10_000
REPETITION_PENALTY_RANGE = (0.5, 3.0)
TEMPERATURE_RANGE = (0.05, 5.0)
MAX_NER_INPUT_CHARS = 10_000  # NER input beyond this is cut (at a space) and the result says so (~0.7 s to tag)
MAX_NER_CHUNK_WORDS = 120  # NER tags consecutive sentences in windows of at most this many words
MAX_VERSE_MUSES = 3  # poets asked for the next line at once
VERSE_SYLLABLES_RANGE = (2, 20)  # syllables per line a writer may ask for (or "any")
MAX_VERSE_LINES = 16  # lines of a free-verse poem (a couplet has 2, a quatrain 4)
MAX_VERSE_LINE_CHARS = 200  # a longer line (the first, or an accepted/edited one) is refused
VERSE_SUGGESTIONS_RANGE = (1, 5)  # suggestions per muse
MAX_VERSE_LINE_TOKENS = 32  # pieces a suggested line may take
MAX_KEPT_ANSWERS = 50  # per session and tab: the views (tokens, heatmap, entities) of the latest answers
CHAT_TOKEN_BUDGET = 2048  # tokens of a chat prompt (system + conversation); older exchanges are left out beyond it
MAX_CHAT_MESSAGES = 200  # messages a chat request may carry (older ones are far beyond any token budget)
MAX_SYSTEM_PROMPT_CHARS = 4_000  # a longer system prompt is refused with a message
