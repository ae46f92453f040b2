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


def cmd_check(args: argparse.Namespace) -> int:
    from .check import print_report, run_check

    root = _root(args.root)
    files = None
    if args.files:
        files = []
        for name in args.files:
            path = Path(name)
            if not path.is_absolute():
                path = (Path.cwd() / path) if (Path.cwd() / path).exists() else (root / path)
            if not path.exists():
                raise UsageError(f"文件不存在：{name}")
            try:
                path.resolve().relative_to(root)
            except ValueError:
                raise UsageError(f"{name} 不在案例库 {root} 里") from None
            files.append(path)
    report = run_check(root, files)
    print_report(report, args.format, args.strict)
    return report.exit_code(args.strict)


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
