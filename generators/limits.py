"""Every server-side limit in one place (the README lists them); the app and the CLI enforce these."""

MAX_INPUT_CHARS = 20_000  # longer prompts / sources are refused with a message
MAX_NEW_TOKENS = 512
MAX_BEAMS = 8
MAX_RETURN_SEQUENCES = 8
MAX_NO_REPEAT_NGRAM = 10
MAX_TOP_K = 10_000
REPETITION_PENALTY_RANGE = (0.5, 3.0)
TEMPERATURE_RANGE = (0.05, 5.0)
