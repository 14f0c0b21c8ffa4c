"""The checker and its suggestions: quiet on real newsroom prose, loud on real misspellings, fast."""

from __future__ import annotations

import marshal
import threading
import time

import pytest

from newsdesk import resources
from newsdesk.core.errors import InvalidField
from newsdesk.core.rules import spelling
from newsdesk.core.rules.suggest import WordPool, rank_candidates, restore_case, weighted_distance
from newsdesk.core.rules.tokens import tokenize_line
from newsdesk.core.services import dictionaries, spellcheck

BYLINE = "Edith M. Lederer"
TAGLINE = "Edith M. Lederer, chief U.N. correspondent for The Associated Press, has been covering international affairs."
# Names no dictionary can know, and two pieces of web-page clutter (a run-together menu, a comment label).
UNKNOWN_IN_SAMPLE = {
    "Aleinik", "Lukashenko", "Guterres", "Viasna", "Bialiatski", "Haddish", "Rosalynn", "Breonna", "Steelers",
    "StocksBelarus", "veryGood",
}


@pytest.fixture(scope="module")
def lexicon() -> spelling.Lexicon:
    return spelling.load_lexicon("en")


@pytest.fixture
def checker(home, tmp_path) -> spelling.Checker:
    return spellcheck.open_checker(
        "en",
        personal=dictionaries.PersonalDictionary(tmp_path / "personal.txt"),
        story_fields=[BYLINE, "United Nations", TAGLINE],
    )


def unknown(checker: spelling.Checker, text: str) -> list[str]:
    return [token.text for token in checker.unknown(checker.tokens(text))]


def test_the_sample_article_raises_no_false_alarms(checker):
    text = resources.read_text("samples", "ap-belarus-page.txt")
    flagged = {token.stem.replace("\u2019", "'") for token in checker.unknown(checker.tokens(text))}
    assert flagged == UNKNOWN_IN_SAMPLE


def test_contractions_possessives_numbers_and_abbreviations_are_known(checker):
    text = (
        "I don’t know; it’s clear he didn’t and they’re sure we’ve won’t. Belarus’ ties, the world’s tractors, "
        "Lukashenko's rule, 1,496 prisoners, the 20th time, 10% of the 1990s, U.N. and U.S. forces at 9 a.m., "
        "Sen. Smith of Calif., NATO and the EU, Ukrainians and Belarusians in Minsk."
    )
    assert unknown(checker, text) == ["Lukashenko's"]


def test_unknown_in_line_is_unknown_of_the_line_and_follows_dictionary_changes(checker):
    line = "The goverment of Belarus, said Aleinik; the goverment’s U.N. envoy Bialiatski agreed."
    expected = checker.unknown(tokenize_line(line)[0])
    assert [token.text for token in expected] == ["goverment", "Aleinik", "goverment’s", "Bialiatski"]
    for _ in range(2):  # the second time from the remembered verdicts
        found, fenced = checker.unknown_in_line(line)
        assert found == expected and not fenced
    checker.ignore("Aleinik")
    assert [token.text for token in checker.unknown_in_line(line)[0]] == ["goverment", "goverment’s", "Bialiatski"]
    checker.add_known(["Bialiatski"])
    assert [token.text for token in checker.unknown_in_line(line)[0]] == ["goverment", "goverment’s"]
    assert checker.unknown_in_line("```", fenced=False) == ([], True)


def test_word_set_follows_hunspell_case_rules():
    words = spelling.WordSet(["newsroom", "Minsk", "McClain", "didn’t"])
    assert "newsroom" in words and "Newsroom" in words and "NEWSROOM" in words
    assert "Minsk" in words and "MINSK" in words and "minsk" not in words
    assert "McClain" in words and "MCCLAIN" in words and "Mcclain" not in words
    assert "didn't" in words
    assert len(words) == 4


def test_names_keep_their_case(checker):
    checker.add_known(["Aleinik"])
    assert checker.is_known("Aleinik") and checker.is_known("ALEINIK") and checker.is_known("Aleinik’s")
    assert not checker.is_known("aleinik")
    assert checker.is_known("Zhytomyr") and not checker.is_known("zhytomyr")


def test_capitals_are_checked_when_asked(home, tmp_path):
    loud = spellcheck.open_checker(personal=dictionaries.PersonalDictionary(tmp_path / "p.txt"), check_capitals=True)
    assert unknown(loud, "THE GOVERMENT SAID") == ["GOVERMENT"]


