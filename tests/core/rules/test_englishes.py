"""The Englishes: each accepts its own spellings, suggests them first, and flags the other's only when asked."""

from __future__ import annotations

import pytest

from newsdesk.core.rules import englishes
from newsdesk.core.services import dictionaries, spellcheck

# The same word list for every variant, each pair (British, American), run in both directions.
PAIRS = [
    ("colour", "color"),
    ("harbour", "harbor"),
    ("centre", "center"),
    ("travelled", "traveled"),
    ("defence", "defense"),
    ("organise", "organize"),
    ("analyse", "analyze"),
]
# What each English writes for each pair: British, except en-US, and en-CA where only an s/z differs.
OWN = {
    "en-GB": ["colour", "harbour", "centre", "travelled", "defence", "organise", "analyse"],
    "en-AU": ["colour", "harbour", "centre", "travelled", "defence", "organise", "analyse"],
    "en-CA": ["colour", "harbour", "centre", "travelled", "defence", "organize", "analyze"],
    "en-US": ["color", "harbor", "center", "traveled", "defense", "organize", "analyze"],
}


@pytest.fixture(scope="module")
def checkers(tmp_path_factory):
    personal = dictionaries.PersonalDictionary(tmp_path_factory.mktemp("p") / "personal.txt")
    return {
        (language, flag): spellcheck.open_checker(language, personal=personal, places=False, flag_other_english=flag)
        for language in [*englishes.ENGLISHES, "en"]
        for flag in (False, True)
    }


def test_the_pairs_come_from_breame_both_ways():
    pairs = set(englishes.pairs())
    assert len(pairs) > 1500
    for pair in PAIRS:
        assert pair in pairs


@pytest.mark.parametrize("language", englishes.ENGLISHES)
def test_every_english_accepts_both_forms_unless_the_newsroom_says(checkers, language):
    checker = checkers[(language, False)]
    for british, american in PAIRS:
        assert checker.is_known(british) and checker.is_known(american)
        assert checker.is_known(british.capitalize()) and checker.is_known(american.upper())


@pytest.mark.parametrize("language", englishes.ENGLISHES)
def test_with_the_setting_the_other_form_is_flagged_and_its_own_suggested(checkers, language):
    checker = checkers[(language, True)]
    for pair, own in zip(PAIRS, OWN[language], strict=True):
        (other,) = [word for word in pair if word != own]
        assert checker.is_known(own), own
        assert not checker.is_known(other), other
        assert checker.suggest(other)[0] == own
        assert checker.suggest(other.capitalize())[0] == own.capitalize()


@pytest.mark.parametrize("language", englishes.ENGLISHES)
def test_a_misspelling_gets_this_english_first(checkers, language):
    checker = checkers[(language, False)]
    british = language != "en-US"
    assert checker.suggest("harbur")[0] == ("harbour" if british else "harbor")
    assert checker.suggest("colur")[0] == ("colour" if british else "color")
    assert checker.suggest("neighbur")[0] == ("neighbour" if british else "neighbor")


def test_plain_english_accepts_both_and_never_flags(checkers):
    for flag in (False, True):
        checker = checkers[("en", flag)]
        assert all(checker.is_known(word) for pair in PAIRS for word in pair)


def test_variant_codes():
    assert englishes.english("en-gb") == "en-GB" and englishes.english("en_AU") == "en-AU"
    assert englishes.english("en") is None and englishes.english("fr") is None and englishes.english("en-NZ") is None
