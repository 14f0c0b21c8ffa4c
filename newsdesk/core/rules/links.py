"""Related links: only http and https, normalised, no duplicates, titles that are never empty.

A link is what a reporter pastes, so it arrives with stray spaces, capitals,
HTML entities from a page's source and, sometimes, something hostile. The
scheme is judged on the address as a browser would read it (entities decoded,
control and invisible characters dropped), so no spelling of `javascript:` or
`data:` gets through; the address that is kept is the pasted one, cleaned.

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
from newsdesk.core.rules import limits
from newsdesk.core.rules.domain import Status

MAX_URL = limits.URL.length
MAX_TITLE = limits.LINK_TITLE.length
FLAGGED_STATUSES: dict[str, str] = {
    Status.SPIKED: "The linked story was spiked; readers cannot reach it.",
    Status.KILLED: "The linked story was killed; readers must not be sent to it.",
}
WEB_SCHEMES = ("http", "https")

_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_TITLE_JUNK = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b\u2028-\u202e\u2066-\u2069\ufeff\ufffe\uffff]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_BARE_HOST = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?::\d+)?(?:[/?#]|$)", re.UNICODE)
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = "=&%:@!$'()*+,;/?-._~"


@dataclass(frozen=True)
class LinkTarget:
    """What a link points at: an external URL (normalised) or another story (by id)."""

    url: str | None = None
    story_id: int | None = None

    @property
    def key(self) -> str:
        """Two links with the same key lead a reader to the same page."""
        return f"story:{self.story_id}" if self.story_id is not None else f"url:{target_key(self.url or '')}"


def normalise_url(raw: str) -> str:
    """A clean absolute http(s) URL, or InvalidField saying why the text is not one.

    Scheme and host go lower case, internationalised host names become their
    ASCII (IDNA) form, default ports and stray spaces go, unsafe characters in
    the path and query are percent-encoded, and a bare `www.example.com/page`
    gets `https://`. Anything but http and https is refused, however it is
    spelt (`JaVaScRiPt:`, `java&#x09;script:`, `&#106;avascript:` ...).
    """
    _refuse_hidden_scheme(raw)
    text = _ENTITY.sub(lambda match: html.unescape(match.group()), raw)
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text)).strip()
    if not text:
        raise InvalidField("url", "The link has no address.")
    if len(text) > MAX_URL:
        raise InvalidField("url", f"The address is {len(text):,} characters long; links are limited to {MAX_URL:,}.")
    shown = text[:80]
    scheme_match = _SCHEME.match(text)
    if scheme_match is None or _BARE_HOST.match(text):
        if text.startswith("//"):
            text = "https:" + text
        elif _BARE_HOST.match(text):
            text = "https://" + text
        else:
            raise InvalidField("url", f"“{shown}” is not a web address: it should start with https://.")
    scheme = text.split(":", 1)[0].lower()
    if scheme not in WEB_SCHEMES:
        raise InvalidField("url", f"Only web addresses (http or https) can be linked; “{scheme}:” links are refused.")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise InvalidField("url", f"“{shown}” has a host name that cannot be read.") from None
    netloc = parts.netloc.strip()
    if "@" in netloc:
        raise InvalidField("url", "A link cannot carry a user name or password (the part before “@”); link to the page itself.")
    host, port = _host_and_port(netloc, shown)
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    path = _escape(parts.path.strip(), _PATH_SAFE) or "/"
    url = urlunsplit((scheme, host, path, _escape(parts.query, _QUERY_SAFE), _escape(parts.fragment, _QUERY_SAFE)))
    if len(url) > MAX_URL:
        raise InvalidField("url", f"The address is {len(url):,} characters long once encoded; links are limited to {MAX_URL:,}.")
    return url


def target_key(url: str) -> str:
    """The page a normalised URL leads to: http and https, a trailing slash and a #fragment do not make another page."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    return f"{parts.netloc}{path}" + (f"?{parts.query}" if parts.query else "")


