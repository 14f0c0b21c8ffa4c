"""Exporting the site: which files a site holds, and the three ways to write them.

`export_site` writes every published story's page, a notice page at each killed
story's address, section pages, the home page, the corrections page, Atom feeds,
the sitemap and the stylesheet; spiked and unpublished stories are absent. Given story ids it
writes only those stories' pages (and removes their old addresses); the shared
pages are brought up to date by the next full export.

`export_ninjs` writes each story as IPTC ninjs 2.1 JSON (`<uuid>.json`, from the
story's guid), killed ones with `pubstatus: canceled`.

`export_preview` writes one story's page whatever its state, marked as a
preview and `noindex`, into a folder that is neither an exported site nor
inside one (nor inside a site's versions folder), so a preview never goes live.

Both take an `ExportRequest`: the folder, which stories, and the plain
callables for progress and cancel (`progress(done, total)`, `cancelled() ->
bool`) that the window drives from a worker thread.

`page_on_site` says where a story's page lies in an exported site and
`current_page` whether that page still shows the story as it is, so the window
and the command line decide it the same way.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from newsdesk import config, resources
from newsdesk.core import atomic
from newsdesk.core.errors import ExportFailed, StoryNotFound
from newsdesk.core.export import catalogue as catalogue_module
from newsdesk.core.export import corrections_page, feeds, images, ninjs, pages, paths, versions
from newsdesk.core.export.catalogue import Catalogue, StoryEntry
from newsdesk.core.export.writer import (
    CancelCheck,
    ExportResult,
    PlannedFile,
    Progress,
    Renderer,
    SiteWriter,
)
from newsdesk.core.records import StoryRecord
from newsdesk.core.rules.checks import PLACEHOLDER_SITE
from newsdesk.core.rules.domain import Status
from newsdesk.core.rules.render import RENDERER_VERSION
from newsdesk.core.services import revisions
from newsdesk.core.services.images import data_of
from newsdesk.core.store.db import Store

log = logging.getLogger(__name__)

SITE_MANIFEST = ".newsdesk-export.json"
NINJS_MANIFEST = ".newsdesk-ninjs.json"
SITE_FORMAT = "1"


@dataclass(frozen=True)
class ExportRequest:
    """One export's setup: where to write, which stories (None: all on the site), and how to report and stop.

    `workers` > 1 draws pages in that many processes when there are many to
    draw (see `writer`; the caller's main module must be import-safe).
    """

    out: Path
    story_ids: Collection[int] | None = None
    progress: Progress | None = None
    cancelled: CancelCheck | None = None
    workers: int = 1


def default_site_folder() -> Path:
    """Where a site is exported when no folder is given (created): `site` beside the data folder, never in it.

    A dialog proposing a folder inside the data folder would list the store's
    files; see `newsdesk.ui.common.file_dialogs`.
    """
    return config.work_folder("site")


def default_preview_folder() -> Path:
    """Where previews go when no folder is given (created): `preview`, a sibling of the site folder, not inside it."""
    return config.work_folder("preview")


@cache
def design_key() -> str:
    """A hash of everything besides the data that shapes a page: templates, stylesheet, renderer."""
    hasher = hashlib.sha256(f"{SITE_FORMAT}:{RENDERER_VERSION}".encode())
    for folder in ("templates", "css"):
        for file in sorted(resources.path(folder).iterdir()):
            hasher.update(file.name.encode())
            hasher.update(file.read_bytes())
    return hasher.hexdigest()


class _Keys:
    """Page keys: a hash of what a page is made from, cheap enough to compute for every page on every export.

    A key combines the design, settings and section tree with the signatures
    (id, version, status, times) of the stories the page shows, so it changes
    exactly when the page would, without building the page.
    """

    def __init__(self, catalogue: Catalogue, chrome: pages.Chrome) -> None:
        self.catalogue = catalogue
        self.base = hashlib.sha256(f"{design_key()}\n{catalogue.shape!r}\n{chrome.menu!r}\n".encode())

    def __call__(self, *parts: object) -> str:
        hasher = self.base.copy()
        hasher.update(repr(parts).encode())
        return hasher.hexdigest()

    def stories(self, stories: Iterable[StoryEntry]) -> tuple[object, ...]:
        return tuple(story.signature for story in stories)

    def article(self, story: StoryEntry, preview: bool = False) -> str:
        catalogue = self.catalogue
        section = catalogue.primary_section(story)
        links = tuple(
            (link.title, link.url, catalogue.stories[link.story_id].signature if link.story_id in catalogue.stories else link.story_id)
            for link in story.links
        ) if story.links else ()
        more = self.stories(pages.more_in_section(catalogue, story, section)) if story.is_published or preview else ()
        return self("article", story.signature, preview, links, more)


def _raw(view: bytes, _body: str) -> bytes:
    return view


def _later(renderer: Renderer, build: Callable[[], object]) -> Callable[[], tuple[Renderer, object]]:
    """A PlannedFile's `make` that builds the view when the page is due, from arguments bound now (not a loop's last ones)."""
    return lambda: (renderer, build())


def _ready(renderer: Renderer, view: object) -> Callable[[], tuple[Renderer, object]]:
    """A PlannedFile's `make` for a view already built."""
    return lambda: (renderer, view)


