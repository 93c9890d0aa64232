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

    #: Texts longer than this are parsed in pieces cut at paragraph or sentence
    #: ends (never over spaCy's max_length of 1,000,000). spaCy's docs give
    #: ~1 GB of parser/NER memory per 100,000 characters; pieces this size keep
    #: a run on a laptop and are longer than any news report we hold.
    analyze_piece_chars: int = 100_000
    #: A run without spaces longer than this is parsed in pieces this long:
    #: spaCy's suffix search is quadratic in a token's length (a 120,000-char
    #: run of brackets took over 40 s; pieces of 1,000 take 0.3 s in all). No
    #: word is this long; URLs and hashtags are far shorter.
    analyze_token_chars: int = 1000

    # ----------------------------------------------------------------- analyze: quotations

    # ----------------------------------------------------------------- group

    # ----------------------------------------------------------------- compare: facts

    # ----------------------------------------------------------------- compare: conflicts

    # ----------------------------------------------------------------- synthesize


#: The settings every entry point uses unless given others.
DEFAULT = Settings()
