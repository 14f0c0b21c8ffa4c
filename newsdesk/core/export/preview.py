"""The window's live preview: the article page the web will get, drawn from a story as it is being edited.

It reads nothing from the store and shares no state, so the window can call it
from a worker thread on every pause in typing: give it the story record (with
the unsaved body, if any) and the site settings read once. The page is the
exported article page, marked as a preview, with the stylesheet inside it so it
shows the same in a web view with no folder behind it. Related links to other
stories point nowhere (their addresses need the whole site) and "More in this
section" is left out; everything else is what the export writes.

The window draws it with Qt's rich text, which knows a subset of CSS (no custom
properties, `rem`, `clamp()`, media queries, grid, flex, borders outside tables
or hiding). `rich_text_page` is the same page through the same template with
the stylesheet spelt in that subset; `write_browser_page` writes the exact page
for a real browser.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from newsdesk import resources
from newsdesk.core import atomic
from newsdesk.core.errors import ExportFailed
from newsdesk.core.export import images, paths
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
from newsdesk.core.rules.figures import Picture, Rendition
from newsdesk.core.rules.images import scaled_height
from newsdesk.core.services import settings as store_settings
from newsdesk.core.services.images import data_of
from newsdesk.core.store.db import Store

DEFAULT_SETTINGS = SiteSettings(
    site_url=store_settings.DEFAULTS["site_url"].default,
    newsroom_name=store_settings.DEFAULTS["newsroom_name"].default,
    nofollow=False,
    correction_placement=store_settings.DEFAULTS["correction_placement"].default,
)
REM_PX = 16
"""What 1rem is in a browser with default settings; Qt's rich text knows px but not rem."""
HIDDEN_CLASSES = frozenset({"skip-link", "visually-hidden"})
"""Elements the page hides with `position`/`clip`, which rich text cannot: the rich-text page leaves them out."""
QT_LINE = 1.2
"""A bare CSS line-height multiplies the font size; Qt's percentage multiplies the font's own line spacing, about 1.2 times it."""
RICH_TEXT_ONLY = ".breadcrumb ol, .related ul, .more ul { -qt-list-indent: 0; }\n"
"""Qt's own property for what `padding: 0` does to a list in a browser (rich text indents every list otherwise)."""
DARK_PAGE = {
    "--ink: #1b1b1b": "--ink: #e6e6e6", "--muted: #595959": "--muted: #b4b4b4", "--rule: #d9d9d9": "--rule: #4a4a4a",
    "--accent: #0b5cad": "--accent: #7ab4f5", "--paper: #ffffff": "--paper: #1e1f22", "--tint: #f4f6f8": "--tint: #2a2d31",
    "background: #fff4ce": "background: #4a3f12",
}
"""The page's colours for the window's dark scheme (the exported page itself is always light)."""
PREVIEW_WIDTH = 800
"""The one rendition the window's preview shows of each image (the preview pane is seldom wider)."""
BROWSER_FOLDER = "live"
"""Where, inside the preview folder, Open in Browser writes the window's page (apart from `export --preview`'s pages)."""


def entry_from_record(story: StoryRecord) -> StoryEntry:
    return StoryEntry(
        story.id, story.guid, story.slug, story.headline, story.subheadline, story.summary, story.byline, story.dateline,
        story.tagline, story.language, story.keywords, story.status, story.word_count, story.embargo,
        story.created_at, story.updated_at, story.published_at, story.corrected_at, story.killed_at, story.version,
        tuple(section.id for section in story.sections), (), f"preview:{story.id}:{story.version}", story.corrections,
    )


def preview_page(
    story: StoryRecord, *, body: str | None = None, settings: SiteSettings = DEFAULT_SETTINGS, stylesheet: str | None = None,
    pictures: Mapping[int, Picture] | None = None,
) -> str:
    """A whole HTML document for the preview; `body` is the editor's text when it differs from the record's.

    `stylesheet` replaces the page's own (for `rich_text_page`); by default the page carries site.css inside it.
    `pictures` are the story's images (`preview_pictures`); without them the page shows none.
    """
    shown = pictures or {}
    lead = story.lead_image
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
        lead=shown.get(lead.image_id) if lead is not None else None,
        pictures=shown,
    )
    css = resources.read_text("css", "site.css") if stylesheet is None else stylesheet
    return render_article(view, story.body if body is None else body, stylesheet=css)


def rich_text_page(
    story: StoryRecord, *, body: str | None = None, settings: SiteSettings = DEFAULT_SETTINGS, dark: bool = False,
    pictures: Mapping[int, Picture] | None = None,
) -> str:
    """`preview_page` for Qt's rich text: the page's stylesheet in the subset it reads, hidden elements left out.

    `dark` draws it in DARK_PAGE's colours, for a window in the system's dark scheme.
    """
    page = _without_hidden(preview_page(story, body=body, settings=settings, stylesheet=rich_text_stylesheet(dark), pictures=pictures))
    return _FIXED_SIZE.sub(_narrower, page) if pictures else page


def _narrower(match: re.Match[str]) -> str:
    width, height = int(match[2]), int(match[3])
    shown = min(width, RICH_TEXT_IMAGE_WIDTH)
    return f'{match[1]}width="{shown}" height="{scaled_height(width, height, shown)}"'


