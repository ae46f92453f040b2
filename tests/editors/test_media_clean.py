"""`casebook media clean [FILE…]`: idempotent, file arguments, only changed photos by default,
animated images never flattened."""
from __future__ import annotations

import subprocess

import pytest

from conftest import png_bytes, run_cli


def _photo(path, gps: bool = True, size=(320, 240)):
    from PIL import Image

    image = Image.new("RGB", size, (90, 140, 200))
    exif = Image.Exif()
    if gps:
        g = exif.get_ifd(0x8825)
        g[1], g[2], g[3], g[4] = "N", (30.0, 35.0, 12.5), "E", (114.0, 17.0, 45.0)
    image.save(path, "JPEG", exif=exif, quality=90)


def _animated(path, fmt: str, with_exif: bool):
    from PIL import Image

    frames = [Image.new("RGB", (40, 30), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    options = {"save_all": True, "append_images": frames[1:], "duration": 100, "loop": 0}
    if with_exif:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"
        options["exif"] = exif.tobytes()
    frames[0].save(path, fmt, **options)


def test_a_clean_photo_is_left_byte_identical(valid_tree):
    """The issue: a committed photo changed from 38,826 to 38,880 bytes on every run."""
    photo = valid_tree / "cases/media/phone.jpg"
    _photo(photo)
    first = run_cli("media", "clean", "--root", str(valid_tree), "cases/media/phone.jpg")
    assert first.code == 0 and first.out.strip() == "cases/media/phone.jpg"
    cleaned = photo.read_bytes()
    stat = photo.stat()
    png_before = (valid_tree / "cases/media/rest-corner.png").read_bytes()
    again = run_cli("media", "clean", "--root", str(valid_tree), "--all")
    assert again.code == 0 and again.out == "" and "清理 0 张" in again.err
    assert photo.read_bytes() == cleaned and photo.stat().st_mtime_ns == stat.st_mtime_ns  # not even rewritten
    assert (valid_tree / "cases/media/rest-corner.png").read_bytes() == png_before


def test_only_named_files_are_touched(valid_tree):
    a, b = valid_tree / "cases/media/a.jpg", valid_tree / "cases/media/b.jpg"
    _photo(a)
    _photo(b)
    b_before = b.read_bytes()
    result = run_cli("media", "clean", "--root", str(valid_tree), "cases/media/a.jpg")
    assert result.code == 0 and result.out.split() == ["cases/media/a.jpg"]
    assert b.read_bytes() == b_before
    assert run_cli("media", "clean", "--root", str(valid_tree), "cases/stories/rest-corner.md").code == 2
    assert run_cli("media", "clean", "--root", str(valid_tree), "cases/media/nothing.jpg").code == 2


def test_by_default_only_the_photos_git_sees_as_new_or_changed(valid_tree):
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(valid_tree), "PATH": "/usr/bin:/bin"}
    committed = valid_tree / "cases/media/old.jpg"
    _photo(committed)  # someone else's photo, committed with metadata long ago: not ours to touch
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *args], cwd=valid_tree, check=True, capture_output=True, env=env)
    old_bytes = committed.read_bytes()
    _photo(valid_tree / "cases/media/new.jpg")
    result = run_cli("media", "clean", "--root", str(valid_tree))
    assert result.code == 0, result.err
    assert result.out.split() == ["cases/media/new.jpg"] and "看了 1 张" in result.err
    assert committed.read_bytes() == old_bytes
    everything = run_cli("media", "clean", "--root", str(valid_tree), "--all")
    assert everything.out.split() == ["cases/media/old.jpg"]


@pytest.mark.parametrize("fmt,ext", [("WEBP", "webp"), ("PNG", "png"), ("GIF", "gif")])
def test_animated_images_are_never_flattened(valid_tree, fmt, ext):
    from PIL import Image

    clean = valid_tree / f"cases/media/clean-anim.{ext}"
    tagged = valid_tree / f"cases/media/tagged-anim.{ext}"
    _animated(clean, fmt, with_exif=False)
    _animated(tagged, fmt, with_exif=fmt != "GIF")
    before = {p: p.read_bytes() for p in (clean, tagged)}
    result = run_cli("media", "clean", "--root", str(valid_tree), "--all")
    for path in (clean, tagged):
        assert path.read_bytes() == before[path]  # kept whole: every frame still there
        with Image.open(path) as im:
            assert im.n_frames == 3
    if fmt == "GIF":
        assert result.code == 1 and "只收 JPEG、PNG、WebP" in result.err
    else:
        assert result.code == 1 and f"cases/media/tagged-anim.{ext}: 未处理" in result.err and "动图" in result.err
        assert f"clean-anim.{ext}" not in result.err + result.out


