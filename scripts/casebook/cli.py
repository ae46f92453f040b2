"""The `casebook` command line. One place maps outcomes to exit codes (main): 0 clean, 1 problems
or an expected failure (core.errors.Fatal, an unwritable output: one Chinese line), 2 usage errors
(bad flags, missing folders or files), 3 a bug (a traceback and a request to report it), 130
interrupted, 141 the reader of the output went away (`| head`)."""
from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path

from . import __version__
from .core.errors import Fatal, file_problem, report_bug
from .core.terminal import printable_line
from .core.usage_words import ChineseParser


class UsageError(Exception):
    """The command was called wrongly; exit 2 with a one-line message."""


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
        raise UsageError(f"{name} 是文件夹，请写出其中的文件（如 {name}/*）" if path.is_dir() else f"{what}不存在：{name}")
    try:
        path.resolve().relative_to(root)
    except ValueError:
        raise UsageError(f"{name} 不在案例库 {root} 里") from None
    return path


def _check_files(names: list[str], root: Path) -> list[Path] | None:
    """The files to check; None (the whole tree) when one of them was deleted or renamed:
    its old name may still be referenced by files that did not change."""
    files, gone = [], []
    for name in names:
        candidates = [Path(name)] if Path(name).is_absolute() else [Path.cwd() / name, root / name]
        if not any(c.exists() for c in candidates) and any(c.parent.is_dir() and _in_library(c, root) for c in candidates):
            gone.append(name)
        else:
            files.append(_library_file(name, root))
    if gone:
        print(f"casebook: {printable_line('、'.join(gone[:3]))} 不存在（已删除或改名）：检查整个案例库的引用", file=sys.stderr)
        return None
    return files


def _in_library(path: Path, root: Path) -> bool:
    try:
        rel = path.resolve().relative_to(root).as_posix()
    except ValueError:
        return False
    return rel.startswith(("cases/", "outlets/"))


def cmd_check(args: argparse.Namespace) -> int:
    from .core.check import print_report, run_check

    if args.explain:
        return _explain(args.explain)
    root = _root(args.root)
    if not args.staged:
        report = run_check(root, _check_files(args.files, root) if args.files else None)
        print_report(report, args.format, args.strict)
        return report.exit_code(args.strict)
    from .core.changes import GitError, staged_library

    try:
        with staged_library(root) as (tree, wanted, why):  # (what the commit holds, not the working tree)
            if wanted == []:
                print("casebook: 这次提交没有改动案例库文件", file=sys.stderr)
                return 0
            print(f"casebook: {why}", file=sys.stderr)
            report = run_check(tree, None if wanted is None else [tree / p for p in wanted])
            print_report(report, args.format, args.strict)
            return report.exit_code(args.strict)
    except GitError as exc:
        raise UsageError(str(exc)) from None


def _out_dir(root: Path, value: str | None, default: str, replaced: bool = False) -> Path:
    """An output folder that a build or pack may replace: never the library or inside it."""
    from .core.paths import out_dir_problem

    out = Path(value) if value else root / default
    problem = out_dir_problem(root, out, replaced)
    if problem:
        raise UsageError(problem)
    return out


def _explain(code: str) -> int:
    from .core.explain import code_table, explain

    if code.lower() == "all":
        print(code_table(), end="")
        return 0
    text = explain(code)
    if text is None:
        raise UsageError(f"没有问题代码 {code}；运行 casebook check --explain all 查看全部代码")
    print(text, end="")
    return 0


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
    if args.shard is not None and not args.all:
        raise UsageError("--shard 只能和 --all 一起用，如 casebook pack --all --shard 1/4")
    if args.all:
        paths = sorted(p for p in (root / "outlets").glob("*.y*ml") if p.is_file())
        if args.shard is not None:
            from .core.shard import parse_shard, pick_shard

            try:
                k, n = parse_shard(args.shard)
            except ValueError as exc:
                raise UsageError(str(exc)) from None
            total, paths = len(paths), pick_shard(paths, k, n)
            print(f"casebook: 第 {k}/{n} 片：{len(paths)} 个网点（共 {total} 个）", file=sys.stderr)
            if not paths:
                return 0
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
    out = _out_dir(root, args.out, "packs").resolve()
    files = [(p.resolve(), display_path(p)) for p in paths]
    return run_packs(lib, files, out, formats, parallel=args.all or len(files) > 1)