def validate_title(title: str) -> str:
    """The title with spaces tidied and control and direction-override characters dropped; "" means "use the fallback".

    Joiners (ZWJ, ZWNJ) stay: Persian, Indic scripts and emoji need them. A NUL is refused: it means the
    text was damaged on its way, and guessing what stood there would put words in a reporter's mouth.
    """
    title = " ".join(_TITLE_JUNK.sub(" ", limits.LINK_TITLE.check_characters(title or "")).split())
    if len(title) > MAX_TITLE:
        raise InvalidField("title", f"The link title is {len(title):,} characters long; keep it under {MAX_TITLE}.")
    return title


def fallback_title(url: str | None, story_headline: str | None) -> str:
    """What a link with no title shows: the story's headline, or the URL's host and path."""
    if story_headline:
        return story_headline
    if not url:
        return ""
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = host.removeprefix("www.")
    path = unquote(parts.path).rstrip("/")
    return f"{host}{path}" if path else host


def flag_reason(story_status: str | None) -> str | None:
    """Why a link to a story in this status should not be offered to readers, or None when it is fine."""
    return FLAGGED_STATUSES.get(story_status or "")


def check_unique(targets: list[LinkTarget]) -> None:
    """Refuse a list that names the same target twice; the message spells the address as the first of the two (the list's)."""
    seen: dict[str, LinkTarget] = {}
    for target in targets:
        first = seen.setdefault(target.key, target)
        if first is not target:
            what = "that story" if target.story_id is not None else first.url
            raise InvalidField("links", f"The story already links to {what}.")


def check_typed_url(raw: str) -> str:
    """`normalise_url` for an address a person typed, which refuses a space inside it.

    An address never holds one; a space typed there is almost always the title
    pasted into the wrong field, which `normalise_url` alone would keep as `%20`.
    """
    url = normalise_url(raw)
    text = raw.strip()
    if re.search(r"\s", text):
        first = text.split()[0]
        raise InvalidField(
            "url", f"A web address has no spaces: “{first[:60]} …” is followed by words. Put a title in the Title field."
        )
    return url


def _refuse_hidden_scheme(raw: str) -> None:
    """Read the text as a browser would (entities decoded repeatedly, invisible characters and spaces dropped)."""
    probe = raw
    for _ in range(3):
        decoded = html.unescape(probe)
        if decoded == probe:
            break
        probe = decoded
    probe = re.sub(r"\s+", "", _INVISIBLE.sub("", unicodedata.normalize("NFKC", probe)))
    match = _SCHEME.match(probe)
    if match and not _BARE_HOST.match(probe) and match.group(1).lower() not in WEB_SCHEMES:
        raise InvalidField("url", f"Only web addresses (http or https) can be linked; “{match.group(1).lower()}:” links are refused.")


def _host_and_port(netloc: str, shown: str) -> tuple[str, int | None]:
    """The host in lower-case ASCII (IDNA for Unicode names) and the port, or InvalidField."""
    match = re.fullmatch(r"\[(?P<ipv6>[0-9A-Fa-f:.]+)\](?::(?P<port6>\d*))?|(?P<host>[^:\[\]]*)(?::(?P<port>\d*))?", netloc)
    if match is None:
        raise InvalidField("url", f"“{shown}” has a host name or port that cannot be read.")
    port_text = match["port6"] if match["ipv6"] else match["port"]
    port = int(port_text) if port_text else None
    if port is not None and not 0 < port < 65536:
        raise InvalidField("url", f"{port} is not a port number (1 to 65535).")
    if match["ipv6"]:
        return f"[{match['ipv6'].lower()}]", port
    host = (match["host"] or "").rstrip(".")
    if not host:
        raise InvalidField("url", f"“{shown}” has no host name.")
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise InvalidField("url", f"“{host}” is not a valid host name.") from None
    labels = ascii_host.split(".")
    if not all(_LABEL.match(label) for label in labels):
        raise InvalidField("url", f"“{host}” is not a valid host name: use letters, digits, hyphens and dots.")
    if len(labels) < 2 and ascii_host != "localhost":
        raise InvalidField("url", f"“{host}” is not a complete host name (for example apnews.com).")
    return ascii_host, port


def _escape(part: str, safe: str) -> str:
    """Percent-encode what must be (spaces, non-ASCII), keeping valid escapes and fixing a stray `%`."""
    return _BAD_ESCAPE.sub("%25", quote(part, safe=safe))