def story_file(catalogue: Catalogue, chrome: pages.Chrome, keys: _Keys, story: StoryEntry) -> PlannedFile | None:
    if story.is_published:
        return PlannedFile(
            catalogue.article_file(story), keys.article(story),
            lambda: (pages.article_bytes, pages.article_view(catalogue, chrome, story)), story.id, True,
        )
    if story.status == Status.KILLED:
        return PlannedFile(
            catalogue.article_file(story), keys("killed", story.signature),
            lambda: (pages.killed_bytes, pages.killed_view(catalogue, chrome, story)), story.id,
        )
    return None


def plan_site(catalogue: Catalogue, load: images.Loader) -> tuple[list[PlannedFile], list[str]]:
    """Every file of the site (renditions of the stories' photographs read through `load`), and the stories left out
    because their address is taken."""
    chrome = pages.chrome(catalogue)
    keys = _Keys(catalogue, chrome)
    stylesheet = resources.path("css", "site.css").read_bytes()
    latest, blocks = pages.home_stories(catalogue)
    planned: list[PlannedFile] = [
        PlannedFile(paths.STYLESHEET, keys("css"), lambda: (_raw, stylesheet)),
        PlannedFile(
            paths.INDEX, keys("home", keys.stories(latest), tuple((node.id, keys.stories(items)) for node, items in blocks)),
            lambda: (pages.home_bytes, pages.home_view(catalogue, chrome)),
        ),
    ]
    section_files: list[str] = []
    listed = [node for node in catalogue.ordered_sections if not node.is_home and catalogue.listing(node.id)]
    for section in catalogue.ordered_sections:
        if section.is_home:
            continue
        count = pages.section_pages(catalogue, section)
        children = pages.subsections(catalogue, section)
        for page in range(1, count + 1):
            key = keys("section", section.id, page, count, children, keys.stories(pages.section_chunk(catalogue, section, page)))
            planned.append(PlannedFile(
                paths.section_file(section, page), key,
                _later(pages.section_bytes, partial(pages.section_view, catalogue, chrome, section, page)),
            ))
            section_files.append(paths.section_file(section, page))
    for feed_section in [None, *listed]:
        entries = catalogue.listing(feed_section.id if feed_section is not None else None)[:feeds.FEED_ENTRIES]
        planned.append(PlannedFile(
            paths.feed_file(feed_section), keys("feed", feed_section.id if feed_section else None, keys.stories(entries)),
            _later(feeds.feed_bytes, partial(feeds.feed_view, catalogue, feed_section)),
        ))
    planned.append(PlannedFile(
        paths.SITEMAP, keys("sitemap", tuple(section_files), keys.stories(catalogue.published())),
        lambda: (feeds.sitemap_bytes, feeds.sitemap_view(catalogue, section_files)),
    ))
    if corrections_page.FILE in section_files:
        log.warning("Not writing the corrections page: its address %s is a section's page", corrections_page.FILE)
    else:
        planned.append(PlannedFile(
            corrections_page.FILE, keys("corrections", keys.stories(corrections_page.corrected_stories(catalogue))),
            lambda: (corrections_page.corrections_bytes, corrections_page.corrections_view(catalogue, chrome)),
        ))
    taken = {file.path for file in planned}
    skipped: list[str] = []
    for story in sorted(catalogue.stories.values(), key=lambda s: s.id):
        file = story_file(catalogue, chrome, keys, story)
        if file is None:
            continue
        if file.path in taken:
            log.warning("Not exporting %s: its address %s is taken by a section page", story.slug, file.path)
            skipped.append(story.slug)
            continue
        taken.add(file.path)
        planned.append(file)
    planned += images.planned(catalogue, load)
    return planned, skipped


