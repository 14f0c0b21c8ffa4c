"""Store-wide settings shared by everyone who uses the store: a table of defaults, only changes written."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from newsdesk.core.errors import InvalidField
from newsdesk.core.store.db import Store
from newsdesk.core.store.models import Setting


@dataclass(frozen=True)
class SettingSpec:
    default: str
    help: str


DEFAULTS: dict[str, SettingSpec] = {
    "site_url": SettingSpec("https://news.example.com/", "the web address the exported site is served from"),
    "newsroom_name": SettingSpec("Newsdesk", "the newsroom's name, shown on pages and feeds"),
    "headline_limit": SettingSpec("100", "characters a headline should stay within"),
    "nofollow_external": SettingSpec("false", "add rel=nofollow to links that leave the site"),
    "default_language": SettingSpec("en", "the language of a new story (en-US, en-GB, en-CA, en-AU, fr, pt-BR …)"),
    "flag_other_english": SettingSpec(
        "false", "spelling flags the other English's forms: American ones in en-GB, en-CA, en-AU; British in en-US"
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


def put(store: Store, key: str, value: str) -> None:
    """Write a setting; setting it back to its default removes the row."""
    spec = _spec(key)
    with store.session() as session:
        row = session.get(Setting, key)
        if value == spec.default:
            if row is not None:
                session.delete(row)
            return
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
            session.add(row)


def clean(key: str, value: str) -> str:
    """`value` as the setting `key` keeps it, or InvalidField saying what it should be (spelling's settings only)."""
    _spec(key)
    text = value.strip()
    if key == "default_language":
        from newsdesk.core.rules.fields import clean_language

        base, _, region = clean_language(text).partition("-")
        return f"{base}-{region.upper()}" if len(region) == 2 else f"{base}-{region}".rstrip("-")
    if key == "flag_other_english":
        if text.lower() not in _TRUE | _FALSE:
            raise InvalidField("setting", f"flag_other_english is true or false, not “{value}”.")
        return "true" if text.lower() in _TRUE else "false"
    return value


_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})


def _spec(key: str) -> SettingSpec:
    try:
        return DEFAULTS[key]
    except KeyError:
        raise InvalidField("setting", f"“{key}” is not a setting. Settings: {', '.join(DEFAULTS)}.") from None
