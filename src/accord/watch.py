"""Follow RSS and Atom feeds: poll them, add each new item to a store, and
bring the stories it joins up to date.

An item that carries only a teaser has its page fetched and read instead. A
feed that is down is reported and tried again at the next poll; it never stops
the others. Each document is committed as it is added, so stopping (Ctrl-C)
between or during polls loses nothing committed.
"""

from __future__ import annotations

import functools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

from accord.errors import InputError, UsageError
from accord.ingest import read_input
from accord.ingest.sources import MAX_BYTES, Input, display_name, fetch_url, megabytes, read_named
from accord.model import RawDocument, Skipped
from accord.runner import Failure, attempt
from accord.store import Store

__all__ = ["FETCH_DEADLINE", "FETCH_RETRIES", "FETCH_TIMEOUT", "Poll", "poll", "watch"]

#: A feed or page that does not answer within this many seconds is down for
#: this poll; it is tried once more within the poll (then at the next poll).
FETCH_TIMEOUT = 15.0
FETCH_RETRIES = 1
#: The most a feed or a page may take in all (retries included), in seconds.
FETCH_DEADLINE = 45.0
#: Called with one line for the user (a feed that is down, an item not read).
Warn = Callable[[str], None]


@dataclass(slots=True)
class Poll:
    """What one poll did: its number, the new documents, the stories they
    touched with their counts, and the feeds that were down."""

    number: int
    new: list[str] = field(default_factory=list)
    known: int = 0
    stories: dict[str, dict[str, int]] = field(default_factory=dict)
    down: list[str] = field(default_factory=list)
    #: The stories that gained conflicts in this poll: story id, title, how
    #: many conflicts before and now (``watch --alert`` prints each as JSON).
    alerts: list[dict[str, object]] = field(default_factory=list)

    def line(self) -> str:
        """The poll in one line, as ``accord watch`` prints it."""
        touched = ", ".join(
            f"{sid} ({c['documents']} docs, {c['facts']} facts, {c['conflicts']} conflicts)"
            for sid, c in self.stories.items()
        )
        down = f"; {len(self.down)} feed(s) down" if self.down else ""
        return (f"poll {self.number}: {len(self.new)} new, {self.known} known, "
                f"{len(self.stories)} stories touched{': ' + touched if touched else ''}{down}")


def _fetch(location: str) -> tuple[bytes, str | None]:
    """The bytes of a feed the user named (a URL or a file) and its URL.
    A file is read as every input is (a FIFO without blocking, for at most
    the inputs' timeout without data; a device refused; at most
    ``MAX_BYTES``). Raises InputError when it cannot be had."""
    if location.startswith(("http://", "https://")):
        return fetch_url(location, timeout=FETCH_TIMEOUT, retries=FETCH_RETRIES, deadline=FETCH_DEADLINE), location
    try:
        info = os.stat(location)
    except OSError as error:
        raise InputError(display_name(location), f"cannot read file ({error.strerror or error})") from error
    read = read_named(Path(location), info)
    if isinstance(read, InputError):
        raise read
    if read.data is None:
        raise InputError(read.source, f"feed too large (over {megabytes(MAX_BYTES)} MB)")
    return read.data, None


def _items(feed: str, store: Store, warn: Warn, known: list[str], *,
           allow_private: bool = False) -> Iterator[RawDocument | Skipped]:
    """The documents of a feed's items that the store may not hold yet, each
    teaser replaced by its page (teasers already read go to ``known``).
    Raises InputError when the feed is down."""
    data, url = _fetch(feed)
    for entry in read_input(Input(feed, data=data, url=url)):
        if isinstance(entry, Skipped):
            yield entry
        elif entry.format == "feed-teaser" and entry.url:
            # Only the first poll that sees a teaser fetches its page.
            if store.knows(entry.source):
                known.append(entry.source)
                continue
            # Under the runner's guard: a page that breaks a reader is one
            # item's failure, not the feed's.
            page = attempt(entry.source, "read", functools.partial(_page, entry, warn, allow_private=allow_private))
            if isinstance(page, Failure):
                warn(f"accord: skipped {entry.source}: {page.skipped.reason}; trying again next poll")
            elif page is not None:
                yield page
        else:
            yield entry


def _page(teaser: RawDocument, warn: Warn, *, allow_private: bool = False) -> RawDocument | None:
    """The document of the page a teaser links to, named after the feed item
    and keeping the item's metadata where the page has none; None (and a
    warning) when the page cannot be read, so the next poll tries again.
    The link is the feed's word, not the user's: it is fetched only from a
    public address (checked after DNS and on every redirect) unless
    ``allow_private``; a refused link keeps the teaser, with a warning."""
    assert teaser.url is not None
    if not teaser.url.lower().startswith(("http://", "https://")):
        # A link inside a feed is the feed's word, not the user's: it is
        # fetched over http(s) only, never read as a local path. The teaser
        # is kept as what the feed says.
        warn(f"accord: the link of {teaser.source} is not http(s); its page is not fetched, the teaser is kept")
        return teaser
    try:
        data, url = fetch_url(teaser.url, timeout=FETCH_TIMEOUT, retries=FETCH_RETRIES, deadline=FETCH_DEADLINE,
                              public_only=not allow_private), teaser.url
    except InputError as error:
        if "private address" in error.reason:
            warn(f"accord: the page of {teaser.source} is not fetched: {error.reason}; the teaser is kept")
            return teaser
        warn(f"accord: cannot read the page of {teaser.source}: {error.reason}; trying again next poll")
        return None
    for entry in read_input(Input(teaser.url, data=data, url=url)):
        if isinstance(entry, RawDocument):
            entry.source = teaser.source
            entry.title = entry.title or teaser.title
            entry.outlet = entry.outlet or teaser.outlet
            entry.published = entry.published or teaser.published
            entry.authors = entry.authors or list(teaser.authors)
            entry.url = entry.url or teaser.url
            return entry
        warn(f"accord: cannot read the page of {teaser.source}: {entry.reason}; trying again next poll")
    return None


