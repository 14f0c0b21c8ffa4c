"""Pre-publish checks: what must be right before a story moves on, as a table of rules.

Each rule has an id, a severity (an error blocks the action it guards; a
warning is shown and nothing more), the workflow actions it guards and a
message. `evaluate` runs every rule over a `CheckInput`, a plain copy of the
story and the newsroom's settings, so the same judgement serves the workflow
(which refuses an action while an error stands, unless an editor overrides it
with a reason), `newsdesk story check` and the window's Checks panel, which
runs it as the reporter types. Pure and cheap: no store, no network.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from newsdesk.core.rules import limits
from newsdesk.core.rules.domain import Status
from newsdesk.core.rules.fields import word_count
from newsdesk.core.rules.images import body_refs
from newsdesk.core.rules.links import target_key
from newsdesk.core.rules.markup import problems as markup_problems
from newsdesk.core.rules.render import markdown_to_html, sanitize
from newsdesk.core.rules.workflow import Action


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


GUARDED = frozenset({Action.SUBMIT, Action.APPROVE, Action.PUBLISH, Action.CORRECT})
"""The actions checks guard; the others (return, kill, spike) take a story away from readers or back to its reporter."""
_ALL = GUARDED
_EDITING = frozenset({Action.APPROVE, Action.PUBLISH, Action.CORRECT})
_GOING_OUT = frozenset({Action.PUBLISH, Action.CORRECT})
_BEFORE_PUBLISHING = frozenset({Action.SUBMIT, Action.APPROVE})


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    actions: frozenset[Action]
    message: str
    """What the rule asks for, in a sentence; a finding's detail says what this story does."""


RULES: tuple[Rule, ...] = (
    Rule("headline.required", Severity.ERROR, _ALL, "A story needs a headline."),
    Rule("body.too_short", Severity.ERROR, _ALL, "The story must reach the newsroom's minimum length."),
    Rule("byline.required", Severity.ERROR, _EDITING, "A story needs a byline before it is approved or published."),
    Rule("section.required", Severity.ERROR, _EDITING, "A story needs a primary section before it is approved or published."),
    Rule("summary.required", Severity.ERROR, _EDITING, "A story needs a summary before it is approved or published."),
    Rule("headline.too_long", Severity.ERROR, _ALL, "The headline must stay within the newsroom's limit."),
    Rule("subheadline.too_long", Severity.ERROR, _ALL, "The subheadline must stay within the store's limit."),
    Rule("summary.too_long", Severity.ERROR, _ALL, "The summary must stay within the newsroom's limit."),
    Rule("placeholder", Severity.ERROR, _ALL, "Placeholders (TK, TKTK, XX, [link], lorem ipsum, ???) must be filled in."),
    Rule("spelling.unresolved", Severity.WARNING, _ALL, "Words no dictionary knows should be corrected, ignored or added."),
    Rule("embargo.past", Severity.WARNING, _BEFORE_PUBLISHING, "An embargo already past holds nothing back; check its date."),
    Rule("links.withdrawn", Severity.ERROR, _EDITING, "Related links must not lead to killed or spiked stories."),
    Rule("links.unpublished", Severity.WARNING, _GOING_OUT,
         "Related links to unpublished stories are left off the page until they run."),
    Rule("links.duplicate", Severity.WARNING, _ALL, "Each address should be linked once."),
    Rule("links.insecure", Severity.WARNING, _ALL, "Links should use https: where the site offers it."),
    Rule("site.placeholder", Severity.WARNING, _GOING_OUT,
         "The site address is still the placeholder; set it with `newsdesk settings set site_url=…`."),
    Rule("dateline.credit", Severity.ERROR, _EDITING, "The newsroom requires a credit with every dateline place."),
    Rule("body.markup", Severity.ERROR, _ALL, "The body's HTML must be well formed: nothing a browser has to rearrange."),
    Rule("image.alt", Severity.ERROR, _EDITING,
         "Every image needs alt text (what it shows, for readers who cannot see it) before it is approved or published."),
    Rule("image.missing", Severity.ERROR, _ALL, "The body may show only the story's own images (`image list` gives their ids)."),
)
BY_ID = {rule.id: rule for rule in RULES}

PLACEHOLDER_SITE = "https://news.example.com/"
"""The site address a new store starts with (the settings' default)."""

PLACEHOLDERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("TK", re.compile(r"(?<![\w-])(?:TK)+(?![\w-])")),
    ("XX", re.compile(r"(?<![\w-])XX+(?![\w-])")),
    ("[link]", re.compile(r"\[link\]", re.IGNORECASE)),
    ("lorem ipsum", re.compile(r"\blorem\s+ipsum\b", re.IGNORECASE)),
    ("???", re.compile(r"\?{3,}")),
)
"""Each marker a writer leaves for "fill this in later", with the pattern that finds it (TK also finds TKTK)."""

