"""Grouping by the strongest links first: the shared way facts and statements
gather the passages of several documents."""

from __future__ import annotations

from typing import Callable, Iterable

__all__ = ["link_strongest_first"]


def link_strongest_first(
    count: int,
    links: Iterable[tuple[float, int, int]],
    may_join: Callable[[list[int], list[int]], bool],
) -> list[list[int]]:
    """Groups of the items ``0..count-1``: links ``(strength, i, j)`` are taken
    strongest first, and two groups join when ``may_join(group_of_i,
    group_of_j)`` allows it. Every item is in exactly one group; groups are in
    the order of their first item."""
    group_of = list(range(count))
    members: dict[int, list[int]] = {i: [i] for i in range(count)}
    for _strength, i, j in sorted(links, key=lambda link: (-link[0], link[1], link[2])):
        gi, gj = group_of[i], group_of[j]
        if gi == gj or not may_join(members[gi], members[gj]):
            continue
        for k in members[gj]:
            group_of[k] = gi
        members[gi].extend(members.pop(gj))
    return sorted((sorted(group) for group in members.values()), key=lambda group: group[0])
