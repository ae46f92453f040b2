"""The 投稿 page (/contribute/): three plain choices in front of the web form, each saying what
happens next, for the host in mkdocs.yml's repo_url. A pure function of (repo_url, branch,
whether the form was vendored); site/admin.py adds the page to the site.

- I can sign in to the bank's git server (with a token) → the web form; the save becomes a pull
  request (GitHub, GitLab) or lands on the review branch (Gitea, Forgejo);
- I can't → the issue form, prefilled with the story's questions;
- I'm at a computer with the repository → the web form on the local folder.
"""
from __future__ import annotations

import html
import re
from urllib.parse import quote, urlencode

# Where the web form saves on a Gitea/Forgejo host (editors/admin.py writes the same name into
# the form's configuration; a test holds the two together).
REVIEW_BRANCH = "contributions"
STORY_FORM = "story.yml"  # .github/ISSUE_TEMPLATE/story.yml; Gitea and Forgejo read that folder too
# What the issue asks on a host without issue forms (GitLab): the same questions as story.yml.
QUESTIONS = ("## 标题\n\n\n## 一句话摘要\n\n\n## 事情发生的日期（如 2026-05-12）\n\n\n## 网点\n\n\n## 参与的员工\n\n\n"
             "## 这是真实发生的事，还是教学示例？\n\n\n## 客户（或家属）同意公开吗？员工同意公开吗？\n\n\n"
             "## 故事（至少 150 个字；客户只写“李阿姨”“王先生”）\n\n\n")
PHOTO_WARNING = "手机照片里常带拍摄地点（GPS）：上传前先给照片截个图，上传截图（截图不带地点）。"


def host_kind(repo_url: str | None) -> str | None:
    """github, gitlab, gitea (Gitea and Forgejo) or None without a forge."""
    if not repo_url:
        return None
    host = re.sub(r"^https?://", "", repo_url).split("/", 1)[0]
    if host == "github.com" or host.startswith("github."):
        return "github"
    return "gitlab" if "gitlab" in host else "gitea"


def issue_url(repo_url: str) -> str:
    """The new-issue page with the story's questions: the issue form where the host has one."""
    repo = repo_url.rstrip("/").removesuffix(".git")
    if host_kind(repo) == "gitlab":
        return f"{repo}/-/issues/new?" + urlencode({"issue[title]": "投稿：", "issue[description]": QUESTIONS},
                                                   quote_via=quote)
    return f"{repo}/issues/new?template={STORY_FORM}"


def _form_next(kind: str | None) -> str:
    if kind == "gitea":
        return (f"用代码平台的访问令牌登录（点“使用访问令牌登录”）。保存后故事存进审核分支 {REVIEW_BRANCH}，"
                "不会直接改动案例库；编辑同事审核后合并进来。")
    return "登录后填写表单并保存；保存会自动生成一个待审核的合并请求，编辑同事审核通过后，故事就出现在案例库里。"


def contribute_page(repo_url: str | None, branch: str = "main", form: bool = True) -> str:
    """The page's HTML (relative links: it sits at contribute/, the form at admin/)."""
    kind = host_kind(repo_url)
    e = html.escape
    choices = []
    if kind and form:
        choices.append(("我能登录行里的代码平台（有账号和访问令牌）", "用网页表单投稿",
                        "../admin/#/collections/stories/new", _form_next(kind)))
    if kind:
        choices.append(("我没有令牌，或不知道什么是令牌", "用问题表单投稿", issue_url(repo_url),
                        "在代码平台上填几个框（和网页表单问的一样）后提交；编辑同事把它整理成案例，"
                        "整理好后在那一页回复你。" + PHOTO_WARNING))
    else:
        choices.append(("我没有代码平台的账号", "把故事交给编辑同事", "",
                        "把故事写下来（什么时候、在哪里、客户遇到什么难处、员工怎么做的、结果怎样），"
                        "连同照片交给本网点负责案例库的编辑同事，由他录入。" + PHOTO_WARNING))
    if form:
        choices.append(("我在装有案例库文件夹的电脑前（Chrome 或 Edge）", "用本地文件夹投稿",
                        "../admin/#/collections/stories/new",
                        "在登录页点“使用本地仓库”，选择案例库文件夹；保存后文件直接写进这个文件夹，"
                        "再用 git 提交并发起合并请求（见仓库里的 CONTRIBUTING.md）。手机浏览器不能选文件夹。"))
    items = []
    for i, (who, action, href, after) in enumerate(choices, 1):
        link = (f'<a class="go" href="{e(href)}"' + (' rel="noopener"' if href.startswith("http") else "")
                + f">{e(action)}</a>") if href else ""
        items.append(f'<li><h2>{i}. {e(who)}</h2>{link}<p>{e(after)}</p></li>')
    grey = ("<h2>登录页上的灰色按钮</h2><ul>"
            "<li>“使用本地仓库”是灰的：这个浏览器不能选择电脑上的文件夹（手机都不能），请用第 1 或第 2 种方式。</li>"
            + ("<li>代码平台的登录按钮是灰的：这个平台要用访问令牌登录，点下面的“使用访问令牌登录”；"
               "没有令牌，请用第 2 种方式。</li>" if kind == "gitea" else "")
            + "<li>令牌填错时会提示“令牌无效”或“连不上代码平台”：重新复制令牌，或改用第 2 种方式。</li></ul>")
    return PAGE.replace("{choices}", "".join(items)).replace("{grey}", grey if form else "")


PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>投稿 · 网点服务案例库</title>
<link rel="icon" href="../admin/logo.svg">
<style>
body{font:16px/1.7 system-ui,"Noto Sans CJK SC",sans-serif;max-width:40rem;margin:0 auto;padding:1rem;color:#222}
header{display:flex;align-items:center;gap:.6rem}header img{width:40px;height:40px}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.05rem;margin:0 0 .4rem}
ol{list-style:none;padding:0}ol li{border:1px solid #ddd;border-radius:8px;padding:.8rem 1rem;margin:0 0 1rem}
a.go{display:inline-block;min-height:44px;line-height:44px;padding:0 1rem;border-radius:6px;background:#9b1c1c;color:#fff;
text-decoration:none;font-weight:600}a.go:focus{outline:3px solid #222;outline-offset:2px}
p{margin:.5rem 0 0}small{color:#555}
</style>
</head>
<body>
<header><img src="../admin/logo.svg" alt=""><div><h1>投稿：写下你网点的服务故事</h1>
<small>网点服务案例库 · <a href="../">回到首页</a></small></div></header>
<p>客户只写“李阿姨”“王先生”，不写全名、电话、证件号、卡号和住址。选一种适合你的方式：</p>
<ol>{choices}</ol>
{grey}
</body>
</html>
"""
