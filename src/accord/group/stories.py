"""Gather documents into stories: the reports of one real-world event.

A pile of documents given at once (``group_stories``: the documents of one
``accord stories``, ``dossier`` or ``run``) is clustered as a whole by
average link (``pile.py``). A store receives documents one at a time and keeps
a ``StoryIndex``, described here; after placing a document it clusters the
document's neighbourhood (the stories it is close to) as a pile weighed with
the counts of every document so far, and splits and merges stories to agree,
so a store converges to the pile's grouping.

The index is online. A document is compared with the stories that share its
most distinctive words and names (found through an inverted index, never all
stories), joins the one whose centroid it is closest to when that is close
enough, or starts a story of its own. Each story keeps the sum of its
documents' vectors, so adding a document costs the same whether the index holds
ten stories or a hundred thousand. ``stream_stories`` is the index fed a
batch in order, as a store would be.

Everything the index knows lives in an ``IndexState``: a few mappings (stories
by key, posting lists, feature counts, each document's story, aliases,
counters) that the index reads and writes one entry at a time. In memory they
are plain dicts; the store gives mappings backed by its SQLite tables, so a
store's index is opened without replaying its documents and an ``add`` reads
and writes only the entries of its candidate features and stories. The index
writes back every entry it changes (``state.x[k] = value``), never relying on
an object it mutated in place being the stored one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import heapq
import math
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, MutableMapping, Sequence

from accord.errors import UsageError
from accord.model import Document, Story
from accord.settings import DEFAULT, Settings

from .features import Collection, Profile, RawFeatures, profile, publication_day, raw_features
from .pile import PileCounts, cluster_pile, pile_graph, pile_settings

__all__ = ["IndexState", "StoryIndex", "group_stories", "stream_stories", "grouping_signature", "DEFAULT_THRESHOLD"]

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
    #: The posting lists this story is in (so a merge can move them).
    posted: set[str] = field(default_factory=set)

    def merge(self, other: "_Story") -> None:
        """Take in every document of ``other`` (a story found to tell the same
        event): members in their order of arrival, centroids summed."""
        for k, w in other.centroid.items():
            self.centroid[k] = self.centroid.get(k, 0.0) + w
        self.norm2 = sum(w * w for w in self.centroid.values())
        self.members.extend(other.members)
        self.gists.extend(other.gists)
        self.headlines.extend(other.headlines)
        self.published.extend(other.published)
        days = [d for d in (self.first_day, self.last_day, other.first_day, other.last_day) if d is not None]
        if days:
            self.first_day, self.last_day = min(days), max(days)

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
        # One entry per member ("" when undated), so a split can divide them.
        self.published.append(published or "")
        if member.day is not None:
            self.first_day = member.day if self.first_day is None else min(self.first_day, member.day)
            self.last_day = member.day if self.last_day is None else max(self.last_day, member.day)

    def similarity(self, vector: dict[str, float], link: float = 0.0) -> float:
        """Cosine between a unit vector and this story's centroid (``link``
        0), or its mean cosine with the members (average link, ``link`` 1),
        or between the two (see ``scale``)."""
        if self.norm2 <= 0.0:
            return 0.0
        centroid = self.centroid
        dot = sum(w * centroid.get(k, 0.0) for k, w in vector.items())
        return dot / self.scale(link)

    def scale(self, link: float) -> float:
        """What the dot product with the summed vectors is divided by: the
        centroid's norm (cosine) to the power 1 - ``link``, times the number
        of members (average link) to the power ``link``."""
        if link == 0.0:
            return math.sqrt(self.norm2)
        return float(math.sqrt(self.norm2) ** (1.0 - link) * len(self.members) ** link)

    def gap(self, day: int | None) -> int:
        """Days between ``day`` and the story's date range; 0 when either is unknown."""
        if day is None or self.first_day is None or self.last_day is None:
            return 0
        if day < self.first_day:
            return self.first_day - day
        return max(0, day - self.last_day)


