"""Every tuning constant of the pipeline in one object that is passed, not
imported: a run, an executor or a benchmark can change one without touching
the stages.

Each field says where its value came from. Fields are grouped by the stage
that reads them; a stage reads its own group only.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT", "Settings"]


@dataclass(frozen=True, slots=True)
class Settings:
    """The tuning constants of every stage (see each field's comment)."""

    # ----------------------------------------------------------------- ingest

    # ----------------------------------------------------------------- analyze

    # ----------------------------------------------------------------- analyze: quotations

    # ----------------------------------------------------------------- group

    # ----------------------------------------------------------------- compare: facts

    # ----------------------------------------------------------------- compare: conflicts

    #: Relative tolerance of a value given as approximate ("about 60 minutes"
    #: allows 54 to 66); kept from the stage before issue 10, where it was set
    #: so that "about 60 minutes" still disagrees with "50 minutes".
    conflict_approximate_tolerance: float = 0.1
    #: Relative tolerance of an exact value: unit conversions round (673 K is
    #: 399.85 °C), 1% is well below the smallest real gap seen ("$1 trillion"
    #: against "$1.2 trillion" for one bill, issue 10).
    conflict_exact_tolerance: float = 0.01
    #: Named participants two sentences must share for two values given to
    #: differently named events ("50-minute meeting" / "hour-long discussion")
    #: to be about one event: one shared name is too weak (a meeting and a
    #: flight of the same minister), chosen on the five reports and the example.
    conflict_shared_participants: int = 2
    #: Characters between a value and the exact value told beside it ("47%
    #: six months later"): within a clause, set on the dev set's wording.
    conflict_anchor_distance: int = 40
    #: Share of the shorter quotation's content words another must have for
    #: the two to be the same words (attribution conflicts): set high so that
    #: two speakers' stock phrases are not taken for one utterance.
    conflict_same_words: float = 0.85
    #: Share of a version's words, in order, that must match a statement's
    #: reference for the two to be one utterance worded otherwise (not another
    #: utterance the alignment joined): half, so that a sentence with a
    #: negation or a number changed still counts; set on unseen AllSides
    #: roundups, where the misaligned utterances matched a quarter or less.
    conflict_same_utterance: float = 0.5
    #: Content words a quotation needs before its speaker can be disputed:
    #: short phrases ("a new start") are said by many people.
    conflict_attribution_words: int = 5
    #: Severity = kind weight x (base + coverage share x coverage + lead x
    #: whether a side is in a document's lead): central, widely reported
    #: disagreements first. Set by hand on the five reports and the example so
    #: that the event's own disagreements come before background ones.
    conflict_severity_base: float = 0.35
    conflict_severity_coverage: float = 0.45
    conflict_severity_lead: float = 0.2
    #: Kind weights: a wording whose meaning changes (negation, number)
    #: counts fully; a hedge changed less; a changed connective ("new or a
    #: different" / "new and a different") is minor.
    conflict_weight_hedge: float = 0.7
    conflict_weight_attribution: float = 0.8
    conflict_weight_stance: float = 0.9
    conflict_weight_minor: float = 0.2

    # ----------------------------------------------------------------- synthesize


#: The settings every entry point uses unless given others.
DEFAULT = Settings()
