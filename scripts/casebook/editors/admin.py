"""The web form under /admin/ (Sveltia CMS): its configuration, generated from the models and
the vocabularies, never written by hand.

Every field of every item type becomes a form field with its Chinese label (the model's
`title`) and help (`description`); vocabulary fields become choices with the values of
cases/vocabulary.yml; the body is pre-filled with the type's required `##` headings. The
output is committed as templates/admin/config.yml (the site copies it to /admin/config.yml);
`casebook form --check` and a test fail when it no longer matches the models or vocabularies.
"""
from __future__ import annotations

import datetime as dt
import re
import types
import typing
from pathlib import Path

import yaml
from pydantic import BaseModel

from ..core.basis import load_registry
from ..core.library import load_vocabulary
from ..core.project import PROJECT, TEMPLATES
from ..core.questions import MAX_CHARS, MIN_CHARS
from ..core.model import (ITEM_MODELS, ItemBase, MIN_BODY_CHARS, REQUIRED_DUTY_ROLES, REQUIRED_HEADINGS, TYPE_FOLDERS,
                          TYPE_LABELS, VOCAB_FIELDS, VOCAB_LABELS)

CONFIG_FILE = TEMPLATES / "admin" / "config.yml"
# Order in the form's menu: what outlet staff write most comes first.
COLLECTION_ORDER = ["story", "complaint", "emergency", "guide", "standard", "course", "drill"]
# Help the models do not carry (they describe data, not how an outlet writes it).
EXTRA_HINTS = {
    "visibility": "不确定时选“内部”；选“公开”时，故事里的照片须取得授权",
    "staff": "参与的员工姓名，一人一行",
    "outlet": "如：东湖路支行营业部",
    "author": "你的姓名或网点，可不填",
    "updated": "今天的日期",
    "related": "其他条目的 id，带文件夹，如 guides/elderly-customers；不确定可不填",
    "tags": "自由标签，一行一个，可不填",
    "questions": "员工或客户会怎么问这件事，照口头的说法写，一行一句（4–40 个字，最多 12 句），如：老人取不了养老金怎么办；可不填",
    "basis": "cases/basis.yml 里登记的制度依据 key，如 elderly-finance-2024，一行一个；不确定可不填",
    "images": "照片会在浏览器里转成 WebP、去掉拍摄地点等信息、长边缩到 2048 像素",
    "src": "选择或上传照片（JPEG、PNG、WebP 静态图片）",
    "consent": "照片中能认出的人已同意公开展示时才勾选",
}
VISIBILITY_OPTIONS = [{"label": "内部（只在行内站点显示）", "value": "internal"},
                      {"label": "公开（可对外发布）", "value": "public"}]
SOURCE_OPTIONS = [{"label": "真实发生的事", "value": "real"},
                  {"label": "教学示例（人物和网点是编的）", "value": "example"}]
# A story in the words of the employee who lived it: the questions they can answer, no file
# paths, ids or registry keys (those fields stay in the file, hidden; an editor fills them in
# git). At most MAX_STORY_FIELDS fields show.
STORY_VISIBLE = ["title", "summary", "date", "outlet", "staff", "customer_groups", "body", "images", "source",
                 "visibility", "consent", "updated"]
