"""常见问法 (`questions:`) and the words the search box reads once: the field checked by
`casebook check`, shown folded on the item page, indexed in a part of its own; the stop and
how-to phrases of cases/search-terms.yml checked like the synonyms; the dictionary's pieces;
a vocabulary category that does not join two synonym groups the file keeps apart."""
from __future__ import annotations

import re

from conftest import run_cli, write

from casebook.core.library import Library
from casebook.site.search import MARK, WEIGHTS, record_html, records
from casebook.site.search_groups import term_groups
from casebook.site.search_words import recurring_pieces

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning)\[(?P<code>\w+)\]: (?P<msg>.+)$")
GUIDE = "cases/guides/elderly.md"


def problems(root):
    result = run_cli("check", "--root", str(root))
    found = [m.groupdict() for m in map(LINE.match, result.err.splitlines() + result.out.splitlines()) if m]
    return result, [(f["path"], int(f["line"]), f["code"], f["msg"]) for f in found]


def with_questions(tree, block: str):
    path = tree / GUIDE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("scope: 特殊客户\n", "scope: 特殊客户\n" + block, 1), encoding="utf-8")


def test_good_questions_pass_the_check(valid_tree):
    with_questions(valid_tree, "questions:\n  - 老人不会用机器怎么办\n  - 阿姨非要在柜台办？\n")
    result, found = problems(valid_tree)
    assert result.code == 0, found


def test_every_problem_of_the_questions_in_one_run_at_its_line(valid_tree):
    with_questions(valid_tree, "questions:\n"
                   "  - 老人\n"                         # line 6: F004 too short
                   "  - 老人不会用**机器**怎么办\n"        # line 7: F011 markup
                   "  - 阿姨非要在柜台办\n"               # line 8 fine
                   "  - 阿姨非要在柜台办？\n"             # line 9: F012 the same question
                   "  - " + "很" * 41 + "\n")            # line 10: F004 too long
    result, found = problems(valid_tree)
    assert result.code == 1
    codes = {(line, code) for path, line, code, msg in found if path == GUIDE}
    assert {(6, "F004"), (7, "F011"), (9, "F012"), (10, "F004")} <= codes, sorted(codes)
    assert (8, "F012") not in codes
    assert any("第 3 句" in msg for path, line, code, msg in found if code == "F012")


def test_at_most_twelve_questions_and_the_privacy_guard_reads_them(valid_tree):
    with_questions(valid_tree, "questions:\n" + "".join(f"  - 老人第{i}次来取钱怎么办\n" for i in range(13)))
    result, found = problems(valid_tree)
    assert result.code == 1 and any(code == "F004" and "12" in msg for _, _, code, msg in found), found
    path = valid_tree / GUIDE
    path.write_text(re.sub(r"questions:\n(  - .*\n)+", "questions:\n  - 客户手机13812345678打不通怎么办\n",
                           path.read_text(encoding="utf-8")), encoding="utf-8")
    result, found = problems(valid_tree)
    assert result.code == 1 and any(path == GUIDE and line == 6 and code == "P002" for path, line, code, _ in found), found


def test_questions_folded_on_the_item_page_and_indexed_in_their_own_part(valid_tree):
    from casebook.site.item import questions_block
    from casebook.site.pagekit import View

    with_questions(valid_tree, "questions:\n  - 老人不会用机器怎么办\n  - '阿姨说\"就要\"在柜台办'\n")
    lib = Library.load(valid_tree, use_cache=False)
    item = lib.items["guides/elderly"]
    html = questions_block(item)
    assert html.startswith('<details class="cb-questions"><summary>常见问法（2）</summary>')
    assert "<li>老人不会用机器怎么办</li>" in html and "<li>阿姨说&quot;就要&quot;在柜台办</li>" in html
    assert questions_block(lib.items["complaints/queue"]) == ""
    record = next(r for r in records(View(lib)) if r.url == "guides/elderly/")
    assert record.meta["questions"].startswith("老人不会用机器怎么办")
    page = record_html(record)
    paragraphs = re.findall(r'<p data-pagefind-weight="(\d+)">([^<]*)</p>', page)
    assert [int(w) for w, _ in paragraphs] == list(WEIGHTS.values())  # every part, in order, even empty
    # every part opens with the marker, but the title's word groups come before it (title_tokens)
    assert all(tokens.split()[0] == MARK for _, tokens in paragraphs[1:])
    title = paragraphs[0][1].split()
    assert MARK in title and all(t.startswith("qq") for t in title[:title.index(MARK)])
    questions = dict(zip(WEIGHTS, (t for _, t in paragraphs)))["questions"]
    assert len(questions.split()) > 5 and WEIGHTS["questions"] > WEIGHTS["heads"]
    assert "xkindpb" in page  # the guide's type token (a procedure)