_HREF = re.compile(r'<a\b[^>]*?\shref="([^"]*)"')
_SHOWN_WORDS = 5


@dataclass(frozen=True)
class LinkFacts:
    """A related link as the checks see it: its address, or the status of the story it leads to."""

    title: str
    url: str | None = None
    story_status: str | None = None
    story_headline: str | None = None


@dataclass(frozen=True)
class ImageFacts:
    """An image of the story as the checks see it."""

    image_id: int
    alt: str
    lead: bool = False


@dataclass(frozen=True)
class CheckSettings:
    """The newsroom's settings the rules read (see `services.settings`)."""

    min_body_words: int = 0
    headline_limit: int = 100
    summary_limit: int = 300
    dateline_credit_required: bool = False
    site_url: str = PLACEHOLDER_SITE


@dataclass(frozen=True)
class CheckInput:
    headline: str = ""
    subheadline: str = ""
    summary: str = ""
    body: str = ""
    byline: str = ""
    dateline_place: str = ""
    dateline_credit: str = ""
    tagline: str = ""
    keywords: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    embargo: datetime | None = None
    status: str = Status.DRAFT.value
    links: tuple[LinkFacts, ...] = ()
    images: tuple[ImageFacts, ...] = ()
    unknown_words: tuple[str, ...] | None = None
    """Words the spelling checker flags and nobody ignored or added; None when spelling was not checked."""
    settings: CheckSettings = field(default_factory=CheckSettings)


@dataclass(frozen=True)
class Finding:
    rule: Rule
    detail: str
    field: str = ""
    """The field to fix ("body", "headline", "links", "settings"…), for the window to point at."""
    offset: int | None = None
    """Where in that field's text, when the finding is at one place."""

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    def to_json(self) -> dict[str, object]:
        return {"id": self.rule.id, "severity": self.severity.value, "field": self.field, "message": self.detail,
                "offset": self.offset, "guards": sorted(action.value for action in self.rule.actions)}


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]

    def for_action(self, action: Action) -> Report:
        return Report(tuple(finding for finding in self.findings if action in finding.rule.actions))

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.severity is Severity.WARNING)

    def blocking(self, action: Action) -> tuple[Finding, ...]:
        """The errors that stop `action`."""
        return self.for_action(action).errors

    def to_json(self) -> list[dict[str, object]]:
        return [finding.to_json() for finding in self.findings]


def evaluate(story: CheckInput, *, now: datetime) -> Report:
    """Every rule over `story`, errors first, in the table's order."""
    findings = [*_required(story), *_lengths(story), *_placeholders(story), *_spelling(story), *_embargo(story, now),
                *_links(story), *_site(story), *_dateline(story), *_markup(story),
                *_images(story)]
    findings.sort(key=lambda finding: finding.severity is not Severity.ERROR)
    return Report(tuple(findings))


def _finding(rule_id: str, detail: str, field_name: str = "", offset: int | None = None) -> Finding:
    return Finding(BY_ID[rule_id], detail, field_name, offset)


def _required(story: CheckInput) -> Iterator[Finding]:
    if not story.headline.strip():
        yield _finding("headline.required", "The headline is empty.", "headline")
    minimum = story.settings.min_body_words
    words = word_count(story.body)
    if words < minimum or not story.body.strip():
        if words == 0:
            yield _finding("body.too_short", "The story has no body.", "body")
        else:
            have = f"{words:,} word{'s' if words != 1 else ''}"
            yield _finding("body.too_short", f"The story has {have}; the newsroom asks for at least {minimum:,}.", "body")
    if not story.byline.strip():
        yield _finding("byline.required", "There is no byline.", "byline")
    if not story.sections:
        yield _finding("section.required", "The story has no section, so it would go out at the site's root.", "sections")
    if not story.summary.strip():
        yield _finding("summary.required", "There is no summary.", "summary")


def _lengths(story: CheckInput) -> Iterator[Finding]:
    for rule_id, name, label, text, limit in (
        ("headline.too_long", "headline", "headline", story.headline, story.settings.headline_limit),
        ("subheadline.too_long", "subheadline", "subheadline", story.subheadline, limits.SUBHEADLINE.length),
        ("summary.too_long", "summary", "summary", story.summary, story.settings.summary_limit),
    ):
        if len(text) > limit:
            yield _finding(rule_id, f"The {label} is {len(text):,} characters; keep it to {limit:,}.", name, limit)