def test_check_lists_unknown_words_with_places_and_suggestions(checker):
    (found,) = checker.check("The\ngoverment said so.")
    assert found.to_json() == {
        "word": "goverment", "text": "goverment", "line": 2, "column": 1, "suggestions": found.suggestions,
    }
    assert found.suggestions[0] == "government"
    assert checker.check("The goverment", suggestions=False)[0].suggestions == []


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("recieve", "receive"),
        ("goverment", "government"),
        ("definately", "definitely"),
        ("accomodation", "accommodation"),
        ("seperate", "separate"),
        ("begining", "beginning"),
        ("occured", "occurred"),
        ("tommorow", "tomorrow"),
        ("wierd", "weird"),
        ("aboutthe", "about the"),
        ("alot", "a lot"),
        ("abit", "a bit"),
        ("infront", "in front"),
        ("formost", "foremost"),
        ("befor", "before"),
        ("carrer", "career"),
    ],
)
def test_the_right_suggestion_comes_first(checker, typed, meant):
    assert checker.suggest(typed)[0] == meant


def test_suggestions_keep_case_and_apostrophes(checker):
    assert checker.suggest("Recieve")[0] == "Receive"
    assert checker.suggest("RECIEVE")[0] == "RECEIVE"
    assert checker.suggest("goverment’s")[0] == "government’s"
    assert checker.suggest("Lithuana")[0] == "Lithuania"
    assert checker.suggest("Belrus")[0] == "Belarus"


def test_names_from_the_dictionaries_are_suggested(checker):
    checker.add_known(["Aleinik"])
    assert checker.suggest("Aleinek")[0] == "Aleinik"


def test_suggestions_for_long_words_come_within_100_ms(lexicon):
    lexicon.suggest("warmup")
    for word in ("internationalizaton", "counterrevolutionarys", "Lukashenkovich", "xqzjvkwpflmnrtbsdghy"):
        started = time.perf_counter()
        lexicon.suggest(f"{word}")
        assert time.perf_counter() - started < 0.1, word


def test_suggestions_are_cached(lexicon):
    first = lexicon.suggest("mispelled")
    assert lexicon.suggest("mispelled") == first
    assert first[0] == "misspelled"
    assert "mispelled" in lexicon._cache


