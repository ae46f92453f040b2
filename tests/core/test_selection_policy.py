"""The pack's selection policy (README「培训包选材规则」), on the real library: the three bundled
outlets plus invented profiles (rural, migrant workers, elderly-heavy, business district,
disabled-first), and on a library twice as big."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from casebook.core.library import Library
from casebook.core.model import Outlet, Profile
from casebook.core.complaint_cover import complaint_types_served
from casebook.core.selection import PROGRAMME_PLANS, draw_week, plan_matches, profile_terms
from conftest import REPO


STAFF = {"网点负责人": ["甲"], "内勤行长": ["乙"], "大堂经理": ["丙"], "柜面经理": ["丁", "戊"],
         "客户经理": ["己"], "保安": ["庚"], "保洁": ["辛"]}
PROFILES = {
    "rural": Profile(customer_groups=["老年客户", "新市民", "普通客户"], peak_periods=["节假日", "代发工资日"],
                     recent_complaints=["制度政策"]),
    "migrant": Profile(customer_groups=["新市民", "户外劳动者"], peak_periods=["代发工资日", "午间"],
                       recent_complaints=["服务态度", "制度政策"]),
    "elderly": Profile(customer_groups=["老年客户", "残障客户"], peak_periods=["营业高峰"], recent_complaints=["服务效率"]),
    "business": Profile(customer_groups=["企业客户", "贵宾客户"], peak_periods=["午间", "营业终了"],
                        recent_complaints=["营销行为", "收费定价"]),
    "disabled-first": Profile(customer_groups=["残障客户", "普通客户"], peak_periods=["营业高峰"]),
}


def invented(profile: Profile, **extra) -> Outlet:
    return Outlet(name="虚构网点", branch="虚构分行", big_class_date=dt.date(2027, 3, 1), start_date=dt.date(2027, 3, 3),
                  project_manager=["某经理"], trainers=["甲老师", "乙老师"], staff=STAFF, profile=profile, **extra)


def outlets(lib):
    out = {stem: e.outlet for stem, e in sorted(lib.outlets.items())}
    out.update({f"invented-{k}": invented(p) for k, p in PROFILES.items()})
    return out


def by_course(week):
    return {ev.course.id: ev for ev in week}


def test_bundled_and_invented_outlets_draw_each_item_once(sample_lib):
    for name, outlet in outlets(sample_lib).items():
        week = draw_week(sample_lib, outlet, sample_lib.programme)
        printed = [s.item.id for ev in week for s in ev.selections if s.first_day is None]
        assert len(printed) == len(set(printed)), name
        for ev in week:
            for s in ev.selections:
                assert s.reason, (name, s.item.id)
                if s.first_day is not None:
                    assert s.first_day <= ev.day, (name, s.item.id)


def test_day_one_drills_the_teller_steps_and_the_lobby_flow(sample_lib):
    for name, outlet in outlets(sample_lib).items():
        outlet = outlet.model_copy(update={"overrides": {}})
        etiquette = by_course(draw_week(sample_lib, outlet, sample_lib.programme))["courses/service-etiquette"]
        standards = [s.item.meta.title for s in etiquette.selections if s.item.type == "standard"]
        assert sorted(standards) == ["大堂服务流程", "柜员服务七步曲"], name
        assert all("七步曲" in s.reason or "大堂服务流程" in s.reason
                   for s in etiquette.selections if s.item.type == "standard")


def test_day_four_draws_every_plan_the_programme_names_then_the_outlets_risks(sample_lib):
    for name, outlet in outlets(sample_lib).items():
        week = draw_week(sample_lib, outlet, sample_lib.programme)
        day4 = [s for ev in week if ev.day == 4 for s in ev.selections if s.item.type == "emergency"]
        for label, words in PROGRAMME_PLANS[4]:
            assert any(plan_matches(s.item, words) for s in day4), (name, label)
        risks = [s for s in day4 if s.reason.startswith("本网点风险")]
        assert len(risks) <= 2 and all("“" in s.reason for s in risks), name
    # what the issue found wrong: 突发疾病 was in no pack, 挤兑 and 抢劫 by role count
    ids = {s.item.id for ev in draw_week(sample_lib, invented(PROFILES["business"]), sample_lib.programme) for s in ev.selections}
    assert "emergencies/sudden-illness" in ids


def test_reasons_speak_the_outlets_terms(sample_lib):
    week = draw_week(sample_lib, invented(PROFILES["elderly"]), sample_lib.programme)
    complaints = [s for ev in week for s in ev.selections if s.item.type == "complaint"]
    assert complaints and all("老年客户" in s.reason or "服务效率" in s.reason or "残障客户" in s.reason
                              for s in complaints[:4])
    week = draw_week(sample_lib, invented(PROFILES["migrant"]), sample_lib.programme)
    drawn = [s for ev in week for s in ev.selections if s.item.type in ("complaint", "guide")]
    assert sum("新市民" in s.reason or "户外劳动者" in s.reason for s in drawn) >= len(drawn) // 2


def test_the_outlets_first_customer_group_comes_first(sample_lib):
    """The profile lists an outlet's customer groups most important first: the first weighs most,
    and the special-customers course opens with a guide for it, whichever of two groups is first."""
    for first, second in (("老年客户", "残障客户"), ("残障客户", "老年客户")):
        outlet = invented(Profile(customer_groups=[first, second], peak_periods=["营业高峰"]))
        weights = {t.value: t.weight for t in profile_terms(outlet) if t.facet == "customer_groups"}
        assert weights[first] > weights[second]
        guides = [s for s in by_course(draw_week(sample_lib, outlet, sample_lib.programme))["courses/special-customers"]
                  .selections if s.item.type == "guide"]
        assert guides[0].item.meta.customer_groups[0] == first and f"第1客群“{first}”" in guides[0].reason


def test_the_first_groups_own_guide_beats_several_weak_matches(sample_lib):
    """An outlet by a free-trade zone: 外籍客户 first, five groups after it, peak hours at the
    opening. The special-customers evening printed the peak-hour and wheelchair guides (five weak
    matches each) but not the guide for foreign customers (one strong one); the same for an outlet
    by a maternity hospital and its guide for mothers with infants."""
    for groups, own in ((["外籍客户", "孕妇及带婴幼儿客户", "未成年客户", "残障客户", "户外劳动者", "老年客户"],
                         "guides/foreign-customers"),
                        (["孕妇及带婴幼儿客户", "普通客户", "老年客户"], "guides/pregnant-and-infants"),
                        # (by a barracks: 军人 was no customer group, and its guide was filed under 普通客户)
                        (["军人", "普通客户", "老年客户"], "guides/military-priority")):
        outlet = invented(Profile(customer_groups=groups, peak_periods=["节假日", "开门前", "营业高峰"],
                                  recent_complaints=["服务态度"]))
        day3 = by_course(draw_week(sample_lib, outlet, sample_lib.programme))["courses/special-customers"]
        guides = [s.item.id for s in day3.selections if s.item.type == "guide"]
        assert own in guides, (groups[0], guides)


def test_special_customers_course_keeps_a_special_customer_guide_for_a_business_district(sample_lib):
    """企业客户 and 贵宾客户 have no guide of their own: the evening on special customers still
    prints one 特殊客户 guide (two trainers' judged sets found a second one, the elderly guide at
    an industrial park, out of place), the rest by the outlet's periods and complaints."""
    week = draw_week(sample_lib, invented(PROFILES["business"]), sample_lib.programme)
    special = by_course(week)["courses/special-customers"]
    scopes = [s.item.meta.scope for s in special.selections if s.item.type == "guide"]
    assert scopes.count("特殊客户") >= 1 and len(scopes) == 4, scopes


