"""The related-link form: steady while its message comes and goes, and strict about a typed address."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from newsdesk.ui.docks.link_form import LinkForm


def geometry(form: LinkForm) -> tuple[object, ...]:
    QApplication.processEvents()
    return form.sizeHint(), form.submit_button.geometry(), form.cancel_button.geometry(), form.title.geometry()


def test_the_form_does_not_move_when_its_message_shows_or_goes(qtbot):
    form = LinkForm()
    qtbot.addWidget(form)
    form.resize(320, form.sizeHint().height())
    form.show()
    quiet = geometry(form)
    form.url.setText("javascript:alert(1)")
    assert form.error.text()
    assert geometry(form) == quiet
    form.url.setText("https://example.com/")
    assert form.error.text() == ""
    assert geometry(form) == quiet


def test_an_address_with_a_title_typed_after_it_is_refused(qtbot):
    form = LinkForm()
    qtbot.addWidget(form)
    sent: list[object] = []
    form.submitted.connect(sent.append)
    form.url.setText("https://www.halifax.ca/repairsBridge repair project page")
    assert "no spaces" in form.error.text() and "Title field" in form.error.text()
    form.submit()
    assert sent == []
    form.url.setText("https://www.halifax.ca/repairs")
    form.title.setText("Bridge repair project page")
    form.submit()
    assert [(link.title, link.url) for link in sent] == [("Bridge repair project page", "https://www.halifax.ca/repairs")]
