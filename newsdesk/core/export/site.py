"""Exporting the site: which files a site holds, and the three ways to write them.

`export_site` writes every published story's page, a notice page at each killed
story's address, section pages, the home page, Atom feeds, the sitemap and the
stylesheet; spiked and unpublished stories are absent. Given story ids it
writes only those stories' pages (and removes their old addresses); the shared
pages are brought up to date by the next full export.

`export_ninjs` writes each story as IPTC ninjs 2.1 JSON (`<uuid>.json`, from the
story's guid), killed ones with `pubstatus: canceled`.

`export_preview` writes one story's page whatever its state, marked as a
preview and `noindex`, into a folder that is not an exported site.

Progress and cancel are plain callables (`progress(done, total)`,
`cancelled() -> bool`) so the window can drive them from a worker thread.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path

from newsdesk import config, resources
from newsdesk.core import atomic
from newsdesk.core.db import Store
from newsdesk.core.errors import ExportFailed, StoryNotFound
from newsdesk.core.export import catalogue as catalogue_module, feeds, ninjs, pages, paths
from newsdesk.core.export.catalogue import Catalogue, StoryEntry
from newsdesk.core.export.writer import CancelCheck, ExportResult, PlannedFile, Progress, SiteWriter
from newsdesk.core.render import RENDERER_VERSION

log = logging.getLogger(__name__)

SITE_MANIFEST = ".newsdesk-export.json"
NINJS_MANIFEST = ".newsdesk-ninjs.json"
SITE_FORMAT = "1"


def default_site_folder() -> Path:
    """Where a site is exported when no folder is given: `site` in the user data folder."""
    return config.paths().data / "site"


def default_preview_folder() -> Path:
    return config.paths().data / "preview"


@cache
def design_key() -> str:
    """A hash of everything besides the data that shapes a page: templates, stylesheet, renderer."""
    hasher = hashlib.sha256(f"{SITE_FORMAT}:{RENDERER_VERSION}".encode())
    for folder in ("templates", "css"):
        for file in sorted(resources.path(folder).iterdir()):
            hasher.update(file.name.encode())
            hasher.update(file.read_bytes())
    return hasher.hexdigest()


def _key(view: object) -> str:
    return hashlib.sha256(f"{design_key()}\n{view!r}".encode()).hexdigest()


def _encode(text: str) -> bytes:
    return text.encode("utf-8")


def _article(view: pages.ArticleView) -> PlannedFile:
    story_id = view.story.id
    return PlannedFile(view.file, _key(view), lambda bodies: _encode(pages.render_article(view, bodies.get(story_id, ""))), story_id, True)


def _killed(view: pages.KilledView) -> PlannedFile:
    return PlannedFile(view.file, _key(view), lambda bodies: _encode(pages.render_killed(view)), view.story.id)


def story_files(catalogue: Catalogue, chrome: pages.Chrome, story: StoryEntry) -> PlannedFile | None:
    if story.is_published:
        return _article(pages.article_view(catalogue, chrome, story))
    if story.status == "killed":
        return _killed(pages.killed_view(catalogue, chrome, story))
    return None


def plan_site(catalogue: Catalogue) -> tuple[list[PlannedFile], list[str]]:
    """Every file of the site, and the stories left out because their address is taken."""
    chrome = pages.chrome(catalogue)
    stylesheet = resources.path("css", "site.css").read_bytes()
    planned: list[PlannedFile] = [PlannedFile(paths.STYLESHEET, _key(stylesheet), lambda bodies: stylesheet)]
    home = pages.home_view(catalogue, chrome)
    planned.append(PlannedFile(home.file, _key(home), lambda bodies: _encode(pages.render_home(home))))
    section_files: list[str] = []
    for section in catalogue.ordered_sections:
        if section.is_home:
            continue
        for view in pages.section_views(catalogue, chrome, section):
            planned.append(PlannedFile(view.file, _key(view), lambda bodies, view=view: _encode(pages.render_section(view))))
            section_files.append(view.file)
    for section in [None, *(node for node in catalogue.ordered_sections if not node.is_home and catalogue.listing(node.id))]:
        feed = feeds.feed_view(catalogue, section)
        planned.append(PlannedFile(feed.file, _key(feed), lambda bodies, feed=feed: _encode(feeds.render_feed(feed))))
    sitemap = feeds.sitemap_view(catalogue, section_files)
    planned.append(PlannedFile(sitemap.file, _key(sitemap), lambda bodies: _encode(feeds.render_sitemap(sitemap))))
    taken = {file.path for file in planned}
    skipped: list[str] = []
    for story in sorted(catalogue.stories.values(), key=lambda s: s.id):
        file = story_files(catalogue, chrome, story)
        if file is None:
            continue
        if file.path in taken:
            log.warning("Not exporting %s: its address %s is taken by a section page", story.slug, file.path)
            skipped.append(story.slug)
            continue
        taken.add(file.path)
        planned.append(file)
    return planned, skipped


def export_site(
    store: Store,
    out: Path,
    *,
    story_ids: Iterable[int] | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> ExportResult:
    """Export the whole site into `out`, or only the given stories' pages (see the module docstring)."""
    catalogue = catalogue_module.load(store)
    writer = SiteWriter(Path(out), SITE_MANIFEST)
    bodies = _body_reader(store)
    if story_ids is None:
        planned, skipped = plan_site(catalogue)
        result = writer.write(planned, bodies, progress=progress, cancelled=cancelled)
        return ExportResult(result.out, result.written, result.unchanged, result.removed, tuple(skipped), result.seconds, result.cancelled)
    wanted = _on_site(catalogue, story_ids)
    chrome = pages.chrome(catalogue)
    planned = [file for file in (story_files(catalogue, chrome, catalogue.stories[i]) for i in wanted) if file is not None]
    return writer.write(
        planned, bodies, prune=lambda path, entry: entry.get("story") in wanted, progress=progress, cancelled=cancelled,
    )


