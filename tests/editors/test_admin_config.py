"""The web form's configuration is generated from the models and vocabularies, and the committed
copy (templates/admin/) must match: a test fails when they drift."""
from __future__ import annotations

import json
import re

import pytest
import yaml

from casebook.core.model import ITEM_MODELS, REQUIRED_HEADINGS, TYPE_FOLDERS, VOCAB_FIELDS
from casebook.editors.admin import (CONFIG_FILE, MAX_STORY_FIELDS, REVIEW_BRANCH, REVIEWER_ONLY, STORY_VISIBLE, admin_config,
                                    render_config, render_index, repo_url)
from casebook.editors.issue_form import ISSUE_FORM, issue_form
from conftest import REPO, run_cli

SVELTIA_SCHEMA = REPO / "node_modules/@sveltia/cms/schema/sveltia-cms.json"


def test_committed_config_matches_the_models_and_vocabularies():
    result = run_cli("form", "--check")
    assert result.code == 0, result.err
    assert CONFIG_FILE.read_text(encoding="utf-8") == render_config(REPO, repo_url(REPO))
    assert CONFIG_FILE.with_name("index.html").read_text(encoding="utf-8") == render_index(repo_url(REPO))


def test_a_new_vocabulary_value_makes_the_committed_config_stale(tmp_path):
    (tmp_path / "cases").mkdir()
    vocab = tmp_path / "cases/vocabulary.yml"
    vocab.write_text((REPO / "cases/vocabulary.yml").read_text(encoding="utf-8"), encoding="utf-8")
    basis = (REPO / "cases/basis.yml").read_text(encoding="utf-8")  # the form's basis choices
    (tmp_path / "cases/basis.yml").write_text(basis, encoding="utf-8")
    assert run_cli("form", "--check", "--root", str(tmp_path)).code == 0  # same vocabulary: up to date
    text = vocab.read_text(encoding="utf-8").replace("customer_groups:\n", "customer_groups:\n  - 港澳台客户\n", 1)
    vocab.write_text(text, encoding="utf-8")
    stale = run_cli("form", "--check", "--root", str(tmp_path))
    assert stale.code == 1 and "casebook form --write" in stale.err
    assert "    - 港澳台客户\n" in run_cli("form", "--root", str(tmp_path)).out


def _fields(collection: dict) -> dict[str, dict]:
    return {f["name"]: f for f in collection["fields"]}


def test_every_field_has_a_chinese_label_and_vocabularies_are_the_choices():
    config = admin_config(REPO)
    from casebook.core.library import load_vocabulary

    vocab, _ = load_vocabulary(REPO)
    names = {c["name"]: c for c in config["collections"]}
    assert set(names) == set(TYPE_FOLDERS.values())
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for kind, model in ITEM_MODELS.items():
        collection = names[TYPE_FOLDERS[kind]]
        assert collection["folder"] == f"cases/{TYPE_FOLDERS[kind]}" and cjk.search(collection["label"])
        fields = _fields(collection)
        assert set(fields) == (set(model.model_fields) - {"type"}) | {"body"}, kind
        for name, field in fields.items():
            assert cjk.search(field["label"]), (kind, name)
            if field["widget"] == "hidden":  # kept in the file: not asked in the story form, or a reviewer's field
                assert (kind == "story" and name not in STORY_VISIBLE or name in REVIEWER_ONLY) \
                    and not model.model_fields[name].is_required()
                continue
            if name == "visibility":  # optional in the file; in the form a choice with a default
                assert field["required"] is True and field["default"] == "internal"
                continue
            if (kind, name) == ("drill", "related"):  # optional in the model; a content rule (R006) asks for it
                assert field["required"] is True
                continue
            if (kind, name) == ("story", "consent"):  # optional in the file; in the form two questions in view
                assert field["required"] is True and all(not f["required"] for f in field["fields"])
                continue
            assert field["required"] == (model.model_fields[name].is_required() if name in model.model_fields
                                         else True) or field.get("min"), (kind, name)
            if name in VOCAB_FIELDS:
                assert field["widget"] == "select" and field["options"] == vocab.values(VOCAB_FIELDS[name])
        body = fields["body"]
        if kind in REQUIRED_HEADINGS:
            assert re.findall(r"^## (.+)$", body["default"], re.M) == REQUIRED_HEADINGS[kind]
        assert cjk.search(body["hint"])
    duties = _fields(names["emergencies"])["duties"]
    assert [f["name"] for f in duties["fields"]] == vocab.values("roles")
    assert {f["name"] for f in duties["fields"] if f["required"]} == {"网点负责人", "大堂经理"}
    # whether an item is clear of personal data is the reviewer's to say, in every form (named here,
    # not read from the module under test)
    reviewed = [kind for kind, model in ITEM_MODELS.items() if "privacy_ok" in model.model_fields]
    assert reviewed
    for kind in reviewed:
        assert _fields(names[TYPE_FOLDERS[kind]])["privacy_ok"]["widget"] == "hidden", kind


