"""The metadata and links panels on a store of 100,000 stories: opening a story, typing a headline, finding a story to link.

Opening fills both panels; a headline keystroke checks the headline, updates
the count and (while the slug follows the headline) asks the store for a free
slug; the link form searches the budget. Targets on this 2-core machine: open
under 50 ms, a keystroke under 16 ms (one frame), a search under 100 ms.
Run: pytest tests/perf/bench_panels.py -s
"""

from __future__ import annotations

import shutil
import statistics
import time

from actors import get_actor
from corpus import store_with
from PySide6.QtTest import QTest

from newsdesk.core.records import BudgetQuery
from newsdesk.core.services.stories import StoryService
from newsdesk.core.store.opening import open_store
from newsdesk.ui.docks.links_panel import LinksPanel
from newsdesk.ui.docks.metadata_panel import MetadataPanel
from newsdesk.ui.editor.story_session import StorySession

STORIES = 100_000


def _median_ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:.1f} ms, worst {max(samples) * 1000:.1f} ms"


def test_panels_on_100k_stories(home, tmp_path, qtbot):
    path = tmp_path / "panels.sqlite"
    shutil.copy(store_with(STORIES), path)
    store = open_store(f"sqlite:///{path}")
    try:
        from sqlalchemy import text

        with store.engine.connect() as connection:
            username = connection.execute(text('SELECT username FROM "user" ORDER BY id LIMIT 1')).scalar()
        service = StoryService(store, get_actor(store, username))
        session = StorySession(service, autosave_ms=600_000)
        metadata, links = MetadataPanel(session), LinksPanel(session)
        qtbot.addWidget(metadata)
        qtbot.addWidget(links)
        drafts = [row.id for row in service.budget(BudgetQuery(status="draft", limit=40)).rows]

        opened = []
        for story_id in drafts:
            started = time.perf_counter()
            session.open(story_id)
            opened.append(time.perf_counter() - started)
        print(f"\nopen a story (session + both panels), {len(drafts)} drafts: {_median_ms(opened)}")

        target = service.create("Harbour strike ends as dockers return")
        session.open(target.id)
        metadata.headline.setFocus()
        metadata.headline.moveCursor(metadata.headline.textCursor().MoveOperation.End)
        typed = []
        for character in " after twelve days of talks":
            started = time.perf_counter()
            QTest.keyClicks(metadata.headline, character)
            typed.append(time.perf_counter() - started)
        assert metadata.slug.text() == "harbour-strike-ends-as-dockers-return-after-twelve-days-of-talks"
        print(f"headline keystroke with the slug following: {_median_ms(typed)}")

        links.start_add()
        links.form.internal.setChecked(True)
        searched = []
        for words in ("harbour", "minister council", "strike", "ferry airport"):
            links.form.search.setText(words)
            started = time.perf_counter()
            links.form.run_search()
            searched.append(time.perf_counter() - started)
        print(f"link form: find a story in the budget: {_median_ms(searched)}")
    finally:
        store.close()