class IndexState:
    """Where a ``StoryIndex`` keeps its state: mappings it reads and writes one
    entry at a time (this class: plain dicts, in memory).

    - ``stories``: story key -> ``_Story``, in the order the stories started;
    - ``postings``: feature -> {story key: the story's weight at the feature
      (its centroid's, over its ``scale``) when last posted there}, oldest
      first (at most ``story_postings_kept``);
    - ``frequency``: feature -> how many documents carried it (``Collection``);
    - ``documents``: document id -> the key of its story;
    - ``aliases``: key of a merged story -> the key it was merged into;
    - ``counters``: ``"keys"`` (story keys handed out), ``"documents"``
      (documents counted by the collection);
    - ``table(name)``: a further mapping, str -> plain JSON data, for state a
      newer grouping needs (kept by the store as the others are).

    Another implementation (the store's) must give the same answers; values
    are plain data (a ``_Story`` holds lists, dicts with str keys, sets,
    numbers and strings), so they can be written as JSON."""

    def __init__(self) -> None:
        self.stories: MutableMapping[int, _Story] = {}
        self.postings: MutableMapping[str, dict[int, float]] = {}
        self.frequency: MutableMapping[str, int] = {}
        self.documents: MutableMapping[str, int] = {}
        self.aliases: MutableMapping[int, int] = {}
        self.counters: MutableMapping[str, int] = {}
        self._tables: dict[str, MutableMapping[str, Any]] = {}

    def table(self, name: str) -> MutableMapping[str, Any]:
        """The mapping called ``name`` (empty when new)."""
        return self._tables.setdefault(name, {})


def story_state(story: "_Story") -> dict[str, Any]:
    """A story as plain JSON data: its fields by name, sets as sorted lists."""
    data = {}
    for f in dataclasses.fields(story):
        value = getattr(story, f.name)
        data[f.name] = sorted(value) if isinstance(value, (set, frozenset)) else value
    return data


def story_from_state(data: dict[str, Any]) -> "_Story":
    """The story ``story_state`` wrote. A field it lacks (added to ``_Story``
    since) takes its default; a set field comes back as a set."""
    values = {}
    for f in dataclasses.fields(_Story):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.default_factory is set:
            value = set(value)
        values[f.name] = value
    return _Story(**values)


#: The version of the placing rules in ``features.py`` and ``stories.py``.
#: Bump it with any change that can move a document to another story: a store
#: whose index was built under another version is re-placed once on its first
#: write. A hand-kept number rather than a digest of the source, so an edit
#: that moves nothing (a comment, a refactor) does not re-place every store.
GROUPING_VERSION = 2


def grouping_signature(settings: Settings = DEFAULT) -> str:
    """A digest of what decides where documents go: the grouping settings
    (``story_*``, ``feature_*``) and ``GROUPING_VERSION``. A store whose index
    was built under another signature has its documents re-placed once (the
    index rebuilt), never refused."""
    digest = hashlib.sha256(f"grouping {GROUPING_VERSION}\n".encode())
    for f in dataclasses.fields(settings):
        # The pile's settings (``story_pile_*``) place nothing in a store.
        if f.name.startswith(("story_", "feature_")) and not f.name.startswith("story_pile_"):
            digest.update(f"{f.name}={getattr(settings, f.name)!r}\n".encode())
    return digest.hexdigest()