def _visible(fields: list[dict]) -> list[dict]:
    return [f for f in fields if f["widget"] != "hidden"]


def test_the_story_form_asks_in_an_employees_words():
    story = next(c for c in admin_config(REPO)["collections"] if c["name"] == "stories")
    shown = _visible(story["fields"])
    assert [f["name"] for f in shown] == STORY_VISIBLE and len(shown) <= MAX_STORY_FIELDS == 12
    assert "editable" not in story["slug"]  # no file-name field
    words = " ".join(str(f.get(k, "")) for f in yaml.safe_load(yaml.safe_dump(shown)) for k in ("label", "hint"))
    words += " ".join(f"{sub.get('label')} {sub.get('hint', '')}" for f in shown for sub in f.get("fields", []))
    for jargon in ("true", "key", " id", "cases/", "文件夹", "{customer", "real", "example"):
        assert jargon not in words, jargon
    fields = _fields(story)
    assert [o["label"] for o in fields["source"]["options"]] == ["真实发生的事", "教学示例（人物和网点是编的）"]
    assert [o["value"] for o in fields["source"]["options"]] == ["real", "example"]
    consent = {f["name"]: f for f in fields["consent"]["fields"]}
    assert consent["customer"]["widget"] == consent["staff"]["widget"] == "boolean"
    assert consent["customer"]["label"].endswith("吗？") and consent["staff"]["label"].endswith("吗？")
    assert "minlength" not in fields["title"]  # no "4 / 7 / 40" counter


def test_the_body_length_rule_is_enforced_in_the_form():
    from casebook.core.markdown import text_length

    pattern = re.compile(_fields(next(c for c in admin_config(REPO)["collections"]
                                      if c["name"] == "stories"))["body"]["pattern"][0])
    enough = "客户" * 75  # 150 counted characters
    assert text_length(enough) == 150 and pattern.search(enough)
    short = "## 经过\n\n- " + "客户 " * 73 + "** --- |"  # 148 counted, spread over markup and spaces
    assert text_length(short) < 150 and not pattern.search(short)
    assert pattern.search(short + "客户")  # … and two more make it
    slow = "客 " * 149 + " " * 5000  # a failing match stays linear: no backtracking blow-up
    assert not pattern.search(slow)


def test_a_title_the_checker_refuses_is_refused_in_the_form():
    """check says F004 for a title under 4 characters: the form says so before it saves (a
    pattern, not a counter "4 / 7 / 40")."""
    for collection in admin_config(REPO)["collections"]:
        title = _fields(collection)["title"]
        pattern, said = title["pattern"]
        assert "minlength" not in title and "4" in said, collection["name"]
        assert re.search(pattern, "雨天借伞") and not re.search(pattern, "借雨伞"), collection["name"]


