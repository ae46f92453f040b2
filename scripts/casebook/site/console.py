"""What `casebook serve` prints: Chinese, short, and no traceback for a busy port.

MkDocs logs in English ("Building documentation...", "Serving on …", a warning about dirty
builds that casebook asks for on purpose). A filter on the `mkdocs` logger translates the lines
an editor needs, drops the noise, and marks anything else as MkDocs' own message. Before MkDocs
starts, the address is tried: a port in use is one Chinese line that names it and suggests
`--dev-addr`, and the exit code 1.
"""
from __future__ import annotations

import errno
import logging
import re
import socket
import sys

DROP = (
    re.compile(r"^A 'dirty' build is being performed"),  # casebook serve asks for it on purpose
    re.compile(r"^Cleaning site directory"),
    re.compile(r"^Watching paths for changes"),
    re.compile(r"^Reloading browsers"),
    re.compile(r"^Browser connected"),
    re.compile(r"^Building documentation to directory"),
    re.compile(r"^The following pages exist in the docs directory"),
    re.compile(r"^Doc file '.*' contains"),  # links between hand-written pages: checked by casebook check
    # a preview makes no offline copies: offline.js asks for the worker, and on this 404 removes
    # one an earlier build left at the same address (expected on every page the editor opens)
    re.compile(r'"GET \S*/sw\.js HTTP/[\d.]+" code 404'),
)
KEPT_LAST = "预览仍显示上一次成功的内容"  # (plugin.py says so when the library has errors)
TRANSLATE = (
    (re.compile(r"^Building documentation\.\.\.$"), lambda m: "正在构建站点……"),
    (re.compile(r"^Documentation built in ([0-9.]+) seconds$"), lambda m: f"站点已构建，用时 {m[1]} 秒"),
    (re.compile(r"^(?:\[[^\]]*\] )?Serving on (\S+)(?: and opening it in a browser)?$"),
     lambda m: f"预览地址：{m[1]}（cases/、outlets/、docs/、主题文件夹里的文件或 mkdocs.yml 改动后自动刷新；按 Ctrl+C 停止）"),
    (re.compile(r"^Detected file changes$"), lambda m: "发现文件改动，重新构建……"),
    (re.compile(r"^Shutting down\.\.\.$"), lambda m: "已停止预览"),
    (re.compile(r"^(?:\[[^\]]*\] )?An error happened during the rebuild\."), lambda m: "预览没有更新：问题见上面，改好保存后自动刷新"),
    (re.compile(r"^Aborted with (?:a BuildError|\d+ errors?)!?$"),
     lambda m: "预览没有更新：问题见上面，浏览器里打开的页面顶部也列出了；改好保存后自动刷新"),
)


_CJK = re.compile(r"[\u4e00-\u9fff]")
_BUILT = TRANSLATE[1][0]


class ChineseConsole(logging.Filter):
    kept_last = False  # this rebuild found errors: the pages still show the last good library

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _CJK.search(message):
            self.kept_last = self.kept_last or KEPT_LAST in message
            return True  # casebook's own hooks already speak Chinese
        if message.startswith("Building documentation..."):
            self.kept_last = False
        if self.kept_last and (m := _BUILT.search(message)):  # (not "built": nothing new is shown)
            record.msg, record.args = f"页面已刷新，顶部列出了问题，内容仍是上一次成功的（用时 {m[1]} 秒）", ()
            return True
        if any(p.search(message) for p in DROP):
            return False
        for pattern, say in TRANSLATE:
            m = pattern.search(message)
            if m:
                record.msg, record.args = say(m), ()
                return True
        if record.levelno < logging.WARNING:
            return False  # other English progress lines: not needed to edit
        record.msg, record.args = f"MkDocs 提示（英文原文）：{message}", ()
        return True


def install(stream=None) -> logging.Handler:
    """Route MkDocs' log through the filter to the console (stderr), once."""
    logger = logging.getLogger("mkdocs")
    for handler in logger.handlers:
        if isinstance(getattr(handler, "casebook", None), ChineseConsole):
            return handler
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("casebook: %(message)s"))
    handler.casebook = ChineseConsole()  # type: ignore[attr-defined]
    handler.addFilter(handler.casebook)  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # no second, English copy through the root logger
    return handler


class AddressInUse(Exception):
    pass


def parse_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"地址“{address}”应写成 主机:端口，如 127.0.0.1:8000")
    return host.strip("[]"), int(port)


def check_address(address: str) -> None:
    """Raise AddressInUse (with the message for the editor) when nothing can listen there."""
    host, port = parse_address(address)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise AddressInUse(busy_message(address, exc)) from None


def busy_message(address: str, exc: OSError) -> str:
    host, port = parse_address(address)
    # (a resolver's codes first: they are not errno's, and EAI_ADDRFAMILY is EPERM's 1 on some systems)
    if isinstance(exc, socket.gaierror):
        return (f"找不到主机“{host}”（名字写错了，或这台机器解析不了它），无法预览；"
                f"换成一个 IP 地址：casebook serve --dev-addr 127.0.0.1:{port}")
    if exc.errno == errno.EADDRINUSE:
        return (f"端口 {port} 已被占用（{host}:{port}，可能另一个 casebook serve 还开着）；"
                f"关掉它，或换一个端口：casebook serve --dev-addr {host}:{port + 1}")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"没有权限使用端口 {port}；请用 1024 以上的端口：casebook serve --dev-addr {host}:8000"
    if exc.errno == errno.EADDRNOTAVAIL:
        return (f"这台机器没有地址 {host}，无法在 {host}:{port} 上预览；只在本机看用 "
                f"casebook serve --dev-addr 127.0.0.1:{port}，让同一网络里的手机也能看用 --dev-addr 0.0.0.0:{port}")
    # (anything else: the system's own words, which may be English, behind a Chinese sentence)
    return f"无法在 {host}:{port} 上预览（系统的说明：{exc.strerror}）；换一个地址：casebook serve --dev-addr 127.0.0.1:8000"
