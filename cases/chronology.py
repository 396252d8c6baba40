"""The one order of what happened, and which report says where someone is now.

Reports come in dated as precisely as they are known, so their order is not a plain sort: a
report that starts later follows; where two ranges overlap, the one that starts later follows;
and staff can say outright that one report follows another where the dates cannot tell. The
same rule orders a person's status reports (their current status, the status bar, each case's
view of them, the exports) and the events of a timeline, where an answer also never comes before
its question.
"""

import heapq
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from datetime import date

from cases.enums import Verification

ESTABLISHED = frozenset({Verification.CONFIRMED, Verification.CREDIBLE})


def chronological[T](items: Iterable[T], *, key: Callable, ident: Callable[[T], Hashable], after: Callable) -> list[T]:
    """``items`` by ``key``, except that none comes before an item that ``after(item)`` names.

    ``after(item)`` returns the identifiers of items it follows; those not among ``items`` are ignored.
    Of the items whose predecessors are all placed, the smallest key goes next (Kahn's algorithm with
    a heap), so without constraints this is a plain sort. A cycle, which the forms refuse, cannot hang
    the page: its items are placed by key.
    """
    items = list(items)
    position = {ident(item): index for index, item in enumerate(items)}
    waiting_on = [0] * len(items)
    followers: list[list[int]] = [[] for _ in items]
    for index, item in enumerate(items):
        for predecessor in set(after(item)):
            if predecessor in position and position[predecessor] != index:
                waiting_on[index] += 1
                followers[position[predecessor]].append(index)
    keys = [key(item) for item in items]
    ready = [(keys[i], i) for i in range(len(items)) if not waiting_on[i]]
    heapq.heapify(ready)
    placed, done = [], [False] * len(items)
    while len(placed) < len(items):
        if not ready:
            rest = min((keys[i], i) for i in range(len(items)) if not done[i])
            waiting_on[rest[1]] = 0
            ready = [rest]
        _key, index = heapq.heappop(ready)
        if done[index]:
            continue
        done[index] = True
        placed.append(items[index])
        for follower in followers[index]:
            waiting_on[follower] -= 1
            if waiting_on[follower] == 0 and not done[follower]:
                heapq.heappush(ready, (keys[follower], follower))
    return placed


def report_key(report) -> tuple:
    # From the columns rather than ``report.when``, so that migrations can order reports too.
    return (report.date_start or date.min, report.date_end or date.max, report.created_at)


def order_reports(reports: Iterable) -> list:
    """Status reports (of one person) in the order they happened."""
    return chronological(reports, key=report_key, ident=lambda r: r.pk, after=lambda r: [r.follows_id])


def main_reports(reports) -> dict:
    """Each report's main report, by id: the report it is another account of (``differs_from``), followed to one
    that is no other account's, so that an account of an account stands beside the first report too. A loop of
    accounts, which the forms refuse, is cut at its first report in the order of ``reports``: no report drops
    out of sight."""
    differs = {report.pk: report.differs_from_id for report in reports}
    position = {pk: index for index, pk in enumerate(differs)}
    main = {}
    for pk in differs:
        path = [pk]
        while (next_pk := differs[path[-1]]) in differs:
            if next_pk in path:
                path.append(min(path[path.index(next_pk) :], key=position.__getitem__))
                break
            path.append(next_pk)
        main[pk] = path[-1]
    return main


def main_report_links(ordered: list, main: dict) -> list[tuple]:
    """(earlier, later) ids of one person's main reports, each after the one before it in ``ordered`` (their one
    order): the order a timeline keeps. Another account stands beside its main report and orders nothing: a
    report staff said follows an account follows that account's main report."""
    mains = [report.pk for report in ordered if main[report.pk] == report.pk]
    return list(zip(mains, mains[1:], strict=False))


def in_timeline_order(reports) -> list:
    """A case's status reports in the order its timeline shows them: main reports by their dates, each person's in
    their one order, and each other account right after the report it stands beside."""
    by_person = defaultdict(list)
    for report in reports:
        by_person[report.person_id].append(report)
    main = main_reports(reports)
    after = {
        later: [earlier]
        for people in by_person.values()
        for earlier, later in main_report_links(order_reports(people), main)
    }
    accounts = defaultdict(list)
    for report in reports:
        if main[report.pk] != report.pk:
            accounts[main[report.pk]].append(report)
    mains = [report for report in reports if main[report.pk] == report.pk]
    ordered = chronological(mains, key=report_key, ident=lambda r: r.pk, after=lambda r: after.get(r.pk, ()))
    return [shown for report in ordered for shown in (report, *accounts[report.pk])]


def _weight(report) -> int:
    if report.verification in ESTABLISHED:
        return 2
    return 0 if report.verification == Verification.DISPUTED else 1


def _primary(ordered: list) -> list:
    # Another account of the same event stands beside it, not after it.
    return [report for report in ordered if report.differs_from_id is None] or ordered


def current_report(ordered: list):
    """The report that says where someone is now, from their reports in order (or None).

    The latest of the best-established reports: an unverified or disputed report (an anonymous
    message that someone escaped) stays on the timeline but does not overwrite what is better
    established; it counts only while nothing better is known.
    """
    primary = _primary(ordered)
    if not primary:
        return None
    best = max(_weight(report) for report in primary)
    return [report for report in primary if _weight(report) == best][-1]


def status_bar_reports(ordered: list) -> list:
    """The reports a status bar is drawn from: up to the current one, so the bar ends where the status
    says; a disputed report only when nothing better is known."""
    current = current_report(ordered)
    if current is None:
        return []
    primary = _primary(ordered)
    floor = min(_weight(current), 1)
    return [report for report in primary[: primary.index(current) + 1] if _weight(report) >= floor]
