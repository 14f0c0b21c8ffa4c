"""Reading files to import: encodings detected, empty and binary files refused, kinds recognised."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from newsdesk.core.errors import ImportFailed
from newsdesk.core.importers import source
from newsdesk.core.importers.source import Kind

TEXT = "MADRID (Reuters) - Café owners’ “résumé” costs €5 — a small ñ story."


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    TEXT.encode("utf-16"),
    TEXT.encode("cp1252"),
], ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-16-native", "windows-1252"])
def test_encodings_are_detected(data):
    assert source.decode(data) == TEXT


def test_windows_line_endings_become_newlines():
    assert source.decode(b"Headline\r\nBody\rMore") == "Headline\nBody\nMore"


def test_a_saved_page_declares_its_own_charset():
    page = '<html><head><meta charset="iso-8859-7"></head><body>Αθήνα</body></html>'.encode("iso-8859-7")
    assert "Αθήνα" in source.decode(page, html=True)


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", codecs.BOM_UTF8])
def test_empty_files_are_refused(data):
    with pytest.raises(ImportFailed, match="empty"):
        source.decode(data)


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<\x00\x01\x02>>",
    bytes(range(1, 32)) * 20,
], ids=["png", "pdf", "control-characters"])
def test_binary_files_are_refused(data):
    with pytest.raises(ImportFailed, match="not text"):
        source.decode(data)


def test_a_bad_byte_order_mark_is_named():
    with pytest.raises(ImportFailed, match="UTF-16"):
        source.decode(codecs.BOM_UTF16_LE + b"\x00\xd8")


def test_bytes_outside_windows_1252_are_refused():
    with pytest.raises(ImportFailed, match="encoding"):
        source.decode(b"caf\x81 \x8d")


@pytest.mark.parametrize("name, text, kind", [
    ("a.txt", "{}", Kind.WIRE),
    ("a.md", "plain", Kind.MARKDOWN),
    ("a.HTM", "plain", Kind.HTML),
    ("a.json", "plain", Kind.NINJS),
    ("a", '  {"uri": "x"}', Kind.NINJS),
    ("a.dat", "<!DOCTYPE html><html></html>", Kind.HTML),
    ("a", "---\nheadline: x\n---\n", Kind.MARKDOWN),
    ("a", "# Heading\n", Kind.MARKDOWN),
    ("a", "Headline\nPARIS (AFP) - Text", Kind.WIRE),
])
def test_kinds_by_extension_then_by_content(name, text, kind):
    assert source.detect(Path(name), text) is kind


def test_reading_a_missing_file_or_a_folder(tmp_path):
    with pytest.raises(ImportFailed, match="no such file"):
        source.read(tmp_path / "gone.txt")
    with pytest.raises(ImportFailed, match="folder"):
        source.read(tmp_path)
