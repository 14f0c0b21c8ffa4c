"""The site writer on its own: it writes only inside its folder, switches versions in one rename, tidies what a killed run left."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from newsdesk.core.errors import ExportFailed
from newsdesk.core.export import fileops
from newsdesk.core.export.building import TEMPORARY_SUFFIX
from newsdesk.core.export.versions import (
    LOCK,
    SiteFolder,
    versions_folder,
)
from newsdesk.core.export.writer import PlannedFile, SiteWriter

MANIFEST = ".newsdesk-export.json"


def raw(view: bytes, body: str) -> bytes:
    return view


def plan(pages: dict[str, bytes]) -> list[PlannedFile]:
    return [PlannedFile(path, f"key:{data!r}", lambda data=data: (raw, data)) for path, data in pages.items()]


def export(out: Path, pages: dict[str, bytes], **options) -> object:
    return SiteWriter(out, MANIFEST).write(plan(pages), lambda ids: {}, **options)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` as a reader sees it through the path (links followed at the top)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*")) if path.is_file() and path.name != MANIFEST
    }


def read_in_another_process(path: Path) -> bytes:
    """What a second process reads at `path`."""
    return subprocess.run([sys.executable, "-c", f"import sys; sys.stdout.buffer.write(open({str(path)!r}, 'rb').read())"],
                          check=True, capture_output=True).stdout


SITE = {"index.html": b"home", "world/index.html": b"world", "world/ferry/index.html": b"ferry"}


def test_the_folder_becomes_a_link_to_a_version_beside_it(tmp_path: Path) -> None:
    out = tmp_path / "site"
    export(out, SITE)
    assert out.is_symlink() and os.readlink(out) == ".site.versions/1"
    assert tree(out) == SITE
    export(out, SITE | {"index.html": b"home, again"})
    assert os.readlink(out) == ".site.versions/2"
    assert read_in_another_process(out / "index.html") == b"home, again"
    assert sorted(os.listdir(versions_folder(out))) == [".1.retired", ".lock", ".newsdesk-versions", "1", "2"]


def test_unchanged_files_are_the_same_files_in_the_new_version(tmp_path: Path) -> None:
    out = tmp_path / "site"
    export(out, SITE)
    before = os.stat(out / "world/ferry/index.html")
    result = export(out, SITE | {"index.html": b"home, again"})
    assert result.written == ("index.html",)
    after = os.stat(out / "world/ferry/index.html")
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_planted_manifest_entry_outside_the_folder_is_never_removed(tmp_path: Path) -> None:
    out = tmp_path / "www" / "site"
    export(out, SITE)
    victim = tmp_path / "www" / "victim.txt"
    victim.write_text("keep me")
    absolute = tmp_path / "absolute-victim.txt"
    absolute.write_text("keep me too")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "page.html").write_text("not the site's")
    (out / "linked").symlink_to(elsewhere)
    manifest = json.loads((out / MANIFEST).read_text())
    for name, target in (("../victim.txt", victim), (str(absolute), absolute), ("linked/page.html", elsewhere / "page.html"),
                         ("world/../../victim.txt", victim), ("world/\x00index.html", victim)):
        details = target.stat()
        manifest["files"][name] = {"sha256": "x", "key": "k", "size": details.st_size, "mtime_ns": details.st_mtime_ns}
    (out / MANIFEST).write_text(json.dumps(manifest))
    result = export(out, SITE)
    assert result.removed == ()
    assert victim.read_text() == "keep me" and absolute.read_text() == "keep me too"
    assert (elsewhere / "page.html").read_text() == "not the site's"
    assert (out / "linked").is_symlink() and os.readlink(out / "linked") == str(elsewhere)
    assert set(json.loads((out / MANIFEST).read_text())["files"]) == set(SITE)


def test_a_page_that_would_land_through_a_planted_link_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "site"
    export(out, {"index.html": b"home"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "world").symlink_to(elsewhere)
    with pytest.raises(ExportFailed, match=r"did not write .*world/index\.html"):
        export(out, SITE)
    assert list(elsewhere.iterdir()) == []


def test_links_planted_at_staging_names_are_never_followed(tmp_path: Path) -> None:
    out = tmp_path / "site"
    export(out, SITE)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (out / f".index.html{TEMPORARY_SUFFIX}").symlink_to(victim)
    (out / "world" / f".index.html{TEMPORARY_SUFFIX}").symlink_to(victim)
    result = export(out, SITE | {"index.html": b"new home", "world/index.html": b"new world"})
    assert set(result.written) == {"index.html", "world/index.html"}
    assert victim.read_text() == "keep me" and not victim.is_symlink()
    assert tree(out) == SITE | {"index.html": b"new home", "world/index.html": b"new world"}
    assert not any(path.name.endswith(TEMPORARY_SUFFIX) for path in out.rglob("*"))
    assert read_in_another_process(out / "index.html") == b"new home"


def test_links_planted_in_the_versions_folder_are_removed_not_followed(tmp_path: Path) -> None:
    out = tmp_path / "site"
    export(out, SITE)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    victim_folder = tmp_path / "victims"
    victim_folder.mkdir()
    (victim_folder / "index.html").write_text("keep me as well")
    versions = versions_folder(out)
    (versions / f"live{TEMPORARY_SUFFIX}").symlink_to(victim)
    (versions / "2").symlink_to(victim_folder)
    export(out, SITE | {"index.html": b"new home"})
    assert victim.read_text() == "keep me" and (victim_folder / "index.html").read_text() == "keep me as well"
    assert list(victim_folder.iterdir()) == [victim_folder / "index.html"]
    assert tree(out) == SITE | {"index.html": b"new home"} and not (versions / "2").is_symlink()


def test_a_link_planted_at_a_staging_name_as_it_is_made_is_refused_not_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    pages = {"a.html": b"a", "b.html": b"b"}
    export(out, pages)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    real_remove = fileops.remove

    def racing(path: Path) -> None:
        real_remove(path)
        if path.name == f".b.html{TEMPORARY_SUFFIX}":
            path.symlink_to(victim)  # someone wins the race between the removal and the creation

    monkeypatch.setattr(fileops, "remove", racing)
    with pytest.raises(ExportFailed, match=r"Cannot write the site .*File exists"):
        export(out, {"a.html": b"new a", "b.html": b"new b"})
    assert victim.read_text() == "keep me" and tree(out) == pages


def test_a_page_removed_two_exports_ago_does_not_come_back_from_the_spare(tmp_path: Path) -> None:
    out = tmp_path / "site"
    export(out, SITE)
    moved = {"index.html": b"home", "world/index.html": b"world", "world/ferry-talks/index.html": b"ferry"}
    assert export(out, moved).removed == ("world/ferry/index.html",)
    export(out, moved | {"index.html": b"home, later"})
    assert tree(out) == moved | {"index.html": b"home, later"} and not (out / "world" / "ferry").exists()
    assert read_in_another_process(out / "world/ferry-talks/index.html") == b"ferry"


def test_links_left_in_the_spare_version_are_replaced_not_followed(tmp_path: Path) -> None:
    out = tmp_path / "site"
    export(out, SITE)
    export(out, SITE | {"index.html": b"2"})
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    victim_folder = tmp_path / "victims"
    victim_folder.mkdir()
    (victim_folder / "index.html").write_text("keep me as well")
    spare = versions_folder(out) / "1"
    (versions_folder(out) / ".1.retired").unlink()  # as a run killed while making it would leave it
    (spare / "index.html").unlink()
    (spare / "index.html").symlink_to(victim)
    shutil.rmtree(spare / "world")
    (spare / "world").symlink_to(victim_folder)
    export(out, {path: data + b"!" for path, data in SITE.items()})
    assert os.readlink(out) == ".site.versions/3"
    assert tree(out) == {path: data + b"!" for path, data in SITE.items()}
    assert victim.read_text() == "keep me" and sorted(os.listdir(victim_folder)) == ["index.html"]
    assert (victim_folder / "index.html").read_text() == "keep me as well"


def test_an_old_plain_folder_is_converted_keeping_other_peoples_files(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "robots.txt").write_text("User-agent: *\n")
    (out / "downloads").mkdir()
    (out / "downloads" / "report.pdf").write_bytes(b"%PDF")
    (out / "empty").mkdir()
    (out / f".index.html{TEMPORARY_SUFFIX}").write_bytes(b"left by a killed run of an older Newsdesk")
    robots = os.stat(out / "robots.txt").st_ino
    export(out, SITE)
    assert out.is_symlink() and tree(out) == SITE | {"robots.txt": b"User-agent: *\n", "downloads/report.pdf": b"%PDF"}
    assert os.stat(out / "robots.txt").st_ino == robots and (out / "empty").is_dir()
    assert not (out / f".index.html{TEMPORARY_SUFFIX}").exists()
    export(out, SITE | {"index.html": b"again"})
    export(out, SITE)
    assert sorted(name for name in os.listdir(versions_folder(out)) if name.isdigit()) == ["3", "4"]
    assert read_in_another_process(out / "robots.txt") == b"User-agent: *\n"


def test_files_put_in_the_site_during_an_export_are_carried_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    (out).mkdir()
    (out / "robots.txt").write_text("old rules")
    (out / "old-notes.txt").write_text("to be deleted")
    export(out, SITE)
    real_switch = SiteFolder.switch

    def meanwhile(folder: SiteFolder, version):
        # Someone works in the live site after its files were linked into the new version, before the switch.
        (out / "added.txt").write_text("added while exporting")
        (out / "world" / "notes.txt").write_text("desk notes")
        (out / "drafts").mkdir()
        (out / "drafts" / "plan.txt").write_text("a plan")
        replacement = out / "robots.new"
        replacement.write_text("new rules")
        os.replace(replacement, out / "robots.txt")
        (out / "old-notes.txt").unlink()
        return real_switch(folder, version)

    monkeypatch.setattr(SiteFolder, "switch", meanwhile)
    export(out, {path: data + b"!" for path, data in SITE.items()})
    assert tree(out) == {path: data + b"!" for path, data in SITE.items()} | {
        "added.txt": b"added while exporting", "world/notes.txt": b"desk notes", "drafts/plan.txt": b"a plan", "robots.txt": b"new rules",
    }
    assert read_in_another_process(out / "robots.txt") == b"new rules"


def test_a_version_changed_after_it_was_replaced_is_kept(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    out = tmp_path / "site"
    export(out, SITE)
    entered = out.resolve()
    export(out, SITE | {"index.html": b"2"})
    (entered / "world" / "written-from-an-old-shell.txt").write_text("draft notes")
    export(out, SITE | {"index.html": b"3"})
    export(out, SITE | {"index.html": b"4"})
    assert (entered / "world" / "written-from-an-old-shell.txt").read_text() == "draft notes"
    assert "Keeping" in caplog.text and str(entered) in caplog.text


def test_a_run_killed_before_the_switch_leaves_the_site_and_is_tidied(tmp_path: Path) -> None:
    out = tmp_path / "site"
    export(out, SITE)
    versions = versions_folder(out)
    (versions / "2" / "world").mkdir(parents=True)
    (versions / "2" / "world" / "index.html").write_bytes(b"half")
    (versions / f"live{TEMPORARY_SUFFIX}").symlink_to("2")
    assert tree(out) == SITE
    export(out, SITE)
    assert tree(out) == SITE and not (versions / f"live{TEMPORARY_SUFFIX}").exists()
    export(out, SITE | {"index.html": b"new"})
    assert tree(out) == SITE | {"index.html": b"new"} and os.readlink(out) == ".site.versions/3"
    assert sorted(name for name in os.listdir(versions) if name.isdigit()) == ["1", "3"]
    assert not list(versions.rglob(f"*{TEMPORARY_SUFFIX}"))


def test_cancel_and_failure_leave_the_live_version(tmp_path: Path) -> None:
    out = tmp_path / "site"
    export(out, SITE)
    result = export(out, dict.fromkeys(SITE, b"changed"), cancelled=lambda: True)
    assert result.cancelled and tree(out) == SITE
    assert sorted(name for name in os.listdir(versions_folder(out)) if name.isdigit()) == ["1"]

    def broken(view: bytes, body: str) -> bytes:
        raise OSError(28, "No space left on device")

    failing = [*plan({"index.html": b"changed"}), PlannedFile("world/index.html", "new", lambda: (broken, b""))]
    with pytest.raises(ExportFailed, match="No space left"):
        SiteWriter(out, MANIFEST).write(failing, lambda ids: {})
    assert tree(out) == SITE and os.readlink(out) == ".site.versions/1"
    export(out, SITE | {"world/index.html": b"new world"})
    assert tree(out) == SITE | {"world/index.html": b"new world"}
    assert len([name for name in os.listdir(versions_folder(out)) if name.isdigit()]) == 2, "the failed run's version was reused"


def test_a_cancelled_first_export_leaves_nothing_beside_the_folder(tmp_path: Path) -> None:
    export(tmp_path / "site", SITE, cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_a_second_export_into_the_same_folder_is_refused_while_one_runs(tmp_path: Path) -> None:
    out = tmp_path / "site"
    export(out, SITE)
    with open(versions_folder(out) / LOCK, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(ExportFailed, match=r"Another export into .* is under way"):
            export(out, SITE | {"index.html": b"new"})
    assert tree(out) == SITE


@pytest.mark.parametrize("where", [lambda out: versions_folder(out) / "1", versions_folder])
def test_exporting_into_the_versions_folder_is_refused(tmp_path: Path, where: Callable[[Path], Path]) -> None:
    out = tmp_path / "site"
    export(out, SITE)
    with pytest.raises(ExportFailed, match="where Newsdesk keeps a site's versions"):
        export(where(out), SITE)
    assert os.readlink(out) == ".site.versions/1" and tree(out) == SITE


def test_a_link_someone_made_to_the_site_folder_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "data" / "site"
    real.mkdir(parents=True)
    served = tmp_path / "html"
    served.symlink_to(real)
    export(served, SITE)
    assert os.readlink(served) == str(real) and real.is_symlink() and tree(served) == SITE