def cmd_build(args: argparse.Namespace) -> int:
    from .core.bank import withheld_note
    from .site.build import BuildError, build_site

    root = _root(args.root)
    out = _out_dir(root, args.out, "site", replaced=True)
    try:
        m = build_site(root, out, public=args.public, keep_going=args.keep_going)
    except BuildError as exc:
        print(f"casebook: {exc}", file=sys.stderr)
        return 1
    # the result, on standard output for scripts (one line: pages, items, records, left out)
    print(f"已构建 {m['pages']} 个页面（{m['items']} 个条目，{m['records']} 条搜索记录"
          f"{'；公开版，略去 ' + str(m['internal_left_out']) + ' 个内部条目' if m['public'] else ''}）→ {out}")
    print(f"搜索索引 {m['search_shards']} 片，其中 {m['search_shards_reused']} 片未变、取自缓存", file=sys.stderr)
    if m.get("errors"):  # --keep-going: a preview was built, the library still has problems
        print(f"casebook: 案例库有 {m['errors']} 个错误（见上面），有错误的条目没有进入站点", file=sys.stderr)
        if m.get("withheld"):
            print(f"casebook: {withheld_note(m['withheld'])}", file=sys.stderr)
        return 1
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .site import console
    from .site.build import serve_site

    root = _root(args.root)
    try:
        console.check_address(args.dev_addr)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    except console.AddressInUse as exc:
        print(f"casebook: {exc}", file=sys.stderr)
        return 1
    console.install()
    try:
        serve_site(root, args.dev_addr, public=args.public)
    except OSError as exc:  # taken between the check and MkDocs' own bind
        if exc.errno != errno.EADDRINUSE and not isinstance(exc.__context__, OSError):
            raise
        print(f"casebook: {console.busy_message(args.dev_addr, exc if exc.errno else exc.__context__)}",
              file=sys.stderr)
        return 1
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
    # --strict: the same bar as the pre-commit hook and the pull request's check
    print(f"已生成 {rel}：把所有【待填写】换成内容，然后运行 casebook check --strict {rel}", file=sys.stderr)
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


def cmd_form(args: argparse.Namespace) -> int:
    from .editors.admin import PROJECT, render_config, repo_url
    from .editors.issue_form import stale_files, write_files

    root = _root(args.root) if args.root else PROJECT
    if args.write:
        for path in write_files(root):
            print(path.relative_to(PROJECT).as_posix())
        return 0
    if args.check:
        stale = stale_files(root)
        for path in stale:
            print(f"casebook: {path.relative_to(PROJECT).as_posix()} 过时：运行 casebook form --write 重新生成",
                  file=sys.stderr)
        return 1 if stale else 0
    print(render_config(root, repo_url(root)), end="")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from .core.library import Library
    from .core.coverage import coverage
    from .editors.stats import print_coverage

    lib = Library.load(_root(args.root), use_cache=False)
    print_coverage(coverage(lib))
    if lib.errors:  # (the table counts valid items only: say why the exit code is 1, and where to look)
        print(f"案例库有 {len(lib.errors)} 个错误，出错的文件没有计入上表；运行 casebook check 查看", file=sys.stderr)
    return 1 if lib.errors else 0