@pytest.mark.parametrize("url,kind", [
    ("https://github.com/bank/casebook", "pull request"), ("https://gitlab.com/bank/casebook", "pull request"),
    ("https://gitlab.bank.internal/svc/casebook", "pull request"),
    ("https://git.bank.internal/svc/casebook", "review branch"), (None, "local folder")])
def test_every_host_saves_for_review(url, kind):
    """No host saves straight to main: a pull request (GitHub, GitLab), a review branch (Gitea,
    Forgejo: the bundled form has no pull requests there), or only the local folder (no forge)."""
    config = yaml.safe_load(render_config(REPO, url))
    if kind == "pull request":
        assert config["publish_mode"] == "editorial_workflow" and config["backend"]["branch"] == "main"
    elif kind == "review branch":
        assert config["backend"]["name"] == "gitea" and config["backend"]["branch"] == REVIEW_BRANCH != "main"
        assert "publish_mode" not in config  # the bundled form would ignore it on Gitea
    else:
        assert config["backend"]["repo"] == "casebook/casebook" and "publish_mode" not in config


def test_backend_follows_repo_url():
    from casebook.editors.admin import backend

    github = backend("https://github.com/bank/casebook")
    assert github["repo"] == "bank/casebook" and github["open_authoring"] is True
    with_forge = admin_config(REPO, "https://github.com/bank/casebook")
    assert with_forge["publish_mode"] == "editorial_workflow"  # every save is a pull request
    assert "publish_mode" not in admin_config(REPO)  # no forge: the local folder only
    assert backend("https://gitea.example.org/svc/casebook.git")["api_root"] == "https://gitea.example.org/api/v1"
    index = render_index("https://gitea.example.org/svc/casebook")
    assert "connect-src 'self' blob: data: https://gitea.example.org;" in index
    assert "script-src 'self';" in index and "unpkg" not in index


@pytest.mark.skipif(not SVELTIA_SCHEMA.is_file(), reason="Sveltia CMS not vendored: run scripts/bootstrap.sh test")
def test_config_is_valid_for_the_vendored_sveltia_version():
    import jsonschema

    schema = json.loads(SVELTIA_SCHEMA.read_text(encoding="utf-8"))
    for url in (None, "https://github.com/bank/casebook"):
        config = yaml.safe_load(render_config(REPO, url))
        errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(config), key=lambda e: list(e.path))
        assert not errors, [(list(e.path), e.message[:200]) for e in errors[:5]]


def test_issue_form_for_a_story_in_plain_fields():
    from casebook.core.library import load_vocabulary

    form = yaml.safe_load(ISSUE_FORM.read_text(encoding="utf-8"))
    assert form == issue_form(REPO)  # generated; `form --check` above covers the text
    vocab, _ = load_vocabulary(REPO)
    body = {b.get("id"): b for b in form["body"]}
    for required in ("title", "summary", "date", "outlet", "staff", "story", "source", "consent_customer",
                     "consent_staff"):
        assert body[required]["validations"]["required"] is True
    assert body["source"]["attributes"]["options"] == ["真实发生的事", "教学示例（人物和网点是编的）"]
    assert body["consent_customer"]["attributes"]["options"] == ["没问过", "同意", "不同意"]
    assert "拍摄地点" in body["photos"]["attributes"]["description"] and "拍摄地点" in form["body"][0]["attributes"]["value"]
    assert body["customer_groups"]["attributes"]["options"] == vocab.values("customer_groups")
    assert body["customer_groups"]["attributes"]["multiple"] is True
    assert all(b["type"] in ("markdown", "input", "textarea", "dropdown", "checkboxes") for b in form["body"])
    assert len(set(body) - {None}) == len(form["body"]) - 1  # ids unique
    config = yaml.safe_load((REPO / ".github/ISSUE_TEMPLATE/config.yml").read_text(encoding="utf-8"))
    assert config["blank_issues_enabled"] is True
