#!/usr/bin/env bash
# Make the project runnable from nothing on Debian: system packages, then .venv.
#   scripts/bootstrap.sh serve|pack|test
# As root it installs the Debian packages it needs; otherwise it prints the one apt-get line
# to run and stops. Re-running is cheap: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-test}"

# Debian packages per target. Python itself must be there (python3 with venv and pip).
# fonts-noto-cjk: the Chinese font embedded in PDFs (without it Chinese prints as boxes);
# libharfbuzz-subset0: font subsetting (without it writing a PDF is ~10x slower);
# poppler-utils: pdftotext/pdffonts/pdftoppm, which the tests use to read packs back.
deb_serve=()
deb_pack=(fonts-noto-cjk libharfbuzz-subset0 fontconfig)
# chromium: the browser tests drive Debian's Chromium through Playwright (never `playwright install`).
deb_test=(poppler-utils chromium)
case "$target" in
  serve) wanted=("${deb_serve[@]}") ;;
  pack)  wanted=("${deb_serve[@]}" "${deb_pack[@]}") ;;
  test)  wanted=("${deb_serve[@]}" "${deb_pack[@]}" "${deb_test[@]}") ;;
  *) echo "用法：scripts/bootstrap.sh serve|pack|test" >&2; exit 2 ;;
esac

missing=()
if ! command -v python3 >/dev/null 2>&1; then
  missing+=(python3 python3-venv python3-pip)
elif ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
# npm: vendors the web form (/admin/) from the npm registry; the tests drive it in Chromium.
# Only when no npm is on PATH at all (a Node.js from elsewhere brings its own npm).
if [ "$target" = test ] && ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done

if ((${#missing[@]})); then
  if [ "$(id -u)" -eq 0 ]; then
    echo "casebook: 安装系统软件包：${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "casebook: 缺少系统软件包。请先以 root 运行下面这一行（先更新软件包列表，再安装），再重新执行 make $target：" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

stamp=.venv/.installed
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  echo "casebook: 安装 Python 依赖到 .venv …"
  # uv installs the pinned set with ~4 s of CPU where pip takes ~25 s (a fresh clone's `make test`
  # pays it every time). pip stays the fallback: no uv wheel for this machine, or a package index
  # configured for pip only (uv does not read pip.conf).
  if .venv/bin/python -m pip install -q 'uv>=0.9,<1' >/dev/null 2>&1 &&
     .venv/bin/uv pip install -q --python .venv/bin/python -c constraints.txt -e '.[test]'; then
    :
  else
    echo "casebook: 改用 pip 安装（较慢）…"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -c constraints.txt -e '.[test]'
  fi
  touch "$stamp"
fi

# The web form under /admin/ (Sveltia CMS) comes from the npm registry, pinned by package-lock.json,
# and is copied into the built site (never loaded from a CDN). Without npm the site still builds:
# /admin/ then only explains how to contribute without the form (see CONTRIBUTING.md).
npm_stamp=node_modules/.casebook-installed
if [ ! -f "$npm_stamp" ] || [ package-lock.json -nt "$npm_stamp" ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "casebook: 安装网页投稿表单（npm ci）…"
    if npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null; then
      touch "$npm_stamp"
    else
      echo "casebook: npm ci 失败：站点照常构建，/admin/ 只显示投稿说明" >&2
    fi
  else
    echo "casebook: 没有 npm：站点照常构建，/admin/ 只显示投稿说明（安装 npm 后重新运行即可）" >&2
  fi
fi
