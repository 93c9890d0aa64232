"""The registry of outlets: which site is which outlet, who owns it, and what
kind of source it is.

Independence needs more than a name: two outlets of one owner are one origin,
and an encyclopedia, an aggregator or a press release is not a news report at
all. ``outlets.csv`` (shipped with accord; its header says as of when and from
what) lists the sites, canonical names, owners, countries, kinds and aliases of
several hundred English-language outlets. A user extends or overrides it with a
file of the same columns (CSV or JSON): ``registry_for(path)``, the ``outlets=``
argument of the API, ``--outlets FILE`` on the command line, or the
``ACCORD_OUTLETS`` environment variable.

Lookups: ``by_url`` takes the longest known suffix of a URL's host
(``edition.cnn.com`` is cnn.com, ``finance.yahoo.com`` is its own entry);
``by_name`` takes a name as bylines, datelines and source lists write it
("CNN (Online News)", "The Associated Press", "NYT", "usa-today").
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Iterator, Mapping
from urllib.parse import urlsplit

from accord.errors import UsageError
from accord.model import RawDocument

from .sources import read_capped

#: The most an outlets registry file may hold (the shipped one is ~100 KB).
MAX_OUTLETS_BYTES = 64 << 20

__all__ = [
    "COLUMNS",
    "KINDS",
    "ORIGIN_KINDS",
    "Outlet",
    "OutletRegistry",
    "default_registry",
    "read_outlets",
    "registry_for",
    "with_outlet",
]

#: The columns of a registry file, in order.
COLUMNS = ("site", "name", "owner", "country", "kind", "aliases", "lean")  # lean: optional, the user's own
#: What a source can be.
KINDS = (
    "wire", "newspaper", "broadcaster", "magazine", "digital", "blog",
    "encyclopedia", "aggregator", "press-release", "government", "research",
)
#: Kinds that report news of their own, and so can be an independent origin.
#: An encyclopedia or an aggregator passes on what others reported; a press
#: release, a government or a research publication is what the news reports on,
#: so beside one report of it it confirms nothing independently.
ORIGIN_KINDS = frozenset({"wire", "newspaper", "broadcaster", "magazine", "digital", "blog"})
#: The environment variable naming a user's registry file.
ENVIRONMENT = "ACCORD_OUTLETS"

# Spellings of kinds that people write, for user files.
_KIND_SPELLINGS = {
    "press release": "press-release", "press-release wire": "press-release", "pr": "press-release",
    "opinion": "blog", "blog/opinion": "blog", "tv": "broadcaster", "radio": "broadcaster",
    "agency": "wire", "news agency": "wire", "online": "digital", "website": "digital",
}
# Second-level domains under which a registrable domain has three labels.
_SECOND_LEVEL = frozenset({
    "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "co.nz", "org.nz", "co.za", "org.za",
    "co.jp", "or.jp", "ne.jp", "co.kr", "or.kr", "com.pk", "com.my", "co.ke", "co.ug", "com.tr", "gov.sa",
    "gov.ph", "com.cn", "com.hk", "com.sg", "co.in", "com.ar", "com.br", "com.mx", "co.il", "com.ng",
})
# "(Online News)", "(Opinion)": what a source list adds after an outlet's name.
# "(?<!\s)": a search starts at the first space of a run, not at each (quadratic on long runs)
_QUALIFIER = re.compile(r"(?<!\s)\s*+[(\[][^()\[\]]*+[)\]]\s*+$")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
# A stem shorter than this ("ap", "ft", "news") is too common a string to name an outlet by.
_MIN_STEM = 5


@dataclass(frozen=True, slots=True)
class Outlet:
    """One outlet: its canonical name, its sites, its owner (the company or
    group that owns and runs it), its home country, what kind of source it is,
    and the other names it goes by."""

    name: str
    sites: tuple[str, ...] = ()
    owner: str | None = None
    country: str | None = None
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    #: A lean or rating ("left", "center", "right", a score), only from a
    #: registry file the user gives: the bundled one carries none (see README).
    lean: str | None = None

    @property
    def originates(self) -> bool:
        """Whether the outlet's reports can be an independent origin of a fact
        (its kind reports news, or its kind is not known)."""
        return self.kind is None or self.kind in ORIGIN_KINDS

    def to_dict(self) -> dict[str, Any]:
        return {"site": list(self.sites), "name": self.name, "owner": self.owner, "country": self.country,
                "kind": self.kind, "aliases": list(self.aliases), "lean": self.lean}


class OutletRegistry:
    """Outlets looked up by URL or by name. Where two outlets claim one site or
    one name, the first listed keeps it."""

    def __init__(self, outlets: Iterable[Outlet], *, as_of: str | None = None) -> None:
        self.outlets: tuple[Outlet, ...] = tuple(outlets)
        self.as_of = as_of
        self._sites: dict[str, Outlet] = {}
        self._names: dict[str, Outlet] = {}
        self._compact: dict[str, Outlet] = {}
        for outlet in self.outlets:
            for site in outlet.sites:
                self._sites.setdefault(site, outlet)
            for name in (outlet.name, *outlet.aliases):
                key = _name_key(name)
                if key:
                    self._names.setdefault(key, outlet)
        # Names written without spaces or with hyphens ("TheBlaze", "usa-today")
        # meet the outlet's names and its sites' stems with spaces taken out.
        for outlet in self.outlets:
            for name in (outlet.name, *outlet.aliases):
                for key in _compact_keys(name):
                    self._compact.setdefault(key, outlet)
        for outlet in self.outlets:
            for site in outlet.sites:
                stem = _stem(site)
                if stem and len(stem) >= _MIN_STEM:
                    self._compact.setdefault(stem, outlet)

    def __len__(self) -> int:
        return len(self.outlets)

    def __iter__(self) -> Iterator[Outlet]:
        return iter(self.outlets)

    def by_url(self, url: str | None) -> Outlet | None:
        """The outlet whose site the URL (or bare host name) is on: its host or
        the longest suffix of it that is a known site. A Wayback Machine URL
        is looked up by the URL it archives."""
        if not url:
            return None
        try:
            parts = urlsplit(url.strip() if "//" in url else "//" + url.strip())
            host = (parts.hostname or "").rstrip(".")
        except ValueError:  # "http://[broken" is no URL of any outlet
            return None
        if host == "web.archive.org":
            archived = re.match(r"/web/[^/]*/(.+)", parts.path + (f"?{parts.query}" if parts.query else ""))
            return self.by_url(archived.group(1)) if archived else None
        labels = host.split(".")
        for i in range(len(labels) - 1):
            outlet = self._sites.get(".".join(labels[i:]))
            if outlet:
                return outlet
        return None

    def by_name(self, name: str | None) -> Outlet | None:
        """The outlet a name means: its canonical name or an alias, compared
        without case, accents, punctuation or a leading "the"; then without a
        trailing qualifier in brackets ("CNN (Online News)"); then written
        solid ("TheBlaze", "usa-today" for usatoday.com). A name that is a
        host name ("nytimes.com") is looked up as a site."""
        if not name or not name.strip():
            return None
        name = name.strip()
        if re.fullmatch(r"(?:www\.)?[\w-]+(?:\.[\w-]+)+", name) and not name.replace(".", "").isdigit():
            outlet = self.by_url(name)
            if outlet:
                return outlet
        forms = [name]
        bare = _QUALIFIER.sub("", name)
        if bare and bare != name:
            forms.append(bare)
        for form in forms:
            outlet = self._names.get(_name_key(form))
            if outlet:
                return outlet
        for form in forms:
            for key in _compact_keys(form):
                outlet = self._compact.get(key)
                if outlet:
                    return outlet
        return None

    def find(self, *, name: str | None = None, url: str | None = None) -> Outlet | None:
        """The outlet of a document that names itself ``name`` and stands at
        ``url``. The site decides, as the more exact of the two, unless it is an
        aggregator's: then the named outlet is the one whose article it carries."""
        by_url = self.by_url(url)
        by_name = self.by_name(name)
        if by_url is None or by_url.kind == "aggregator" and by_name is not None:
            return by_name or by_url
        return by_url

    def extended(self, rows: Iterable[Mapping[str, Any]], *, as_of: str | None = None) -> "OutletRegistry":
        """A registry with ``rows`` (as ``read_outlets`` gives them) added or
        overriding outlets: a row that names a known site, or the name of a
        known outlet, replaces the columns it has of that outlet (an empty cell
        clears one; a column the row lacks is kept). Other rows are new outlets,
        listed first so that their sites and names win."""
        changed: dict[int, Outlet] = {}  # id of a shipped outlet -> the outlet as the rows make it
        added: list[Outlet] = []
        for row in rows:
            fields = dict(row)
            known = next((self._sites[s] for s in fields.get("sites", ()) if s in self._sites), None)
            if known is None and fields.get("name"):
                known = self._names.get(_name_key(fields["name"]))
            if known is None:
                if not fields.get("name"):
                    raise UsageError(f"outlet row {row!r} has no name and no known site")
                added.append(Outlet(**fields))
                continue
            current = changed.get(id(known), known)
            if "name" in fields and fields["name"] != current.name and current.name not in fields.get("aliases", current.aliases):
                # The old name still names it (in bylines written before a rename).
                fields["aliases"] = (*fields.get("aliases", current.aliases), current.name)
            changed[id(known)] = replace(current, **fields)
        # Overridden and new outlets come first, so that their sites and names win.
        first = [*added, *(changed[id(o)] for o in self.outlets if id(o) in changed)]
        rest = [o for o in self.outlets if id(o) not in changed]
        return OutletRegistry([*first, *rest], as_of=as_of or self.as_of)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return text.replace("&", " and ").replace("'", "").replace("’", "").replace(".", "")