def cmd_media(args: argparse.Namespace) -> int:
    from .editors.media_clean import clean_media

    action, names = args.words[0], args.words[1:]
    if action != "clean":
        raise UsageError(f"不认识的 media 子命令“{action}”；可用：clean")
    root = _root(args.root)
    files = [_library_file(name, root, "图片") for name in names] or None
    outside = [f for f in files or () if not f.resolve().relative_to(root).as_posix().startswith(("cases/media/", "docs/"))]
    if outside:
        raise UsageError(f"{outside[0]} 不在 cases/media/ 或 docs/ 里；照片请先放进 cases/media/")
    changed, problems, seen = clean_media(root, files, everything=args.all)
    for line in changed:  # (one line each: a file's name may hold a line break)
        print(printable_line(line))
    for line in problems:
        print(printable_line(line), file=sys.stderr)
    print(f"看了 {seen} 张图片：清理 {len(changed)} 张，{seen - len(changed) - len(problems)} 张本来就干净（未改动），"
          f"{len(problems)} 张无法处理", file=sys.stderr)
    return 1 if problems else 0


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseParser(prog="casebook", description="网点服务案例库：检查、建站、培训包")
    parser.add_argument("--version", action="version", version=f"casebook {__version__}", help="显示版本号后退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseParser)
    sub.required = True

    check = sub.add_parser("check", help="检查案例库：字段、词表、标题、引用、隐私与安全")
    check.add_argument("--root", default=".", metavar="目录", help="案例库根目录（含 cases/），默认当前目录")
    check.add_argument("files", nargs="*", metavar="文件", help="只检查这些文件（及其引用）")
    check.add_argument("--format", choices=["text", "github", "json"], default="text", help="输出格式")
    check.add_argument("--strict", action="store_true", help="警告也算失败")
    check.add_argument("--staged", action="store_true",
                       help="检查 git 暂存区里改动的文件；有文件被删除或改名、词表改动时检查整个案例库（pre-commit 用）")
    check.add_argument("--explain", metavar="代码", help="说明一个问题代码的意思和改法（all：全部代码的表格）")
    check.set_defaults(func=cmd_check)

    build = sub.add_parser("build", help="检查后构建站点（MkDocs + Pagefind 中文搜索）")
    build.add_argument("--root", default=".", metavar="目录", help="案例库根目录，默认当前目录")
    build.add_argument("--out", default=None, metavar="目录", help="输出目录，默认 <root>/site")
    build.add_argument("--public", action="store_true", help="公开版：略去所有 internal 条目")
    build.add_argument("--keep-going", action="store_true",
                       help="有错误也构建（只给合并请求的预览用：打印全部问题，略去有错误的条目，退出码仍为 1）")
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser("serve", help="本地预览（改动 cases/ 后自动重建，搜索可用）")
    serve.add_argument("--root", default=".", metavar="目录", help="案例库根目录，默认当前目录")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="地址", help="地址，默认 127.0.0.1:8000")
    serve.add_argument("--public", action="store_true", help="预览公开版")
    serve.set_defaults(func=cmd_serve)

    new = sub.add_parser("new", help="从模板新建一个条目（投诉案例、故事……）")
    # every type of core.model.TYPE_LABELS (a test holds them together; importing the models here would slow --help)
    new.add_argument("type", metavar="类型", help="complaint（投诉案例）、emergency（应急预案）、guide（服务指引）、"
                     "story（暖心故事）、standard（服务规范）、course（课程）、drill（晨会微演练）之一")
    new.add_argument("slug", metavar="文件名", help="文件名（小写英文、数字、连字符），如 rainy-day-umbrellas")
    new.add_argument("--root", default=".", metavar="目录", help="案例库根目录，默认当前目录")
    new.set_defaults(func=cmd_new)

    schema = sub.add_parser("schema", help="打印 front matter 的 JSON Schema（给编辑器用）")
    schema.add_argument("type", nargs="?", metavar="类型", help="只打印这一类型（默认全部）")
    schema.add_argument("--root", default=".", metavar="目录", help="案例库根目录，默认当前目录")
    schema.set_defaults(func=cmd_schema)

    form = sub.add_parser("form", help="网页投稿表单（/admin/）的配置：由模型和词表生成")
    form.add_argument("--root", default=None, metavar="目录", help="案例库根目录，默认本仓库")
    form.add_argument("--write", action="store_true", help="写入 templates/admin/config.yml 和 index.html")
    form.add_argument("--check", action="store_true", help="生成的文件过时时退出码为 1（测试和 CI 用）")
    form.set_defaults(func=cmd_form)

    stats = sub.add_parser("stats", help="内容覆盖矩阵：哪些客户群体、岗位、事件类别还缺内容")
    stats.add_argument("--root", default=".", metavar="目录", help="案例库根目录，默认当前目录")
    stats.set_defaults(func=cmd_stats)

    media = sub.add_parser("media", help="图片：clean 去掉 EXIF/GPS/XMP/注释、按方向摆正、长边不超过 2048 像素")
    media.add_argument("words", nargs="+", metavar="clean [图片…]",
                       help="clean，后面可跟图片文件：只处理这些图片；不写时处理 git 里新增或改动的图片（不在 git 里时处理全部）")
    media.add_argument("--all", action="store_true", help="看 cases/media/ 和 docs/ 下的全部图片（干净的照片仍不改动）")
    media.add_argument("--root", default=".", metavar="目录", help="案例库根目录，默认当前目录")
    media.set_defaults(func=cmd_media)

    pack = sub.add_parser("pack", help="为网点生成可打印的培训包（PDF/HTML）")
    pack.add_argument("outlets", nargs="*", metavar="网点.yml", help="网点文件")
    pack.add_argument("--all", action="store_true", help="为 outlets/ 下的全部网点生成（多进程）")
    pack.add_argument("--shard", default=None, metavar="K/N",
                      help="与 --all 一起用：只生成第 K 片（共 N 片，按文件名轮流分配），供 CI 矩阵并行")
    pack.add_argument("--root", default=".", metavar="目录", help="案例库根目录，默认当前目录")
    pack.add_argument("--out", default=None, metavar="目录", help="输出目录，默认 <root>/packs")
    pack.add_argument("--format", default="pdf,html", metavar="格式", help="pdf、html、docx（可编辑的表单）中的一个或几个，默认 pdf,html")
    pack.set_defaults(func=cmd_pack)
    parser.commands = sub.choices  # (each command's parser, by name)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and getattr(args, "words", None) and not any(e.startswith("-") for e in extra):
        args.words += extra  # `media clean --root DIR photo.jpg`: files after an option
    elif extra:  # (told by the command's own parser: its --help is the one that lists its flags)
        parser.commands[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    from .core.proc import stopped_as_interrupted
    from .core.terminal import printable_output, reader_gone

    with printable_output():  # no control sequence from the content reaches a terminal or CI log
        try:
            with stopped_as_interrupted():  # SIGTERM and SIGHUP: as Ctrl-C (已中断, nothing left)
                return args.func(args)
        except (UsageError, Fatal) as exc:
            # (a usage message is one line: an argument's own line break must not print a second, forged one)
            print(f"casebook: {printable_line(str(exc)) if isinstance(exc, UsageError) else exc}", file=sys.stderr)
            return 2 if isinstance(exc, UsageError) else 1
        except BrokenPipeError:
            return reader_gone()
        except KeyboardInterrupt:
            print("casebook: 已中断", file=sys.stderr)
            return 130
        except OSError as exc:  # a disk that is full or read-only, a folder without permission
            said = file_problem(exc)
            if said is None:
                return report_bug(__version__)
            print(f"casebook: {said}", file=sys.stderr)
            return 1
        except Exception:  # noqa: BLE001 - the one place a bug is reported, not hidden
            return report_bug(__version__)


def run() -> None:
    """The console script (and `python -m casebook`): main(), then out without taking the heap apart."""
    from .core.proc import run_console

    run_console(main)
