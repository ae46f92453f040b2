"""A plan printed from the phone with the network gone: the built fixture library in headless
Chromium, the PDF read back with pdftotext. The phone visits the home page once; then the server
and the network are gone, a plan is opened from the offline copy and printed: its steps are on
paper, laid out by casebook's print stylesheet (part of the one stylesheet the worker keeps)."""
from __future__ import annotations

import subprocess

from browsing import launch, serve
from conftest import VALID, run_cli

PHONE = {"width": 360, "height": 740}


def test_a_plan_prints_from_the_phone_offline(tmp_path):
    out = tmp_path / "site"
    result = run_cli("build", "--root", str(VALID), "--out", str(out))
    assert result.code == 0, result.err
    httpd, url = serve(out)
    pdf = tmp_path / "plan.pdf"
    with launch() as browser:
        context = browser.new_context(viewport=PHONE, service_workers="allow")
        page = context.new_page()
        page.goto(url + "/")
        # the worker is active (its precache complete) and controls the page
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30_000)
        httpd.shutdown()
        httpd.server_close()
        context.set_offline(True)
        response = page.goto(url + "/emergencies/illness/")
        assert response.ok
        page.wait_for_load_state("load")
        page.emulate_media(media="print")
        # (print.css hides the header: a stylesheet that failed to load would leave it there)
        assert page.locator(".md-header").is_hidden()
        page.pdf(path=str(pdf), format="A4")
        context.close()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    for step in ("客户突发疾病", "处置流程", "到场。", "15分钟内报告支行。", "2分钟内拨打120。", "您好，先别动，我们已经在叫救护车了。"):
        assert step in flat, step
    # casebook's print stylesheet: its page numbers in the margin, the site's menus and search left out
    assert "第1页/共" in flat
    # (nor the screen's note on the saved copy: the paper is the plan)
    for chrome in ("按分类浏览", "搜索话术", "页内跳转", "加入备课", "网络未连接", "保存的副本"):
        assert chrome not in flat, chrome