def poll(feeds: Sequence[str], store: Store, number: int, *, warn: Warn, allow_private: bool = False) -> Poll:
    """Poll every feed once, add what is new to the store, and bring the
    dossiers of the stories it touched up to date. Links inside the feeds go
    to public addresses only unless ``allow_private``."""
    result = Poll(number)
    for feed in feeds:
        read_before: list[str] = []
        try:
            entries = list(_items(feed, store, warn, read_before, allow_private=allow_private))
        except InputError as error:
            result.down.append(feed)
            store.record_poll(feed, ok=False, new=0, known=0, error=error.reason)
            warn(f"accord: feed {feed} is down ({error.reason}); trying again next poll")
            continue
        except Exception as error:  # noqa: BLE001 - one feed's failure never stops the others
            result.down.append(feed)
            warn(f"accord: feed {feed} could not be read (internal error: {type(error).__name__}: {_first_line(error)}); trying again next poll")
            continue
        for entry in entries:
            if isinstance(entry, Skipped):
                warn(f"accord: skipped {entry.source}: {entry.reason}")
        summary = store.add_read(entries)
        store.record_poll(feed, ok=True, new=len(summary.new), known=len(summary.known) + len(read_before))
        result.new += summary.new
        result.known += len(summary.known) + len(read_before)
        for entry in summary.skipped:
            if entry not in entries:  # skipped by the store (a cleaner's internal error)
                warn(f"accord: skipped {entry.source}: {entry.reason}")
        for story_id in summary.stories:
            # One story's dossier failing is that story's: the poll goes on.
            before = _cached_conflicts(store, story_id)
            version = _last_version(store, story_id)
            counts = attempt(story_id, "dossier", functools.partial(store.counts, story_id))
            if isinstance(counts, Failure):
                warn(f"accord: story {story_id} skipped: {counts.skipped.reason}")
                continue
            result.stories[story_id] = counts
            now = counts["conflicts"]
            # A conflict is new when the last version did not hold it (one
            # conflict can replace another with the count unchanged); a story
            # with no version before this poll gains all it has.
            new = _new_conflicts(store, story_id, version) if version is not None else None
            if (new if new is not None else now > before):
                alert: dict[str, object] = {"poll": number, "story": story_id, "title": store.story(story_id).title,
                                            "conflicts_before": before, "conflicts": now}
                if new:
                    alert["since_version"] = version
                    alert["new_conflicts"] = [c["topic"] for c in new]
                result.alerts.append(alert)
    return result


def _cached_conflicts(store: Store, story_id: str) -> int:
    """How many conflicts the story's cached dossier held before this poll's
    documents (0 for a story new in this poll): watch brings every touched
    story's dossier up to date, so the cached row is the last poll's."""
    row = store._db.execute("SELECT conflicts FROM dossiers WHERE story = ?",
                            (store.resolve(story_id),)).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _last_version(store: Store, story_id: str) -> int | None:
    """The number of the story's latest dossier version, None when it has
    none yet (a story new in this poll, or a store without versions)."""
    try:
        versions = store.versions(story_id)
    except UsageError:
        return None
    return int(versions[-1]["version"]) if versions else None


def _new_conflicts(store: Store, story_id: str, since: int) -> list[dict[str, object]] | None:
    """The conflicts of the story's dossier that its version ``since`` did
    not hold; None when that version cannot be read (counts decide then)."""
    try:
        changes = store.dossier_changes(story_id, since)
    except UsageError:  # the version went with a merge of stories
        return None
    return list(changes["conflicts"]["new"])


def _first_line(error: BaseException) -> str:
    return str(error).strip().split("\n", 1)[0][:160]


def watch(
    feeds: Sequence[str],
    store: Store,
    *,
    every: float = 300.0,
    max_polls: int | None = None,
    report: Callable[[Poll], None] = lambda p: None,
    warn: Warn = lambda line: None,
    allow_private: bool = False,
) -> int:
    """Poll the feeds every ``every`` seconds (``max_polls`` times, or until
    interrupted) and return how many polls were made. KeyboardInterrupt
    propagates; what was committed before it stays in the store."""
    number = 0
    while max_polls is None or number < max_polls:
        number += 1
        started = time.monotonic()
        report(poll(feeds, store, number, warn=warn, allow_private=allow_private))
        if max_polls is not None and number >= max_polls:
            break
        time.sleep(max(0.0, every - (time.monotonic() - started)))
    return number
