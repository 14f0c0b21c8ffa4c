"""Field rules: one place for the panel, the command line and imports; hostile and odd input included."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.core.errors import InvalidField
from newsdesk.core.rules import fields
from newsdesk.core.rules.dateline import Dateline
from newsdesk.core.rules.fields import (
    HEADLINE_HARD_LIMIT,
    clean,
    clean_changes,
    headline_count,
    headline_limit,
)
from newsdesk.core.rules.slugs import (
    MAX_SLUG,
    follows_headline,
    slugify,
    unique_slug,
    validate_slug,
)


def test_headline_is_tidied():
    assert clean("headline", "  Harbour\n strike\tends  ") == "Harbour strike ends"
    assert clean("headline", "Zero\u200bwidth and bell\x07\ufffe") == "Zerowidth and bell"
    assert clean("headline", "<b>Bold</b> & “quoted”") == "<b>Bold</b> & “quoted”"


@pytest.mark.parametrize("empty", ["", "   ", "\n\t", "\x01\x02", "\u200b"])
def test_headline_cannot_be_empty(empty):
    with pytest.raises(InvalidField, match="cannot be empty") as refused:
        clean("headline", empty)
    assert refused.value.field == "headline"


def test_a_headline_of_ten_thousand_characters_is_refused_with_its_length():
    with pytest.raises(InvalidField, match="10,000 characters long; no headline may pass 300"):
        clean("headline", "x" * 10_000)


def test_the_hard_limit_is_exact():
    assert clean("headline", "x" * HEADLINE_HARD_LIMIT) == "x" * HEADLINE_HARD_LIMIT
    with pytest.raises(InvalidField):
        clean("headline", "x" * (HEADLINE_HARD_LIMIT + 1))


@pytest.mark.parametrize(("length", "level", "message"), [
    (0, "ok", ""),
    (90, "ok", ""),
    (91, "near", "9 characters left"),
    (100, "near", "0 characters left"),
    (101, "over", "1 over the newsroom's limit of 100"),
    (300, "over", "200 over"),
    (301, "refused", "no headline may pass 300"),
    (10_000, "refused", "10,000 characters"),
])
def test_headline_count_warns_before_and_after_the_newsroom_limit(length, level, message):
    count = headline_count("x" * length, 100)
    assert (count.length, count.level, count.label) == (length, level, f"{length}/100")
    assert message in count.message
    assert bool(count.message) == (level != "ok")


def test_headline_count_counts_the_headline_as_it_will_be_saved():
    assert headline_count("  two   words \n", 100).length == len("two words")
    assert headline_count("Kyiv’s “drones” — é", 100).length == 19


@pytest.mark.parametrize(("setting", "limit"), [
    ("100", 100), ("70", 70), (" 80 ", 80), ("0", 1), ("-5", 1), ("5000", HEADLINE_HARD_LIMIT),
    ("lots", fields.HEADLINE_DEFAULT_LIMIT), ("", fields.HEADLINE_DEFAULT_LIMIT), (None, fields.HEADLINE_DEFAULT_LIMIT),
])
def test_the_newsroom_headline_limit_setting_is_read_safely(setting, limit):
    assert headline_limit(setting) == limit


def test_text_fields_keep_paragraphs_where_they_may_and_drop_control_characters():
    assert clean("summary", "One.\r\n\nTwo.\x07") == "One.\n\nTwo."
    assert clean("tagline", " Edith M. Lederer\ncovers the U.N. ") == "Edith M. Lederer\ncovers the U.N."
    assert clean("subheadline", "A  dek\nover two lines") == "A dek over two lines"
    assert clean("byline", " Edith   M. Lederer and\u200b Jane Doe ") == "Edith M. Lederer and Jane Doe"
    assert clean("byline", None) == ""


@pytest.mark.parametrize(("name", "limit"), sorted(fields.TEXT_LIMITS.items()))
def test_text_fields_have_limits(name, limit):
    assert clean(name, "x" * limit) == "x" * limit
    with pytest.raises(InvalidField, match=f"keep it to {limit:,}") as refused:
        clean(name, "x" * (limit + 1))
    assert refused.value.field == name


@pytest.mark.parametrize(("raw", "slug"), [
    ("belarus-diplomat", "belarus-diplomat"), ("  port-2026  ", "port-2026"), ("a", "a"),
])
def test_good_slugs_pass(raw, slug):
    assert clean("slug", raw) == slug


@pytest.mark.parametrize(("raw", "message"), [
    ("", "cannot be empty"), ("Upper-Case", "not a valid slug"), ("two  words", "not a valid slug"),
    ("double--hyphen", "not a valid slug"), ("-leading", "not a valid slug"), ("trailing-", "not a valid slug"),
    ("café", "not a valid slug"), ("under_score", "not a valid slug"), ("../etc/passwd", "not a valid slug"),
    ("x" * (MAX_SLUG + 1), "keep it to 80"),
])
def test_bad_slugs_are_refused_with_an_example(raw, message):
    with pytest.raises(InvalidField, match=message):
        validate_slug(raw)


def test_a_refused_slug_suggests_a_good_one():
    with pytest.raises(InvalidField, match="for example cafe-news"):
        validate_slug("Café News")


@pytest.mark.parametrize(("headline", "slug"), [
    ("Belarus’ top diplomat says he can’t imagine", "belarus-top-diplomat-says-he-cant-imagine"),
    ("Straße in Köln: Æsir & Øresund", "strasse-in-koln-aesir-oresund"),
    ("  Storm --- warning!!  ", "storm-warning"),
    ("Москва", ""),
    ("<script>alert(1)</script>", "script-alert-1-script"),
])
def test_slugs_are_lower_case_ascii_with_hyphens(headline, slug):
    made = slugify(headline)
    assert made == slug
    if made:
        assert validate_slug(made) == made


def test_a_slug_from_a_ten_thousand_character_headline_fits():
    made = slugify("word " * 2000)
    assert len(made) <= MAX_SLUG and validate_slug(made) == made
    assert len(slugify("x" * 10_000)) == MAX_SLUG


def test_colliding_slugs_get_numbers_that_still_fit():
    assert unique_slug("port", set()) == "port"
    assert unique_slug("port", {"port"}) == "port-2"
    assert unique_slug("port", {"port", "port-2", "port-3"}) == "port-4"
    long_base = slugify("harbour " * 20)
    taken = {long_base} | {f"{long_base[:MAX_SLUG - 2]}-{n}" for n in range(2, 10)}
    made = unique_slug(long_base, taken)
    assert made not in taken and len(made) <= MAX_SLUG and validate_slug(made) == made
    assert made.endswith("-10")
    assert unique_slug("", set()) == "story"


def test_a_slug_follows_its_headline_until_edited():
    assert follows_headline("harbour-strike-ends", "Harbour strike ends")
    assert follows_headline("harbour-strike-ends-3", "Harbour strike ends")
    assert not follows_headline("harbour-strike", "Harbour strike ends")
    assert not follows_headline("my-own-slug", "Harbour strike ends")
    assert not follows_headline("harbour-2", "Harbour strike ends")
    long_headline = "harbour " * 20
    assert follows_headline(unique_slug(slugify(long_headline), {slugify(long_headline)}), long_headline)


def test_colliding_slugs_in_the_store(service):
    first = service.create("Harbour strike ends")
    second = service.create("Harbour strike ends")
    assert (first.slug, second.slug) == ("harbour-strike-ends", "harbour-strike-ends-2")
    assert service.suggest_slug("Harbour strike ends") == "harbour-strike-ends-3"
    assert service.suggest_slug("Harbour strike ends", story=first.id) == "harbour-strike-ends"
    with pytest.raises(InvalidField, match="already used by “Harbour strike ends”"):
        service.update(second.id, {"slug": "harbour-strike-ends"}, expected_version=None)
    long_headline = "Harbour " * 20
    made = [service.create(long_headline).slug for _ in range(3)]
    assert len(set(made)) == 3 and all(len(slug) <= MAX_SLUG for slug in made)


@pytest.mark.parametrize(
    ("raw", "language"), [("en", "en"), ("pt_BR", "pt-BR"), ("EN", None), ("fr-CA", "fr-CA"), ("zh-Hant-TW", "zh-Hant-TW")]
)
def test_language_codes(raw, language):
    if language is None:
        with pytest.raises(InvalidField, match="not a language code"):
            clean("language", raw)
    else:
        assert clean("language", raw) == language


@pytest.mark.parametrize("raw", ["", "english", "e", "en-", "en;drop table", "../en"])
def test_language_refusals(raw):
    with pytest.raises(InvalidField, match="not a language code"):
        clean("language", raw)


def test_keywords_from_text_or_lists_deduplicated_without_case():
    assert clean("keywords", "Belarus, Russia ,, belarus, U.N.") == ("Belarus", "Russia", "U.N.")
    assert clean("keywords", ["Ukraine", " Ukraine ", "\x01"]) == ("Ukraine",)
    assert clean("keywords", "") == ()
    with pytest.raises(InvalidField, match="too long"):
        clean("keywords", ["x" * 61])
    with pytest.raises(InvalidField, match="at most 30"):
        clean("keywords", [f"k{n}" for n in range(31)])


def test_sections_keep_order_and_drop_repeats():
    assert clean("sections", "Europe, World, europe") == ("Europe", "World")


def test_embargo():
    assert clean("embargo", "") is None and clean("embargo", None) is None
    assert clean("embargo", "2026-11-29T18:00Z") == datetime(2026, 11, 29, 18, 0, tzinfo=UTC)
    zoned = datetime(2026, 11, 29, 19, 0, tzinfo=timezone(timedelta(hours=1)))
    assert clean("embargo", zoned) == datetime(2026, 11, 29, 18, 0, tzinfo=UTC)
    with pytest.raises(InvalidField, match="not a date and time"):
        clean("embargo", "tomorrow at six")


def test_dateline_parts():
    assert clean("dateline.place", "  united   nations ") == "united nations"
    assert clean("dateline.credit", None) == ""
    assert clean("dateline.date", "2026-11-29") == date(2026, 11, 29)
    assert clean("dateline.date", "") is None
    with pytest.raises(InvalidField, match="YYYY-MM-DD"):
        clean("dateline.date", "29/11/2026")
    assert clean_changes({"dateline": Dateline("Kyiv, Ukraine", "AP")}) == {
        "dateline.place": "Kyiv, Ukraine", "dateline.credit": "AP", "dateline.date": None,
    }
    with pytest.raises(InvalidField, match="as its parts"):
        clean_changes({"dateline": "KYIV (AP) —"})


@pytest.mark.parametrize("name", ["status", "id", "guid", "version", "links", "created_at", "word_count"])
def test_read_only_fields_say_how_they_change(name):
    with pytest.raises(InvalidField) as refused:
        clean(name, "x")
    assert refused.value.field == name and refused.value.message == fields.READ_ONLY[name]


def test_unknown_fields_list_the_ones_there_are():
    with pytest.raises(InvalidField, match=r"not a story field\. Fields: headline"):
        clean("colour", "red")


def test_every_editable_field_has_a_rule():
    samples = {
        "headline": "H", "subheadline": "", "slug": "s", "summary": "", "body": "", "byline": "",
        "dateline.place": "", "dateline.credit": "", "dateline.date": "", "tagline": "", "language": "en",
        "keywords": "", "sections": "", "embargo": "",
        "planned_words": "", "deadline": "", "assignee": "",
    }
    assert set(samples) == set(fields.EDITABLE)
    for name, value in samples.items():
        clean(name, value)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_headline_is_refused_or_clean_and_stable(text):
    try:
        headline = clean("headline", text)
    except InvalidField as refused:
        assert refused.field == "headline"
        return
    assert 0 < len(headline) <= HEADLINE_HARD_LIMIT
    assert headline == headline.strip() and "  " not in headline and not any(ord(ch) < 32 for ch in headline)
    assert clean("headline", headline) == headline
    assert headline_count(text).length == len(headline)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.sets(st.text(alphabet="abc-2", min_size=1, max_size=6), max_size=5))
def test_any_headline_makes_a_valid_unique_slug(text, taken):
    made = unique_slug(slugify(text), taken)
    assert validate_slug(made) == made and made not in taken
    assert follows_headline(made, text)


def test_slug_numbers_keep_counting_past_the_candidates_looked_up_first(service):
    from newsdesk.core.services.stories import SLUG_CANDIDATES

    made = [service.create("Ferry delayed").slug for _ in range(SLUG_CANDIDATES + 2)]
    assert made[0] == "ferry-delayed" and made[1:] == [f"ferry-delayed-{n}" for n in range(2, SLUG_CANDIDATES + 3)]


@pytest.mark.parametrize("name", ["headline", "subheadline", "summary", "body", "byline", "dateline.place", "dateline.credit",
                                  "tagline", "language", "keywords", "sections"])
@pytest.mark.parametrize("damaged", ["Port\x00 shut", "Port\udc80 shut"])
def test_every_text_field_refuses_a_nul_or_a_broken_character_naming_itself(name, damaged):
    with pytest.raises(InvalidField, match=r"NUL character|unpaired surrogate") as refused:
        clean(name, damaged)
    assert refused.value.field == name.split(".")[0] or refused.value.field == name


def test_the_body_drops_invisible_control_characters_and_keeps_its_lines():
    assert clean("body", "One\x07 line\r\nand\tanother\ufffe") == "One line\nand\tanother"


@pytest.mark.parametrize(("body", "words"), [
    ("The council met on [Tuesday](https://example.com/a-long-address).", 5),
    ("東京都は新たに感染者を確認した。", 8),  # 15 characters, a word per two (7.5, rounded)
    ("Tokyo 東京 said", 3),
    ("กรุงเทพมหานคร", 3),  # 13 Thai characters, a word per five
])
def test_word_count_counts_unspaced_scripts_by_characters(body, words):
    assert fields.word_count(body) == words
