"""How the search box reads a query and orders pages: query.js and rank.js, the browser's own
modules, run by Node on a lexicon built from the sample library (no site build, no browser).

Query understanding: fillers and question frames stripped, a sentence cut into the library's
words (longest match), how-to intent, a one-character typo found inside a phrase. Ranking:
a generic word counts less than a topical one (IDF), how-to prefers procedures, the type only
breaks ties."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from casebook.core.library import build_library
from casebook.core.search_terms import parse_search_terms
from casebook.site.search_groups import term_groups
from casebook.site.search_words import dictionary
from conftest import REPO
from search_js import ASSETS, node, rank

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node")


@pytest.fixture(scope="module")
def terms(tmp_path_factory):
    """The lexicon the build ships (site/search.py: box_terms), as a file Node reads."""
    lib = build_library(REPO)
    groups = term_groups(REPO, lib.vocabulary)
    phrases = parse_search_terms(REPO)
    words, pieces = dictionary([lib.items[i] for i in sorted(lib.items)], groups, phrases.stop + phrases.howto)
    path = tmp_path_factory.mktemp("lexicon") / "terms.json"
    path.write_text(json.dumps({"groups": groups, "words": words, "pieces": pieces, "stop": phrases.stop,
                                "howto": phrases.howto}, ensure_ascii=False), encoding="utf-8")
    return path


def parse(terms, q):
    return node(f"console.log(JSON.stringify(Q.parseQuery({json.dumps(q)}, lex)));", terms)


def test_fillers_and_question_frames_are_stripped(terms):
    p = parse(terms, "请问老人来取钱了怎么办呢")
    assert [u["text"] for u in p["units"]] == ["老人", "取钱"], p
    assert {"请问", "怎么办"} <= set(p["dropped"]), p
    # a single-character filler goes only where it stands alone: 要求 keeps its 要
    p = parse(terms, "客户要求赔偿")
    assert "要" not in p["dropped"] and any("要求" in u["text"] for u in p["units"]), p


def test_a_sentence_is_cut_into_the_librarys_words_longest_first(terms):
    p = parse(terms, "老年客户代取养老金")
    assert [u["text"] for u in p["units"]] == ["老年客户", "代取", "养老金"], p
    # a known word beats a piece that straddles two words (客户|在|厅堂, not 户在厅堂)
    p = parse(terms, "客户在厅堂摔倒了")
    assert [u["text"] for u in p["units"]][-1] == "摔倒" and "户在厅堂" not in [u["text"] for u in p["units"]], p
    assert all(u.get("group") is not None for u in p["units"] if u["text"] in ("老年客户", "摔倒")), p


def test_a_segment_made_only_of_fillers_is_dropped(terms):
    # Intl.Segmenter joins two one-character fillers into one "word" (我的, 我把, 想在): a filler
    # too, not a word every page holds; a segment with a real word in it stays (卡里, 讲)
    for q, filler in (("我的退休金停发了", "我的"), ("快帮我把卡停掉", "我把"), ("想在等候区给客户讲讲防骗", "想在")):
        p = parse(terms, q)
        assert filler in p["dropped"] and filler not in [u["text"] for u in p["units"]], (q, p)
    assert "退休金" in [u["text"] for u in parse(terms, "我的退休金停发了")["units"]]


def test_how_to_intent(terms):
    for q in ("客户摔倒了该怎么处理", "老人取钱怎么办", "如何安抚情绪激动的客户", "吞卡了咋办"):
        assert parse(terms, q)["howto"], q
    for q in ("客户摔倒", "老人取钱", "吞卡"):
        assert not parse(terms, q)["howto"], q


def test_asking_whether_to_do_something_asks_for_the_rule(terms):
    # verb 不/没 verb (要不要, 开不开, 收不收) asks what the rule is, as 怎么办 does …
    for q in ("暴雨天网点开不开门", "系统升级要不要提前告诉客户", "硬币收不收"):
        assert parse(terms, q)["howto"], q
    # … but a customer's 是不是你们… is an accusation, and a plain sentence asks nothing
    for q in ("是不是你们把钱扣了", "暴雨天网点开门"):
        assert not parse(terms, q)["howto"], q


def test_a_bare_zenme_of_surprise_asks_why_not_how(terms):
    # a customer's 怎么…了 / 怎么没 / 怎么还 is a complaint (how come), not a how-to question
    for q in ("我存定期怎么变成保险了", "养老金怎么没到", "你们怎么还收钱", "不是说很稳的吗怎么亏了"):
        assert not parse(terms, q)["howto"], q
    for q in ("人走了 存款怎么取", "客户要投诉我该怎么接待", "账户被冻结了怎么办", "卡被吞了怎么处理"):
        assert parse(terms, q)["howto"], q


def test_a_typo_inside_a_phrase_has_a_known_word_one_character_away(terms):
    near = node('console.log(JSON.stringify(lex.near("账户被冻洁")));', terms)
    assert any(n["window"] == "冻洁" and n["word"] == "冻结" for n in near), near
    # inside a phrase only where a segment starts and ends: the typed run's cuts are kept
    p = parse(terms, "账户被冻洁")
    assert p["runs"] and p["runCuts"], p


def hit(place, also=(), share=1, kind=1):
    return {"place": place, "also": list(also), "kind": kind, "share": share, "title": []}


def test_a_generic_word_counts_less_than_a_topical_one():
    # 客户 is in 60 pages, 养老金 in 4: the page with 养老金 in its title comes first, though the
    # other page has 客户 in its title and 养老金 only in its body
    units = [{"text": "客户", "df": 60, "matches": [["a", hit(0)], ["b", hit(5)]]},
             {"text": "养老金", "df": 4, "matches": [["a", hit(5)], ["b", hit(0)]]}]
    pages = [["a", {"type": "complaint", "titleTokens": 10}], ["b", {"type": "complaint", "titleTokens": 10}]]
    assert rank(units, pages) == ["b", "a"]


def test_an_incidental_rare_word_does_not_outweigh_the_words_the_answer_holds_together():
    # a sentence of four words: "chance" holds only the rarest (1 page in 100 holds it), "answer"
    # holds the other three (30 pages each), all in their 常见问法: the flattened idf (rank.js:
    # IDF_POWER) puts the answer first; with ln(1 + N/df) as it is, the one rare word won
    units = [{"text": "rare", "df": 1, "matches": [["chance", hit(1)]]}]
    units += [{"text": w, "df": 30, "matches": [["answer", hit(1)]]} for w in ("a", "b", "c")]
    pages = [["chance", {"type": "complaint", "titleTokens": 10}], ["answer", {"type": "complaint", "titleTokens": 10}]]
    assert rank(units, pages) == ["answer", "chance"]


def test_how_to_prefers_procedures_and_type_only_breaks_ties():
    units = [{"text": "摔倒", "df": 5, "matches": [["case", hit(0)], ["plan", hit(0, share=1, kind=0.9)]]}]
    pages = [["case", {"type": "complaint", "titleTokens": 8}], ["plan", {"type": "emergency", "titleTokens": 8}]]
    assert rank(units, pages) == ["case", "plan"]  # the better match first …
    assert rank(units, pages, '"howto"') == ["plan", "case"]  # … unless the query asks what to do
    # equal matches: the type decides, and only then
    units = [{"text": "摔倒", "df": 5, "matches": [["case", hit(0)], ["plan", hit(0)]]}]
    assert rank(units, pages) == ["plan", "case"]


def test_topic_bonus_goes_to_the_procedure_whose_title_holds_the_topic():
    # 理财跌破本金 (a topic: two words, nothing dropped): the case titled with both words comes
    # before the guide that has the rarer word only in its 常见问法 …
    units = [{"text": "理财", "df": 47, "matches": [["guide", hit(0, (1, 5))], ["case", hit(0, (1,))]]},
             {"text": "跌破本金", "df": 6, "matches": [["guide", hit(1, (4, 5))], ["case", hit(0, (1, 4))]]}]
    pages = [["guide", {"type": "guide", "titleTokens": 14}], ["case", {"type": "complaint", "titleTokens": 16}]]
    assert rank(units, pages, '"topic"') == ["case", "guide"]
    # … a guide whose title holds part of the word (挂失 of 挂失补卡, the word itself in its 常见问法)
    # takes that part of the bonus, and comes before a case holding the word in more parts
    units = [{"text": "挂失补卡", "df": 4,
              "matches": [["case", hit(1, (4, 5))], ["guide", {**hit(1), "title": [3], "titleShare": 1 / 3}]]}]
    pages = [["guide", {"type": "guide", "titleTokens": 6}], ["case", {"type": "complaint", "titleTokens": 16}]]
    assert rank(units, pages, '"topic"') == ["guide", "case"]
    # … while a guide whose title holds the topic takes the whole bonus (老人: the guide on older customers)
    units = [{"text": "老人", "df": 100, "matches": [["guide", hit(0, (1,))], ["case", hit(0, (1,))]]}]
    assert rank(units, pages, '"topic"') == ["guide", "case"]


# --- typos are homophones: Engine.typos on a stub index of a few pages ---------------------------

ENGINE = ASSETS / "search-engine.js"
STUB = """
import { Engine, pairToken } from "%s";
import { parseQuery, Readings } from "%s";
// a stub of Pagefind over a few texts: one page per text, its title part only
const pages = %s;
const tokens = pages.map((t) => { const c = [...t]; const out = ["xmark"]; for (let i = 0; i + 1 < c.length; i++) out.push(pairToken(c[i] + c[i + 1])); return out; });
const pf = { search: async (q) => {
  const t = q.replace(/"/g, "");
  const results = [];
  tokens.forEach((ts, id) => {
    const words = ts.flatMap((x, k) => (x === t || (!q.startsWith('"') && /^z[a-z]{4}$/.test(t) && x.startsWith(t)) ? [k] : []));
    if (words.length) results.push({ id: String(id), words, data: async () => ({}) });
  });
  return { results };
} };
const lex = %s;
const sounds = %s;
const eng = new Engine(pf, { words: lex, n: pages.length }, sounds ? async () => sounds : null);
const out = {};
for (const q of %s) out[q] = (await eng.typos(q, parseQuery(q, eng.lex), {})).map((f) => [f.from, f.to, ...f.alts]);
console.log(JSON.stringify(out));
"""


def typos(queries, pages, words, table):
    from casebook.site.search_readings import readings
    sounds = {k: v for k, v in readings().items()} if table else None
    script = STUB % (ENGINE.as_uri(), (ASSETS / "query.js").as_uri(), json.dumps(pages, ensure_ascii=False),
                     json.dumps(words, ensure_ascii=False), json.dumps(sounds, ensure_ascii=False),
                     json.dumps(queries, ensure_ascii=False))
    out = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_readings_say_which_characters_sound_alike():
    script = ('const r = new Q.Readings(JSON.parse(readFileSync(0, "utf8")));\n'
              'console.log(JSON.stringify(["屯吞", "帐障", "是事", "今金", "屯断", "灭亏", "环聋", "巴汇", "z吞"].map((p) => r.alike(...p))));')
    from casebook.site.search_readings import readings_json
    head = (f'import * as Q from "{(ASSETS / "query.js").as_uri()}";\n'
            'import { readFileSync } from "node:fs";\n')
    out = subprocess.run(["node", "--input-type=module", "-e", head + script], input=readings_json(),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [True, True, True, True, False, False, False, False, False]


def test_a_typo_is_a_homophone_of_the_word_meant():
    pages = ["自助设备吞卡处置", "断卡惩戒的解释", "理财亏了怎么说", "听障客户服务", "停电时厅里的灯"]
    words = ["吞卡", "断卡", "亏了", "耳聋", "听障"]
    queries = ["屯卡", "灯全灭了", "听帐"]
    got = typos(queries, pages, words, table=True)
    assert got["屯卡"] == [["屯卡", "吞卡"]], got   # tun: 吞卡, not 断卡 (one character away too)
    assert got["灯全灭了"] == [], got                # 灭了 is no typo of 亏了
    assert got["听帐"] == [["听帐", "听障"]], got
    # without the readings every word one character away is a reading (what the table prevents)
    loose = typos(queries, pages, words, table=False)
    assert ["屯卡", "断卡"] in [f[:2] for f in loose["屯卡"]] or "断卡" in loose["屯卡"][0], loose
    assert loose["灯全灭了"], loose


def test_family_words_are_one_group_apart_from_proxy_business_and_legal_kin(terms):
    # the library writes 家属 (43 items), customers say 家里人 or 家人: one group, so 家里人代办
    # finds the proxy-business guide, which says 家属; 亲属 (legal kin, wider) and 代办 stay apart
    groups = json.loads(terms.read_text(encoding="utf-8"))["groups"]
    family = [g for g in groups if "家里人" in g]
    assert len(family) == 1 and {"家属", "家人"} <= set(family[0]), family
    assert "亲属" not in family[0] and "代办" not in family[0], family
    units = parse(terms, "家里人代办")["units"]
    assert [u["text"] for u in units] == ["家里人", "代办"] and units[0].get("group") is not None, units
