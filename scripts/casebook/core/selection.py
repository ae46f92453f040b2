"""What each evening of the coaching week draws for one outlet: a documented policy, pure.

The policy (README「培训包选材规则」shows it as a table):

1. The programme first. Where the programme names what an evening drills, that is drawn:
   day 1's 通关 drills 柜员七步曲 and 大堂服务流程; day 4 drills the emergency plans the
   programme's day-4 text names (客户自身原因：突发疾病、身体不适、寻衅滋事；我行原因：系统设备
   故障、业务差错、投诉升级；第三方原因：客户争执、拍照录音、媒体采访、抢劫). Standards are
   drawn by the words of the programme and the course (objectives, drill line, `related`),
   never by how many roles they list.
2. Then the outlet. Complaints, guides, stories and the extra emergency plans are ranked by
   the outlet's profile: its customer groups (first one weighs most; 普通客户 hardly counts),
   its peak periods, its recent complaints. A value counts fully when the item's field carries
   it, half when only the item's text mentions it.
3. The trainer's `overrides` come first and replace only the types they name (naming guides
   keeps the drawn complaints and story); an item of a type the course does not draw is added.
4. Once in the week. An item drawn on an earlier evening is not drawn again while another
   item fits; when a trainer's `overrides` name it again, the later evening refers back
   (`Selection.first_day`).
5. Every choice carries its reason in the outlet's terms, for the pack's 选材说明.

Pure: Library + Outlet (+ Programme) in, selections out. Ties break on the newest `updated`,
then the id, so the same inputs always give the same draw.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from .group_guides import GENERIC_GROUP, group_rows, special_first, stem as _stem
from .lazy_order import moved_up
from .library import Library
from .model import VOCAB_LABELS, Course, Outlet, Programme
from .validate import Item

# The plans the programme's day-4 text names, in its order: (label, words that identify one).
# A plan matches when its `incident`, title or tags contain one of the words.
PROGRAMME_PLANS: dict[int, list[tuple[str, tuple[str, ...]]]] = {
    4: [
        ("突发疾病", ("突发疾病",)),
        ("身体不适", ("身体不适",)),
        ("寻衅滋事", ("寻衅滋事",)),
        ("系统设备故障", ("系统故障", "系统设备故障", "业务系统故障")),
        ("机具故障", ("机具故障", "自助设备")),
        ("业务差错", ("业务差错", "长短款")),
        ("投诉升级", ("投诉升级", "引发投诉")),
        ("客户争执", ("争执",)),
        ("拍照录音", ("拍照", "录音")),
        ("媒体采访", ("媒体采访",)),
        ("抢劫", ("抢劫",)),
    ],
}
# How a course's `draws.match` fields read in Chinese (the site's course pages show them): as
# everywhere, but for the fields matched against the outlet's peak periods and recent complaints.
FIELD_LABELS = {**VOCAB_LABELS, "periods": "高峰时段", "root_cause": "近期投诉", "tags": "近期投诉"}
RISK_PLANS = 2  # day 4: plans for the outlet's own risks, beyond the ones the programme names
# Substrings too common to tie a standard to a sentence of the programme ("服务流程" is in
# 特殊客户服务流程 as much as in 大堂服务流程).
GENERIC_NAMES = {"服务流程", "服务规范", "检查标准", "验收标准", "服务标准", "营业网点"}


@dataclass(frozen=True)
class Selection:
    item: Item
    reason: str
    by_trainer: bool = False
    score: float = 0.0
    first_day: int | None = None  # printed on an earlier evening: this one refers back


# --- the outlet's profile as weighted terms ---------------------------------------------------

@dataclass(frozen=True)
class Term:
    facet: str  # 客群 / 高峰时段 / 近期投诉
    value: str
    weight: float
    label: str  # how the 选材说明 names it


def profile_terms(outlet: Outlet) -> list[Term]:
    p = outlet.profile
    terms = []
    for rank, group in enumerate(p.customer_groups):
        w = 0.15 if group == GENERIC_GROUP else 1.0 / (1 + rank)
        terms.append(Term("customer_groups", group, w, f"本网点第{rank + 1}客群“{group}”"))
    for rank, period in enumerate(p.peak_periods):
        terms.append(Term("periods", period, 0.6 / (1 + rank), f"高峰时段“{period}”"))
    for rank, cause in enumerate(p.recent_complaints):
        terms.append(Term("root_cause", cause, 1.2 / (1 + rank), f"近期投诉“{cause}”"))
    return terms


def _fields(item: Item, facet: str) -> list[str]:
    meta = item.meta
    out: list[str] = []
    if facet == "customer_groups":
        out += meta.customer_groups
    elif facet == "periods":
        out += getattr(meta, "periods", []) or []
        out += meta.tags
    elif facet == "root_cause":
        out += getattr(meta, "root_cause", []) or []
        out += meta.tags
    return out


def match(item: Item, terms: list[Term], memo: dict | None = None) -> tuple[float, list[str]]:
    """The item's score for the outlet and the reasons, strongest first. `memo` (from
    _memo_for: the library's, for these terms) answers an item already scored."""
    hit = memo.get(item.id) if memo is not None else None
    if hit is not None:
        return hit[0], list(hit[1])
    text = f"{item.meta.title}\n{item.meta.summary}\n{item.body}"
    found: list[tuple[float, str]] = []
    for t in terms:
        if t.value in _fields(item, t.facet):
            found.append((t.weight, f"{t.label}（条目适用）" if t.value != GENERIC_GROUP else ""))
        elif len(_stem(t.value)) >= 2 and _stem(t.value) in text and t.value != GENERIC_GROUP:
            found.append((t.weight / 2, f"{t.label}（正文涉及）"))
    found.sort(key=lambda f: -f[0])
    score, reasons = sum(w for w, _ in found), tuple(r for _, r in found if r)
    if memo is not None:
        memo[item.id] = (score, reasons)
    return score, list(reasons)