def test_a_disabled_first_outlet_gets_guides_and_a_plan_that_concern_them(sample_lib):
    week = draw_week(sample_lib, invented(PROFILES["disabled-first"]), sample_lib.programme)
    drawn = [s.item for ev in week for s in ev.selections]
    guides = [i for i in drawn if i.type == "guide" and "残障客户" in i.meta.customer_groups]
    assert len(guides) >= 2
    plans = [i for i in drawn if i.type == "emergency"]
    assert any("残障" in i.body or "残障客户" in i.meta.customer_groups for i in plans)


def test_an_override_naming_an_earlier_item_refers_back(sample_lib):
    outlet = invented(PROFILES["rural"])
    first = by_course(draw_week(sample_lib, outlet, sample_lib.programme))["courses/service-etiquette"].selections[0].item.id
    outlet = invented(PROFILES["rural"], overrides={"courses/special-customers": [first, "guides/minors"]})
    special = by_course(draw_week(sample_lib, outlet, sample_lib.programme))["courses/special-customers"]
    assert [(s.item.id, s.first_day, s.by_trainer) for s in special.selections][:2] == [
        (first, 1, True), ("guides/minors", None, True)]


def test_a_case_the_trainer_names_is_never_swapped_out(sample_lib):
    """The week also makes sure every recent complaint type of the outlet gets a case, swapping
    drawn cases for ones that cover the missing types; never the trainer's own choice."""
    for stem, entry in sorted(sample_lib.outlets.items()):
        for case in sorted(i.id for i in sample_lib.of_type("complaint")):
            outlet = entry.outlet.model_copy(update={"overrides": {"courses/complaint-handling": [case]}})
            course = by_course(draw_week(sample_lib, outlet, sample_lib.programme))["courses/complaint-handling"]
            named = [s for s in course.selections if s.by_trainer]
            assert [s.item.id for s in named] == [case], (stem, case, [s.item.id for s in course.selections])


