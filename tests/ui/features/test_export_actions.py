"""File ▸ Export Site…, Story ▸ Export Page… and Open in Browser: pages written off the UI thread, cancel keeps the old site."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QPushButton

from newsdesk.ui.common import file_dialogs
from newsdesk.ui.features.export_actions import (
    SETTINGS_FOLDER,
    ExportActions,
    install_export,
)

DEMO_SLUG = "belarus-diplomat-ukraine-war"
DEMO_PAGE = f"world/europe/{DEMO_SLUG}/index.html"
NOINDEX = '<meta name="robots" content="noindex, nofollow">'
LONG_BODY = "\n\n".join(
    f"Paragraph {n} of the harbour report, with *emphasis* and a [source](https://example.org/{n})." * 5 for n in range(30)
)


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under `folder`: content hash and modification time."""
    return {
        str(path.relative_to(folder)): (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


def publish(service, story_id: int) -> None:
    from newsdesk.core.rules.workflow import Action

    for action in (Action.SUBMIT, Action.APPROVE, Action.PUBLISH):
        service.transition(story_id, action, override="Checks are not under test here")


def demo_opened(qtbot, window) -> None:
    """The window opens the newest story once the budget (read on a worker) has it."""
    qtbot.waitUntil(lambda: window.session.record is not None, timeout=10_000)


@pytest.fixture
def exporter(window) -> ExportActions:
    return install_export(window)


@pytest.fixture
def asked() -> list[str]:
    """The folders the folder dialog was opened at, one per question."""
    return []


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, asked: list[str]) -> Path:
    """The folder the (patched) folder dialog answers with."""
    folder = tmp_path / "site"
    folder.mkdir()

    def choose(parent, caption, start):
        asked.append(start)
        return str(folder)

    monkeypatch.setattr(file_dialogs, "existing_folder", choose)
    return folder


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    """The URLs handed to the desktop's browser (no browser is started)."""
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    return urls


def test_actions_sit_in_their_menus_install_once_and_clash_with_no_shortcut(window):
    """Installed in the order `app.run` uses, with every other module's actions."""
    from newsdesk.ui.features.import_actions import install_import
    from newsdesk.ui.features.spelling_actions import install_spelling
    from newsdesk.ui.features.workflow_actions import install_workflow

    install_import(window)
    install_spelling(window)
    exporter = install_export(window)
    install_workflow(window)
    assert install_export(window) is exporter
    file_names = [action.objectName() for action in window.menuBar().actions()[0].menu().actions()]
    assert file_names.count("exportSite") == 1 and (
        file_names.index("importFiles") < file_names.index("exportSite") < file_names.index("quit")
    )
    story_names = [action.objectName() for action in window.menus.story_menu.actions()]
    assert "exportPage" in story_names and "openInBrowser" in story_names
    keys: dict[str, str] = {}
    for action in window.actions():
        for key in action.shortcuts():
            text = key.toString(QKeySequence.SequenceFormat.PortableText)
            assert text not in keys, f"{action.objectName()} and {keys[text]} share {text}"
            keys[text] = action.objectName()
    assert {keys["Ctrl+Alt+E"], keys["Ctrl+E"], keys["Ctrl+Shift+O"]} == {"exportSite", "exportPage", "openInBrowser"}
    assert all(action.statusTip() and action.toolTip() for action in (exporter.site_action, exporter.page_action, exporter.browser_action))


def test_exporting_the_site_writes_the_demo_page_and_remembers_the_folder(demo_store, qtbot, window, exporter, site, asked):
    with qtbot.waitSignal(exporter.site_exported, timeout=30_000) as exported:
        exporter.site_action.trigger()
    result = exported.args[0]
    assert not result.cancelled and DEMO_PAGE in result.written
    assert "Belarus’ top diplomat" in (site / DEMO_PAGE).read_text(encoding="utf-8")
    assert window.statusBar().currentMessage().startswith(
        f"Site exported to {site}: {len(result.written)} written, 0 unchanged, 0 removed in "
    )
    assert window.settings.value(SETTINGS_FOLDER) == str(site)
    assert not exporter.running and exporter.site_action.isEnabled()
    assert not exporter.progress_dialog.isVisible()
    with qtbot.waitSignal(exporter.site_exported, timeout=30_000) as again:
        exporter.site_action.trigger()
    assert again.args[0].written == () and len(asked) == 2 and asked[1] == str(site)


def test_pending_edits_are_saved_before_the_export(demo_store, qtbot, window, exporter, site, service):
    demo_opened(qtbot, window)
    record = window.session.record
    assert record is not None and record.slug == DEMO_SLUG
    window.session.edit("headline", "Belarus diplomat speaks out")
    with qtbot.waitSignal(exporter.site_exported, timeout=30_000):
        exporter.site_action.trigger()
    assert service.get(record.id).headline == "Belarus diplomat speaks out"
    page = (site / DEMO_PAGE).read_text(encoding="utf-8")
    assert record.headline in page and "Belarus diplomat speaks out" not in page, "saved, but live only once it is published"


def test_cancelling_mid_export_leaves_the_previous_site_byte_for_byte(qtbot, window, exporter, site, service, store):
    from newsdesk.core.export.site import ExportRequest, export_site

    export_site(store, ExportRequest(site))
    before = snapshot(site)
    for number in range(60):
        publish(service, service.create(f"Harbour report {number}", body=LONG_BODY, sections=["World"]).id)
    seen: list[tuple[int, int]] = []

    def press_cancel(done: int, total: int) -> None:
        seen.append((done, total))
        if len(seen) == 1:
            exporter.progress_dialog.findChild(QPushButton).click()

    exporter.progressed.connect(press_cancel)
    with qtbot.waitSignal(exporter.site_exported, timeout=60_000) as exported:
        exporter.site_action.trigger()
    result = exported.args[0]
    assert result.cancelled, "the export finished before the cancel reached it"
    assert seen[0][1] > 60 and len(seen) == 1
    assert snapshot(site) == before
    assert window.statusBar().currentMessage() == f"Export cancelled; {site} is as it was."
    assert not exporter.running and not exporter.progress_dialog.isVisible()


def test_a_folder_that_cannot_be_written_is_said_in_words(qtbot, window, exporter, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setattr(file_dialogs, "existing_folder", lambda *args: str(blocker / "site"))
    with qtbot.waitSignal(exporter.failed, timeout=30_000) as failed:
        exporter.site_action.trigger()
    assert failed.args[0].startswith(f"Cannot write to the folder {blocker / 'site'}")
    assert exporter.last_message.objectName() == "exportError" and exporter.last_message.text() == failed.args[0]
    assert "Traceback" not in exporter.last_message.text()
    assert window.statusBar().currentMessage() == failed.args[0] and exporter.site_action.isEnabled()


def test_export_page_of_a_draft_writes_a_noindex_preview_and_offers_the_browser(
    qtbot, window, exporter, site, asked, service, home, opened
):
    draft = service.create("Council weighs harbour plan", body="Not ready yet.", sections=["World"])
    window.open_story(draft.id)
    with qtbot.waitSignal(exporter.page_exported, timeout=30_000) as exported:
        exporter.page_action.trigger()
    export = exported.args[0]
    assert export.preview and export.page.is_file()
    assert export.page.is_relative_to(home) and not export.page.is_relative_to(site)
    page = export.page.read_text(encoding="utf-8")
    assert NOINDEX in page and "Preview: this story is not published" in page and "Not ready yet." in page
    assert asked == [] and list(site.iterdir()) == []
    box = exporter.last_message
    assert box.objectName() == "pageExported" and str(export.page) in box.text()
    box.findChild(QPushButton, "openExportedPage").click()
    assert len(opened) == 1 and opened[0].isLocalFile() and Path(opened[0].toLocalFile()) == export.page


def test_export_page_of_a_published_story_updates_its_page_in_the_site_folder(demo_store, qtbot, window, exporter, site):
    demo_opened(qtbot, window)
    with qtbot.waitSignal(exporter.page_exported, timeout=30_000) as exported:
        exporter.page_action.trigger()
    export = exported.args[0]
    assert not export.preview and export.page == site / DEMO_PAGE
    assert NOINDEX not in export.page.read_text(encoding="utf-8")
    assert window.settings.value(SETTINGS_FOLDER) == str(site)


def test_open_in_browser_shows_a_fresh_preview_of_a_draft(qtbot, window, exporter, service, opened):
    draft = service.create("Ferry timetable changes", body="Boats sail later.", sections=["World"])
    window.open_story(draft.id)
    window.session.edit("body", "Boats sail an hour later from Monday.")
    exporter.browser_action.trigger()
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=30_000)
    page = Path(opened[0].toLocalFile())
    assert opened[0].isLocalFile() and page.is_file() and page.name == "index.html"
    text = page.read_text(encoding="utf-8")
    assert "Boats sail an hour later from Monday." in text and NOINDEX in text


def test_open_in_browser_uses_the_exported_page_while_it_is_current(demo_store, qtbot, window, exporter, site, opened):
    with qtbot.waitSignal(exporter.site_exported, timeout=30_000):
        exporter.site_action.trigger()
    with qtbot.waitSignal(exporter.browser_opened, timeout=30_000) as shown:
        exporter.browser_action.trigger()
    assert Path(opened[0].toLocalFile()) == site / DEMO_PAGE and not shown.args[0].preview
    window.session.edit("headline", "Belarus diplomat speaks out")
    with qtbot.waitSignal(exporter.browser_opened, timeout=30_000) as changed:
        exporter.browser_action.trigger()
    assert changed.args[0].preview and "Belarus diplomat speaks out" in Path(opened[1].toLocalFile()).read_text(encoding="utf-8")


def test_actions_wait_for_the_store_and_for_an_open_story(demo_store, qtbot, window_settings, service):
    from newsdesk.ui.window.main_window import MainWindow

    bare = MainWindow(window_settings, autosave_ms=60_000)
    qtbot.addWidget(bare)
    exporter = install_export(bare)
    assert not any(action.isEnabled() for action in (exporter.site_action, exporter.page_action, exporter.browser_action))
    bare.attach(service, [])
    demo_opened(qtbot, bare)
    assert all(action.isEnabled() for action in (exporter.site_action, exporter.page_action, exporter.browser_action))
