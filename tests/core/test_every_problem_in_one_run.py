"""One run of `casebook check` reports every problem of an entry: a field error does not hide
the entry's missing photo, its photo's location data, or its broken link."""
from __future__ import annotations

import pytest

from conftest import run_cli, write

STORY = """---
title: 雨天借伞
summary: 暴雨天客户没带伞，大堂经理借出爱心雨伞。
source: example
date: 去年七月
outlet: 东湖路支行
staff: [周晓雯]
images:
  - src: /media/not-uploaded.webp
  - src: media/with-location.jpg
related: [guides/no-such-guide]
updated: 2026-11-20
---

七月的一个下午突降暴雨，李阿姨办完业务站在门口发愁：没带伞，家里还有小孙子等着接。大堂经理看到后，
从爱心伞架上取了一把伞递给她，又帮她在借伞登记本上写好姓氏和日期。李阿姨说第二天一定送回来。
第二天一早，李阿姨不但送回了伞，还带来一袋自家种的青菜，说要谢谢网点的姑娘。大堂经理婉拒了青菜，
请阿姨以后有空来听网点的反诈小课堂。这把伞后来又借给了好几位客户，登记本上写满了感谢的话。
"""


def _gps_photo(path):
    from PIL import Image

    image = Image.new("RGB", (64, 48), (90, 140, 200))
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (30.0, 35.0, 12.5), "E", (114.0, 17.0, 45.0)
    image.save(path, "JPEG", exif=exif)


@pytest.mark.parametrize("files", [[], ["cases/stories/umbrella.md"]], ids=["whole-tree", "one-file"])
def test_a_field_error_a_missing_photo_a_gps_photo_and_a_broken_link_in_one_run(valid_tree, files):
    write(valid_tree, "cases/stories/umbrella.md", STORY)
    _gps_photo(valid_tree / "cases/media/with-location.jpg")
    result = run_cli("check", "--root", str(valid_tree), "--format", "json", *files)
    assert result.code == 1, result.err
    found = {(d["code"], d["path"], d["line"]) for d in result.json()["diagnostics"]}
    story = "cases/stories/umbrella.md"
    assert ("F005", story, 5) in found, found  # the field error: a date that is no date
    assert ("R002", story, 9) in found, found  # the photo the form never uploaded
    assert ("R001", story, 11) in found, found  # the related guide that does not exist
    assert ("M004", "cases/media/with-location.jpg", 1) in found, found  # the photo's GPS


def test_the_forms_image_path_passes_and_a_missing_file_is_named(valid_tree):
    """The web form writes /media/x.webp; that is cases/media/x.webp, and when the file is
    really missing the message names the file it looked for."""
    from PIL import Image

    Image.new("RGB", (64, 48), (200, 140, 90)).save(valid_tree / "cases/media/umbrella.webp", "WEBP")
    text = STORY.replace("date: 去年七月", "date: 2026-07-15").replace("related: [guides/no-such-guide]\n", "")
    write(valid_tree, "cases/stories/umbrella.md", text.replace(
        "  - src: /media/not-uploaded.webp\n  - src: media/with-location.jpg\n", "  - src: /media/umbrella.webp\n"))
    ok = run_cli("check", "--root", str(valid_tree), "--strict", "cases/stories/umbrella.md")
    assert ok.code == 0, ok.out + ok.err
    write(valid_tree, "cases/stories/umbrella.md", text.replace(
        "  - src: /media/not-uploaded.webp\n  - src: media/with-location.jpg\n", "  - src: /media/gone.webp\n"))
    missing = run_cli("check", "--root", str(valid_tree), "cases/stories/umbrella.md")
    assert missing.code == 1
    assert "R002" in missing.out + missing.err and "cases/media/gone.webp" in missing.out + missing.err