class StoryIndex:
    """Stories built one document at a time.

    ``add`` places a document and returns the key of its story (keys count
    up from 1 as stories start). With ``story_recluster`` (the default) it
    then clusters the document's neighbourhood as a pile and splits and
    merges stories to agree (recorded in ``changes``), so the index ends near
    the grouping ``group_stories`` gives the same documents at once, in
    whatever order they came. ``stories()`` gives the stories as ``Story``
    records numbered s1, s2… in the order of their first document.
    """

    def __init__(
        self,
        *,
        threshold: float | None = None,
        window_days: int | None = None,
        settings: Settings = DEFAULT,
        state: IndexState | None = None,
    ) -> None:
        self.settings = settings
        self.threshold = settings.story_threshold if threshold is None else threshold
        if not 0.0 < self.threshold <= 1.0:
            raise UsageError(f"story threshold must lie in (0, 1], not {self.threshold}")
        self.window_days = settings.story_window_days if window_days is None else window_days
        self.state = state = IndexState() if state is None else state
        self._stories = state.stories
        self._postings = state.postings
        self._doc_story = state.documents
        #: Stories merged into another: merged key -> the key kept.
        self._aliases = state.aliases
        self._counters = state.counters
        #: Every revision this object made, in order: ("merge", kept, merged),
        #: ("split", key, new key).
        self.changes: list[tuple[str, int, int]] = []
        self._collection = Collection(settings=settings)
        self._collection.frequency = state.frequency  # type: ignore[assignment]

    def __len__(self) -> int:
        return len(self._stories)

    def add(self, document: Document, *, names: Sequence[str] | None = None) -> int:
        """Place one document in a story and return that story's key.

        ``names`` are the document's entity mentions if the analyze stage found
        them; without them capitalised words stand in (see ``features.profile``)."""
        if document.id in self._doc_story:
            raise UsageError(f"document {document.id} is already in a story; ids must be unique")
        collection = self._collection
        collection.documents = self._counters.get("documents", 0)
        member = profile(document, names=names, collection=collection, settings=self.settings)
        collection.add(member.vector)
        self._counters["documents"] = collection.documents
        scored = self._closest(member)
        if scored and scored[0][1] >= self.threshold:
            key = scored[0][0]
            story = self._stories[key]
        else:
            key = self._next_key()
            story = _Story(key)
        joined = bool(story.members)
        story.absorb(member, _headline(document), document.published, self.settings.story_gist)
        self._post(member, story)
        self._stories[key] = story
        self._doc_story[document.id] = key
        # A story that only starts cannot bridge two: its centroid is the
        # document, already below the joining threshold to every story. A
        # story joined can now be one with another story the document was
        # also close to: those are the only ones worth checking.
        if joined:
            key = self._merge_close(key, [k for k, score in scored[1:] if score >= self.threshold])
        if self.settings.story_recluster:
            raw = raw_features(document, names=names, settings=pile_settings(self.settings))
            self._remember(raw)
            key = self._recluster(document.id, [key] + [k for k, _ in scored])
        return key

    # -- the neighbourhood clustered as a pile (``story_recluster``)

    def _pile_counts(self) -> PileCounts:
        """The pile counts of every document placed, kept in the state."""
        state = self.state
        return PileCounts(self._counters.get("pile_documents", 0), state.table("pile_features"),
                          state.table("pile_terms"))

    def _remember(self, raw: RawFeatures) -> None:
        """Keep a document's raw features and count them in the pile."""
        counts = self._pile_counts()
        counts.add(raw)
        self._counters["pile_documents"] = counts.documents
        self.state.table("pile_raw")[raw.doc] = {
            "counts": raw.counts, "idf": raw.idf, "day": raw.day, "terms": raw.terms, "outlet": raw.outlet,
        }

    def _raw(self, doc_id: str) -> RawFeatures:
        data = self.state.table("pile_raw")[doc_id]
        return RawFeatures(doc_id, data["counts"], data["idf"], data["day"], data["terms"], data["outlet"])

    def _recluster(self, doc_id: str, candidates: Sequence[int]) -> int:
        """Cluster the documents of the story ``doc_id`` is in and of the
        stories it was closest to (``candidates``, closest first, up to
        ``story_recluster_documents`` documents) as a pile, weighed with the
        counts of every document placed, and make the stories agree: a story
        whose documents fall in several clusters is split (its first
        document's part keeps its key), stories in one cluster are merged
        (the oldest key kept). Returns the key of ``doc_id``'s story."""
        keys: list[int] = []
        for key in candidates:
            key = self.resolve(key)
            if key not in keys:
                keys.append(key)
        documents: list[str] = []
        limit = self.settings.story_recluster_documents
        for key in keys:
            members = self._stories[key].members
            if documents and len(documents) + len(members) > limit:
                break
            documents.extend(members)
        if len(documents) < 2:
            return self._doc_story[doc_id]
        graph = pile_graph([self._raw(d) for d in documents], self.settings, self._pile_counts())
        label = {documents[i]: n for n, cluster in enumerate(graph.clusters(self.settings.story_pile_threshold))
                 for i in cluster}
        for key in sorted({self._doc_story[d] for d in documents}):
            members = self._stories[key].members
            parts: dict[int, list[str]] = {}
            for d in members:
                parts.setdefault(label[d], []).append(d)
            for part, leaving in sorted(parts.items()):
                if part != label[members[0]]:
                    self.split(key, leaving)
        clusters: dict[int, set[int]] = {}
        for d in documents:
            clusters.setdefault(label[d], set()).add(self._doc_story[d])
        for _, stories in sorted(clusters.items()):
            kept, *others = sorted(stories)
            for other in others:
                self._absorb_story(kept, other)
        return self._doc_story[doc_id]

    @property
    def keys_made(self) -> int:
        """How many story keys were handed out (a new story takes the next)."""
        return self._counters.get("keys", 0)

    def resolve(self, key: int) -> int:
        """The key a story is known by now (a merged story's, the kept one's)."""
        aliases = self._aliases
        while (kept := aliases.get(key)) is not None:
            key = kept
        return key

    def _merge_close(self, key: int, candidates: Sequence[int]) -> int:
        """Merge with the story at ``key`` each of ``candidates`` (stories the
        document just placed was also close to) whose centroid has come within
        ``story_merge_threshold`` of its own: two stories that a late document
        shows to be one. The older story's key is kept; returns it."""
        limit = self.settings.story_merge_threshold
        if limit <= 0.0:
            return key
        for other in candidates:
            other = self.resolve(other)
            if other == key or self._story_cosine(key, other) < limit:
                continue
            kept, merged = sorted((key, other))
            self._absorb_story(kept, merged)
            key = kept
        return key

    def _story_cosine(self, a: int, b: int) -> float:
        """Cosine between two stories' centroids, faded by the days between
        their date ranges as a document's similarity is."""
        first, second = self._stories[a], self._stories[b]
        if first.norm2 <= 0.0 or second.norm2 <= 0.0:
            return 0.0
        small, large = sorted((first.centroid, second.centroid), key=len)
        score = sum(w * large.get(k, 0.0) for k, w in small.items()) / math.sqrt(first.norm2 * second.norm2)
        gap = _gap(first, second)
        if gap > self.window_days:
            score *= math.exp(-(gap - self.window_days) / self.settings.story_fade_days)
        return score

    def split(self, key: int, documents: Sequence[str]) -> int:
        """Move ``documents`` out of story ``key`` into a story of their own
        (a story that was wrongly joined) and return the new story's key.

        Members keep only a gist of their vector, so the part that leaves
        takes the sum of its members' gists as its centroid and the rest keeps
        the old centroid less those gists."""
        key = self.resolve(key)
        story = self._stories[key]
        leaving = set(documents)
        if not leaving or not leaving < set(story.members):
            raise UsageError(f"a split of s{key} takes some of its documents, not all or others")
        new_key = self._next_key()
        part = _Story(new_key)
        rest = _Story(key, posted=set(story.posted))
        rest.centroid = dict(story.centroid)
        for n, doc in enumerate(story.members):
            target = part if doc in leaving else rest
            target.members.append(doc)
            target.gists.append(story.gists[n])
            target.headlines.append(story.headlines[n])
            if doc in leaving:
                for k, w in story.gists[n].items():
                    part.centroid[k] = part.centroid.get(k, 0.0) + w
                    rest.centroid[k] = max(0.0, rest.centroid.get(k, 0.0) - w)
        for n, doc in enumerate(story.members):
            (part if doc in leaving else rest).published.append(story.published[n])
        for target in (part, rest):
            target.norm2 = sum(w * w for w in target.centroid.values())
            days = [d for d in map(publication_day, target.published) if d is not None]
            # A part with no dated member keeps the story's range (its
            # members' days may have come from datelines in the text).
            target.first_day, target.last_day = (min(days), max(days)) if days else (story.first_day, story.last_day)
        heavy = heapq.nlargest(self.settings.story_probe_keys, part.centroid.items(), key=lambda kv: (kv[1], kv[0]))
        for k, _ in heavy:
            self._repost(k, part)
        part.posted.update(k for k, _ in heavy)
        self._stories[key] = rest
        self._stories[new_key] = part
        for doc in leaving:
            self._doc_story[doc] = new_key
        self.changes.append(("split", key, new_key))
        return new_key

    def _absorb_story(self, kept: int, merged: int) -> None:
        """Move every document of story ``merged`` into story ``kept``."""
        into, gone = self._stories[kept], self._stories.pop(merged)
        into.merge(gone)
        for k in gone.posted:
            self._repost(k, into, gone=merged)
        into.posted |= gone.posted
        self._stories[kept] = into
        for doc in gone.members:
            self._doc_story[doc] = kept
        self._aliases[merged] = kept
        self.changes.append(("merge", kept, merged))

    def story_of(self, doc_id: str) -> int:
        """The key of the story a document is in now."""
        return self._doc_story[doc_id]

    def story(self, key: int) -> Story:
        """The record of one story, by the key ``add`` returned (its id is
        ``s{key}``, as in ``stories()``), without building the others."""
        key = self.resolve(key)
        return _record(f"s{key}", self._stories[key])

    def stories(self) -> list[Story]:
        """The stories so far, numbered in the order of their first document."""
        # Stories are kept in the order they started, which is the order of
        # their first document.
        return [_record(f"s{n}", story) for n, story in enumerate(self._stories.values(), start=1)]

    # -- internals

    def _next_key(self) -> int:
        key = self._counters.get("keys", 0) + 1
        self._counters["keys"] = key
        return key

    def _closest(self, member: Profile) -> list[tuple[int, float]]:
        """The stories closest to a document, closest first, with their
        similarity (faded by the gap in days).

        Candidates are the stories posted under the document's heaviest
        features; the part of the dot product those features give ranks them
        (with each story's weight as the posting list holds it: as of when the
        story was last posted under that feature, so ranking reads no story),
        and only the best ``story_shortlist`` are read and get an exact
        similarity."""
        settings = self.settings
        link = settings.story_link
        heavy = heapq.nlargest(settings.story_probe_keys, member.vector.items(), key=lambda kv: (kv[1], kv[0]))
        partial: dict[int, float] = {}
        offered = settings.story_postings_per_key
        for k, w in heavy:
            posting = self._postings.get(k)
            if not posting:
                continue
            # Newest stories last: a long posting list offers its newest ones.
            for story_key, weight in islice(reversed(posting.items()), offered):
                partial[story_key] = partial.get(story_key, 0.0) + w * weight
        ranked = heapq.nlargest(settings.story_shortlist, partial.items(), key=lambda kv: (kv[1], -kv[0]))
        stories = self._stories
        scored = []
        for story_key, _ in ranked:
            story = stories[story_key]
            score = story.similarity(member.vector, link)
            gap = story.gap(member.day)
            if gap > self.window_days:
                score *= math.exp(-(gap - self.window_days) / settings.story_fade_days)
            scored.append((story_key, score))
        scored.sort(key=lambda ks: (-ks[1], ks[0]))
        return scored

    def _post(self, member: Profile, story: _Story) -> None:
        heavy = heapq.nlargest(self.settings.story_probe_keys, member.vector.items(), key=lambda kv: (kv[1], kv[0]))
        for k, _ in heavy:
            self._repost(k, story)
        story.posted.update(k for k, _ in heavy)

    def _repost(self, feature: str, story: _Story, *, gone: int | None = None) -> None:
        """Put ``story`` last (newest) in the posting list of ``feature`` with
        its weight there now, taking story ``gone`` (merged into it) out. A
        list keeps its newest ``story_postings_kept`` stories: lookups read
        only the newest ``story_postings_per_key``, and a bounded list keeps
        an add's cost flat however large the index grows."""
        posting = self._postings.get(feature)
        posting = {} if posting is None else posting
        posting.pop(story.key, None)
        if gone is not None:
            posting.pop(gone, None)
        scale = story.scale(self.settings.story_link)
        posting[story.key] = story.centroid.get(feature, 0.0) / scale if scale > 0.0 else 0.0
        kept = self.settings.story_postings_kept
        if len(posting) > kept:
            for old in list(islice(posting, len(posting) - kept)):
                del posting[old]
        self._postings[feature] = posting


