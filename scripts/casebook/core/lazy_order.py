"""A ranking with some rows moved up by a bonus, read lazily.

A course draws from the outlet profile's ranking of a type (kept with the library), with the
items the course's theme concerns moved up by their theme score. Sorting the whole type again
for every course × outlet draw made course pages quadratic in the library: at 5,000 items, 471
draws made 344,000 theme matches. A draw of 3 needs a few dozen rows.
"""
from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator


def moved_up(ranking: list[tuple], bonus: Callable[[object], tuple[float, str]], most: float) -> Iterator[tuple]:
    """`ranking`: rows (-score, place, reasons, item) sorted by (-score, place). A row whose item
    gets a bonus (t > 0, why) becomes (-(score + t), place, reasons + why, item). Rows come out in
    (key, place) order, the order sorting them all would give, one at a time.

    `most` is at least every bonus. A row is given out once no unread row can come before it:
    unread rows score at most the current row's score plus `most` (float addition keeps order),
    so a row whose key is below that bound is next."""
    waiting: list[tuple] = []
    for row in ranking:
        neg, place, reasons, item = row
        bound = neg - most  # = -(score + most): the smallest key an unread row can have
        while waiting and waiting[0][0] < bound:
            yield heapq.heappop(waiting)
        if most:
            t, why = bonus(item)
            if t:
                row = (-(-neg + t), place, (*reasons, why) if why else reasons, item)
        heapq.heappush(waiting, row)
    while waiting:
        yield heapq.heappop(waiting)
