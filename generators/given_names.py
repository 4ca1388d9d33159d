"""Given names of the US census (the `names` package's lists): each name's share of women and of men, in percent."""

from __future__ import annotations

from pathlib import Path

import names


def _shares(kind: str) -> dict[str, float]:
    lines = Path(names.FILES[kind]).read_text().splitlines()
    return {fields[0].lower(): float(fields[1]) for fields in (line.split() for line in lines) if fields}


WOMEN_SHARES, MEN_SHARES = _shares("first:female"), _shares("first:male")
# a name on both lists: its larger share ("Mary" 2.629 %, not the men's 0.009 %)
CENSUS_SHARES = {name: max(WOMEN_SHARES.get(name, 0.0), MEN_SHARES.get(name, 0.0))
                 for name in WOMEN_SHARES.keys() | MEN_SHARES.keys()}