def group_stories(
    documents: Sequence[Document],
    *,
    threshold: float | None = None,
    names: Sequence[Sequence[str]] | None = None,
    settings: Settings = DEFAULT,
) -> list[Story]:
    """Group documents into stories, one story per real-world event.

    The documents are clustered as one pile (``pile.cluster_pile``: average
    link over a similarity of words, names, numbers and dates, each document
    weighed with the counts of the whole pile), so which documents share a
    story does not depend on their order. ``threshold`` (default
    ``story_pile_threshold``) is the mean pair similarity down to which
    clusters merge. Story ids are s1, s2… in the order of their first
    document; a story's title is that of its most central document; its first
    and last published dates are those of its documents. ``names``, when
    given, holds each document's entity mentions (same order)."""
    _check_names(names, documents)
    threshold = settings.story_pile_threshold if threshold is None else threshold
    if not 0.0 < threshold <= 1.0:
        raise UsageError(f"story threshold must lie in (0, 1], not {threshold}")
    seen: set[str] = set()
    for document in documents:
        if document.id in seen:
            raise UsageError(f"document {document.id} is given twice; ids must be unique")
        seen.add(document.id)
    weighing = pile_settings(settings)
    raw = [
        raw_features(document, names=names[n] if names is not None else None, settings=weighing)
        for n, document in enumerate(documents)
    ]
    clusters, profiles = cluster_pile(raw, threshold=threshold, settings=settings)
    stories = []
    for number, cluster in enumerate(clusters, start=1):
        story = _Story(number)
        for i in cluster:
            story.absorb(profiles[i], _headline(documents[i]), documents[i].published, settings.story_gist)
        stories.append(_record(f"s{number}", story))
    return stories


def stream_stories(
    documents: Sequence[Document],
    *,
    threshold: float | None = None,
    names: Sequence[Sequence[str]] | None = None,
    settings: Settings = DEFAULT,
) -> list[Story]:
    """The stories a ``StoryIndex`` builds when fed ``documents`` one at a
    time in the order given (what a store holding them has placed), with the
    index's ``threshold`` (default ``story_threshold``)."""
    _check_names(names, documents)
    index = StoryIndex(threshold=threshold, settings=settings)
    for n, document in enumerate(documents):
        index.add(document, names=names[n] if names is not None else None)
    return index.stories()


def _check_names(names: Sequence[Sequence[str]] | None, documents: Sequence[Document]) -> None:
    if names is not None and len(names) != len(documents):
        raise UsageError(
            f"names must give one list of mentions per document: {len(names)} lists "
            f"for {len(documents)} documents"
        )


def _gap(a: _Story, b: _Story) -> int:
    """Days between the date ranges of two stories; 0 when they overlap or
    either is undated."""
    if None in (a.first_day, a.last_day, b.first_day, b.last_day):
        return 0
    return max(0, a.first_day - b.last_day, b.first_day - a.last_day)  # type: ignore[operator]


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