def _pool(lib: Library, kind: str) -> list[Item]:
    """The items of a type, newest first (ties by id): every draw's order among equals."""
    key = ("selection.pool", kind)
    if key not in lib._cache:
        lib._cache[key] = sorted(lib.of_type(kind), key=lambda i: (-i.meta.updated.toordinal(), i.id))
    return lib._cache[key]


def _ranking(lib: Library, terms: list[Term], memo: dict, kind: str) -> list[tuple]:
    """(-score, place in the pool, reasons, item) for every item of a type, best first, for a
    profile (once per library)."""
    key = ("selection.ranking", tuple(terms), kind)
    if key not in lib._cache:
        rows = []
        for n, i in enumerate(_pool(lib, kind)):
            s, r = match(i, terms, memo)
            rows.append((-(s + 0.0), n, tuple(r), i))
        lib._cache[key] = sorted(rows)
    return lib._cache[key]


def _with_reasons(lib: Library, terms: list[Term], memo: dict, kind: str) -> list[tuple[float, tuple, Item]]:
    """(score, reasons, item) for the items of a type the profile has a reason for, in pool order."""
    key = ("selection.with_reasons", tuple(terms), kind)
    if key not in lib._cache:
        lib._cache[key] = [(s, tuple(r), i) for i in _pool(lib, kind) for s, r in [match(i, terms, memo)] if r]
    return lib._cache[key]


def _intents(lib: Library, course: Item, day_text: str, drill_text: str) -> list[tuple[float, str, Item]]:
    """(intent score, its reason, item) for every standard, in pool order: the same for every outlet."""
    key = ("selection.intents", course.id, day_text, drill_text)
    if key not in lib._cache:
        lib._cache[key] = [(*intent_score(i, course, day_text, drill_text), i) for i in _pool(lib, "standard")]
    return lib._cache[key]


def _memo_for(lib: Library, terms: list[Term]) -> dict:
    """Scores by item id for one profile, kept with the library (and gone with it): every course
    page and every evening of every outlet scores the same items against the same few profiles
    (at 5,000 items, 470 draws read the items' text 850,000 times without it)."""
    return lib._cache.setdefault(("selection.match", tuple(terms)), {})


RELATED_THEME = 1.0  # an item the course lists as related


def group_theme(rank: int) -> float:
    """An item of the course's customer group at this rank (0 first)."""
    return 0.5 / (1 + rank)


def theme_match(item: Item, course: Item) -> tuple[float, str]:
    """The course's own theme: its customer groups (特殊客户) and the items it lists as related."""
    meta = course.meta
    if item.id in meta.related:
        return RELATED_THEME, f"课程《{meta.title}》列为相关条目"
    for rank, group in enumerate(meta.customer_groups):
        if group in item.meta.customer_groups and group != GENERIC_GROUP:
            return group_theme(rank), f"课程主题客群“{group}”"
    return 0.0, ""


def _theme_bound(course: Item) -> float:
    """At least theme_match's score for any item and this course (moved_up's bound)."""
    meta = course.meta
    ranks = [r for r, g in enumerate(meta.customer_groups) if g != GENERIC_GROUP]
    return RELATED_THEME if meta.related else (group_theme(ranks[0]) if ranks else 0.0)


