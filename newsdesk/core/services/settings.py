"""Store-wide settings shared by everyone who uses the store: a table of defaults, only changes written.

Each setting has a default, a line of help and a parser that turns the text a
person gives (`newsdesk settings set KEY=VALUE`, the Settings dialog) into the
value kept, or says in a sentence why it cannot be. Only an admin may change
them (`put` checks); anyone may read them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlmodel import select

from newsdesk.core.errors import InvalidField, NotPermitted
from newsdesk.core.rules import fields, limits
from newsdesk.core.rules.checks import PLACEHOLDER_SITE, CheckSettings
from newsdesk.core.rules.domain import Role
from newsdesk.core.services.users import Actor
from newsdesk.core.store.db import Store
from newsdesk.core.store.models import Setting

Parser = Callable[[str, str], str]
"""(key, text as given) → the text to keep, or InvalidField."""

TRUE = frozenset({"true", "yes", "on", "1"})
FALSE = frozenset({"false", "no", "off", "0"})
PLACEMENTS = ("top", "bottom")


def _url(key: str, value: str) -> str:
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise InvalidField(key, f"“{text}” is not a web address like https://news.example.org/ (http or https, no ? or #).")
    return text if text.endswith("/") else text + "/"


def _line(limit: int) -> Parser:
    def parse(key: str, value: str) -> str:
        text = " ".join(value.split())
        if not text:
            raise InvalidField(key, f"The {key.replace('_', ' ')} cannot be empty.")
        if len(text) > limit:
            raise InvalidField(key, f"The {key.replace('_', ' ')} is {len(text):,} characters; keep it to {limit:,}.")
        return text
    return parse


def _text(limit: int) -> Parser:
    def parse(key: str, value: str) -> str:
        text = value.strip()
        if len(text) > limit:
            raise InvalidField(key, f"The {key.replace('_', ' ')} is {len(text):,} characters; keep it to {limit:,}.")
        return text
    return parse


def _number(low: int, high: int) -> Parser:
    def parse(key: str, value: str) -> str:
        try:
            number = int(value.strip())
        except ValueError:
            raise InvalidField(
                key, f"The {key.replace('_', ' ')} must be a whole number from {low:,} to {high:,}, not “{value.strip()}”.") from None
        if not low <= number <= high:
            raise InvalidField(key, f"The {key.replace('_', ' ')} must be from {low:,} to {high:,}; {number:,} is outside that.")
        return str(number)
    return parse


def _flag(key: str, value: str) -> str:
    word = value.strip().lower()
    if word in TRUE:
        return "true"
    if word in FALSE:
        return "false"
    raise InvalidField(key, f"The {key.replace('_', ' ')} is true or false (yes/no, on/off), not “{value.strip()}”.")


def _zone(key: str, value: str) -> str:
    name = value.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        close = sorted(zone for zone in available_timezones() if name and name.lower() in zone.lower())[:3]
        hint = f" Did you mean {', '.join(close)}?" if close else " Use a name such as Europe/Paris or America/New_York."
        raise InvalidField(key, f"“{name}” is not a time zone.{hint}") from None
    return name


def _language(key: str, value: str) -> str:
    """A language code as stories keep it, the region in capitals: en_gb → en-GB."""
    try:
        base, _, region = fields.clean_language(value.strip()).partition("-")
    except InvalidField as error:
        raise InvalidField(key, error.message) from None
    return f"{base}-{region.upper()}" if len(region) == 2 else f"{base}-{region}".rstrip("-")


def _placement(key: str, value: str) -> str:
    word = value.strip().lower()
    if word not in PLACEMENTS:
        raise InvalidField(key, f"Corrections go at the top or the bottom of the story, not “{value.strip()}”.")
    return word


@dataclass(frozen=True)
class SettingSpec:
    default: str
    help: str
    parse: Parser


DEFAULTS: dict[str, SettingSpec] = {
    "site_url": SettingSpec(PLACEHOLDER_SITE, "the web address the exported site is served from", _url),
    "newsroom_name": SettingSpec("Newsdesk", "the newsroom's name, shown on pages and feeds", _line(limits.DISPLAY_NAME.length)),
    "time_zone": SettingSpec("UTC", "the newsroom's time zone: pages show times in it, with its name", _zone),
    "copyright": SettingSpec("", "who holds the copyright in the footer (empty: the newsroom's name)", _text(200)),
    "footer": SettingSpec("", "a line under the copyright on every page (an address, a contact)", _text(500)),
    "headline_limit": SettingSpec(str(fields.HEADLINE_DEFAULT_LIMIT), "characters a headline must stay within",
                                  _number(10, fields.HEADLINE_HARD_LIMIT)),
    "summary_limit": SettingSpec("300", "characters a summary must stay within", _number(20, limits.SUMMARY.length)),
    "min_body_words": SettingSpec("0", "words a story needs before it is submitted (0: any body that is not empty)", _number(0, 10_000)),
    "dateline_credit_required": SettingSpec("false", "every dateline place needs a credit, as in (AP)", _flag),
    "nofollow_external": SettingSpec("false", "add rel=nofollow to links that leave the site", _flag),
    "correction_placement": SettingSpec("bottom", "where a story's corrections show: top or bottom", _placement),
    "default_language": SettingSpec("en", "the language of a new story (en-US, en-GB, en-CA, en-AU, fr, pt-BR …)", _language),
    "flag_other_english": SettingSpec(
        "false", "spelling flags the other English's forms: American ones in en-GB, en-CA, en-AU; British in en-US", _flag
    ),
}


def get(store: Store, key: str) -> str:
    spec = _spec(key)
    with store.session() as session:
        row = session.get(Setting, key)
        return row.value if row is not None else spec.default


def get_all(store: Store) -> dict[str, str]:
    values = {key: spec.default for key, spec in DEFAULTS.items()}
    with store.session() as session:
        for row in session.exec(select(Setting)):
            if row.key in values:
                values[row.key] = row.value
    return values


def changed(store: Store) -> set[str]:
    """The keys an admin has set away from their defaults."""
    with store.session() as session:
        return {row.key for row in session.exec(select(Setting)) if row.key in DEFAULTS}


def parse(key: str, value: str) -> str:
    """The text `put` would keep for `value`, or InvalidField saying why not (for a dialog to check as one types)."""
    spec = _spec(key)
    limits.SETTING_VALUE.check_characters(value)
    return spec.parse(key, value)


def put(store: Store, actor: Actor, key: str, value: str) -> str:
    """Write a setting as an admin and return the text kept; setting it back to its default removes the row."""
    return put_many(store, actor, {key: value})[key]


def put_many(store: Store, actor: Actor, values: dict[str, str]) -> dict[str, str]:
    """Write several settings as an admin in one transaction (all or none), returning the texts kept."""
    if not actor.is_admin:
        article = "an" if actor.role is Role.EDITOR else "a"
        raise NotPermitted(f"Only an admin can change the newsroom's settings; {actor.username} is {article} {actor.role.value}.")
    kept = {key: parse(key, value) for key, value in values.items()}
    with store.session() as session:
        for key, text in kept.items():
            row = session.get(Setting, key)
            if text == DEFAULTS[key].default:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(Setting(key=key, value=text))
            else:
                row.value = text
                session.add(row)
    return kept


def check_settings(values: dict[str, str]) -> CheckSettings:
    """The settings the pre-publish checks read, from `get_all`'s values (a value no longer valid falls back to its default)."""
    return CheckSettings(
        min_body_words=_int(values, "min_body_words"),
        headline_limit=fields.headline_limit(values["headline_limit"]),
        summary_limit=_int(values, "summary_limit"),
        dateline_credit_required=values["dateline_credit_required"] == "true",
        site_url=values["site_url"],
    )


def zone(values: dict[str, str]) -> ZoneInfo:
    """The newsroom's time zone (UTC if the stored name is no longer known)."""
    try:
        return ZoneInfo(values["time_zone"])
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def copyright_line(values: dict[str, str], when: datetime) -> str:
    """"© 2026 The Harbour Courier." with the year of `when`."""
    holder = values["copyright"].strip() or values["newsroom_name"].strip()
    return f"© {when.year} {holder}."


def _int(values: dict[str, str], key: str) -> int:
    try:
        return int(_spec(key).parse(key, values[key]))
    except InvalidField:
        return int(DEFAULTS[key].default)


def _spec(key: str) -> SettingSpec:
    try:
        return DEFAULTS[key]
    except KeyError:
        raise InvalidField("setting", f"“{key}” is not a setting. Settings: {', '.join(DEFAULTS)}.") from None