def preview_pictures(store: Store, folder: Path, story: StoryRecord) -> dict[int, Picture]:
    """The story's images for a preview, by id: one PREVIEW_WIDTH JPEG rendition of each, addressed by file URL.

    The renditions are made (off the UI thread: the preview's worker calls this) into `folder/images/`, the
    preview folder, never the data folder, named by content hash like the site's, so each is made once; the
    preview never shows an original, which may carry its GPS position.
    """
    shown: dict[int, Picture] = {}
    for image in story.images:
        width = min(PREVIEW_WIDTH, image.width)
        height = scaled_height(image.width, image.height, width)
        path = Path(folder) / images.FOLDER / image.sha256[:16] / f"{width}.jpg"
        if not path.is_file():
            view = images.RenditionView(image.sha256, data_of(store, [image.image_id])[image.image_id], image.width, image.height,
                                        (width, height), "jpeg")
            try:
                atomic.write_bytes(path, images.rendition_bytes(view, ""))
            except OSError as error:
                raise ExportFailed(f"Cannot write the preview's images in {path.parent}: {error.strerror or error}.") from error
        rendition = Rendition(path.resolve().as_uri(), width, height, "jpeg")
        shown[image.image_id] = Picture(image.image_id, image.alt, image.caption, image.credit, (rendition,))
    return shown


def write_browser_page(
    folder: Path, story: StoryRecord, *, body: str | None = None, settings: SiteSettings = DEFAULT_SETTINGS,
    pictures: Mapping[int, Picture] | None = None,
) -> Path:
    """Write the exact preview page (stylesheet inside) atomically under `folder`; returns its path.

    `folder` is the preview folder, outside the data folder; a folder inside an
    exported site is refused (ExportFailed), so a preview can never go live.
    """
    from newsdesk.core.export.site import exported_site_around  # with the site's process pool: not for the live preview

    folder = Path(folder)
    site = exported_site_around(folder)
    if site is not None:
        raise ExportFailed(f"{folder} is inside the exported site {site}; previews are written outside it so they never go live.")
    page = folder / BROWSER_FOLDER / f"{story.slug}.html"
    try:
        atomic.write_text(page, preview_page(story, body=body, settings=settings, pictures=pictures))
    except OSError as error:
        raise ExportFailed(f"Cannot write the preview in {page.parent}: {error.strerror or error}.") from error
    return page


@cache
def rich_text_stylesheet(dark: bool = False) -> str:
    """site.css in the subset of CSS that Qt's rich text reads (see `to_rich_text_css`), in DARK_PAGE's colours if `dark`."""
    css = resources.read_text("css", "site.css")
    if dark:
        for light, night in DARK_PAGE.items():
            css = css.replace(light, night)
    return to_rich_text_css(css)


def to_rich_text_css(css: str) -> str:
    """Custom properties resolved, `rem` in px, `clamp()` at its smallest, a bare line-height as Qt's percentage,
    `@media` blocks (print, wide screens) left out; then RICH_TEXT_ONLY."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    css = _without_at_rules(css)
    variables: dict[str, str] = {}
    for block in re.finditer(r":root\s*\{([^}]*)\}", css):
        for name, value in re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", block.group(1)):
            variables[name] = value.strip()
    css = re.sub(r":root\s*\{[^}]*\}", "", css)
    css = re.sub(r"var\((--[\w-]+)\)", lambda match: variables.get(match.group(1), "initial"), css)
    css = re.sub(r"clamp\(\s*([^,()]+),[^;]*\)", lambda match: match.group(1).strip(), css)
    css = re.sub(r"line-height:\s*(\d*\.?\d+)\s*;", lambda match: f"line-height: {float(match.group(1)) / QT_LINE * 100:.0f}%;", css)
    css = re.sub(r"(\d*\.?\d+)rem\b", lambda match: f"{float(match.group(1)) * REM_PX:g}px", css)
    return css.strip() + "\n" + RICH_TEXT_ONLY


def _without_at_rules(css: str) -> str:
    """`css` without its `@media` (and other block at-) rules, whose nested braces a regular expression cannot match."""
    kept: list[str] = []
    position = 0
    for match in re.finditer(r"@[\w-]+[^{;]*\{", css):
        if match.start() < position:
            continue
        kept.append(css[position:match.start()])
        depth, index = 1, match.end()
        while depth and index < len(css):
            depth += {"{": 1, "}": -1}.get(css[index], 0)
            index += 1
        position = index
    kept.append(css[position:])
    return "".join(kept)


_FIXED_SIZE = re.compile(r'(<img [^>]*?)width="(\d+)" height="(\d+)"')
"""An image's pixel size: rich text draws an image at that size, not scaled to the column (and `width="100%"` floats it)."""
RICH_TEXT_IMAGE_WIDTH = 360
"""Images in the window's preview are drawn this wide at most, so they fit the pane (and Phone Width's 400 px)."""
_HIDDEN = re.compile(
    r"<(?P<tag>[a-z][a-z0-9]*)\b[^>]*\bclass=\"(?:[^\"]*\s)?(?:" + "|".join(sorted(HIDDEN_CLASSES))
    + r")(?:\s[^\"]*)?\"[^>]*>.*?</(?P=tag)>\s*",
    re.DOTALL,
)
"""An element with a hidden class, up to its closing tag: such elements (a skip link, a heading for screen readers) hold no
element of their own kind, which is what lets a regular expression find their end (HTMLParser took 15–40 ms a page)."""


def _without_hidden(page: str) -> str:
    return _HIDDEN.sub("", page)
