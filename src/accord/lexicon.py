"""Word knowledge that more than one stage needs, kept once: month names and
their abbreviations.

Any stage may import it (as ``model``, ``errors`` and ``settings``); it
imports nothing of accord. Spelled out rather than taken from ``calendar``,
whose names follow the process locale: the texts are English whatever the
machine's language.
"""

from __future__ import annotations

__all__ = ["MONTHS", "MONTH_ABBREVIATIONS", "MONTH_NUMBERS"]

#: The months' English names, January first.
MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)
#: Abbreviations as news text writes them (without the dot), with "Sept" beside "Sep".
MONTH_ABBREVIATIONS: tuple[str, ...] = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
                                        "Nov", "Dec")
#: Every name and abbreviation of a month, in lower case, with its number (1-12).
MONTH_NUMBERS: dict[str, int] = {
    **{name.lower(): number for number, name in enumerate(MONTHS, start=1)},
    **{name[:3].lower(): number for number, name in enumerate(MONTHS, start=1)},
    "sept": 9,
}
