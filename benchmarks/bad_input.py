"""How fast bad input is answered: `python -m benchmarks.bad_input` prints one JSON object.

Starts `app.py` in a subprocess (bundled models, offline, like benchmarks.load), then sends every hostile text
(empty, whitespace, 100,000 characters, control characters, emoji, right-to-left, non-English, HTML/JS) and
every absurd parameter (max_new_tokens 10^9, num_beams 10^4, temperature 0, top_p 1.5, unknown model, negative
seed) to each endpoint through `gradio_client`, one at a time. Reports per endpoint the slowest answer or refusal
and its case, and whether every one came within a second (the target of issue #8).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from .load import REQUESTS, served_app

TEXTS = {
    "empty": "",
    "whitespace": " \n\t  ",
    "100k": "word " * 20_000,
    "nul and controls": "Hello\x00 world\x07\x1b[31m red",
    "emoji": "🙂 Paris 🇫🇷 👩🏽‍💻",
    "right to left": "שלום עולם مرحبا بالعالم",
    "not English": "Der Hund schläft unter dem Tisch.",
    "html and js": "<script>alert(1)</script><img src=x onerror=alert(2)>",
}
# endpoint -> {case: (argument index, value)} sent on top of benchmarks.load's request for that endpoint
ABSURD = {
    "/continue": {"max_new_tokens 10^9": (8, 10**9), "num_beams 10^4": (6, 10**4), "temperature 0": (3, 0.0),
                  "top_p 1.5": (5, 1.5), "unknown model": (1, "no-such-model"), "negative seed": (11, "-5")},
    "/translate": {"max_new_tokens 10^9": (6, 10**9), "num_beams 10^4": (3, 10**4),
                   "unknown model": (1, "no-such-model")},
    "/ner": {"num_beams 10^4": (2, 10**4), "unknown model": (1, "no-such-model")},
    "/verse": {"syllables 100": (4, "100"), "suggestions 10^4": (5, 10**4), "unknown model": (6, "no-such-model"),
               "negative seed": (7, "-5")},
}


def cases() -> list[tuple[str, str, tuple]]:
    """(endpoint, case, arguments) for every hostile text and absurd parameter."""
    out = []
    for endpoint, request in REQUESTS.items():
        for case, text in TEXTS.items():
            out.append((endpoint, case, (text, *request[1:])))
        for case, (index, value) in ABSURD[endpoint].items():
            arguments = list(request)
            arguments[index] = value
            out.append((endpoint, case, tuple(arguments)))
    return out


def run(url: str) -> dict:
    from gradio_client import Client

    report: dict = {"endpoints": {}}
    for endpoint, case, arguments in cases():
        client = Client(url, verbose=False)  # a fresh session: a verse poem never carries over between cases
        started = time.perf_counter()
        try:
            client.predict(*arguments, api_name=endpoint)
            outcome = "answered"
        except Exception as error:  # noqa: BLE001 - a refusal is an outcome here
            outcome = "refused" if "Traceback" not in str(error) else "traceback"
        seconds = time.perf_counter() - started
        entry = report["endpoints"].setdefault(endpoint, {"cases": 0, "max_s": 0.0, "slowest": None,
                                                          "tracebacks": 0})
        entry["cases"] += 1
        entry["tracebacks"] += outcome == "traceback"
        if seconds > entry["max_s"]:
            entry["max_s"], entry["slowest"] = round(seconds, 3), f"{case} ({outcome})"
    report["max_s"] = max(v["max_s"] for v in report["endpoints"].values())
    report["all_within_1s"] = report["max_s"] < 1.0
    return report


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    with served_app() as (url, _):
        print(json.dumps(run(url)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
