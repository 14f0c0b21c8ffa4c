"""Wire copy: the real sample page (with its web clutter) and agency-style copy in AP, Reuters and AFP shapes.

The agency-style pieces in tests/fixtures/wire were written for these tests (see its README).
"""

from __future__ import annotations

from datetime import date

import pytest

from newsdesk.core.errors import ImportFailed
from newsdesk.core.importers import wire
from newsdesk.core.rules.dateline import Dateline

from .conftest import FIXTURES, SAMPLE_PAGE

CLUTTER = ("Current:Home", "Intelligent Capital Compass", "Date:", "2025-04-24", "veryGood", "(73)", "Related", "Ranking",
           "Recommendation", "Tiffany Haddish", "Taylor Swift", "Dak Prescott")


@pytest.fixture(scope="module")
def sample():
    return wire.parse(SAMPLE_PAGE.read_text(encoding="utf-8"))


def test_sample_page_headline_dateline_byline_and_tagline(sample):
    assert sample.headline == "Belarus’ top diplomat says he can’t imagine his nation entering the war in Ukraine alongside Russia"
    assert sample.fields["dateline"] == Dateline(place="UNITED NATIONS", credit="AP")
    assert sample.fields["byline"] == "Edith M. Lederer"
    assert sample.fields["tagline"] == (
        "Edith M. Lederer, chief U.N. correspondent for The Associated Press, "
        "has been covering international affairs for more than 50 years."
    )


def test_sample_page_body_keeps_paragraphs_and_subheads_without_clutter(sample):
    body = sample.fields["body"]
    paragraphs = body.split("\n\n")
    assert paragraphs[0].startswith("The foreign minister of Belarus, which has a strategic partnership")
    assert not body.startswith("UNITED NATIONS")
    assert [p for p in paragraphs if p.startswith("## ")] == [
        "## ARE BELARUS’ LINKS TO RUSSIA ISOLATING IT?",
        "## BUILDING COOPERATION WITH RUSSIA IN ‘ALMOST ALL AREAS’",
    ]
    assert paragraphs[-1] == (
        "“All the people who are detained are detained for criminal charges which have been proved in the courts. And so that’s it.”"
    )
    assert len(paragraphs) == 26  # every line from the dateline to `___` in the sample
    assert "View" not in paragraphs and "___" not in body and "Edith M. Lederer" not in body
    for clutter in CLUTTER:
        assert clutter not in body, clutter
    assert sample.related == []


def test_sample_page_related_list_kept_only_when_asked():
    kept = wire.parse(SAMPLE_PAGE.read_text(encoding="utf-8"), keep_related=True)
    assert len(kept.related) == 10
    assert kept.related[0].title == "Appeals court scraps Nasdaq boardroom diversity rules in latest DEI setback"
    assert all(item.url is None for item in kept.related)
    assert "Travis Hunter" not in {item.title for item in kept.related}


def test_related_entries_with_addresses_keep_them():
    text = (
        "Headline\n\nPARIS (AFP) - Text of the story.\n\n"
        "Related\n- [Earlier story](https://example.org/a)\n- Another one https://example.org/b\n- No address\n"
        "Ranking\n- Ignored https://example.org/c\n"
    )
    related = wire.parse(text, keep_related=True).related
    assert [(item.title, item.url) for item in related] == [
        ("Earlier story", "https://example.org/a"), ("Another one", "https://example.org/b"), ("No address", None),
    ]


def test_reuters_copy_wrapped_at_a_fixed_width():
    draft = wire.parse((FIXTURES / "wire" / "reuters-wrapped.txt").read_text(encoding="utf-8"))
    assert draft.headline == "Ukraine says it shot down 31 drones overnight in attack on Odesa region"
    assert draft.fields["dateline"].place == "KYIV" and draft.fields["dateline"].credit == "Reuters"
    assert (draft.fields["dateline"].date.month, draft.fields["dateline"].date.day) == (9, 23)
    paragraphs = draft.fields["body"].split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0] == (
        "Ukraine's air defences shot down 31 of 38 drones launched by Russia overnight, most of them aimed at port "
        "infrastructure in the southern Odesa region, the air force said on Saturday."
    )
    assert draft.fields["tagline"] == "(Reporting by Olena Harmash; Editing by Mark Trevelyan)"
    assert draft.fields["byline"] == "Olena Harmash"


def test_ap_copy_with_slug_line_byline_indents_and_contributor_line():
    draft = wire.parse((FIXTURES / "wire" / "ap-indented.txt").read_text(encoding="utf-8"))
    assert draft.headline == "Storms knock out power to 300,000 in North Texas as hail pounds suburbs"
    assert draft.fields["byline"] == "Jamie Stengle and Jim Salter"
    assert draft.fields["dateline"] == Dateline(place="DALLAS", credit="AP")
    paragraphs = draft.fields["body"].split("\n\n")
    assert paragraphs[0].startswith("Severe storms packing hail") and paragraphs[0].endswith("across the Dallas suburbs.")
    assert "## RECOVERY COULD TAKE DAYS" in paragraphs
    assert len(paragraphs) == 5
    assert draft.fields["tagline"] == "Associated Press writer Jim Salter contributed from O'Fallon, Missouri."
    assert "BC-US" not in draft.fields["body"]