def test_lexicon_loads_once_across_threads():
    results: list[spelling.Lexicon] = []
    threads = [threading.Thread(target=lambda: results.append(spelling.load_lexicon("en-GB"))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and all(result is results[0] for result in results)
    assert spelling.load_lexicon("en") is results[0], "en-GB and en share one lexicon"


def test_other_languages_load_their_own_dictionary():
    french = spelling.load_lexicon("fr")
    assert "gouvernement" in french and "government" not in french
    assert french.suggest("gouvernment")[0] == "gouvernement"


@pytest.mark.parametrize("language", ["xx", "klingon", "zz-ZZ"])
def test_unknown_languages_are_refused(language):
    with pytest.raises(InvalidField) as error:
        spelling.language_code(language)
    assert error.value.field == "language" and "en, es, fr" in str(error.value)


def test_language_codes():
    assert spelling.language_code("pt-BR") == "pt"
    assert spelling.language_code(None) == "en"


def test_weighted_distance_charges_common_slips_less():
    assert weighted_distance("recieve", "receive") < weighted_distance("recieve", "relieve")
    assert weighted_distance("begining", "beginning") < 1
    assert weighted_distance("seperate", "separate") < 1
    assert weighted_distance("same", "same") == 0


def test_rank_candidates_prefers_closer_then_commoner():
    frequencies = {"receive": 50_000, "relieve": 12_000, "recede": 90_000}
    ranked = rank_candidates("recieve", {"relieve": 1, "receive": 1, "recede": 2}, frequencies.get)
    assert ranked[0] == "receive"


def test_restore_case():
    assert restore_case("Teh", "the") == "The"
    assert restore_case("TEH", "the") == "THE"
    assert restore_case("teh", "the") == "the"
    assert restore_case("Mnisk", "Minsk") == "Minsk"


def test_a_word_is_never_its_own_suggestion(lexicon, checker):
    assert "hello" not in lexicon.suggest("hello")
    assert "Minsk" not in checker.suggest("Minsk")


def test_german_nouns_get_their_capital_back(home, tmp_path):
    german = spellcheck.open_checker("de", personal=dictionaries.PersonalDictionary(tmp_path / "p.txt"), places=False)
    assert german.suggest("Regirung")[0] == "Regierung"


@pytest.mark.parametrize(("typed", "meant"), [("circut", "circuit"), ("arguement", "argument"), ("considerd", "considered")])
def test_a_missing_or_extra_vowel_is_a_small_slip(checker, typed, meant):
    assert checker.suggest(typed)[0] == meant


def test_the_word_list_is_kept_in_pieces_and_reads_back_the_same(home):
    from spellchecker import SpellChecker

    first = spelling._frequencies("it")
    cache_file = spelling.lexicon_cache("it")
    assert cache_file.parent == home / "data" / "cache" and cache_file.exists()
    again = spelling._frequencies("it")
    assert again == first == dict(SpellChecker(language="it", distance=1).word_frequency.dictionary)
    assert list(again) == list(first)
    assert len(marshal.loads(cache_file.read_bytes())) == -(-len(first) // spelling.CACHE_CHUNK) > 1


def test_a_damaged_word_list_copy_is_read_again_from_the_package(home, caplog):
    first = spelling._frequencies("it")
    cache_file = spelling.lexicon_cache("it")
    cache_file.write_bytes(cache_file.read_bytes()[:1000])
    assert spelling._frequencies("it") == first
    assert "unreadable" in caplog.text
    assert spelling._frequencies("it") == first


def test_pools_keep_the_dictionary_words_themselves_not_copies():
    words = ["harbour", "Minsk", "ferry"]
    pool = WordPool(words)
    kept = [word for group in pool._groups.values() for word in group]
    assert any(word is words[0] for word in kept) and any(word is words[2] for word in kept)
    assert pool.near("Minks", max_distance=1) == {"Minsk": 1}


def test_an_unwritable_cache_does_not_stop_spelling(home, caplog):
    (home / "data").mkdir(parents=True)
    (home / "data" / "cache").write_text("a file where the folder should be", encoding="utf-8")
    assert "casa" in spelling._frequencies("it")
    assert "Could not keep the it word list" in caplog.text


def test_wire_copy_conventions_raise_no_false_alarms(checker):
    text = (
        "ST. LOUIS (AP) — Sen. Jane O’Neill, D-Mich., said Nov. 29 the U.S.-led coalition’s anti-government "
        "re-election bid was a non-profit, mid-1990s, pre-war effort by co-workers in Côte d’Ivoire and al-Qaida’s "
        "fans in the ’90s. Gov. Smith’s office, Mr. and Mrs. Jones, Dr. Lee Jr., and Lt. Gen. Ray — a 3-2 vote, "
        "6-foot-5, $1.2 billion, 45-year-old, 1st, 2nd, 23rd — e-mailed ap@ap.org. COVID-19, WhatsApp, TikTok and "
        "YouTube videos. The U.N.’s Security Council, the EU’s and NATO’s; Kyiv, Kharkiv and Donetsk. She’d, we’ll, "
        "they’ve, y’all, ma’am. Calif., Ore., Wash. and Ariz.; St. Petersburg, Mt. Everest. Hezbollah, Hamas, "
        "the Taliban. Nasdaq, S&P 500. Website, online, livestream, smartphone, hashtag, retweeted, cybersecurity. "
        "Xi Jinping met Recep Tayyip Erdogan."
    )
    assert unknown(checker, text) == ["Jinping", "Recep", "Tayyip", "Erdogan"]


def test_two_common_words_do_not_beat_the_word_meant(checker):
    """A split is as likely as the two words meeting by accident: "be for" and "of en" lose to the word."""
    assert checker.suggest("befor")[0] == "before"
    assert checker.suggest("ofen")[0] != "of en"
    assert checker.suggest("southen")[0] == "southern"


def test_a_possessive_or_plural_of_an_unknown_name_is_reported_as_the_name(checker):
    found = checker.check("Lukashenko’s men met the Kardashians. Kardashian spoke. The Witkoffs’ plane.")
    assert [(item.word, item.token.text) for item in found] == [
        ("Lukashenko", "Lukashenko’s"), ("Kardashian", "Kardashians"), ("Kardashian", "Kardashian"), ("Witkoffs", "Witkoffs"),
    ]
    assert found[0].to_json()["word"] == "Lukashenko" and found[0].to_json()["text"] == "Lukashenko’s"


def test_a_plural_is_kept_whole_unless_its_stem_is_there_too(checker):
    (found,) = checker.check("Rep. Haddish said so.")
    assert found.word == "Haddish"
    (found,) = checker.check("The Aleiniks came.")
    assert found.word == "Aleiniks"


def test_adding_a_name_quiets_its_possessive_and_plural(checker):
    assert not checker.is_known("Lukashenko’s")
    checker.add_personal("Lukashenko")
    assert checker.is_known("Lukashenko’s") and checker.is_known("Lukashenkos")
    assert checker.check("Lukashenko’s rule") == []


def test_a_story_field_is_named_in_json(checker):
    (found,) = checker.check("Teh mayor", field="headline")
    assert found.to_json()["field"] == "headline" and found.story_field == "headline"
