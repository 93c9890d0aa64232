"""Gather documents into stories: the reports of one real-world event.

Grouping is online. A document is compared with the stories that share its
most distinctive words and names (found through an inverted index, never all
stories), joins the one whose centroid it is closest to when that is close
enough, or starts a story of its own. Each story keeps the sum of its
documents' vectors, so adding a document costs the same whether the index holds
ten stories or a hundred thousand. ``group_stories`` is the same index fed a
batch in order, so batch and online results are equal by construction.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from itertools import islice
from typing import Sequence

from accord.errors import UsageError
from accord.model import Document, Story
from accord.settings import DEFAULT, Settings

from .features import Collection, Profile, profile

__all__ = ["StoryIndex", "group_stories", "DEFAULT_THRESHOLD"]

#: The defaults, kept under their old names for callers that read them; the
#: values (and where they came from) live in ``accord.settings``.
DEFAULT_THRESHOLD = DEFAULT.story_threshold
WINDOW_DAYS = DEFAULT.story_window_days


@dataclass(slots=True)
class _Story:
    """A story being built: its documents and the sum of their vectors."""

    key: int
    members: list[str] = field(default_factory=list)
    gists: list[dict[str, float]] = field(default_factory=list)
    headlines: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    centroid: dict[str, float] = field(default_factory=dict)
    norm2: float = 0.0
    first_day: int | None = None
    last_day: int | None = None

    def absorb(self, member: Profile, headline: str, published: str | None, gist: int) -> None:
        """Add one document: its vector to the centroid (keeping the squared
        norm current without a full pass) and its day to the date range."""
        centroid = self.centroid
        norm2 = self.norm2
        for k, w in member.vector.items():
            old = centroid.get(k, 0.0)
            centroid[k] = old + w
            norm2 += 2.0 * old * w + w * w
        self.norm2 = norm2
        self.members.append(member.doc)
        self.gists.append(dict(heapq.nlargest(gist, member.vector.items(), key=lambda kv: (kv[1], kv[0]))))
        self.headlines.append(headline)
        if published:
            self.published.append(published)
        if member.day is not None:
            self.first_day = member.day if self.first_day is None else min(self.first_day, member.day)
            self.last_day = member.day if self.last_day is None else max(self.last_day, member.day)

    def similarity(self, vector: dict[str, float]) -> float:
        """Cosine between a unit vector and this story's centroid."""
        if self.norm2 <= 0.0:
            return 0.0
        centroid = self.centroid
        dot = sum(w * centroid.get(k, 0.0) for k, w in vector.items())
        return dot / math.sqrt(self.norm2)

    def gap(self, day: int | None) -> int:
        """Days between ``day`` and the story's date range; 0 when either is unknown."""
        if day is None or self.first_day is None or self.last_day is None:
            return 0
        if day < self.first_day:
            return self.first_day - day
        return max(0, day - self.last_day)


