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

    # ----------------------------------------------------------------- compare: independence

    #: Word-sequence similarity (difflib ratio) at or above which two outlets'
    #: passages are one text reworded, hence one origin. Carried over from the
    #: stage before settings existed (0.85): a wire sentence with a changed word
    #: or two stays above it, two reports of one event in their own words fall
    #: well below it (tests/test_independence.py).
    near_duplicate_passage: float = 0.85
    #: Passages shorter than this many words are never near-duplicates: short
    #: sentences ("The vote was 52 to 48.") coincide without one copying another.
    near_duplicate_min_words: int = 6

    # ----------------------------------------------------------------- compare: conflicts

    # ----------------------------------------------------------------- synthesize


#: The settings every entry point uses unless given others.
DEFAULT = Settings()