MAX_STORY_FIELDS = 12
# Plain questions in place of the models' technical help (a story's consent and its photos).
STORY_WORDS = {
    "source": ("这是", "真实发生的事，还是为培训编的例子？"),
    "consent": ("公开前的同意", "只有选“公开”的真实故事才需要；没问过就不要打开"),
    "consent.customer": ("客户（或家属）同意公开这个故事吗？", "同意了才打开"),
    "consent.staff": ("故事里的员工同意公开吗？", "同意了才打开"),
    "images": ("照片", "可不放。照片会在浏览器里转成 WebP、去掉拍摄地点等信息、长边缩到 2048 像素"),
    "images.src": ("照片", "点“浏览”选择手机或电脑里的照片（JPEG、PNG、WebP 静态图片）"),
    "images.caption": ("照片说明", "一句话，如：暖域驿站里的爱心伞架"),
    "images.consent": ("照片里能认出的人同意公开吗？", "同意了才打开；没有人像也可以打开"),
    "updated": ("填写日期", "自动填今天，不用改"),
    "date": ("事情发生的日期", None),
}
# The body's length rule in the form (MIN_BODY_CHARS counts what markdown.text_length counts:
# everything but whitespace and #>*_`-|). Each repetition ends at a counted character, so the
# browser's regular expression cannot backtrack.
_UNCOUNTED = r"[\s#>*_`|-]"
_COUNTED = r"[^\s#>*_`|-]"
QUESTION_CHARS = (MIN_CHARS, MAX_CHARS)  # each line of 常见问法 (core/questions.py)
HEADER = ("# 网页表单（/admin/，Sveltia CMS）的配置：由 casebook form --write 从模型和 cases/vocabulary.yml 生成，\n"
          "# 不要手改；改了词表或字段后重新生成（测试会在两者不一致时失败）。\n")


# A vocabulary list of up to this many values is a column of checkboxes (all in sight on a phone,
# one tap each: the customer groups); a longer one a dropdown (the 16 businesses).
CHECKBOXES_UP_TO = 12


def repo_url(project: Path = PROJECT) -> str | None:
    """mkdocs.yml's repo_url, read as text (the file may hold tags yaml.safe_load refuses)."""
    path = project / "mkdocs.yml"
    if not path.is_file():
        return None
    m = re.search(r"^repo_url:\s*['\"]?([^'\"\s#]+)", path.read_text(encoding="utf-8"), re.M)
    return m.group(1).rstrip("/") if m else None


MEDIA_FOLDER = "cases/media"
# Where a Gitea/Forgejo save goes: the bundled form opens pull requests on GitHub and GitLab only,
# so on those hosts it writes to this branch, never to main; an editor reviews it in one pull request.
REVIEW_BRANCH = "contributions"


def review_mode(forge: dict, url: str | None) -> dict:
    """Every save is reviewed: a pull request (GitHub, GitLab: the editorial workflow); Gitea and
    Forgejo saves land on REVIEW_BRANCH (set in `backend`). Without a forge only the local
    folder is offered, and the editor's own git commit goes through a pull request."""
    return {"publish_mode": "editorial_workflow"} if url and forge["name"] in ("github", "gitlab") else {}


def backend(url: str | None, branch: str = "main") -> dict:
    """Pull requests on the forge in repo_url; without one, only the local-folder workflow is
    offered (Chromium on this machine) and `repo` is a placeholder the form never contacts."""
    if not url:
        return {"name": "github", "repo": "casebook/casebook", "branch": branch}
    m = re.match(r"^https?://([^/]+)/([^/]+/[^/]+?)(?:\.git)?$", url)
    if not m:
        return {"name": "github", "repo": "casebook/casebook", "branch": branch}
    host, repo = m.groups()
    if host == "github.com":
        # open_authoring: an editor without write access saves into a fork, and the form opens
        # the pull request; editors with access get a branch and a pull request per entry
        return {"name": "github", "repo": repo, "branch": branch, "open_authoring": True, "auth_scope": "public_repo"}
    if "gitlab" in host:
        return {"name": "gitlab", "repo": repo, "branch": branch,
                **({} if host == "gitlab.com" else {"api_root": f"https://{host}/api/v4"})}
    return {"name": "gitea", "repo": repo, "branch": REVIEW_BRANCH, "api_root": f"https://{host}/api/v1"}


def _unwrap(annotation):
    """(inner type, is_list, is_optional) of a field annotation."""
    optional = False
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        annotation = args[0]
        origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
        origin = typing.get_origin(annotation)
    if origin is list:
        inner = typing.get_args(annotation)[0]
        if typing.get_origin(inner) is typing.Annotated:
            inner = typing.get_args(inner)[0]
        return inner, True, optional
    return annotation, False, optional