def _name_key(name: str) -> str:
    words = _NOT_WORD.sub(" ", _fold(name)).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _compact_keys(name: str) -> set[str]:
    key = _name_key(name)
    solid = _NOT_WORD.sub("", _fold(name))
    return {k for k in (key.replace(" ", ""), solid) if len(k) >= _MIN_STEM}


def _stem(site: str) -> str | None:
    """The name part of a registrable domain ("washingtonpost" of
    washingtonpost.com), None for a host below one (news.yahoo.com)."""
    labels = site.split(".")
    registrable = 3 if ".".join(labels[-2:]) in _SECOND_LEVEL else 2
    if len(labels) != registrable:
        return None
    return _NOT_WORD.sub("", labels[0])


def _site(value: str) -> str:
    """A site as the registry keys it: the host of a URL or host name, lower
    case, without "www."."""
    value = value.strip().lower()
    try:
        host = urlsplit(value if "//" in value else "//" + value).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.").rstrip(".")


def _split(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, (list, tuple)) else str(value).split("|")
    return tuple(str(v).strip() for v in items if str(v).strip())


def _row(raw: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The fields of one registry row that it has, checked and normalised."""
    fields: dict[str, Any] = {}
    for column, value in raw.items():
        column = (column or "").strip().lower()
        if column in ("site", "sites", "domain", "domains"):
            fields["sites"] = tuple(dict.fromkeys(s for s in (_site(v) for v in _split(value)) if s))
        elif column == "aliases":
            fields["aliases"] = _split(value)
        elif column in ("name", "owner", "country", "lean"):
            text = str(value).strip() if value is not None else ""
            fields[column] = (text.upper() if column == "country" else text) or None
        elif column == "kind":
            kind = str(value).strip().lower() if value is not None else ""
            kind = _KIND_SPELLINGS.get(kind, kind)
            if kind and kind not in KINDS:
                raise UsageError(f"{where}: unknown kind {value!r} (one of {', '.join(KINDS)})")
            fields["kind"] = kind or None
    if "name" in fields and fields["name"] is None:
        del fields["name"]
    return fields


def read_outlets(path: str | os.PathLike[str]) -> tuple[list[dict[str, Any]], str | None]:
    """The rows of a registry file and the date it says it holds ("as_of"):
    CSV with a header of ``COLUMNS`` (lines starting with "#" are comments; a
    comment "# as_of: 2026-11" dates it), or JSON, a list of objects with those
    keys or an object {"as_of": ..., "outlets": [...]}; sites and aliases may
    be lists or "|"-separated. Raises UsageError for a file that cannot be read."""
    where = str(path)
    try:
        # Capped, and a regular file only: --outlets /dev/zero read without end (issue 25).
        text = read_capped(path, MAX_OUTLETS_BYTES).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error.__class__.__name__
        raise UsageError(f"outlets file {where}: cannot be read ({reason})") from None
    return _parse(text, where)


def _parse(text: str, where: str) -> tuple[list[dict[str, Any]], str | None]:
    if text.lstrip()[:1] in ("[", "{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise UsageError(f"outlets file {where}: not valid JSON ({error.msg} at line {error.lineno})") from None
        as_of = data.get("as_of") if isinstance(data, dict) else None
        records = data.get("outlets") if isinstance(data, dict) else data
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise UsageError(f"outlets file {where}: expected a list of outlet objects")
        return [_row(r, f"{where} outlet {n}") for n, r in enumerate(records, 1)], as_of
    as_of = None
    lines = []
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            match = re.match(r"\s*#\s*as[_ ]of\s*:\s*(\S+)", line, re.I)
            as_of = as_of or (match.group(1) if match else None)
            continue
        if line.strip():
            lines.append(line)
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    if not reader.fieldnames or not {"name", "site"} & {(f or "").strip().lower() for f in reader.fieldnames}:
        raise UsageError(f"outlets file {where}: no header with the columns {', '.join(COLUMNS)}")
    return [_row({k: v for k, v in r.items() if k is not None}, f"{where} line {n}") for n, r in enumerate(reader, 2)], as_of


@lru_cache(maxsize=1)
def default_registry() -> OutletRegistry:
    """The registry shipped with accord (loaded once)."""
    text = resources.files("accord.ingest").joinpath("outlets.csv").read_text(encoding="utf-8")
    rows, as_of = _parse(text, "accord outlets.csv")
    return OutletRegistry((Outlet(**row) for row in rows), as_of=as_of)


@lru_cache(maxsize=8)
def _extended(path: str, _mtime: int, _size: int) -> OutletRegistry:
    rows, as_of = read_outlets(path)
    return default_registry().extended(rows, as_of=as_of)


def registry_for(outlets: "OutletRegistry | str | os.PathLike[str] | None" = None) -> OutletRegistry:
    """The registry to use: ``outlets`` itself when it is one; the shipped
    registry extended by the file ``outlets`` names; with None, by the file that
    the ``ACCORD_OUTLETS`` environment variable names, or the shipped registry
    alone. Raises UsageError for a file that is missing or cannot be read."""
    if isinstance(outlets, OutletRegistry):
        return outlets
    path = outlets if outlets is not None else os.environ.get(ENVIRONMENT) or None
    if path is None:
        return default_registry()
    try:
        stat = os.stat(path)
    except OSError:
        raise UsageError(f"outlets file {os.fspath(path)}: not found") from None
    return _extended(os.path.abspath(path), stat.st_mtime_ns, stat.st_size)


def with_outlet(raw: RawDocument, registry: OutletRegistry) -> RawDocument:
    """``raw`` with the registry's canonical name, owner, kind, country (and
    lean, when the registry has one) of its outlet
    when its outlet name or its URL is known (the document itself unchanged
    otherwise)."""
    outlet = registry.find(name=raw.outlet, url=raw.url)
    if outlet is None:
        return raw
    return replace(raw, outlet=outlet.name, owner=outlet.owner, outlet_kind=outlet.kind,
                   outlet_country=outlet.country, outlet_lean=outlet.lean)
