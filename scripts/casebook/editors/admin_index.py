"""/admin/index.html: the page the web form loads in, with its Content-Security-Policy."""
from __future__ import annotations

import re


API_ORIGINS = {"github": "https://api.github.com", "gitlab": "https://gitlab.com"}


def render_index(url: str | None = None) -> str:
    """/admin/index.html: the vendored CMS, and a Content-Security-Policy that lets the page
    talk only to this site and the forge's API (no CDN: the CMS's own runtime downloads of
    translations, code highlighters and maps are refused; admin/offline.js serves the
    translation from the site)."""
    from .admin import backend

    b = backend(url)
    api = b.get("api_root", API_ORIGINS.get(b["name"], ""))
    api_origin = re.match(r"^https://[^/]+", api).group(0) if api else ""
    connect = " ".join(x for x in ("'self'", "blob:", "data:", api_origin) if x)
    csp = (f"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; "
           f"media-src 'self' blob:; font-src 'self' data:; connect-src {connect}; worker-src 'self' blob:; "
           f"frame-src 'none'; object-src 'none'; base-uri 'self'; form-action 'none'")
    return INDEX_TEMPLATE.replace("{csp}", csp)


INDEX_TEMPLATE = """<!doctype html>
<!-- 由 casebook form --write 生成，不要手改。 -->
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="same-origin">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>投稿 · 网点服务案例库</title>
<link href="config.yml" type="application/yaml" rel="cms-config-url">
<script src="offline.js"></script>
<script src="vendor/sveltia-cms.js"></script>
</head>
<body>
<noscript>投稿表单需要打开浏览器的 JavaScript。</noscript>
</body>
</html>
"""