def test_an_override_replaces_only_the_type_it_names(sample_lib):
    """Two guides named for the special-customers evening: the guides are the trainer's, the
    complaints and the story the course's outline uses are still drawn."""
    plain = by_course(draw_week(sample_lib, invented(PROFILES["rural"]), sample_lib.programme))["courses/special-customers"]
    outlet = invented(PROFILES["rural"], overrides={"courses/special-customers": ["guides/elderly-customers",
                                                                                  "guides/wheelchair-users"]})
    special = by_course(draw_week(sample_lib, outlet, sample_lib.programme))["courses/special-customers"]
    got = [(s.item.type, s.item.id, s.by_trainer) for s in special.selections]
    assert [g for g in got if g[0] == "guide"] == [("guide", "guides/elderly-customers", True),
                                                   ("guide", "guides/wheelchair-users", True)]
    others = [s.item.id for s in plain.selections if s.item.type != "guide"]
    assert [g[1] for g in got if g[0] != "guide"] == others and {"complaint", "story"} <= {g[0] for g in got}


def test_the_policy_holds_on_a_library_twice_as_big(sample_lib):
    big = dataclasses.replace(sample_lib, items=dict(sample_lib.items),
                              by_type={k: list(v) for k, v in sample_lib.by_type.items()})
    for item in list(sample_lib.items.values()):
        if item.type in ("complaint", "guide", "story", "emergency"):
            twin = dataclasses.replace(item, id=item.id + "-b")
            big.items[twin.id] = twin
            big.by_type[item.type].append(twin)
    for name, outlet in outlets(sample_lib).items():
        week = draw_week(big, outlet.model_copy(update={"overrides": {}}), sample_lib.programme)
        printed = [s.item.id for ev in week for s in ev.selections if s.first_day is None]
        assert len(printed) == len(set(printed)), name
        day4 = [s for ev in week if ev.day == 4 for s in ev.selections if s.item.type == "emergency"]
        assert len(day4) <= len(PROGRAMME_PLANS[4]) + 2, name  # one plan per named incident, not both twins
        assert draw_week(big, outlet, sample_lib.programme) == draw_week(big, outlet, sample_lib.programme)


def test_fast_draw_equals_the_plain_policy(tmp_path):
    """draw_items ranks from a per-library cache of each profile's order; it must choose exactly
    what sorting every fresh item of the pool by (profile + theme) score, newest first among
    equals, chooses (the policy as written before the cache)."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    from gen_library import generate

    from casebook.core import selection as sel

    root = generate(tmp_path / "lib", 300)
    lib = Library.load(root, use_cache=False)

    def plain(course, outlet, kind, count, taken):
        terms = sel.profile_terms(outlet)
        pool = sorted(lib.of_type(kind), key=lambda i: (-i.meta.updated.toordinal(), i.id))
        rows = []
        for i in pool:
            if i.id not in taken:
                s, r = sel.match(i, terms)
                t, why = sel.theme_match(i, course)
                rows.append((s + t, i.id))
        rows.sort(key=lambda r: -r[0])
        return [i for _, i in rows[:count]]

    checked = 0
    for course in lib.of_type("course"):
        for entry in lib.outlets.values():
            if course.id in entry.outlet.overrides:
                continue
            rules = [r for r in course.meta.draws if r.type not in ("standard", "emergency") and "scope" not in r.match]
            if len(rules) != len(course.meta.draws) or not rules:
                continue
            got = [s.item.id for s in sel.draw_items(lib, course, entry.outlet)]
            want, taken = [], set()
            for rule in rules:
                picked = plain(course, entry.outlet, rule.type, rule.count, taken)
                want += picked
                taken.update(picked)
            assert got == want, (course.id, entry.stem)
            checked += 1
    assert checked >= 10


def test_the_lazy_order_is_the_full_sort(sample_lib, tmp_path):
    """A course's order (core.lazy_order.moved_up) gives rows one at a time, stopping early;
    read to the end it must be exactly the whole type sorted by (-(profile + theme score),
    place in the pool)."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    from casebook.core import selection as sel
    from casebook.core.lazy_order import moved_up
    from gen_library import generate

    big = Library.load(generate(tmp_path / "lib", 300), use_cache=False)
    checked = 0
    for library in (sample_lib, big):
        for course in library.of_type("course"):
            for outlet in [*outlets(sample_lib).values(), *(e.outlet for e in library.outlets.values())]:
                terms = sel.profile_terms(outlet)
                memo = sel._memo_for(library, terms)
                for kind in ("complaint", "guide", "story"):
                    full = []
                    for neg, n, reasons, item in sel._ranking(library, terms, memo, kind):
                        t, why = sel.theme_match(item, course)
                        full.append((-(-neg + t), n, (*reasons, why) if why else reasons, item) if t else
                                    (neg, n, reasons, item))
                    full.sort(key=lambda r: r[:2])
                    lazy = moved_up(sel._ranking(library, terms, memo, kind), lambda i, c=course: sel.theme_match(i, c),
                                    sel._theme_bound(course))
                    assert list(lazy) == full, (course.id, kind)
                    checked += 1
    assert checked > 300