def _limits(field) -> dict:
    out = {}
    for meta in field.metadata:
        for attr, key in (("min_length", "min"), ("max_length", "max"), ("ge", "ge"), ("le", "le"), ("gt", "gt")):
            value = getattr(meta, attr, None)
            if value is not None:
                out[key] = value
    return out


def _scalar(name: str, annotation, field, vocab) -> dict:
    limits = _limits(field)
    if annotation is bool:
        return {"widget": "boolean", "default": bool(field.default) if field.default is not None else False}
    if annotation is int:
        spec = {"widget": "number", "value_type": "int"}
        if "ge" in limits or "gt" in limits:
            spec["min"] = limits.get("ge", limits.get("gt", 0) + 1)
        if "le" in limits:
            spec["max"] = limits["le"]
        return spec
    if annotation is dt.date:
        return {"widget": "datetime", "type": "date", "format": "YYYY-MM-DD"}
    if typing.get_origin(annotation) is typing.Literal:
        values = list(typing.get_args(annotation))
        if name == "visibility":
            return {"widget": "select", "options": VISIBILITY_OPTIONS}
        return {"widget": "select", "options": values}
    spec = {"widget": "text" if name in ("say", "detail", "summary") else "string"}
    if "min" in limits and limits["min"] > 1:
        spec["minlength"] = limits["min"]
    if "max" in limits:
        spec["maxlength"] = limits["max"]
    if name == "url":
        spec["pattern"] = ["^https?://", "链接须以 http:// 或 https:// 开头"]
    return spec


