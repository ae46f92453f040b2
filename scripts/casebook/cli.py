"""The `casebook` command line. One place maps outcomes to exit codes: 0 clean, 1 problems,
2 usage errors (bad flags, missing folders or files)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__


class UsageError(Exception):
    """The command was called wrongly; exit 2 with a one-line message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 already; keep the message Chinese-first
        self.print_usage(sys.stderr)
        print(f"casebook: 用法错误：{message}", file=sys.stderr)
        raise SystemExit(2)


def _root(value: str) -> Path:
    root = Path(value).resolve()
    if not (root / "cases").is_dir():
        raise UsageError(f"{root} 下没有 cases/ 文件夹；请用 --root 指向案例库的根目录")
    return root


def _library_file(name: str, root: Path, what: str = "文件") -> Path:
    """A file named on the command line: relative to the current folder, else to the root;
    it must exist and lie inside the library."""
    path = Path(name)
    if not path.is_absolute():
        path = (Path.cwd() / path) if (Path.cwd() / path).exists() else (root / path)
    if not path.is_file():
        raise UsageError(f"{what}不存在：{name}")
    try:
        path.resolve().relative_to(root)
    except ValueError:
        raise UsageError(f"{name} 不在案例库 {root} 里") from None
    return path


def cmd_check(args: argparse.Namespace) -> int:
    from .core.check import print_report, run_check

    root = _root(args.root)
    files = [_library_file(name, root) for name in args.files] if args.files else None
    report = run_check(root, files)
    print_report(report, args.format, args.strict)
    return report.exit_code(args.strict)


def cmd_pack(args: argparse.Namespace) -> int:
    from .core.library import build_library
    from .core.outlets import display_path
    from .packs.run import run_packs

    root = _root(args.root)
    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    if not formats or set(formats) - {"pdf", "html", "docx"}:
        raise UsageError("--format 只能是 pdf、html、docx 中的一个或几个，如 pdf,html")
    if args.all == bool(args.outlets):
        raise UsageError("请给出网点文件（如 outlets/xxx.yml），或用 --all 生成 outlets/ 下的全部网点")
    if args.all:
        paths = sorted(p for p in (root / "outlets").glob("*.y*ml") if p.is_file())
    else:
        # exactly the files named, wherever they are (relative to the current folder, else to --root)
        paths = [Path(n) if Path(n).is_absolute() or Path(n).exists() or not (root / n).is_file() else root / n
                 for n in args.outlets]
        missing = [(p, name) for p, name in zip(paths, args.outlets) if not p.is_file()]
        for p, name in missing:
            print(f"{name}:1:1: error[O001]: 网点文件不存在：{name}", file=sys.stderr)
        if missing:
            return 2
    lib = build_library(root)
    out = Path(args.out).resolve() if args.out else root / "packs"
    files = [(p.resolve(), display_path(p)) for p in paths]
    return run_packs(lib, files, out, formats, parallel=args.all or len(files) > 1)


