"""Generate a province-wide wave of outlet files: N varied outlets, seeded, valid for `casebook check`.

    python benchmarks/gen_outlets.py OUT [--outlets 200] [--seed 2026]

Writes OUT/cases (a copy of this repository's library) and OUT/outlets/oNNN-<kind>.yml. Each
outlet is drawn from one of six kinds a province actually has — 社区, 乡镇/县域, 商圈, 高校,
医院周边, 工业园区 — each with its own customer groups (most important first), peak periods,
recent complaints, business focus, staff size, scores, and a coaching week somewhere in 2027
(holidays of the season skipped, 极端天气 in summer, 节假日 around the Spring Festival). About a
third carry a trainer's `overrides` for 投诉处理 picked from the library's complaints whose
`business` matches the outlet's focus (so the ids always resolve in this library). A few leave
out `contacts` or one role, as real files do (the pack then warns and leaves blanks).

The same seed gives byte-identical files; file names sort in outlet order, so `--shard k/N`
takes every N-th outlet (a mix of kinds).
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

CITIES = ["澜江市", "云岭市", "青川市", "临湖市", "白沙市", "石门市", "安平市", "龙泉市", "南溪市", "东岭市"]
DISTRICTS = ["中心区", "滨江区", "高新区", "北城区", "南湖区", "西山区", "东港区", "新城区"]
COUNTIES = ["青溪县", "柳河县", "石桥县", "金坪县", "松岭县", "沙洲县", "凤鸣县", "白水县"]
TOWNS = ["城关镇", "河口镇", "新店镇", "马坪镇", "桃源乡", "龙潭镇", "石门镇", "杨柳乡", "双河镇", "清泉镇"]
STREETS = ["人民路", "解放路", "建设路", "和平路", "朝阳路", "胜利路", "长江路", "光明路", "幸福路", "文化路"]
COMMUNITIES = ["滨湖", "翠苑", "锦绣", "梅园", "枫林", "桂花", "紫荆", "新华", "丰收", "春晖", "望江", "金桥"]
UNIVERSITIES = ["理工大学", "师范大学", "医科大学", "财经学院", "职业技术学院", "农业大学"]
HOSPITALS = ["人民医院", "中心医院", "中医院", "妇幼保健院", "第一医院", "儿童医院"]
PARKS = ["经济开发区", "工业园区", "物流园区", "高新产业园", "临港产业园"]
PLAZAS = ["万达广场", "中央商务区", "金融街", "国贸中心", "步行街", "会展中心"]

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉宁浩凯健俊帆琳晨瑶雪倩婷慧颖思雨欣怡佳子涵轩宇泽航博文昊然梓睿晓志国建春海云峰")

# kind → (weight, customer groups pool (first ones likelier), peak periods, complaints, business focus,
#          outlet-name maker, staff size range (counter staff))
KINDS = {
    "community": dict(weight=30, groups=["老年客户", "残障客户", "孕妇及带婴幼儿客户", "普通客户", "户外劳动者"],
                      periods=["代发工资日", "营业高峰", "开门前", "营业终了"],
                      complaints=["服务效率", "制度政策", "服务态度", "系统设备"],
                      business=["存取款", "社保卡", "代办", "零钱兑换", "手机银行", "挂失"], tellers=(2, 4)),
    "rural": dict(weight=25, groups=["老年客户", "新市民", "普通客户", "户外劳动者", "未成年客户"],
                  periods=["代发工资日", "节假日", "营业高峰", "开门前"],
                  complaints=["制度政策", "系统设备", "服务效率", "业务差错"],
                  business=["存取款", "社保卡", "转账汇款", "代办", "开户", "自助设备"], tellers=(1, 3)),
    "business": dict(weight=20, groups=["企业客户", "贵宾客户", "新市民", "普通客户", "外籍客户", "户外劳动者"],
                     periods=["代发工资日", "午间", "营业高峰", "营业终了"],
                     complaints=["服务效率", "营销行为", "收费定价", "服务态度", "信息安全"],
                     business=["开户", "理财", "代理保险", "外币兑换", "转账汇款", "信用卡", "个人贷款"], tellers=(3, 6)),
    "campus": dict(weight=8, groups=["未成年客户", "新市民", "外籍客户", "普通客户"],
                   periods=["营业高峰", "午间", "节假日"],
                   complaints=["制度政策", "信息安全", "服务态度", "系统设备"],
                   business=["开户", "手机银行", "挂失", "外币兑换", "信用卡", "销户"], tellers=(2, 3)),
    "hospital": dict(weight=10, groups=["老年客户", "残障客户", "孕妇及带婴幼儿客户", "普通客户", "外籍客户"],
                     periods=["开门前", "午间", "营业高峰"],
                     complaints=["服务效率", "服务态度", "制度政策", "业务差错"],
                     business=["代办", "存取款", "转账汇款", "社保卡", "挂失", "账户管理"], tellers=(2, 4)),
    "industrial": dict(weight=7, groups=["新市民", "企业客户", "户外劳动者", "普通客户", "外籍客户"],
                       periods=["代发工资日", "营业终了", "午间", "节假日"],
                       complaints=["服务效率", "制度政策", "业务差错", "营销行为"],
                       business=["开户", "转账汇款", "代办", "个人贷款", "手机银行"], tellers=(2, 5)),
}

# 2027 public holidays that fall on working days (dates to skip in a coaching week).
HOLIDAYS_2027 = [dt.date(2027, 1, 1), *(dt.date(2027, 2, d) for d in (8, 9, 10, 11, 12)), dt.date(2027, 4, 5),
                 *(dt.date(2027, 5, d) for d in (3, 4, 5)), dt.date(2027, 6, 9), dt.date(2027, 9, 15),
                 *(dt.date(2027, 10, d) for d in (1, 4, 5, 6, 7))]

CONTACTS = [("支行值班室", "支行值班"), ("支行保卫部", "保卫"), ("支行运营管理部", "运营"), ("科技运维报障", "科技报障"),
            ("分行办公室（舆情）", "舆情")]
PUBLIC_CONTACTS = [{"name": "本行客服热线", "phone": "95xxx（以本行号码为准）", "kind": "客服热线"},
                   {"name": "急救中心", "phone": "120", "kind": "急救"}, {"name": "报警", "phone": "110", "kind": "报警"},
                   {"name": "反诈专线", "phone": "96110", "kind": "反诈"}]


class Names:
    """Distinct two- or three-character personal names, drawn from one seeded generator."""

    def __init__(self, rng: random.Random):
        self.rng, self.used = rng, set()

    def __call__(self) -> str:
        while True:
            name = self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=self.rng.choice((1, 2, 2))))
            if name not in self.used:
                self.used.add(name)
                return name


def outlet_name(kind: str, rng: random.Random, city: str, county: str) -> tuple[str, str]:
    """(网点名称, 一级支行)"""
    district = rng.choice(DISTRICTS)
    if kind == "community":
        return f"{rng.choice(COMMUNITIES)}社区支行", f"{district}支行"
    if kind == "rural":
        return f"{county}{rng.choice(TOWNS)}支行", f"{county}支行"
    if kind == "business":
        return f"{rng.choice(PLAZAS)}支行", f"{district}支行"
    if kind == "campus":
        return f"{city.removesuffix('市')}{rng.choice(UNIVERSITIES)}支行", f"{district}支行"
    if kind == "hospital":
        return f"{city}{rng.choice(HOSPITALS)}支行", f"{district}支行"
    return f"{rng.choice(PARKS)}{rng.choice(STREETS)}支行", f"{district}支行"


def ranked_pick(rng: random.Random, pool: list[str], low: int, high: int) -> list[str]:
    """Some of `pool`, earlier values likelier and first (the profile lists the most important first)."""
    k = rng.randint(low, min(high, len(pool)))
    weights = [len(pool) - i + 1 for i in range(len(pool))]
    chosen: list[str] = []
    while len(chosen) < k:
        v = rng.choices(pool, weights=weights)[0]
        if v not in chosen:
            chosen.append(v)
    return chosen


def coaching_window(i: int, n: int, rng: random.Random) -> tuple[dt.date, dt.date, list[dt.date]]:
    """Big class on a Monday, on-site week starting Wednesday; the wave runs through 2027,
    a few outlets per week, so every season appears."""
    week = (i * 50) // max(n, 1)  # spread over 50 weeks
    monday = dt.date(2027, 1, 4) + dt.timedelta(weeks=week)
    big = monday + dt.timedelta(days=rng.choice((0, 0, 1)))
    start = big + dt.timedelta(days=2)
    while start.weekday() >= 5 or start in HOLIDAYS_2027:
        start += dt.timedelta(days=1)
    holidays = [h for h in HOLIDAYS_2027 if start <= h <= start + dt.timedelta(days=14)]
    return big, start, holidays


def complaints_by_business(cases: Path) -> list[tuple[str, set[str]]]:
    out = []
    for p in sorted((cases / "complaints").glob("*.md")):
        head = p.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n")
        meta = yaml.load(head, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
        out.append((f"complaints/{p.stem}", set(meta.get("business") or [])))
    return out


def make_outlet(i: int, n: int, rng: random.Random, complaints: list[tuple[str, set[str]]],
                taken: set[str]) -> tuple[str, str]:
    kinds = list(KINDS)
    kind = rng.choices(kinds, weights=[KINDS[k]["weight"] for k in kinds])[0]
    spec = KINDS[kind]
    city = rng.choice(CITIES)
    county = rng.choice(COUNTIES)
    while True:  # names are unique in the wave; a name used in another city gets the city in front
        name, sub_branch = outlet_name(kind, rng, city, county)
        if name in taken and not name.startswith(city):
            name = city + name
        if name not in taken:
            break
    taken.add(name)
    branch = f"{city}分行"
    big, start, holidays = coaching_window(i, n, rng)
    groups = ranked_pick(rng, spec["groups"], 2, 4)
    periods = ranked_pick(rng, spec["periods"], 1, 3)
    if start.month in (6, 7, 8) and rng.random() < 0.6:
        periods.append("极端天气")          # 暴雨、高温季节
    if start.month in (1, 2, 9, 10) and "节假日" not in periods and rng.random() < 0.5:
        periods.append("节假日")            # 春节、国庆前后
    if start.month in (3, 9) and kind == "campus" and "开门前" not in periods:
        periods.insert(0, "开门前")         # 开学季
    focus = ranked_pick(rng, spec["business"], 2, 4)
    names = Names(rng)
    low, high = spec["tellers"]
    staff = {
        "网点负责人": [names()],
        "内勤行长": [names()],
        "大堂经理": [names() for _ in range(1 if high <= 3 else rng.randint(1, 3))],
        "柜面经理": [names() for _ in range(rng.randint(low, high))],
        "客户经理": [names() for _ in range(rng.randint(1, 3 if kind == "business" else 2))],
        "保安": [names() for _ in range(rng.randint(1, 2))],
        "保洁": [names()],
    }
    if kind == "rural" and rng.random() < 0.3:
        del staff["内勤行长"]             # 小网点由负责人兼任（培训包留空待填并提示）
    doc: dict = {
        "name": name,
        "branch": branch,
        "sub_branch": sub_branch,
        "big_class_date": big,
        "start_date": start,
    }
    if holidays:
        doc["holidays"] = holidays
    doc["project_manager"] = [names()]
    doc["trainers"] = [names() for _ in range(rng.choice((2, 2, 3)))]
    doc["staff"] = staff
    profile: dict = {"customer_groups": groups, "peak_periods": periods}
    if rng.random() < 0.85:
        profile["mystery_shopper_score"] = rng.randint(62, 95)
    if rng.random() < 0.8:
        profile["complaint_rate"] = round(rng.uniform(0.2, 2.5), 1)
    profile["recent_complaints"] = ranked_pick(rng, spec["complaints"], 0, 3)
    doc["profile"] = profile
    waiting = {"rural": (10, 20), "business": (20, 40)}.get(kind, (15, 30))
    doc["backup_trigger"] = (f"等候超过 {rng.randint(*waiting)} 人或最长等候超过 "
                             f"{rng.choice((15, 20, 30))} 分钟")
    if rng.random() < 0.9:
        base = 6000 + 100 * rng.randint(1, 38)
        doc["contacts"] = [{"name": c, "phone": f"内线 {base + 10 * j}", "kind": kind_}
                           for j, (c, kind_) in enumerate(CONTACTS)] + PUBLIC_CONTACTS
    if rng.random() < 0.35:
        fits = [(len(biz & set(focus)), cid) for cid, biz in complaints if biz & set(focus)]
        rng.shuffle(fits)
        fits.sort(key=lambda t: -t[0])
        picks = [cid for _, cid in fits[:rng.randint(3, 4)]]
        if picks:
            doc["overrides"] = {"courses/complaint-handling": picks}
    labels = {"community": "社区网点", "rural": "乡镇/县域网点", "business": "商圈网点", "campus": "高校网点",
              "hospital": "医院周边网点", "industrial": "工业园区网点"}
    header = (f"# 生成的网点（benchmarks/gen_outlets.py）：{labels[kind]}，业务重点："
              f"{'、'.join(focus)}。培训包（casebook pack）的输入。\n")
    body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=200, default_flow_style=None)
    return f"o{i + 1:03d}-{kind}", header + body


def generate(out: Path, n: int, seed: int = 2026, cases: Path | None = None) -> Path:
    """Write OUT/cases (copied from `cases`, default this repository's) and N outlets; return OUT."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(cases or REPO / "cases", out / "cases")
    (out / "outlets").mkdir(parents=True)
    rng = random.Random(seed)
    complaints = complaints_by_business(out / "cases")
    taken: set[str] = set()
    for i in range(n):
        stem, text = make_outlet(i, n, rng, complaints, taken)
        (out / "outlets" / f"{stem}.yml").write_text(text, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--outlets", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    root = generate(args.out, args.outlets, args.seed)
    print(f"{args.outlets} outlets in {root / 'outlets'}")


if __name__ == "__main__":
    main()
