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

    #: Score two claims must reach to state one fact: (1 - w) x weighted word
    #: overlap + w x cosine of their sentence vectors. Chosen on the dev set
    #: (0.55-0.65 give the same recall; 0.65 the best precision); ECB+ tuning
    #: (bench/facts.py, each half) picks 0.7 on both halves.
    fact_threshold: float = 0.65
    #: w above: the share of meaning (sentence vectors) in the score. 0 is
    #: words alone (the method before issue 9). Dev set: 0.5 beat 0.7 and 0.85
    #: in precision at equal or better recall.
    fact_meaning_weight: float = 0.5
    #: Score at which a sentence already in a fact also joins another fact it
    #: links to (a sentence may state several facts). Dev set, facts stage
    #: alone: 0.5 -> P 0.745 R 0.658; 0.6 -> 0.775 / 0.518; no sharing ->
    #: 0.857 / 0.362. 0.5 keeps the example's signing fact whole.
    fact_share_threshold: float = 0.5
    #: Share of the sentence pairs across two groups that must be linked (at
    #: fact_share_threshold) for the groups to join: no fact grows by a chain
    #: of resemblances. 0 joins on any link (the value before issue 9); 1.0
    #: (every pair linked) is a little more precise on the dev set (0.745
    #: against 0.741 at the same recall).
    fact_link_share: float = 1.0
    #: Words two claims must share (one not a name or a time) before they are
    #: compared at all. 3 is the value before issue 9; 1, 2 and 3 gave the same
    #: dev-set figures, 2 lets short paraphrases be compared.
    fact_min_shared: int = 2
    #: Most weight of words the share of shared words is taken of (0: the
    #: whole smaller sentence, the value before issue 9): a long sentence of
    #: several facts shares one with another by a core of rare words. Dev
    #: set: 3 (about four rare words) over 5 and 0.
    fact_mass_cap: float = 3.0
    #: How much a name counts beside another word of the same rarity (1.0: as
    #: much; the value before issue 9, not tuned).
    fact_name_weight: float = 1.0
    #: Partners kept per distinct sentence when candidates are drawn from the
    #: word index: bounds the work per sentence on big stories. Not tuned (a
    #: three-outlet story rarely gives a sentence 30 partners).
    fact_candidates: int = 30
    #: Words found in more distinct sentences than this are not followed in
    #: the word index (like stop words they say little about which fact a
    #: sentence states; keeps candidate search near-linear). Not tuned: only
    #: stories of hundreds of articles reach it.
    fact_posting_limit: int = 200

    # ----------------------------------------------------------------- compare: conflicts

    # ----------------------------------------------------------------- synthesize


#: The settings every entry point uses unless given others.
DEFAULT = Settings()
