"""Where every exported file lives, and how pages link to each other.

An article lives at `<primary section path>/<slug>/index.html`: a story in
Home › World › Europe with the slug `belarus-diplomat` is
`world/europe/belarus-diplomat/index.html`, served as
`<site>/world/europe/belarus-diplomat/`; a story filed directly under Home (or
under no section) is `<slug>/index.html`. The address changes only when the
slug or the primary section does; the export then removes the old page.

A section's pages are `<section path>/index.html`, then `index-2.html`,
`index-3.html`... (a slug never holds a dot, so these can never collide with a
story's folder); Home's first page is the site's `index.html`. Feeds are
`feed.xml` in the site root and in each section's folder, and the site root also
holds `sitemap.xml`, `site.css` and the export's manifest.

Links between pages are relative (`../../site.css`), so an exported folder can
be opened from disk, served from any sub-path, or copied elsewhere; canonical
URLs, feeds, the sitemap and social tags use the absolute site address.
"""

from __future__ import annotations

from newsdesk.core.services.sections import SectionNode

INDEX = "index.html"
STYLESHEET = "site.css"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"


def section_dir(section: SectionNode | None) -> str:
    """`world/europe/` for Home › World › Europe; "" for Home or no section."""
    if section is None or not section.url_path:
        return ""
    return section.url_path + "/"


def article_dir(section: SectionNode | None, slug: str) -> str:
    return f"{section_dir(section)}{slug}/"


def article_file(section: SectionNode | None, slug: str) -> str:
    return article_dir(section, slug) + INDEX


def section_file(section: SectionNode | None, page: int = 1) -> str:
    name = INDEX if page <= 1 else f"index-{page}.html"
    return section_dir(section) + name


def section_href(section: SectionNode | None, page: int = 1) -> str:
    """The address of a section page relative to the site root (`world/`, `world/index-2.html`)."""
    return section_dir(section) if page <= 1 else section_file(section, page)


def feed_file(section: SectionNode | None) -> str:
    return section_dir(section) + FEED


def root_prefix(file_path: str) -> str:
    """The relative way back to the site root from a file: `../../` for `world/slug/index.html`."""
    return "../" * file_path.count("/")


def absolute(site_url: str, href: str) -> str:
    """`https://news.example.com/world/slug/` from the site address and a root-relative href."""
    return site_url.rstrip("/") + "/" + href.lstrip("/")
