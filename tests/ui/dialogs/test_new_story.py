"""The New Story dialog: a headline field wide enough to read a headline in."""

from __future__ import annotations

from newsdesk.ui.dialogs.new_story import NewStoryDialog


def test_the_headline_field_shows_a_whole_headline(qtbot):
    dialog = NewStoryDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    headline = "Belarus’ top diplomat says he can’t imagine war"
    assert dialog.field.width() >= dialog.field.fontMetrics().horizontalAdvance(headline) + 20
    assert dialog.field.width() >= 400
    qtbot.keyClicks(dialog.field, "Ferry strike ends")
    assert dialog.headline() == "Ferry strike ends"