def test_stop_and_howto_phrases_are_checked_like_the_words(valid_tree):
    write(valid_tree, "cases/search-terms.yml",
          "groups:\n"
          "  - terms: [老年客户, 长者]\n"       # 2
          "stop: [请问, 了, 长者, 请问]\n"       # 3: 长者 is a group's word (Q007), 请问 twice (Q003)
          "howto: [怎么办, 排 队, 了]\n")        # 4: a space (Q005), 了 already a stop word (Q003)
    result, found = problems(valid_tree)
    codes = [(line, code) for path, line, code, msg in found if path == "cases/search-terms.yml"]
    assert result.code == 1
    assert {(3, "Q007"), (3, "Q003"), (4, "Q005"), (4, "Q003")} <= set(codes), codes
    assert not any(code == "Q002" for _, code in codes)


def test_a_category_does_not_join_two_groups_the_file_keeps_apart(valid_tree):
    write(valid_tree, "cases/search-terms.yml", "groups:\n  - terms: [取款, 取钱]\n  - terms: [存款, 存钱]\n")
    vocab = valid_tree / "cases/vocabulary.yml"
    text = vocab.read_text(encoding="utf-8")
    write(valid_tree, "cases/vocabulary.yml",
          text.replace("business:\n", "business:\n  - value: 存取款\n    aliases: [取款, 存款, 现金存取]\n", 1))
    lib = Library.load(valid_tree, use_cache=False)
    groups = term_groups(valid_tree, lib.vocabulary)
    assert ["取款", "取钱"] in groups and ["存款", "存钱"] in groups, groups
    assert not any("取款" in g and "存款" in g for g in groups), groups


def test_the_dictionary_keeps_recurring_words_not_fragments_across_words():
    pieces = recurring_pieces([["客户在厅堂摔倒受伤"], ["客户在厅堂突发疾病"], ["老年客户服务"], ["老年客户及行动不便客户服务"]])
    assert {"客户", "厅堂", "老年客户"} <= set(pieces)
    assert not {"户在厅堂", "年客户", "年客户服"} & set(pieces)


def test_the_dictionary_drops_a_word_and_a_common_character_that_only_happen_to_meet():
    # 客户说 is in two items, but most items saying 客户 say something else after it: a chance
    # meeting of a word and 说, which would cut 客户说明 wrong; 挂失补卡 is in most items holding 补卡
    items = [["客户说卡丢了", "挂失补卡要多久"], ["客户说要投诉", "挂失补卡在哪办"], ["老年客户服务"],
             ["客户在厅堂摔倒"], ["客户排队"], ["客户情绪激动"], ["说话大声"], ["大爷说不办了"],
             ["她说等一下"], ["保安说不行"], ["补卡"]]
    pieces = set(recurring_pieces(items))
    assert "挂失补卡" in pieces and "客户" in pieces
    assert "客户说" not in pieces, sorted(pieces)


def test_a_category_whose_kinds_the_file_names_does_not_make_them_synonyms(valid_tree):
    # 残障客户's aliases are its kinds; the file has 视障 and 听障 in groups of their own, so
    # 视障客户 must not stand in for 听障客户 (a search for one would rank the other's guide first)
    write(valid_tree, "cases/search-terms.yml", "groups:\n  - terms: [视障, 盲人]\n  - terms: [听障, 聋人]\n")
    vocab = valid_tree / "cases/vocabulary.yml"
    text = vocab.read_text(encoding="utf-8")
    write(valid_tree, "cases/vocabulary.yml", text.replace("business:\n", "business:\n  - value: 残障客户\n"
                                                           "    aliases: [残疾客户, 视障客户, 听障客户]\n", 1))
    groups = term_groups(valid_tree, Library.load(valid_tree, use_cache=False).vocabulary)
    assert not any("视障客户" in g and "听障客户" in g for g in groups), groups
    assert ["视障", "盲人"] in groups and ["听障", "聋人"] in groups, groups
    assert any(g[:2] == ["残障客户", "残疾客户"] for g in groups), groups  # the true synonyms stay together
