"""HTML fragments (ninjs text/html bodies) to the Markdown the editor holds."""

from __future__ import annotations

from newsdesk.core.importers.htmltext import to_markdown
from newsdesk.core.rules.render import render_body


def test_the_renderers_output_comes_back_as_its_markdown():
    markdown = ("A *quiet* start with [a source](https://example.org/s) and **bold** `code`.\n\n## Subhead\n\n"
                "- one\n- two\n\n1. first\n2. second\n\n> A quote.\n\n| Year | Share |\n|---|---|\n| 2023 | 10% |\n\nEnd.")
    assert to_markdown(render_body(markdown)) == markdown


def test_scripts_frames_and_unsafe_links_are_dropped():
    html = ('<p>Safe <a href="javascript:alert(1)">click</a> <a href="/relative">here</a>.</p><script>alert(2)</script>'
            '<iframe src="https://ads.example"></iframe><style>p{}</style><p>Next<br>line</p>')
    assert to_markdown(html) == "Safe click here.\n\nNext line"


def test_loose_text_and_unknown_tags_keep_their_words():
    assert to_markdown("Loose <custom>words</custom> here<div>Block</div>tail") == "Loose words here\n\nBlock\n\ntail"


def test_h1_becomes_a_subhead_and_empty_input_gives_nothing():
    assert to_markdown("<h1>Top</h1><h3>Lower</h3>") == "## Top\n\n### Lower"
    assert to_markdown("   ") == "" and to_markdown("<p></p>") == ""


def test_words_are_counted_in_scripts_written_without_spaces():
    from newsdesk.core.importers.htmltext import running_words, word_count

    assert word_count("The council voted on Tuesday.") == 5
    assert word_count("子どもへの体罰を禁止する法律ができる") == 9  # 18 characters, about two a word
    assert word_count("武汉的声音") == 2 and word_count("ภาษาไทยเขียนติดกัน") == 4
    chinese = "益水之阳，是名益阳。这个洞庭湖区的重要城市，六十年前就曾在作家笔下展现风貌。"
    assert running_words(chinese) >= 15
    assert running_words("# 大雨で川があふれる\n\n- 一覧\n- 二覧") == 0