def _texts(story: CheckInput) -> Iterator[tuple[str, str, str]]:
    """(field, label, text) of everything a reader may see."""
    yield "headline", "headline", story.headline
    yield "subheadline", "subheadline", story.subheadline
    yield "summary", "summary", story.summary
    yield "body", "body", story.body
    yield "byline", "byline", story.byline
    yield "dateline.place", "dateline", story.dateline_place
    yield "dateline.credit", "dateline credit", story.dateline_credit
    yield "tagline", "tagline", story.tagline
    for keyword in story.keywords:
        yield "keywords", "keywords", keyword
    for link in story.links:
        yield "links", "related link titles", link.title


def _placeholders(story: CheckInput) -> Iterator[Finding]:
    for name, label, text in _texts(story):
        for _marker, pattern in PLACEHOLDERS:
            match = pattern.search(text)
            if match is None:
                continue
            where = f" (line {text.count(chr(10), 0, match.start()) + 1})" if name == "body" else ""
            yield _finding("placeholder", f"The {label} holds the placeholder “{match[0]}”{where}.", name, match.start())


def _spelling(story: CheckInput) -> Iterator[Finding]:
    if not story.unknown_words:
        return
    words = list(dict.fromkeys(story.unknown_words))
    shown = ", ".join(words[:_SHOWN_WORDS]) + (f" and {len(words) - _SHOWN_WORDS:,} more" if len(words) > _SHOWN_WORDS else "")
    count = f"{len(words):,} word{'s' if len(words) != 1 else ''}"
    yield _finding("spelling.unresolved", f"{count} no dictionary knows: {shown}.", "body")


def _embargo(story: CheckInput, now: datetime) -> Iterator[Finding]:
    if story.embargo is not None and story.embargo <= now:
        yield _finding("embargo.past", f"The embargo ({story.embargo:%Y-%m-%d %H:%M} UTC) has already passed.", "embargo")


def _links(story: CheckInput) -> Iterator[Finding]:
    addresses: list[tuple[str, str]] = []
    for link in story.links:
        if link.story_status in (Status.KILLED, Status.SPIKED):
            yield _finding("links.withdrawn", f"The related link “{link.title}” leads to a story that was {link.story_status}.",
                           "links")
        elif link.story_status is not None and link.story_status != Status.PUBLISHED:
            yield _finding("links.unpublished", f"The related link “{link.title}” leads to a story that is {link.story_status}.", "links")
        if link.url:
            addresses.append(("links", link.url))
    if "](" in story.body or "href" in story.body or "<http" in story.body:
        addresses += [("body", html.unescape(href)) for href in _HREF.findall(sanitize(markdown_to_html(story.body)))]
    seen: set[str] = set()
    for name, url in addresses:
        if not url.lower().startswith(("http:", "https:")):
            continue
        key = target_key(url)
        if key in seen:
            yield _finding("links.duplicate", f"{url} is linked more than once.", name)
        seen.add(key)
        if url.lower().startswith("http:"):
            yield _finding("links.insecure", f"{url} is not a secure address; use https: if the site offers it.", name)


def _site(story: CheckInput) -> Iterator[Finding]:
    if story.settings.site_url.rstrip("/") == PLACEHOLDER_SITE.rstrip("/"):
        yield _finding("site.placeholder", f"Pages would point readers at {PLACEHOLDER_SITE}, which is not the newsroom's site.",
                       "settings")


def _dateline(story: CheckInput) -> Iterator[Finding]:
    if story.settings.dateline_credit_required and story.dateline_place.strip() and not story.dateline_credit.strip():
        yield _finding("dateline.credit", f"The dateline “{story.dateline_place}” has no credit.", "dateline.credit")


def _markup(story: CheckInput) -> Iterator[Finding]:
    if "<" not in story.body:
        return
    for problem in markup_problems(markdown_to_html(story.body)):
        yield _finding("body.markup", f"In the body's HTML, {problem}", "body")


def _images(story: CheckInput) -> Iterator[Finding]:
    """The lead needs its alt text; a body image needs one in the Markdown or on the image; the body shows only the story's."""
    own = {image.image_id: image for image in story.images}
    for lead in story.images:
        if lead.lead and not lead.alt.strip():
            yield _finding("image.alt", f"The lead image ({lead.image_id}) has no alt text.", "images")
    if "image:" not in story.body:
        return
    for _match, ref in body_refs(markdown_to_html(story.body)):
        image = own.get(ref.image_id)
        if image is None:
            yield _finding("image.missing", f"The body shows image {ref.image_id}, which is not one of the story's images.", "body")
        elif not (ref.alt or image.alt.strip()):
            yield _finding("image.alt", f"Image {ref.image_id} in the body has no alt text.", "body")
