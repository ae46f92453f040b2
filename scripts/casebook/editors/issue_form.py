"""The issue form for a story (.github/ISSUE_TEMPLATE/story.yml), generated like the web form's
configuration: labels from the models, choices from cases/vocabulary.yml. For outlet staff with
only a browser account; an editor turns the issue into cases/stories/<slug>.md.

`generated_files` lists every generated file with its expected text, for `casebook form --write`
and `--check` (and the test that fails when one of them drifts).
"""
from __future__ import annotations

from pathlib import Path

import yaml

from ..core.library import load_vocabulary
from ..core.model import VOCAB_FIELDS, Story
from .admin import (CONFIG_FILE, PROJECT, SOURCE_OPTIONS, VISIBILITY_OPTIONS, _Dumper, render_config, render_index,
                    repo_url)

ISSUE_FORM = PROJECT / ".github" / "ISSUE_TEMPLATE" / "story.yml"
# A photo dropped into an issue is published as the phone took it, with the place it was taken.
PHOTO_LOCATION = "手机照片里常带拍摄地点（GPS），拖进这里会原样公开：请先给照片截个图，上传截图（截图不带地点）。"


def issue_form(root: Path) -> dict:
    """A GitHub issue form for a story in plain fields, for staff with only a browser account;
    an editor turns the issue into cases/stories/<slug>.md. Choices come from the vocabularies."""
    vocab, _ = load_vocabulary(root)
    fields = Story.model_fields

    def text(id_: str, kind: str, hint: str, required: bool, placeholder: str = "", label: str = "") -> dict:
        attrs = {"label": label or fields[id_].title, "description": hint}
        if placeholder:
            attrs["placeholder"] = placeholder
        return {"type": kind, "id": id_, "attributes": attrs, "validations": {"required": required}}

    def yes_no(id_: str, label: str) -> dict:
        return {"type": "dropdown", "id": id_, "attributes": {
            "label": label, "description": "只有“公开”的真实故事需要；没问过就选“没问过”",
            "options": ["没问过", "同意", "不同意"]}, "validations": {"required": True}}

    def choices(id_: str, hint: str) -> dict:
        return {"type": "dropdown", "id": id_, "attributes": {
            "label": fields[id_].title, "description": hint, "multiple": True,
            "options": vocab.values(VOCAB_FIELDS[id_])}, "validations": {"required": False}}

    return {
        "name": "投稿：暖心故事",
        "description": "不用 git，填几个框就能投一个暖心服务故事；编辑同事会把它整理进案例库",
        "title": "投稿：",
        "labels": ["投稿", "暖心故事"],
        "body": [
            {"type": "markdown", "attributes": {"value": (
                "谢谢投稿！客户只写“李阿姨”“王先生”，**不要**写客户的全名、电话、证件号、卡号和住址。\n"
                "这里提交的内容所有能看到本仓库的人都能看到；编辑同事整理后会在本页回复文件链接。\n\n"
                "**照片**：" + PHOTO_LOCATION)}},
            text("title", "input", "4–40 个字", True, "雨天为客户准备爱心雨伞"),
            text("summary", "input", "一句话，不超过 120 个字", True),
            text("date", "input", "事情发生的日期，写成 2026-05-12 这样", True, "2026-05-12"),
            text("outlet", "input", "网点名称", True, "东湖路支行营业部"),
            text("staff", "input", "参与的员工姓名，用顿号隔开", True, "周晓雯、李明"),
            choices("customer_groups", "可多选，可不选"),
            {"type": "dropdown", "id": "source", "attributes": {
                "label": "这是真实发生的事，还是教学示例？", "description": "教学示例：人物和网点是为培训编的",
                "options": [o["label"] for o in SOURCE_OPTIONS]}, "validations": {"required": True}},
            {"type": "dropdown", "id": "visibility", "attributes": {
                "label": fields["visibility"].title, "description": "不确定时选“内部”",
                "options": [o["label"] for o in VISIBILITY_OPTIONS]}, "validations": {"required": True}},
            yes_no("consent_customer", "客户（或家属）同意公开这个故事吗？"),
            yes_no("consent_staff", "故事里的员工同意公开吗？"),
            text("story", "textarea", "什么时候、在哪里、客户遇到了什么难处、员工怎么做的、结果怎样；至少 150 个字",
                 True, label="故事"),
            text("photos", "textarea", "有照片时拖进这个框；说明照片里是谁、是否同意公开。" + PHOTO_LOCATION, False,
                 label="照片"),
            {"type": "checkboxes", "id": "confirm", "attributes": {"label": "提交前确认", "options": [
                {"label": "客户已匿名：没有全名、电话、证件号、卡号、住址", "required": True},
                {"label": "照片里能认出的人都已同意（没有照片时也勾选）", "required": True}]}},
        ],
    }


def render_issue_form(root: Path) -> str:
    return ("# 由 casebook form --write 从模型和 cases/vocabulary.yml 生成，不要手改。\n"
            + yaml.dump(issue_form(root), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120))


def generated_files(root: Path) -> dict[Path, str]:
    url = repo_url(root)
    return {CONFIG_FILE: render_config(root, url), CONFIG_FILE.with_name("index.html"): render_index(url),
            ISSUE_FORM: render_issue_form(root)}


def write_files(root: Path = PROJECT) -> list[Path]:
    out = []
    for path, text in generated_files(root).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


def stale_files(root: Path = PROJECT) -> list[Path]:
    """Generated files that no longer match the models, vocabularies or repo_url."""
    return [p for p, text in generated_files(root).items()
            if not p.is_file() or p.read_text(encoding="utf-8") != text]
