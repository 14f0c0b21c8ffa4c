"""`newsdesk image`: add, list, set and remove a story's photographs; errors are sentences with their exit codes,
and a second process reads back what each command wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import picture_files as files


def _child(home, *argv: str) -> dict:
    """What another process sees: `python -m newsdesk ARGV --json` on the same store."""
    done = subprocess.run([sys.executable, "-m", "newsdesk", *argv, "--json"], env={**os.environ, "NEWSDESK_HOME": str(home)},
                          check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _new(run_cli, headline: str) -> dict:
    code, out, err = run_cli("story", "new", "--headline", headline, "--json")
    assert code == 0, err
    return json.loads(out)


def test_add_list_set_remove_seen_by_a_second_process(run_cli, home, tmp_path):
    story = _new(run_cli, "Harbour reopens")
    photo = tmp_path / "harbour.jpg"
    photo.write_bytes(files.jpeg(2000, 1500, artist="Ana Lens"))
    code, out, err = run_cli("image", "add", story["slug"], str(photo), "--alt", "Boats at dawn", "--caption", "The harbour", "--lead")
    assert (code, err) == (0, "")
    assert out.startswith("Added image 1 (id 1, 2000×1500 jpeg); put it in the text with ![Boats at dawn](image:1).")
    seen = _child(home, "image", "list", story["slug"])
    assert [(i["number"], i["id"], i["lead"], i["alt"], i["caption"], i["credit"], i["width"]) for i in seen["images"]] == [
        (1, 1, True, "Boats at dawn", "The harbour", "Ana Lens", 2000)]
    other = tmp_path / "gull.png"
    other.write_bytes(files.png())
    code, _, err = run_cli("image", "add", str(story["id"]), str(other), "--alt", "A gull", "--credit", "Desk")
    assert code == 0, err
    code, out, err = run_cli("image", "set", story["slug"], "2", "caption=On the pier", "focus=0.3,0.6", "lead=yes")
    assert code == 0 and out.startswith("Changed image 2."), err
    seen = _child(home, "story", "show", story["slug"])
    assert [(i["alt"], i["lead"], i["caption"], i["focus"]) for i in seen["images"]] == [
        ("A gull", True, "On the pier", [0.3, 0.6]), ("Boats at dawn", False, "The harbour", [0.5, 0.5])]
    code, out, _ = run_cli("image", "remove", story["slug"], "1")
    assert code == 0 and out.startswith("Removed image 1;")
    assert [i["alt"] for i in _child(home, "image", "list", story["slug"])["images"]] == ["Boats at dawn"]
    history = _child(home, "story", "history", story["slug"])
    assert [row["reason"] for row in history["revisions"]][-4:] == ["images", "images", "images", "images"]


def test_errors_are_sentences_with_their_exit_codes(run_cli, home, tmp_path):
    story = _new(run_cli, "Refusals")
    text = tmp_path / "notes.jpg"
    text.write_text("not a picture", encoding="utf-8")
    bmp = tmp_path / "scan.bmp"
    bmp.write_bytes(files.other("BMP"))
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(files.jpeg()[:2000])
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(files.bomb())
    cases = [
        (("image", "add", story["slug"], str(tmp_path / "none.jpg"), "--alt", "x"), 2, "none.jpg: no such file."),
        (("image", "add", story["slug"], str(text), "--alt", "x"), 2, "notes.jpg is not an image Newsdesk can read"),
        (("image", "add", story["slug"], str(bmp), "--alt", "x"), 2, "scan.bmp is a BMP image; Newsdesk takes JPEG, PNG, WebP or GIF"),
        (("image", "add", story["slug"], str(cut), "--alt", "x"), 2, "cut.jpg is damaged"),
        (("image", "add", story["slug"], str(bomb), "--alt", "x"), 2, "bomb.png has more pixels than an image may have"),
        (("image", "add", "no-such-story", str(bmp), "--alt", "x"), 2, "There is no story “no-such-story”"),
        (("image", "set", story["slug"], "1", "alt=x"), 2, "There is no image 1; the story has no images."),
        (("image", "set", story["slug"], "1", "alt"), 2, "“alt” is not FIELD=VALUE"),
        (("image", "remove", story["slug"], "0"), 2, "image number 0 is out of range"),
    ]
    for argv, expected, message in cases:
        code, out, err = run_cli(*argv)
        assert (code, out) == (expected, ""), (argv, err)
        assert message in err and "Traceback" not in err, (argv, err)
    code, _, err = run_cli("image", "add", story["slug"], str(bmp))
    assert code == 2 and "--alt" in err, "alt text is asked for when the image is added"
    photo = tmp_path / "p.jpg"
    photo.write_bytes(files.jpeg())
    code, _, err = run_cli("--user", "editor", "image", "add", story["slug"], str(photo), "--alt", "x")
    assert code == 0, err
    assert _child(home, "image", "list", story["slug"])["images"][0]["alt"] == "x"
    assert _child(home, "story", "show", story["slug"])["version"] == 2, "the refused commands wrote nothing"