def export_site(store: Store, request: ExportRequest) -> ExportResult:
    """Export the whole site into `request.out`, or only the requested stories' pages (see the module docstring)."""
    catalogue = catalogue_module.load(store)
    writer = SiteWriter(Path(request.out), SITE_MANIFEST)
    warnings = _first_export_warnings(catalogue, writer)
    bodies = _body_reader(store, catalogue)
    progress, cancelled, workers = request.progress, request.cancelled, request.workers
    if request.story_ids is None:
        planned, skipped = plan_site(catalogue, _image_loader(store))
        result = writer.write(planned, bodies, progress=progress, cancelled=cancelled, workers=workers)
        return ExportResult(result.out, result.written, result.unchanged, result.removed, tuple(skipped), result.seconds, result.cancelled,
                            warnings)
    wanted = _on_site(catalogue, request.story_ids)
    chrome = pages.chrome(catalogue)
    keys = _Keys(catalogue, chrome)
    planned = [file for file in (story_file(catalogue, chrome, keys, catalogue.stories[i]) for i in sorted(wanted)) if file is not None]
    planned += images.planned(catalogue, _image_loader(store), [i for i in wanted if catalogue.stories[i].is_published])
    result = writer.write(
        planned, bodies, prune=lambda _path, entry: entry.get("story") in wanted, progress=progress, cancelled=cancelled, workers=workers,
    )
    return dataclasses.replace(result, warnings=warnings)


def _first_export_warnings(catalogue: Catalogue, writer: SiteWriter) -> tuple[str, ...]:
    """The one-line warning a first export into a folder gives while the site address is still the placeholder."""
    if writer.manifest_path.exists() or catalogue.settings.site_url.rstrip("/") != PLACEHOLDER_SITE.rstrip("/"):
        return ()
    return ((f"The site address is still the placeholder {PLACEHOLDER_SITE}: canonical links, feeds and the sitemap point there; "
             "set it with `newsdesk settings set site_url=https://…`."),)


def export_ninjs(store: Store, request: ExportRequest) -> ExportResult:
    """Write the requested stories (all on the site when none are named) as ninjs files into `request.out`."""
    story_ids = request.story_ids
    catalogue = catalogue_module.load(store)
    wanted = set(catalogue.stories) if story_ids is None else _on_site(catalogue, story_ids)
    keys = _Keys(catalogue, pages.chrome(catalogue))
    planned = []
    for story_id in sorted(wanted):
        story = catalogue.stories[story_id]
        view = ninjs.NinjsView(story, catalogue.story_sections(story), catalogue.settings, catalogue.article_href(story))
        planned.append(PlannedFile(
            ninjs.file_name(story), keys("ninjs", ninjs.FORMAT, story.signature), _ready(ninjs.ninjs_bytes, view),
            story_id, story.is_published,
        ))
    prune = (lambda _path, _entry: True) if story_ids is None else (lambda _path, entry: entry.get("story") in wanted)
    writer = SiteWriter(Path(request.out), NINJS_MANIFEST)
    return writer.write(
        planned, _body_reader(store, catalogue), prune=prune, progress=request.progress, cancelled=request.cancelled,
        workers=request.workers,
    )