class StoryIndex:
    """Stories built one document at a time.

    ``add`` places a document for good and returns the key of its story (keys
    count up from 1 as stories start); earlier placements never change, which
    is what makes a batch and a stream agree. ``stories()`` gives the stories
    as ``Story`` records numbered s1, s2… in the order of their first document.
    """

    def __init__(
        self,
        *,
        threshold: float | None = None,
        window_days: int | None = None,
        settings: Settings = DEFAULT,
    ) -> None:
        self.settings = settings
        self.threshold = settings.story_threshold if threshold is None else threshold
        if not 0.0 < self.threshold <= 1.0:
            raise UsageError(f"story threshold must lie in (0, 1], not {self.threshold}")
        self.window_days = settings.story_window_days if window_days is None else window_days
        self._stories: dict[int, _Story] = {}
        self._postings: dict[str, dict[int, None]] = {}
        self._doc_story: dict[str, int] = {}
        self._key_counter = 0
        self._collection = Collection(settings=settings)

    def __len__(self) -> int:
        return len(self._stories)

    def add(self, document: Document, *, names: Sequence[str] | None = None) -> int:
        """Place one document in a story and return that story's key.

        ``names`` are the document's entity mentions if the analyze stage found
        them; without them capitalised words stand in (see ``features.profile``)."""
        if document.id in self._doc_story:
            raise UsageError(f"document {document.id} is already in a story; ids must be unique")
        member = profile(document, names=names, collection=self._collection, settings=self.settings)
        self._collection.add(member.vector)
        scored = self._closest(member)
        if scored and scored[0][1] >= self.threshold:
            key = scored[0][0]
            story = self._stories[key]
        else:
            key = self._next_key()
            story = _Story(key)
            self._stories[key] = story
        story.absorb(member, _headline(document), document.published, self.settings.story_gist)
        self._post(member, key)
        self._doc_story[document.id] = key
        return key

    def story_of(self, doc_id: str) -> int:
        """The key of the story a document is in."""
        return self._doc_story[doc_id]

    def story(self, key: int) -> Story:
        """The record of one story, by the key ``add`` returned (its id is
        ``s{key}``, as in ``stories()``), without building the others."""
        return _record(f"s{key}", self._stories[key])

    def stories(self) -> list[Story]:
        """The stories so far, numbered in the order of their first document."""
        # Stories are kept in the order they started, which is the order of
        # their first document.
        return [_record(f"s{n}", story) for n, story in enumerate(self._stories.values(), start=1)]

    # -- internals

    def _next_key(self) -> int:
        self._key_counter += 1
        return self._key_counter

    def _closest(self, member: Profile) -> list[tuple[int, float]]:
        """The stories closest to a document, closest first, with their
        similarity (faded by the gap in days).

        Candidates are the stories posted under the document's heaviest
        features; the part of the dot product those features give ranks them,
        and only the best ``story_shortlist`` get an exact similarity."""
        settings = self.settings
        heavy = heapq.nlargest(settings.story_probe_keys, member.vector.items(), key=lambda kv: (kv[1], kv[0]))
        partial: dict[int, float] = {}
        stories = self._stories
        for k, w in heavy:
            posting = self._postings.get(k)
            if not posting:
                continue
            # Newest stories last: a long posting list offers its newest ones.
            for story_key in islice(reversed(posting), settings.story_postings_per_key):
                partial[story_key] = partial.get(story_key, 0.0) + w * stories[story_key].centroid[k]
        ranked = heapq.nlargest(
            settings.story_shortlist,
            partial.items(),
            key=lambda kv: (kv[1] / math.sqrt(stories[kv[0]].norm2), -kv[0]),
        )
        scored = []
        for story_key, _ in ranked:
            story = stories[story_key]
            score = story.similarity(member.vector)
            gap = story.gap(member.day)
            if gap > self.window_days:
                score *= math.exp(-(gap - self.window_days) / settings.story_fade_days)
            scored.append((story_key, score))
        scored.sort(key=lambda ks: (-ks[1], ks[0]))
        return scored

    def _post(self, member: Profile, key: int) -> None:
        heavy = heapq.nlargest(self.settings.story_probe_keys, member.vector.items(), key=lambda kv: (kv[1], kv[0]))
        for k, _ in heavy:
            posting = self._postings.setdefault(k, {})
            posting.pop(key, None)
            posting[key] = None


def group_stories(
    documents: Sequence[Document],
    *,
    threshold: float | None = None,
    names: Sequence[Sequence[str]] | None = None,
    settings: Settings = DEFAULT,
) -> list[Story]:
    """Group documents into stories, one story per real-world event.

    Documents are placed in the order given, exactly as ``StoryIndex.add``
    would place them one at a time. Story ids are s1, s2… in the order of
    their first document; a story's title is that of its most central
    document; its first and last published dates are those of its documents.
    ``names``, when given, holds each document's entity mentions (same order)."""
    if names is not None and len(names) != len(documents):
        raise UsageError(
            f"names must give one list of mentions per document: {len(names)} lists "
            f"for {len(documents)} documents"
        )
    index = StoryIndex(threshold=threshold, settings=settings)
    for n, document in enumerate(documents):
        index.add(document, names=names[n] if names is not None else None)
    return index.stories()


def _headline(document: Document) -> str:
    """The document's title, else its first sentence."""
    if document.title and document.title.strip():
        return document.title.strip()
    text = document.text.strip()
    for end in (". ", "\n", "? ", "! "):
        cut = text.find(end)
        if 0 < cut < 300:
            return text[: cut + 1].strip()
    return text[:200].strip()


def _record(story_id: str, story: _Story) -> Story:
    """The story as the data model's record; its title is the headline of the
    member whose gist lies closest to the centroid (the first on a tie)."""
    central = max(
        range(len(story.members)),
        key=lambda i: (sum(w * story.centroid.get(k, 0.0) for k, w in story.gists[i].items()), -i),
    )
    dates = sorted(d[:10] for d in story.published if d)
    return Story(
        id=story_id,
        title=story.headlines[central] or None,
        documents=list(story.members),
        first_published=dates[0] if dates else None,
        last_published=dates[-1] if dates else None,
    )
