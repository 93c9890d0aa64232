"""Word knowledge that more than one stage needs, kept once: month names and
their abbreviations, words of negation, and hedges.

Any stage may import it (as ``model``, ``errors`` and ``settings``); it
imports nothing of accord. Spelled out rather than taken from ``calendar``,
whose names follow the process locale: the texts are English whatever the
machine's language.
"""

from __future__ import annotations

__all__ = ["HEDGE_ADVERBS", "HEDGE_MODALS", "MONTHS", "MONTH_ABBREVIATIONS", "MONTH_NUMBERS", "NEGATIONS"]

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

#: Words that negate what they govern ("did not observe", "no evidence",
#: "without warning"), in lower case; the contraction "n't" is matched apart
#: (it is part of a word in most tokenizations). The claim stance (analyze)
#: reads negation from the parse; conflicts and statements (compare) from these.
NEGATIONS: frozenset[str] = frozenset({"not", "no", "never", "nothing", "nobody", "none", "neither", "nor",
                                       "cannot", "without"})
#: Modal auxiliaries of possibility (Hyland 1998): the claim may not hold.
HEDGE_MODALS: frozenset[str] = frozenset({"may", "might", "could"})
#: Epistemic adverbs (Hyland 1998; MOS:ALLEGED) that qualify a whole clause.
HEDGE_ADVERBS: frozenset[str] = frozenset({
    "reportedly", "allegedly", "apparently", "possibly", "probably", "perhaps", "maybe", "presumably", "seemingly",
    "supposedly", "purportedly", "likely", "ostensibly", "conceivably", "potentially", "arguably",
})