def export_preview(store: Store, out: Path, story_id: int) -> Path:
    """Write one story's page as a preview (whatever its state); returns the page's path."""
    out = Path(out)
    site = exported_site_around(out)
    if site is not None:
        raise ExportFailed(
            f"{out} is inside the exported site {site}; write previews to a folder outside it so they never go live."
        )
    catalogue = catalogue_module.load(store, also=[story_id])
    story = catalogue.stories.get(story_id)
    if story is None:
        raise StoryNotFound(f"There is no story with id {story_id} to preview.")
    view = pages.article_view(catalogue, pages.chrome(catalogue), story, preview=True)
    body = catalogue_module.load_bodies(store, [story_id]).get(story_id, "")
    page = out / view.file
    try:
        atomic.write_bytes(out / paths.STYLESHEET, resources.path("css", "site.css").read_bytes())
        for file in images.planned(catalogue, _image_loader(store), [story_id], crops=False):
            if not (out / file.path).is_file():  # named by content hash and size: one already there is this one
                renderer, rendition = file.make()
                atomic.write_bytes(out / file.path, renderer(rendition, ""))
        atomic.write_text(page, pages.render_article(view, body))
    except OSError as error:
        raise ExportFailed(f"Cannot write the preview in {out}: {error.strerror or error}.") from error
    return page


def page_on_site(store: Store, site: Path, story_id: int) -> Path | None:
    """Where a story's page lies in the exported `site` folder (None when the story is not on the site)."""
    catalogue = catalogue_module.load(store)
    story = catalogue.stories.get(story_id)
    return None if story is None else Path(site) / catalogue.article_file(story)


def current_page(store: Store, site: Path, story: StoryRecord) -> Path | None:
    """A published story's page in `site` when it shows the story as it now is, else None (show a preview instead).

    Judged by file time: the page counts when it was written at or after the
    story's last change. A killed story's address holds a notice, not the story,
    and a story edited since it was last published holds its published copy.
    """
    if story.status != Status.PUBLISHED or revisions.changed_since_published(store, story.id, story.version):
        return None
    page = page_on_site(store, site, story.id)
    if page is None or not page.is_file() or page.stat().st_mtime < story.updated_at.timestamp():
        return None
    return page


def exported_site_around(folder: Path) -> Path | None:
    """The exported site (or its versions folder) that `folder` is or lies in, if any.

    Both the path as given and the one links lead to are checked, so a link
    into a site does not let a preview in.
    """
    absolute = Path(os.path.abspath(folder))
    for chain in (absolute, Path(os.path.realpath(absolute))):
        for candidate in (chain, *chain.parents):
            if (candidate / SITE_MANIFEST).exists() or (candidate / NINJS_MANIFEST).exists() or versions.is_versions_folder(candidate):
                return candidate
    return None


def _on_site(catalogue: Catalogue, story_ids: Iterable[int]) -> set[int]:
    wanted = set(story_ids)
    for story_id in sorted(wanted):
        if story_id not in catalogue.stories:
            raise ExportFailed(
                f"Story {story_id} is not on the site (only published and killed stories are exported); "
                "use `newsdesk export --preview` to see an unpublished story's page."
            )
    return wanted


def _body_reader(store: Store, catalogue: Catalogue) -> Callable[[Iterable[int]], Mapping[int, str]]:
    return lambda ids: catalogue_module.bodies_of(store, catalogue, ids)


def _image_loader(store: Store) -> images.Loader:
    return images.loader(lambda ids: data_of(store, ids))
