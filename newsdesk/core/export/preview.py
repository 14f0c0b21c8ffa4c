"""The window's live preview: the article page the web will get, drawn from a story as it is being edited.

It reads nothing from the store and shares no state, so the window can call it
from a worker thread on every pause in typing: give it the story record (with
the unsaved body, if any) and the site settings read once. The page is the
exported article page, marked as a preview, with the stylesheet inside it so it
shows the same in a web view with no folder behind it. Related links to other
stories point nowhere (their addresses need the whole site) and "More in this
section" is left out; everything else is what the export writes.
"""

from __future__ import annotations

from newsdesk import resources
from newsdesk.core.export import paths
from newsdesk.core.export.catalogue import SiteSettings, StoryEntry
from newsdesk.core.export.pages import (
    ArticleView,
    Chrome,
    Crumb,
    RelatedItem,
    render_article,
)
from newsdesk.core.records import StoryRecord
from newsdesk.core.rules.domain import Status
from newsdesk.core.services import settings as store_settings

DEFAULT_SETTINGS = SiteSettings(
    site_url=store_settings.DEFAULTS["site_url"].default,
    newsroom_name=store_settings.DEFAULTS["newsroom_name"].default,
    nofollow=False,
)


def entry_from_record(story: StoryRecord) -> StoryEntry:
    return StoryEntry(
        story.id, story.guid, story.slug, story.headline, story.subheadline, story.summary, story.byline, story.dateline,
        story.tagline, story.language, story.keywords, story.status, story.correction_note, story.word_count, story.embargo,
        story.created_at, story.updated_at, story.published_at, story.corrected_at, story.killed_at, story.version,
        tuple(section.id for section in story.sections), (), f"preview:{story.id}:{story.version}",
    )


def preview_page(story: StoryRecord, *, body: str | None = None, settings: SiteSettings = DEFAULT_SETTINGS) -> str:
    """A whole HTML document for the preview pane; `body` is the editor's text when it differs from the record's."""
    primary = story.primary_section
    crumbs = [Crumb("Home", "")]
    if primary is not None and primary.name != "Home":
        crumbs.append(Crumb(primary.name, ""))
    related = tuple(
        RelatedItem(link.title, link.url, True) if link.url else RelatedItem(link.title, "", False)
        for link in story.links
        if link.url or link.story_status == Status.PUBLISHED
    )
    view = ArticleView(
        file=f"{story.slug}/{paths.INDEX}",
        chrome=Chrome(settings, ()),
        story=entry_from_record(story),
        breadcrumb=tuple(crumbs),
        section_name=crumbs[-1].name,
        section_href="",
        related=related,
        more=(),
        preview=True,
    )
    return render_article(view, story.body if body is None else body, stylesheet=resources.read_text("css", "site.css"))