def _field(name: str, field, vocab, kind: str, path: str = "") -> dict:
    annotation, is_list, _ = _unwrap(field.annotation)
    spec: dict = {"name": name, "label": field.title or name}
    key = f"{path}{name}"
    # a yes/no field's own description first (a story's consent.staff is not the staff list)
    hint = (field.description if annotation is bool else None) or EXTRA_HINTS.get(name) or field.description
    if hint:
        spec["hint"] = hint
    required = field.is_required()
    if name in VOCAB_FIELDS:
        spec.update({"widget": "select", "options": vocab.values(VOCAB_FIELDS[name])})
        spec["label"] = spec["label"] if field.title else VOCAB_LABELS.get(name, name)
        if is_list:
            spec["multiple"] = True
            limits = _limits(field)
            if limits.get("min"):
                spec["min"] = limits["min"]
            spec["dropdown_threshold"] = CHECKBOXES_UP_TO
    elif name == "duties":
        spec.update({"widget": "object", "fields": [
            {"name": role, "label": role, "widget": "list", "required": role in REQUIRED_DUTY_ROLES,
             "field": {"name": "duty", "label": "职责", "widget": "string"},
             **({"min": 1} if role in REQUIRED_DUTY_ROLES else {})}
            for role in vocab.values("roles")]})
        spec["hint"] = f"每个岗位的职责，一行一条；{'和'.join(REQUIRED_DUTY_ROLES)}必填"
    elif name == "basis" and vocab_basis(vocab):
        spec.update({"widget": "select", "multiple": True, "options": vocab_basis(vocab)})
        spec["hint"] = "这条内容依据的法规或制度，从列表里选；不确定可不选"
    elif is_list and isinstance(annotation, type) and issubclass(annotation, BaseModel):
        spec.update({"widget": "list", "fields": _fields(annotation, vocab, kind, f"{key}.")})
        limits = _limits(field)
        if limits.get("min"):
            spec["min"] = limits["min"]
    elif is_list:
        # the field's limits are the list's (how many), not each line's
        line = _scalar(name, annotation, types.SimpleNamespace(metadata=[]), vocab)
        if name == "questions":
            line.update({"minlength": QUESTION_CHARS[0], "maxlength": QUESTION_CHARS[1]})
        spec.update({"widget": "list", "field": {"name": "item", "label": spec["label"], **line}})
        limits = _limits(field)
        if limits.get("min"):
            spec["min"] = limits["min"]
        if limits.get("max"):
            spec["max"] = limits["max"]
    elif name == "src":
        spec.update({"widget": "image", "choose_url": False})
    elif name == "report_within_minutes":  # taken from cases/bank.yml, never a number typed by hand
        from ..core.bank import ReportMinutes

        spec.update({"widget": "select", "options": [
            {"label": f"{f.title}（本行参数 report_minutes.{key}）", "value": f"【bank.report_minutes.{key}】"}
            for key, f in ReportMinutes.model_fields.items()]})
        spec["hint"] = "报告时限由本行在 cases/bank.yml 统一设定；选事件属于哪一类"
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):  # e.g. a story's consent
        spec.update({"widget": "object", "fields": _fields(annotation, vocab, kind, f"{key}.")})
        if field.description:
            spec["hint"] = field.description
    else:
        spec.update(_scalar(name, annotation, field, vocab))
    if name in ("updated",):
        spec["default"] = "{{now}}"
    if name == "visibility":
        spec["default"] = "internal"
        required = True  # an optional select offers an unexplained "(无)"
    if name == "source":
        spec["default"] = "real"  # a story sent in by staff is a real event unless they say otherwise
        spec["options"] = SOURCE_OPTIONS
    if name == "title" and (low := spec.pop("minlength", None)):
        # (a counter "4 / 7 / 40" reads as nonsense: the lower bound is checked as check checks it,
        # any character counted, and said in words when it is not met)
        spec["pattern"] = [f"^[\\s\\S]{{{low},}}$", f"标题至少要 {low} 个字"]
    if kind == "drill" and name == "related":
        required = True  # (a drill names what it rehearses: check says R006 without it)
    if kind == "story" and key in STORY_WORDS:
        label, hint = STORY_WORDS[key]
        spec["label"] = label
        if hint:
            spec["hint"] = hint
        else:
            spec.pop("hint", None)
    if kind == "story" and key == "consent":
        required = True  # both questions in view, not behind an "add" box; unanswered they stay false
    spec["required"] = required or (is_list and bool(_limits(field).get("min")))
    return spec


class _Choices:
    """What the form offers as lists: the vocabularies, and the basis registry (title shown, key saved)."""

    def __init__(self, vocab, basis: list[dict]):
        self.vocab, self.basis = vocab, basis

    def values(self, name: str) -> list[str]:
        return self.vocab.values(name)


def vocab_basis(choices) -> list[dict]:
    return getattr(choices, "basis", [])


def _fields(model: type[BaseModel], vocab, kind: str, path: str = "") -> list[dict]:
    """The model's fields: title and summary first, then what this type adds, then the rest."""
    names = [n for n in model.model_fields if n != "type"]
    base = set(ItemBase.model_fields) if issubclass(model, ItemBase) else set()
    first = [n for n in ("title", "summary") if n in names]
    own = [n for n in names if n not in base]
    order = first + own + [n for n in names if n not in first and n not in own]
    fields = [_field(name, model.model_fields[name], vocab, kind, path) for name in order]
    # a reviewer's field (the privacy checker's excuses) is kept, never offered to an employee
    return [{"name": f["name"], "label": f["label"], "widget": "hidden"} if f["name"] in REVIEWER_ONLY else f
            for f in fields]


REVIEWER_ONLY = {"privacy_ok"}


def _story_fields(fields: list[dict]) -> list[dict]:
    """The story form: the employee's questions in STORY_VISIBLE's order; every other field kept
    as a hidden one, so a file an editor completed in git keeps its values when edited here."""
    by_name = {f["name"]: f for f in fields}
    shown = [by_name[n] for n in STORY_VISIBLE if n in by_name]
    hidden = [{"name": f["name"], "label": f["label"], "widget": "hidden"}
              for f in fields if f["name"] not in STORY_VISIBLE]
    return shown + hidden