# --- the programme's and the course's own words -----------------------------------------------

def _segments(text: str) -> list[str]:
    return [s for s in re.split(r"[。；;\n]", text) if s.strip()]


def _common(a: str, b: str) -> str:
    """Longest common substring (short strings: plain dynamic programming)."""
    best, end = 0, 0
    prev = [0] * (len(b) + 1)
    for i, ca in enumerate(a, 1):
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best, end = cur[j], i
        prev = cur
    return a[end - best:end]


@functools.lru_cache(maxsize=65_536)  # the same titles against the same programme lines, per outlet
def named_in(title: str, segment: str) -> bool:
    common = _common(title, segment)
    return len(common) >= 3 and common not in GENERIC_NAMES and not any(common in g for g in GENERIC_NAMES)


def intent_score(item: Item, course: Item, day_text: str, drill_text: str) -> tuple[float, str]:
    """How strongly the programme (that day) and the course name this item."""
    meta: Course = course.meta  # type: ignore[assignment]
    score, why = 0.0, ""
    if item.id in meta.related:
        score, why = 3.0, f"课程《{meta.title}》指定的相关条目"
    own = [*meta.objectives, meta.summary]
    for seg in _segments("\n".join(own)) + _segments(drill_text):
        if named_in(item.meta.title, seg):
            bonus = 2.0 if "通关" in seg else 1.0
            score += bonus
            if bonus > 1 or not why:
                why = f"项目方案与课程要求：{seg.strip()[:36]}"
    for seg in _segments(day_text):
        if named_in(item.meta.title, seg):
            score += 0.5
            why = why or f"项目方案当天安排：{seg.strip()[:36]}"
    return score, why


def day_texts(programme: Programme | None, day: int) -> tuple[str, str]:
    if programme is None or not 1 <= day <= len(programme.days):
        return "", ""
    d = programme.days[day - 1]
    daytime = "\n".join([a.title + "\n" + "\n".join(a.details) for a in d.daytime])
    return daytime, d.evening.drill


def lacking_plans(lib: Library, day: int) -> list[str]:
    """The incidents the programme names for `day` that no emergency plan of the library covers."""
    plans = lib.of_type("emergency")
    return [label for label, words in PROGRAMME_PLANS.get(day, []) if not any(plan_matches(p, words) for p in plans)]


def plan_matches(item: Item, words: tuple[str, ...]) -> bool:
    meta = item.meta
    hay = [getattr(meta, "incident", ""), meta.title, *meta.tags]
    return any(w in h for w in words for h in hay)


# --- drawing ----------------------------------------------------------------------------------

def _profile_reason(reasons: list[str], outlet: Outlet) -> str:
    if reasons:
        shown = reasons[:3] + ([f"等 {len(reasons)} 项"] if len(reasons) > 3 else [])
        return "；".join(shown)
    groups = "、".join(outlet.profile.customer_groups[:2])
    return f"与本网点画像（{groups}）没有更贴近的条目，按最近修订补足"


def draw_items(lib: Library, course: Item, outlet: Outlet, programme: Programme | None = None,
               taken: dict[str, int] | None = None, keep_out: frozenset[str] = frozenset()) -> list[Selection]:
    """One course's draw. `taken` maps ids printed on earlier evenings to their day; `keep_out`
    holds items kept for another evening of the week (group_guides_kept)."""
    meta: Course = course.meta  # type: ignore[assignment]
    taken = dict(taken or {})
    # A trainer's `overrides` come first and replace only the types they name: naming two
    # guides keeps the course's complaints and story (its outline uses them).
    named = [lib.items[i] for i in outlet.overrides.get(course.id, ()) if i in lib.items]
    named_types = {i.type for i in named}
    out: list[Selection] = [Selection(i, "培训老师指定", by_trainer=True, first_day=taken.get(i.id)) for i in named]
    here: set[str] = {i.id for i in named}
    terms = profile_terms(outlet)
    memo = _memo_for(lib, terms)
    day_text, drill_text = day_texts(programme, meta.day)

    def fresh(item: Item) -> bool:
        return item.id not in here and item.id not in taken and item.id not in keep_out

    for rule in meta.draws:
        if rule.type in named_types:
            continue
        pool = _pool(lib, rule.type)
        count = rule.count
        if rule.type == "emergency" and PROGRAMME_PLANS.get(meta.day):
            named = _named_plans(pool, terms, meta.day, taken, here, memo)
            out += named
            here.update(s.item.id for s in named)
            count = RISK_PLANS
            ranked = [(s, list(r), i) for s, r, i in _with_reasons(lib, terms, memo, rule.type) if fresh(i)]
        elif rule.type == "standard":
            ranked = [(s, [why] if why else [], i) for s, why, i in _intents(lib, course, day_text, drill_text)
                      if fresh(i)]
        else:
            # The profile's ranking of this type is the same for every course (kept with the
            # library); only the items the course's theme concerns move up, read lazily.
            order = moved_up(_ranking(lib, terms, memo, rule.type), lambda i: theme_match(i, course),
                             _theme_bound(course))
            ranked = []
            for neg, _, reasons, i in order:
                if fresh(i):
                    ranked.append((-neg if neg else 0.0, list(reasons), i))
                    if len(ranked) == count and "scope" not in rule.match:
                        break
        ranked.sort(key=lambda r: -r[0])  # stable: newest first among equals
        if "scope" in rule.match and meta.customer_groups:
            ranked = special_first(ranked, count, outlet.profile.customer_groups, list(meta.related))
        for s, reasons, item in ranked[:count]:
            if rule.type == "standard":
                reason = reasons[0] if reasons else _profile_reason([], outlet)
            elif rule.type == "emergency" and PROGRAMME_PLANS.get(meta.day):
                reason = "本网点风险：" + _profile_reason(reasons, outlet)
            else:
                reason = _profile_reason(reasons, outlet)
            out.append(Selection(item, reason, score=s))
            here.add(item.id)
    return out


