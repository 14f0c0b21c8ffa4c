"""Related links: only http and https, normalised, no duplicates, titles that are never empty.

No network access: a title is never fetched from the web; an empty one falls
back to the target story's headline or the URL's host and path.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from newsdesk.core.errors import InvalidField

MAX_URL = 2048
MAX_TITLE = 300
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class LinkTarget:
    """What a link points at: an external URL or another story (by id)."""

    url: str | None = None
    story_id: int | None = None

    @property
    def key(self) -> str:
        return f"story:{self.story_id}" if self.story_id is not None else f"url:{self.url}"


def normalise_url(raw: str) -> str:
    """A clean absolute http(s) URL, or InvalidField saying why the text is not one.

    Scheme and host go lower case, internationalised host names become their
    ASCII (IDNA) form, spaces and other unsafe characters are percent-encoded,
    and a bare `www.example.com/page` gets `https://`.
    """
    text = _CONTROL.sub("", unicodedata.normalize("NFC", html.unescape(raw))).strip()
    if not text:
        raise InvalidField("url", "The link has no address.")
    if len(text) > MAX_URL:
        raise InvalidField("url", f"The address is {len(text)} characters long; links are limited to {MAX_URL}.")
    scheme_match = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", text)
    if scheme_match is None:
        if text.startswith("//") or re.match(r"^[\w.-]+\.[A-Za-z]{2,}(?:[/:?#]|$)", text, re.UNICODE):
            text = "https:" + text if text.startswith("//") else "https://" + text
        else:
            raise InvalidField("url", f"“{raw.strip()[:80]}” is not a web address: it should start with https://.")
    scheme = text.split(":", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise InvalidField("url", f"Only web addresses (http or https) can be linked; “{scheme}:” links are refused.")
    parts = urlsplit(text)
    if not parts.hostname:
        raise InvalidField("url", f"“{raw.strip()[:80]}” has no host name.")
    try:
        host = parts.hostname.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise InvalidField("url", f"“{parts.hostname}” is not a valid host name.") from None
    if "." not in host and host != "localhost" and not host.startswith("["):
        raise InvalidField("url", f"“{host}” is not a complete host name (for example apnews.com).")
    try:
        port = parts.port
    except ValueError:
        raise InvalidField("url", "The address has an invalid port number.") from None
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    path = quote(unquote(parts.path), safe="/%:@!$&'()*+,;=-._~") or "/"
    query = quote(parts.query, safe="=&%:@!$'()*+,;/?-._~")
    fragment = quote(parts.fragment, safe="=&%:@!$'()*+,;/?-._~")
    return urlunsplit((scheme, netloc, path, query, fragment))


def validate_title(title: str) -> str:
    title = " ".join(title.split())
    if len(title) > MAX_TITLE:
        raise InvalidField("title", f"The link title is {len(title)} characters long; keep it under {MAX_TITLE}.")
    return title


def fallback_title(url: str | None, story_headline: str | None) -> str:
    """What a link with no title shows: the story's headline, or the URL's host and path."""
    if story_headline:
        return story_headline
    if not url:
        return ""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host.startswith("www."):
        host = host[4:]
    path = unquote(parts.path).rstrip("/")
    return f"{host}{path}" if path else host


def check_unique(targets: list[LinkTarget]) -> None:
    """Refuse a list that names the same target twice."""
    seen: set[str] = set()
    for target in targets:
        if target.key in seen:
            what = "that story" if target.story_id is not None else target.url
            raise InvalidField("links", f"The story already links to {what}.")
        seen.add(target.key)
