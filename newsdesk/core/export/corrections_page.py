"""The site's /corrections/ page: every notice on a published story, newest first, each linking to its story.

Readers and press councils look for one place that owns up to every change; the
page lists what each story's own page shows (`pages.notices`), so the two never
disagree. It is written on every site export, with "No corrections yet." until
there is one, and the footer of every page links to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.core.export import paths
from newsdesk.core.export.catalogue import Catalogue, StoryEntry
from newsdesk.core.export.pages import Chrome, Notice, common_context, environment, notices

FOLDER = "corrections/"
FILE = FOLDER + paths.INDEX


@dataclass(frozen=True)
class CorrectionItem:
    notice: Notice
    headline: str
    href: str


@dataclass(frozen=True)
class CorrectionsView:
    file: str
    chrome: Chrome
    items: tuple[CorrectionItem, ...]


def corrected_stories(catalogue: Catalogue) -> list[StoryEntry]:
    """The published stories with a notice, by id: what the page's key is made from."""
    return sorted((story for story in catalogue.stories.values() if story.is_published and story.corrections), key=lambda s: s.id)


def corrections_view(catalogue: Catalogue, shared: Chrome) -> CorrectionsView:
    items = [
        CorrectionItem(notice, story.headline, catalogue.article_href(story))
        for story in corrected_stories(catalogue) for notice in notices(story)
    ]
    items.sort(key=lambda item: item.notice.published_at, reverse=True)
    return CorrectionsView(FILE, shared, tuple(items))


def render_corrections(view: CorrectionsView) -> str:
    settings = view.chrome.settings
    context = common_context(view.file, view.chrome) | {
        "title": "Corrections",
        "description": f"Every correction, clarification, update and editor’s note published by {settings.newsroom_name}.",
        "canonical": paths.absolute(settings.site_url, FOLDER),
        "view": view,
    }
    return environment().get_template("corrections.html").render(context)


def corrections_bytes(view: CorrectionsView, _body: str) -> bytes:
    return render_corrections(view).encode("utf-8")