def _named_plans(pool: list[Item], terms: list[Term], day: int, taken: dict[str, int],
                 here: set[str], memo: dict) -> list[Selection]:
    """One plan for each incident the programme names that day (best profile match first)."""
    out: list[Selection] = []
    used = set(here)
    for label, words in PROGRAMME_PLANS[day]:
        candidates = [i for i in pool if i.id not in used and plan_matches(i, words)]
        if not candidates:
            continue
        candidates.sort(key=lambda i: -match(i, terms, memo)[0])  # stable: newest first among equals
        item = candidates[0]
        used.add(item.id)
        out.append(Selection(item, f"项目方案第{day}天点名演练的突发事件：{label}", score=9.0,
                             first_day=taken.get(item.id)))
    return out


@dataclass(frozen=True)
class EveningDraw:
    day: int
    course: Item
    selections: list[Selection]


def draw_week(lib: Library, outlet: Outlet, programme: Programme) -> list[EveningDraw]:
    """Every evening's courses in programme order, each item once in the week."""
    taken: dict[str, int] = {}
    week: list[EveningDraw] = []
    kept = group_guides_kept(lib, outlet, programme)
    for day in programme.days:
        for course_id in day.evening.courses:
            course = lib.items.get(course_id)
            if course is None:
                continue
            keep_out = frozenset().union(*(ids for c, ids in kept.items() if c != course_id))
            selections = draw_items(lib, course, outlet, programme, taken, keep_out)
            fixed = []
            for s in selections:
                earlier = taken.get(s.item.id)
                fixed.append(replace(s, first_day=earlier) if earlier is not None else s)
                taken.setdefault(s.item.id, day.day)
            week.append(EveningDraw(day.day, course, fixed))
    from .complaint_cover import cover_complaint_types  # (it reads this module's draws)

    return cover_complaint_types(lib, outlet, week)


def group_guides_kept(lib: Library, outlet: Outlet, programme: Programme) -> dict[str, frozenset[str]]:
    """For each course on special customers, the guides of the outlet's own groups it will draw
    (group_guides.group_rows), kept from the week's other evenings: the complaints evening drew
    the 户外劳动者 guide on day 2, and day 3, the evening on those customers, printed without it."""
    terms = profile_terms(outlet)
    rows = [(-neg, list(r), i) for neg, _, r, i in _ranking(lib, terms, _memo_for(lib, terms), "guide")]
    kept: dict[str, frozenset[str]] = {}
    for day in programme.days:
        for course_id in day.evening.courses:
            course = lib.items.get(course_id)
            named = [lib.items[i] for i in outlet.overrides.get(course_id, ()) if i in lib.items]
            if course is None or any(i.type == "guide" for i in named):
                continue  # (a trainer's guides replace the drawn ones)
            for rule in course.meta.draws:
                if rule.type == "guide" and "scope" in rule.match and course.meta.customer_groups:
                    picks = group_rows(rows, rule.count, outlet.profile.customer_groups, list(course.meta.related))
                    kept[course_id] = frozenset(r[2].id for r in picks)
    return kept