def cmd_build(args: argparse.Namespace) -> int:
    from .site.build import BuildError, build_site

    root = _root(args.root)
    out = Path(args.out) if args.out else root / "site"
    try:
        m = build_site(root, out, public=args.public)
    except BuildError as exc:
        print(f"casebook: {exc}", file=sys.stderr)
        return 1
    print(f"built {m['pages']} pages ({m['items']} items, {m['internal_left_out']} internal items left out)")
    print(f"已构建 {m['pages']} 个页面（{m['items']} 个条目，{m['records']} 条搜索记录"
          f"{'；公开版，略去 ' + str(m['internal_left_out']) + ' 个内部条目' if m['public'] else ''}）→ {out}",
          file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .site.build import serve_site

    serve_site(_root(args.root), args.dev_addr, public=args.public)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .editors.scaffold import ScaffoldError, new_item

    root = _root(args.root)
    try:
        path = new_item(root, args.type, args.slug)
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    except FileExistsError as exc:
        print(f"casebook: {exc}", file=sys.stderr)
        return 1
    rel = path.relative_to(root).as_posix()
    print(rel)
    print(f"已生成 {rel}：把所有【待填写】换成内容，然后运行 casebook check {rel}", file=sys.stderr)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    import json

    from .editors.schema import front_matter_schema

    root = _root(args.root)
    try:
        schema = front_matter_schema(root, args.type)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from .core.library import Library
    from .core.coverage import coverage
    from .editors.stats import print_coverage

    lib = Library.load(_root(args.root), use_cache=False)
    print_coverage(coverage(lib))
    return 1 if lib.errors else 0


def cmd_media(args: argparse.Namespace) -> int:
    from .editors.media_clean import clean_media

    root = _root(args.root)
    changed, problems = clean_media(root)
    for line in changed:
        print(line)
    for line in problems:
        print(line, file=sys.stderr)
    print(f"已清理 {len(changed)} 张图片；{len(problems)} 个文件无法处理", file=sys.stderr)
    return 1 if problems else 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="casebook", description="网点服务案例库：检查、建站、培训包")
    parser.add_argument("--version", action="version", version=f"casebook {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    sub.required = True

    check = sub.add_parser("check", help="检查案例库：字段、词表、标题、引用、隐私与安全")
    check.add_argument("--root", default=".", help="案例库根目录（含 cases/），默认当前目录")
    check.add_argument("files", nargs="*", metavar="FILE", help="只检查这些文件（及其引用）")
    check.add_argument("--format", choices=["text", "github", "json"], default="text", help="输出格式")
    check.add_argument("--strict", action="store_true", help="警告也算失败")
    check.set_defaults(func=cmd_check)

    build = sub.add_parser("build", help="检查后构建站点（MkDocs + Pagefind 中文搜索）")
    build.add_argument("--root", default=".", help="案例库根目录，默认当前目录")
    build.add_argument("--out", default=None, help="输出目录，默认 <root>/site")
    build.add_argument("--public", action="store_true", help="公开版：略去所有 internal 条目")
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser("serve", help="本地预览（改动 cases/ 后自动重建，搜索可用）")
    serve.add_argument("--root", default=".", help="案例库根目录，默认当前目录")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="地址，默认 127.0.0.1:8000")
    serve.add_argument("--public", action="store_true", help="预览公开版")
    serve.set_defaults(func=cmd_serve)

    new = sub.add_parser("new", help="从模板新建一个条目（投诉案例、故事……）")
    new.add_argument("type", metavar="TYPE", help="complaint、emergency、guide、story、standard 或 course")
    new.add_argument("slug", metavar="SLUG", help="文件名（小写英文、数字、连字符），如 rainy-day-umbrellas")
    new.add_argument("--root", default=".", help="案例库根目录，默认当前目录")
    new.set_defaults(func=cmd_new)

    schema = sub.add_parser("schema", help="打印 front matter 的 JSON Schema（给编辑器用）")
    schema.add_argument("type", nargs="?", metavar="TYPE", help="只打印这一类型（默认全部）")
    schema.add_argument("--root", default=".", help="案例库根目录，默认当前目录")
    schema.set_defaults(func=cmd_schema)

    stats = sub.add_parser("stats", help="内容覆盖矩阵：哪些客户群体、岗位、事件类别还缺内容")
    stats.add_argument("--root", default=".", help="案例库根目录，默认当前目录")
    stats.set_defaults(func=cmd_stats)

    media = sub.add_parser("media", help="图片：clean 去掉 EXIF/GPS/XMP/注释、按方向摆正、长边不超过 2048 像素")
    media.add_argument("action", choices=["clean"], help="clean")
    media.add_argument("--root", default=".", help="案例库根目录，默认当前目录")
    media.set_defaults(func=cmd_media)

    pack = sub.add_parser("pack", help="为网点生成可打印的培训包（PDF/HTML）")
    pack.add_argument("outlets", nargs="*", metavar="OUTLET.yml", help="网点文件")
    pack.add_argument("--all", action="store_true", help="为 outlets/ 下的全部网点生成（多进程）")
    pack.add_argument("--root", default=".", help="案例库根目录，默认当前目录")
    pack.add_argument("--out", default=None, help="输出目录，默认 <root>/packs")
    pack.add_argument("--format", default="pdf,html", help="pdf、html、docx（可编辑的表单）中的一个或几个，默认 pdf,html")
    pack.set_defaults(func=cmd_pack)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"casebook: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("casebook: 已中断", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