def export_ninjs(
    store: Store,
    out: Path,
    *,
    story_ids: Iterable[int] | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> ExportResult:
    catalogue = catalogue_module.load(store)
    wanted = set(catalogue.stories) if story_ids is None else _on_site(catalogue, story_ids)
    planned = []
    for story_id in sorted(wanted):
        story = catalogue.stories[story_id]
        view = ninjs.NinjsView(story, catalogue.primary_section(story), catalogue.settings, catalogue.article_href(story))

        def render(bodies: Mapping[int, str], view: ninjs.NinjsView = view) -> bytes:
            data = ninjs.to_ninjs(view, bodies.get(view.story.id, ""))
            return _encode(json.dumps(data, ensure_ascii=False, indent=2) + "\n")

        planned.append(PlannedFile(ninjs.file_name(story), _key(view), render, story_id, story.is_published))
    prune = (lambda path, entry: True) if story_ids is None else (lambda path, entry: entry.get("story") in wanted)
    writer = SiteWriter(Path(out), NINJS_MANIFEST)
    return writer.write(planned, _body_reader(store), prune=prune, progress=progress, cancelled=cancelled)


def export_preview(store: Store, out: Path, story_id: int) -> Path:
    """Write one story's page as a preview (whatever its state); returns the page's path."""
    out = Path(out)
    if (out / SITE_MANIFEST).exists() or (out / NINJS_MANIFEST).exists():
        raise ExportFailed(f"{out} holds an exported site; write previews to another folder so they never go live.")
    catalogue = catalogue_module.load(store, also=[story_id])
    story = catalogue.stories.get(story_id)
    if story is None:
        raise StoryNotFound(f"There is no story with id {story_id} to preview.")
    view = pages.article_view(catalogue, pages.chrome(catalogue), story, preview=True)
    body = catalogue_module.load_bodies(store, [story_id]).get(story_id, "")
    page = out / view.file
    try:
        atomic.write_bytes(out / paths.STYLESHEET, resources.path("css", "site.css").read_bytes())
        atomic.write_text(page, pages.render_article(view, body))
    except OSError as error:
        raise ExportFailed(f"Cannot write the preview in {out}: {error.strerror or error}.") from error
    return page


def _on_site(catalogue: Catalogue, story_ids: Iterable[int]) -> set[int]:
    wanted = set(story_ids)
    for story_id in sorted(wanted):
        if story_id not in catalogue.stories:
            raise ExportFailed(
                f"Story {story_id} is not on the site (only published and killed stories are exported); "
                "use `newsdesk export --preview` to see an unpublished story's page."
            )
    return wanted


def _body_reader(store: Store) -> Callable[[Iterable[int]], Mapping[int, str]]:
    return lambda ids: catalogue_module.load_bodies(store, ids)