def test_a_photo_with_too_many_pixels_is_told_as_check_tells_it(valid_tree):
    """Over Pillow's limit (here 300 megapixels, read from the header alone) `media clean` said
    "无法处理（DecompressionBombError），图片可能已损坏"; just over 89 megapixels it printed Pillow's
    English warning while it made the photo small."""
    from PIL import Image

    (valid_tree / "cases/media/huge.png").write_bytes(png_bytes(20000, 15000, data=b""))
    Image.new("L", (10000, 9000), 200).save(valid_tree / "cases/media/large.jpg", quality=60)  # (a JPEG: see below)
    result = run_cli("media", "clean", "--root", str(valid_tree), "cases/media/huge.png", "cases/media/large.jpg")
    assert "cases/media/huge.png: 未处理：图片像素多得异常" in result.err and "Error" not in result.err, result.err
    assert "Warning" not in result.err and "cases/media/large.jpg" in result.out, result.err
    # (a PNG that large is refused before it is decoded: tests/security/test_third_probe.py)
    with Image.open(valid_tree / "cases/media/large.jpg") as im:
        assert max(im.size) <= 2048


def test_a_photo_named_for_another_format_is_renamed_with_the_items_that_show_it(valid_tree):
    """A phone's share sheet or an upload saved a JPEG as photo.heic: the check refuses it (M001:
    rename it), and `media clean` cleaned it and left the name. Now it is renamed for what it
    holds, and the story's `src` follows, so the check passes without touching a file by hand."""
    story = valid_tree / "cases/stories/rest-corner.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("    consent: true\n", "    consent: true\n  - src: media/phone/IMG_0042.heic\n"
                                  "    caption: 手机拍的\n    consent: true\n", 1), encoding="utf-8")
    (valid_tree / "cases/media/phone").mkdir()
    _photo(valid_tree / "cases/media/phone/IMG_0042.heic")
    before = run_cli("check", "--root", str(valid_tree))
    assert before.code == 1 and "M001" in before.out + before.err
    result = run_cli("media", "clean", "--root", str(valid_tree), "cases/media/phone/IMG_0042.heic")
    assert result.code == 0, result.err
    assert result.out.strip() == ("cases/media/phone/IMG_0042.jpg（文件内容是 JPEG，已改名为 IMG_0042.jpg；"
                                  "改了引用它的条目：cases/stories/rest-corner.md）"), result.out
    assert not (valid_tree / "cases/media/phone/IMG_0042.heic").exists()
    assert "src: media/phone/IMG_0042.jpg" in story.read_text(encoding="utf-8")
    after = run_cli("check", "--root", str(valid_tree))
    assert after.code == 0, after.out + after.err
    # a name already taken is not overwritten: told, and left as it was
    _photo(valid_tree / "cases/media/phone/IMG_0042.heic")
    taken = run_cli("media", "clean", "--root", str(valid_tree), "cases/media/phone/IMG_0042.heic")
    assert taken.code == 1 and "IMG_0042.jpg 已经存在" in taken.err
    assert (valid_tree / "cases/media/phone/IMG_0042.heic").exists()


def test_a_renamed_photo_s_name_is_text_in_the_items_it_changes(valid_tree):
    """A pull request's file name goes into the items' text: a backslash in it (\\1, \\g<0>) is
    written as it is, never read as a back-reference by the replacement."""
    name = "a\\1\\g<0>.heic"
    story = valid_tree / "cases/stories/rest-corner.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("    consent: true\n", f"    consent: true\n  - src: 'media/{name}'\n    consent: true\n", 1),
                     encoding="utf-8")
    _photo(valid_tree / "cases/media" / name)
    result = run_cli("media", "clean", "--root", str(valid_tree), f"cases/media/{name}")
    assert result.code == 0 and "Traceback" not in result.err, result.err
    assert (valid_tree / "cases/media" / name.replace(".heic", ".jpg")).is_file()
    assert f"src: 'media/{name.replace('.heic', '.jpg')}'" in story.read_text(encoding="utf-8")
