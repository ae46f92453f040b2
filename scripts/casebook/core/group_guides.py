"""The guides of the outlet's own customer groups, for a course on special customers (day 3,
《特殊客户群体服务流程》): the outline goes group by group, so its guides are taken down the
outlet's customer groups, one guide of each (then a second), before any guide chosen by score.

A group's own guide is the one written for that group, not the best-scoring guide that merely
lists it: a guide for fraud victims lists 老年客户 among four groups and outscored the elderly
customers' guide on a profile's other terms. In order: the group is the guide's first customer
group; the course lists it as related; its title names the group; it is a 特殊客户 guide; it
serves fewer groups; then its score. So 新市民 gets 开户尽职调查 (a 特殊业务 guide, written for
them first, as the outline's 新市民 paragraph says), 残障客户 the hearing-impaired guide before
the ones it shares with 老年客户.

Pure: rows (score, reasons, item) in, rows out; no Library, so selection.py can use it as is.
"""
from __future__ import annotations

GENERIC_GROUP = "普通客户"  # every outlet has them: no guide of its own, and it hardly weighs


def stem(value: str) -> str:
    """老年客户 → 老年, 孕妇及带婴幼儿客户 → 孕妇: the word a title or a body would use."""
    value = value.removesuffix("客户")
    return value.split("及")[0] if "及" in value else value


def group_guide(rows: list, group: str, related: list[str]) -> tuple | None:
    """The group's own guide among rows (score, reasons, item), or None when none lists it."""
    word = stem(group)

    def own(row: tuple) -> tuple:
        meta = row[2].meta
        groups = list(meta.customer_groups)
        return (groups[:1] == [group], row[2].id in related, len(word) >= 2 and word in meta.title,
                _special(row), -len(groups), row[0])

    # (a guide that only lists the group among others is not its own: 营业终了 lists 企业客户)
    listing = [r for r in rows if group in r[2].meta.customer_groups and any(own(r)[:3])]
    return max(listing, key=own) if listing else None


def group_rows(rows: list, places: int, groups: list[str], related: list[str]) -> list:
    """Up to `places` rows: the own guide of each customer group of the outlet, first group
    first; then, while places are left, a second guide of each group among those written for it
    first (残障客户: hearing, then sight or wheelchairs; 老年客户: the elderly, then 代办)."""
    head: list = []
    for second in (False, True):
        for group in groups:
            if len(head) == places:
                return head
            if group == GENERIC_GROUP:
                continue
            rows_left = [r for r in rows if r not in head and (not second or r[2].meta.customer_groups[:1] == [group])]
            best = group_guide(rows_left, group, related)
            head += [best] if best is not None else []
    return head


def special_first(ranked: list, count: int, groups: list[str], related: list[str]) -> list:
    """A course on special customers: its guides are the outlet's groups' own guides
    (group_rows), as many as there are, in the order of the groups (the evening opens on the
    first group's), then the best by score; at least one is a 特殊客户 guide, also for an outlet
    of 企业客户 and 贵宾客户 only (the evening is on special customers, and every outlet has some).
    `ranked`: rows (score, reasons, item), best first."""
    head = group_rows(ranked, count, groups, related)
    if count > len(head) and not any(_special(r) for r in head):
        head += [r for r in ranked if _special(r)][:1]
    return head + [r for r in ranked if r not in head]


def _special(row: tuple) -> bool:
    return getattr(row[2].meta, "scope", "") == "特殊客户"