@pytest.mark.parametrize("causes", [["制度政策", "服务态度", "信息安全"], ["制度政策", "服务效率", "营销行为", "第三方"],
                                    ["服务态度", "信息安全", "收费定价"]])
def test_every_recent_complaint_type_gets_a_case(sample_lib, causes):
    """A type far down the outlet's list still gets one case when the library has one, on the
    complaints evening, with the reason naming the type."""
    outlet = invented(PROFILES["rural"].model_copy(update={"recent_complaints": causes}))
    week = draw_week(sample_lib, outlet, sample_lib.programme)
    served = complaint_types_served(outlet, week)
    assert all(served.values()), served
    printed = [s.item.id for ev in week for s in ev.selections if s.first_day is None]
    assert len(printed) == len(set(printed))
    added = [s for s in by_course(week)["courses/complaint-handling"].selections if s.reason.startswith("补足近期投诉类型")]
    # (cases added for a missed type say so; with a richer library the draw may need none)
    assert all(any(c in s.item.meta.root_cause for c in causes) for s in added)


def test_a_type_the_library_has_no_case_for_stays_unserved(sample_lib):
    outlet = invented(PROFILES["rural"].model_copy(update={"recent_complaints": ["制度政策", "排队叫号机"]}))
    assert complaint_types_served(outlet, draw_week(sample_lib, outlet, sample_lib.programme))["排队叫号机"] is None


def _evening_guides(lib, profile: Profile) -> tuple[list[str], list[str]]:
    """The day-3 evening's guides, and the guides every other evening of the week draws."""
    week = draw_week(lib, invented(profile), lib.programme)
    guides = {ev.course.id: [s.item.id for s in ev.selections if s.item.type == "guide"] for ev in week}
    others = [g for course, ids in guides.items() if course != "courses/special-customers" for g in ids]
    return guides["courses/special-customers"], others


@pytest.mark.parametrize("groups,own", [
    (["老年客户", "未成年客户", "普通客户"], ["guides/elderly-customers", "guides/minors"]),  # (not the fraud guide listing 老年)
    (["新市民", "户外劳动者", "孕妇及带婴幼儿客户"],
     ["guides/account-opening-due-diligence", "guides/outdoor-workers", "guides/pregnant-and-infants"]),
    (["残障客户", "老年客户"], ["guides/hearing-impaired", "guides/elderly-customers"]),
    (["户外劳动者", "普通客户", "老年客户"], ["guides/outdoor-workers", "guides/elderly-customers"]),
])
def test_day_three_opens_on_each_groups_own_guide_and_keeps_it_from_other_evenings(sample_lib, groups, own):
    """Trainers who had not read the code judged which guides the evening on special customers
    must print: the guide written for each of the outlet's groups, in their order. The draw took
    the best-scoring guide that merely listed a group (the fraud-victims guide for 老年客户), only
    特殊客户 guides (新市民's is 开户尽职调查), and let the complaints evening take a group's guide
    first (户外劳动者: printed on day 2, missing on day 3)."""
    day3, others = _evening_guides(sample_lib, Profile(customer_groups=groups, peak_periods=["午间"],
                                                        recent_complaints=["服务态度"]))
    assert day3[:len(own)] == own, day3
    assert not set(own) & set(others), others


def test_a_group_with_several_guides_of_its_own_gets_a_second(sample_lib):
    """An outlet by a rehabilitation centre: after the hearing-impaired guide and the elderly one,
    a second guide written for 残障客户 (sight or wheelchairs), before any guide by score alone."""
    day3, _ = _evening_guides(sample_lib, Profile(customer_groups=["残障客户", "老年客户"], peak_periods=["营业高峰"]))
    assert {"guides/visually-impaired", "guides/wheelchair-users"} & set(day3[2:3]), day3
