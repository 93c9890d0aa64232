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

    #: group.boilerplate: a sentence is a site's boilerplate when it recurs in
    #: this many unrelated documents of one outlet (two is the least that shows
    #: a template; the tests below keep reprints and one story's articles out).
    boilerplate_min_documents: int = 2
    #: group.boilerplate: two documents of one outlet are versions of one
    #: article when their shingle sketches resemble each other this much (an
    #: updated article that kept half its text is still the same article).
    boilerplate_same_article: float = 0.5
    #: group.boilerplate: two documents tell one story when the cosine of their
    #: story profiles reaches this, twice group_stories' threshold (0.20, tuned
    #: on ECB+): at 0.20 the unrelated pages of single-topic sites in
    #: bench/extraction (0.21-0.36) would count as one story; different-story
    #: pages of news sites there measure below 0.11.
    boilerplate_same_story: float = 0.4

    # ----------------------------------------------------------------- compare: facts

    # ----------------------------------------------------------------- compare: conflicts

    # ----------------------------------------------------------------- synthesize


#: The settings every entry point uses unless given others.
DEFAULT = Settings()
