"""A page's headline reconciled from its h1, JSON-LD, social titles and <title>."""

from __future__ import annotations

from newsdesk.core.importers.headline import choose, strip_site


def test_the_sites_name_is_removed_after_or_before():
    assert strip_site("Thousands of UK academics 'treated as second-class citizens' | Education | The Guardian", ["the Guardian"]) == (
        "Thousands of UK academics 'treated as second-class citizens' | Education")
    assert strip_site("大雨で川があふれる - Yahoo!ニュース", ["Yahoo!ニュース"]) == "大雨で川があふれる"
    assert strip_site("NEWS WEB EASY|子どもへの体罰を禁止する法律ができる", ["NEWS WEB EASY"]) == "子どもへの体罰を禁止する法律ができる"
    assert strip_site("AI Can Do Great Things | WIRED", ["Wired"]) == "AI Can Do Great Things"
    assert strip_site("Rock - Paper - Scissors", ["Elsewhere"]) == "Rock - Paper - Scissors"


def test_a_shorter_social_title_never_replaces_the_headline():
    # The Verge: og:title drops "hands-on"; the h1 and the <title> keep it.
    full = "Samsung Galaxy Fold hands-on: a phone that folds"
    assert choose([full], [("Samsung Galaxy Fold: a phone that folds", "meta og:title")], full + " - The Verge", ["The Verge"]) == (
        full, "h1 (confirmed by <title>)")
    # No h1 at all: the longer title that contains the social one wins.
    assert choose([], [("Galaxy Fold", "meta og:title")], "Galaxy Fold hands-on - The Verge", ["The Verge"])[0] == "Galaxy Fold hands-on"


def test_the_visible_headline_wins_when_metadata_confirms_it():
    assert choose(["How Can We Plan for the Future in California?"],
                  [("California’s Disasters Are a Warning", "JSON-LD headline"),
                   ("How Can We Plan for the Future in California?", "meta og:title")],
                  "California’s Disasters Are a Warning - The Atlantic", ["The Atlantic"]) == (
        "How Can We Plan for the Future in California?", "h1 (confirmed by meta og:title)")


def test_a_logo_or_section_h1_is_not_the_headline():
    assert choose(["POLITICO", "Brasília"], [("Mark Meadows accused of timing retirement", "JSON-LD headline")],
                  "Mark Meadows accused of timing retirement - POLITICO", ["POLITICO"]) == (
        "Mark Meadows accused of timing retirement", "JSON-LD headline")


def test_kicker_kept_as_metadata_writes_it_and_a_label_dropped():
    assert choose(["Kaeser verarscht Neubauer"],
                  [("Siemens und die Kohlemine Adani: Kaeser verarscht Neubauer", "meta og:title")], "", [])[0] == (
        "Siemens und die Kohlemine Adani: Kaeser verarscht Neubauer")
    assert choose(["Interne Unterlagen im Netz Daten von Rheinmetall gehackt"], [],
                  "Interne Unterlagen im Netz: Daten von Rheinmetall gehackt | tagesschau.de", ["tagesschau.de"])[0] == (
        "Interne Unterlagen im Netz: Daten von Rheinmetall gehackt")
    assert choose(["Local News | Brothel busted in Boston"], [("Brothel busted in Boston", "JSON-LD headline")], "", [])[0] == (
        "Brothel busted in Boston")


def test_typographic_quotes_of_the_h1_are_kept():
    assert choose(["A Paris-8, un peu de tension, beaucoup d’actions"],
                  [("A Paris-8, un peu de tension, beaucoup d'actions - Bondy Blog", "meta og:title")],
                  "", ["Bondy Blog"])[0] == "A Paris-8, un peu de tension, beaucoup d’actions"
