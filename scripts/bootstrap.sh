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
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done

if ((${#missing[@]})); then
  if [ "$(id -u)" -eq 0 ]; then
    echo "casebook: 安装系统软件包：${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "casebook: 缺少系统软件包。请先以 root 运行下面这一行，再重新执行 make $target：" >&2
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

stamp=.venv/.installed
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  echo "casebook: 安装 Python 依赖到 .venv …"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -c constraints.txt -e '.[test]'
  touch "$stamp"
fi
