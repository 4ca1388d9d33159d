"""The rule layer: numbers people look for — MONEY, PERCENT, QUANTITY, DATE, TIME, CARDINAL — by regular expressions.

No small maintained library on PyPI does this without a large model (spaCy's numeric types come from its
statistical models; dateparser/quantulum3 parse one kind each and are heavy), so these are documented regexes:

- MONEY: a currency sign or code next to a number (`$5`, `€3.2 million`, `USD 40`, `£1,200`), or a number
  followed by a currency word (`20 dollars`, `5 million euros`, `30 cents`).
- PERCENT: a number followed by `%`, `percent`, `per cent` or `percentage point(s)`.
- QUANTITY: a number followed by a unit of length, mass, volume, area, temperature, speed, energy or data
  (`12 km`, `3.5 kg`, `40 miles`, `20 °C`, `8 GB`).
- TIME: clock times (`10:30`, `7:05 pm`, `5 p.m.`, `10 o'clock`), `noon`, `midnight`, with an optional zone (`GMT`).
- DATE: ISO dates (`1996-08-22`), numeric dates (`22/08/1996`), dates with month names (`March 3, 2021`,
  `3 March 2021`, `March 2021`, `Aug. 22`), weekdays, `yesterday` / `today` / `tomorrow`, decades (`the 1990s`)
  and a year from 1800 to 2099 standing alone.
- CARDINAL: any other number in digits (`1,234`, `3.5`), a number word (`one` ... `twelve`, `twenty`, `hundred`,
  `dozen`) or a digit with a scale word (`5 million`).

Kinds are matched in the order above; a later match that overlaps an earlier one is dropped (so `$5 million` is
MONEY, not MONEY + CARDINAL). `merge` then joins these with the neural tagger's entities: **the neural entity
wins** — a rule entity overlapping any neural entity is dropped. Rule entities carry the score 1.0.
"""

from __future__ import annotations

import re

NUMERIC_LABELS = ("MONEY", "PERCENT", "QUANTITY", "TIME", "DATE", "CARDINAL")

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SCALE = r"(?:\s+(?:thousand|million|billion|trillion|bn|mn|m)\b)?"
_AMOUNT = _NUM + _SCALE
_CURRENCY_SIGN = r"(?:US\$|A\$|C\$|HK\$|\$|€|£|¥|₹|₩|₽)"
_CURRENCY_CODE = r"(?:USD|EUR|GBP|JPY|CHF|CAD|AUD|CNY|INR)"
_CURRENCY_WORD = (
    r"(?:dollars?|euros?|pounds?(?:\s+sterling)?|yen|yuan|francs?|marks?|rupees?|pesos?|cents?|pence|"
    r"US\s+dollars|U\.S\.\s+dollars|crowns?|roubles?|rubles?)"
)
_UNIT = (
    r"(?:km|kilomet(?:er|re)s?|m|met(?:er|re)s?|cm|mm|miles?|mi|feet|foot|ft|inch(?:es)?|yards?|"
    r"kg|kilo(?:gram(?:me)?s?)?s?|g|grams?|mg|tonnes?|tons?|lbs?|pounds?\s+of|ounces?|oz|"
    r"l|litres?|liters?|ml|gallons?|barrels?|acres?|hectares?|ha|sq\s*km|square\s+(?:kilomet(?:er|re)s|miles|met(?:er|re)s|feet)|"
    r"°\s*[CF]|degrees?(?:\s+(?:Celsius|Fahrenheit|C|F))?|km/h|mph|knots?|kWh|MW|GW|kW|watts?|"
    r"KB|MB|GB|TB|bytes?)"
)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    r"thousand|million|billion|dozen)"
)

_B = r"(?<![\w.])"  # no word character (or decimal point) right before
_E = r"(?![\w])"  # no word character right after

PATTERNS: list[tuple[str, re.Pattern]] = [
    ("MONEY", re.compile(
        rf"{_CURRENCY_SIGN}\s?{_AMOUNT}{_E}|{_B}{_CURRENCY_CODE}\s?{_AMOUNT}{_E}|"
        rf"{_B}{_AMOUNT}\s?(?:{_CURRENCY_CODE}|{_CURRENCY_WORD}){_E}", re.I)),
    ("PERCENT", re.compile(rf"{_B}{_NUM}\s?(?:%|percent{_E}|per\s+cent{_E}|percentage\s+points?{_E})", re.I)),
    ("QUANTITY", re.compile(rf"{_B}{_AMOUNT}[\s-]?{_UNIT}(?![\w/])")),
    ("TIME", re.compile(
        rf"{_B}(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s?(?:[ap]\.?m\.?{_E}|[AP]\.?M\.?{_E}))?(?:\s(?:GMT|UTC|EST|EDT|PST|CET)\b)?"
        rf"|{_B}(?:1[0-2]|0?[1-9])\s?(?:[ap]\.m\.|[ap]m{_E}|[AP]M{_E}|o'clock{_E})(?:\s(?:GMT|UTC|EST|EDT|PST|CET)\b)?"
        rf"|\b(?:noon|midnight)\b")),
    ("DATE", re.compile(
        rf"{_B}{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]){_E}"
        rf"|{_B}{_DAY}/(?:0?[1-9]|1[0-2])/{_YEAR}{_E}|{_B}(?:0?[1-9]|1[0-2])/{_DAY}/{_YEAR}{_E}"
        rf"|\b{_MONTH}\s{_DAY},?\s{_YEAR}{_E}|{_B}{_DAY}\s{_MONTH}(?:,?\s{_YEAR})?{_E}"
        rf"|\b{_MONTH}\s{_YEAR}{_E}|\b{_MONTH}\s{_DAY}{_E}"
        rf"|\b{_WEEKDAY}\b|\b(?:yesterday|today|tomorrow)\b|{_B}(?:1[89]|20)\d0s{_E}|{_B}{_YEAR}(?![\w.,]\d|\s?%)")),
    ("CARDINAL", re.compile(rf"{_B}[-+]?{_AMOUNT}{_E}|\b{_NUMBER_WORD}(?:[\s-]{_NUMBER_WORD})*\b", re.I)),
]


def find_numeric(text: str) -> list[dict]:
    """Rule entities in `text`: dicts {text, label, score, start, end}, in order, never overlapping."""
    taken: list[tuple[int, int]] = []
    found = []
    for label, pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            while end > start and (text[end - 1] in " ," or (text[end - 1] == "." and not _abbreviation(text[:end]))):
                end -= 1  # no trailing separators (but keep the dot of "p.m.")
            if end <= start or any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.append({"text": text[start:end], "label": label, "score": 1.0, "start": start, "end": end})
    return sorted(found, key=lambda e: e["start"])


def _abbreviation(text: str) -> bool:
    return text.lower().endswith(("a.m.", "p.m.", "jan.", "feb.", "aug.", "sept.", "sep.", "oct.", "nov.", "dec."))


def merge(neural: list[dict], rules: list[dict]) -> list[dict]:
    """Neural entities plus the rule entities that overlap none of them (the neural entity wins), in order."""
    kept = [r for r in rules if not any(r["start"] < n["end"] and n["start"] < r["end"] for n in neural)]
    return sorted([*neural, *kept], key=lambda e: e["start"])