def body_default(kind: str) -> str:
    headings = REQUIRED_HEADINGS.get(kind)
    if headings:
        return "".join(f"## {h}\n\n\n\n" for h in headings)
    return ""


def _body(kind: str) -> dict:
    spec = {"name": "body", "label": "正文", "widget": "markdown", "modes": ["raw"], "required": True}
    headings = REQUIRED_HEADINGS.get(kind)
    if headings:
        spec["default"] = body_default(kind)
        spec["hint"] = f"在每个“## 标题”下面写内容；这些标题都要保留，顺序不变：{'、'.join(headings)}"
    elif kind == "story":
        spec["label"] = "故事"
        spec["hint"] = (f"用几段话讲这个故事：什么时候、在哪里、客户遇到了什么难处、员工怎么做的、结果怎样。"
                        f"至少 {MIN_BODY_CHARS['story']} 个字。客户只写“李阿姨”“王先生”，不写全名、电话、证件号和住址")
    else:
        spec["hint"] = "正文，用 Markdown 写：## 小标题、- 列表"
    minimum = MIN_BODY_CHARS.get(kind)
    if minimum:
        spec["pattern"] = [f"^(?:{_UNCOUNTED}*{_COUNTED}){{{minimum}}}", f"至少要写 {minimum} 个字，现在还不够"]
    return spec


def collection(kind: str, vocab) -> dict:
    folder = TYPE_FOLDERS[kind]
    fields = [*_fields(ITEM_MODELS[kind], vocab, kind), _body(kind)]
    if kind == "story":
        fields = _story_fields(fields)
    return {
        "name": folder, "label": TYPE_LABELS[kind], "label_singular": TYPE_LABELS[kind],
        "folder": f"cases/{folder}", "extension": "md", "format": "yaml-frontmatter", "create": True,
        # the file name is made from the save time (a valid slug); an editor renames it in git if wanted
        "slug": {"template": "{{year}}{{month}}{{day}}-{{hour}}{{minute}}{{second}}"},
        "identifier_field": "title", "summary": "{{title}}", "sortable_fields": ["updated", "title"],
        "fields": fields,
    }


def admin_config(root: Path, url: str | None = None) -> dict:
    vocab, _ = load_vocabulary(root)
    registry, _ = load_registry(root)
    choices = _Choices(vocab, [{"label": inst.title, "value": key} for key, inst in registry.entries.items()
                               if inst.status == "current"])
    forge = backend(url)
    return {
        "app_title": "网点服务案例库 · 投稿",
        "logo": {"src": "logo.svg"},
        "backend": forge,
        **review_mode(forge, url),
        "media_folder": MEDIA_FOLDER,
        # the form writes /media/x.webp (its public folder must start with "/"); the checker reads
        # that as media/x.webp, i.e. cases/media/x.webp (core.model.media_src)
        "public_folder": "/media",
        "media_libraries": {"default": {"config": {
            "max_file_size": 20 * 1024 * 1024, "slugify_filename": True,
            "transformations": {"raster_image": {"format": "webp", "quality": 85, "width": 2048, "height": 2048}}}}},
        "slug": {"encoding": "ascii", "clean_accents": True},
        "output": {"omit_empty_optional_fields": True, "yaml": {"quote": "none"}},
        "editor": {"preview": False},
        "collections": [collection(kind, choices) for kind in COLLECTION_ORDER],
    }


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:  # write repeated option lists out, no &anchors
        return True


def render_config(root: Path, url: str | None = None) -> str:
    data = admin_config(root, url)
    return HEADER + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


from .admin_index import API_ORIGINS, render_index  # noqa: E402,F401  (the page the form loads in)