def test_afp_copy_with_a_dek_and_a_reporter_note():
    draft = wire.parse((FIXTURES / "wire" / "afp-dek.txt").read_text(encoding="utf-8"))
    assert draft.fields["subheadline"] == "Opposition vows to take the reform to the Constitutional Council"
    assert draft.fields["dateline"] == Dateline(place="PARIS", credit="AFP")
    assert draft.fields["byline"] == "Jeanne Dubois"
    assert draft.fields["tagline"] == "Jeanne Dubois covers French politics for AFP in Paris."
    assert len(draft.fields["body"].split("\n\n")) == 3


@pytest.mark.parametrize("lead, place, credit", [
    ("UNITED NATIONS (AP) — The", "UNITED NATIONS", "AP"),
    ("KYIV, Ukraine (Reuters) - The", "KYIV, Ukraine", "Reuters"),
    ("BEIJING (AP) – The", "BEIJING", "AP"),
    ("WASHINGTON (AP) -- The", "WASHINGTON", "AP"),
])
def test_dateline_dashes(lead, place, credit):
    draft = wire.parse(f"Headline\n{lead} minister spoke on Friday.\n")
    assert draft.fields["dateline"] == Dateline(place=place, credit=credit)
    assert draft.fields["body"] == "The minister spoke on Friday."


def test_a_date_line_dates_the_dateline():
    draft = wire.parse("Headline\nDate:2023-09-26 10:00\nUNITED NATIONS, Sept. 23 (AP) — The minister spoke.\n")
    assert draft.fields["dateline"] == Dateline(place="UNITED NATIONS", credit="AP", date=date(2023, 9, 23))
    assert "Date:" not in draft.fields["body"]


def test_copy_without_a_dateline_keeps_its_first_paragraph():
    draft = wire.parse("Headline\nThe minister spoke on Friday.\n")
    assert "dateline" not in draft.fields
    assert draft.fields["body"] == "The minister spoke on Friday."


def test_a_separator_with_a_long_text_after_it_stays_in_the_body():
    long_tail = "\n".join(f"Paragraph {n} of a long second part that is not a closing note at all." for n in range(20))
    draft = wire.parse(f"Headline\nFirst paragraph.\n___\n{long_tail}\n")
    assert "tagline" not in draft.fields
    assert "Paragraph 19" in draft.fields["body"]


def test_markdown_markers_leading_a_paragraph_are_escaped():
    draft = wire.parse("Headline\n#MeToo began on social media.\n> not a quote\n")
    assert draft.fields["body"].split("\n\n") == ["\\#MeToo began on social media.", "\\> not a quote"]


def test_single_capital_words_are_not_subheads():
    draft = wire.parse("Headline\nFirst.\nNATO\nLast.\n")
    assert "## NATO" not in draft.fields["body"]


def test_clutter_only_is_refused():
    with pytest.raises(ImportFailed, match="no text"):
        wire.parse("View\nveryGood! (73)\n\n")


def test_a_paragraph_on_the_first_line_is_not_a_headline():
    with pytest.raises(ImportFailed, match="too long for a headline"):
        wire.parse("word " * 100)


def test_an_ap_news_page_pasted_with_share_buttons_and_photo_captions():
    draft = wire.parse((FIXTURES / "wire" / "apnews-pasted.txt").read_text(encoding="utf-8"))
    assert draft.headline == "Wildfire forces evacuation of mountain towns as winds pick up"
    assert draft.fields["byline"] == "Colleen Slevin"
    assert draft.fields["dateline"] == Dateline(place="DENVER", credit="AP")
    paragraphs = draft.fields["body"].split("\n\n")
    assert paragraphs[0].startswith("A wildfire burning in the foothills west of Denver")
    assert "## WHAT CAUSED THE FIRE?" in paragraphs
    assert len(paragraphs) == 5
    for clutter in ("Updated", "Share", "Copy Link", "Facebook", "LinkedIn", "AP Photo", "FILE -", "Add AP News"):
        assert clutter not in draft.fields["body"], clutter
    assert draft.fields["tagline"] == "Associated Press writer Mead Gruver contributed from Cheyenne, Wyoming."


@pytest.mark.parametrize("flash", ["URGENT", "BULLETIN", "APNewsAlert", "BC-EU--Belarus-Minister,1st Ld-Writethru", "Breaking News"])
def test_wire_flash_and_slug_lines_above_the_headline_are_not_the_headline(flash):
    draft = wire.parse(f"{flash}\nMinister resigns\n4 min read\nKYIV, Ukraine (Reuters) - The minister resigned.\n")
    assert draft.headline == "Minister resigns"
    assert draft.fields["body"] == "The minister resigned."


def test_a_headline_that_starts_with_a_flash_word_is_still_a_headline():
    assert wire.parse("Urgently needed repairs delay ferry\nText.").headline == "Urgently needed repairs delay ferry"
    assert wire.parse("Breaking news: minister resigns\nText.").headline == "Breaking news: minister resigns"


@pytest.mark.parametrize(("lead", "dateline"), [
    ("Paris (AFP) - Strikes closed the city's museums on Tuesday.", Dateline("Paris", "AFP")),
    ("LONDON, Jan 5 (Reuters) - Oil prices rose on Monday.", Dateline("LONDON", "Reuters", date(2025, 1, 5))),
    ("WASHINGTON — Lawmakers agreed on a budget late on Sunday.", Dateline("WASHINGTON")),
])
def test_mixed_case_and_creditless_datelines_are_recognised(lead, dateline):
    draft = wire.parse(f"Headline of the story\nDate: 2025-01-06\n\n{lead}\n\nA second paragraph follows here.\n")
    assert draft.fields["dateline"] == dateline
    assert draft.fields["body"].split("\n\n")[0] == lead.split(" - ", 1)[-1].split(" — ", 1)[-1]
