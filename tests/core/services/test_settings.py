"""The newsroom's settings: only admins change them, every value is checked, every refusal is a sentence."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from newsdesk.core.errors import InvalidField, NotPermitted
from newsdesk.core.rules.domain import Role
from newsdesk.core.services import settings
from newsdesk.core.services.users import add_user


@pytest.mark.parametrize("role", [Role.REPORTER, Role.EDITOR])
def test_only_an_admin_may_change_a_setting(store, admin, role: Role) -> None:
    someone = add_user(store, admin, "someone", role, password="someone-secret-1")
    with pytest.raises(NotPermitted, match="Only an admin can change the newsroom's settings"):
        settings.put(store, someone, "newsroom_name", "Harbour Daily")
    assert settings.get(store, "newsroom_name") == "Newsdesk"
    assert settings.put(store, admin, "newsroom_name", "  Harbour   Daily ") == "Harbour Daily"
    seen = subprocess.run([sys.executable, "-m", "newsdesk", "--database", store.engine.url.render_as_string(hide_password=False),
                           "settings", "--json"],
                          capture_output=True, text=True, check=True)
    assert json.loads(seen.stdout)["newsroom_name"] == "Harbour Daily"


@pytest.mark.parametrize(("key", "value", "kept"), [
    ("site_url", "https://harbour.example.org", "https://harbour.example.org/"),
    ("time_zone", "Europe/Paris", "Europe/Paris"),
    ("headline_limit", " 80 ", "80"),
    ("min_body_words", "120", "120"),
    ("nofollow_external", "Yes", "true"),
    ("dateline_credit_required", "off", "false"),
    ("correction_placement", "TOP", "top"),
    ("footer", "  12 Quay Street, Harbourtown ", "12 Quay Street, Harbourtown"),
])
def test_values_are_kept_in_their_plain_form(store, admin, key: str, value: str, kept: str) -> None:
    assert settings.put(store, admin, key, value) == kept
    assert settings.get(store, key) == kept


@pytest.mark.parametrize(("key", "value", "words"), [
    ("site_url", "news.example.org", "is not a web address"),
    ("site_url", "ftp://news.example.org/", "is not a web address"),
    ("site_url", "https://news.example.org/?a=1", "no ? or #"),
    ("time_zone", "Europe/Pari", "Did you mean Europe/Paris?"),
    ("time_zone", "Mars/Olympus", "is not a time zone"),
    ("headline_limit", "eighty", "must be a whole number from 10 to 300"),
    ("headline_limit", "5000", "must be from 10 to 300"),
    ("summary_limit", "-1", "must be from 20 to 2,000"),
    ("nofollow_external", "maybe", "is true or false"),
    ("correction_placement", "middle", "top or the bottom"),
    ("newsroom_name", "   ", "cannot be empty"),
    ("newsroom_name", "Harbour\x00 Daily", "NUL"),
    ("colour", "red", "is not a setting"),
])
def test_a_bad_value_is_refused_in_a_sentence(store, admin, key: str, value: str, words: str) -> None:
    with pytest.raises(InvalidField, match=words.replace("?", r"\?")) as refused:
        settings.put(store, admin, key, value)
    assert refused.value.message.endswith((".", "?"))
    assert settings.get_all(store) == {name: spec.default for name, spec in settings.DEFAULTS.items()}


def test_the_default_removes_the_row(store, admin) -> None:
    settings.put(store, admin, "time_zone", "Asia/Tokyo")
    assert settings.changed(store) == {"time_zone"}
    settings.put(store, admin, "time_zone", "UTC")
    assert settings.changed(store) == set()


def test_the_copyright_line_has_the_year_and_the_holder() -> None:
    values = {name: spec.default for name, spec in settings.DEFAULTS.items()}
    assert settings.copyright_line(values, datetime(2026, 12, 1, tzinfo=UTC)) == "© 2026 Newsdesk."
    values["copyright"] = "Harbour Media Ltd"
    assert settings.copyright_line(values, datetime(2027, 1, 1, tzinfo=UTC)) == "© 2027 Harbour Media Ltd."
