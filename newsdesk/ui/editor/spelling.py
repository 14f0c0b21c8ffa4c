"""Spelling in the story editor: underlines as the reporter types, a context menu, never a frozen window.

`SpellingController` sits between one editor's `MarkdownHighlighter` and
`newsdesk.core.rules.spelling`. Dictionaries load on the Qt thread pool (`load`);
until they are ready nothing is underlined. The highlighter calls
`spell_pass` only for paragraphs that changed, and the answer for a paragraph's
text is cached, so typing costs one set lookup per word. A result from an older
`load` (another story, another language) is dropped when it arrives.

Fenced code is followed across paragraphs through the highlighter's block
state: 1 after a line inside a ``` fence, 0 outside; when a fence opens or
closes, Qt re-highlights the paragraphs after it by itself.

Suggestions come from the core search (a few milliseconds, cached), so the
context menu asks for them directly.

The personal dictionary is shared with the command line and other windows, so
the controller never trusts its copy for long. A QFileSystemWatcher on the file
and on its folder (an atomic save replaces the file, which only the folder's
watch is sure to see) calls `sync_personal`, which costs one `stat` when
nothing changed; the context menu and the Check Spelling dialog call it too, for
file systems whose changes the watcher cannot see (network shares). A watcher
rather than a check before each spelling pass: the pass runs per paragraph
while the reporter types, and a change seen there could not repaint the other
paragraphs from inside the highlighter. Words added elsewhere are accepted at
once; a word removed elsewhere reloads the dictionaries in the background,
keeping what was ignored. Adding a word re-reads the file under its lock (core),
so the window's add keeps words added meanwhile by others. A file that cannot
be read, or an add it refuses, becomes one `notice` for the status bar.

The story's other fields (headline, dek, summary, tagline: `watch_field`) are
underlined with the same checker, so the same dictionaries and the same
Ignore list apply; each gets a small `FieldSpelling` highlighter of its own
(the fields are plain text, with no Markdown to colour) and the same context
menu. The Check Spelling dialog walks them too (`fields`).

Wiring, for the window: one controller per editor,
`SpellingController(editor.highlighter, store=store, actor=actor, parent=editor)`;
when a story opens (or its byline, dateline or tagline change),
`load(record.language, [record.byline, record.dateline_place, record.tagline])`;
the editor's `contextMenuEvent` shows `context_menu(self, event.pos())` at
`event.globalPos()`; F7 opens `spelling_dialog.SpellCheckDialog(editor, controller)`;
the per-story toggle calls `set_enabled`; `ready` and `failed` go to the status bar.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict

from PySide6.QtCore import (
    QFileSystemWatcher,
    QObject,
    QPoint,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QFont, QSyntaxHighlighter, QTextBlock, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QMenu, QPlainTextEdit

from newsdesk.core.errors import NewsdeskError
from newsdesk.core.rules.tokens import Token
from newsdesk.ui.common import theme
from newsdesk.ui.common.workers import Worker
from newsdesk.ui.editor.highlighter import rehighlight_quietly

if TYPE_CHECKING:
    from newsdesk.core.rules.spelling import Checker
    from newsdesk.core.services.dictionaries import PersonalDictionary
    from newsdesk.core.services.users import Actor
    from newsdesk.core.store.db import Store
    from newsdesk.ui.editor.highlighter import MarkdownHighlighter

log = logging.getLogger(__name__)

FENCED = 1
OUTSIDE = 0
_CACHE_SIZE = 5000
SUGGESTIONS = 5


class _CheckerOptions(TypedDict):
    """What `open_checker` is given for a load, kept so that a reload opens the same dictionaries."""

    language: str
    store: Store | None
    story_fields: tuple[str, ...]
    check_capitals: bool
    personal: PersonalDictionary | None


class SpellingController(QObject):
    """Spelling for one editor: loading, underlines, the word under the caret, the context menu."""

    ready = Signal()
    failed = Signal(str)
    dictionary_changed = Signal(str)
    """A word was added, ignored or removed, here or by another program (the word); underlines have been repainted."""
    notice = Signal(str)
    """A sentence for the status bar: the personal dictionary cannot be read, or a word could not be added."""

    def __init__(
        self,
        highlighter: MarkdownHighlighter,
        *,
        store: Store | None = None,
        actor: Actor | None = None,
        pool: QThreadPool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._highlighter = highlighter
        self.store = store
        self.actor = actor
        self._checker: Checker[PersonalDictionary] | None = None
        self._enabled = True
        self._spans: OrderedDict[tuple[str, bool], tuple[list[Token], bool]] = OrderedDict()
        self._options: _CheckerOptions | None = None
        self._ignored: set[str] = set()
        self._reloaded: tuple[int, list[str]] | None = None
        self._personal_words: frozenset[str] = frozenset()
        self._problem_shown: str | None = None
        self._loader = Worker(self, pool=pool)
        self._loader.succeeded.connect(self._loaded)
        self._loader.failed.connect(self._failed)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._personal_file_changed)
        self._watcher.directoryChanged.connect(self._personal_file_changed)
        self._fields: dict[str, tuple[QPlainTextEdit, FieldSpelling]] = {}
        highlighter.document().contentsChange.connect(self._contents_changed)

    @property
    def checker(self) -> Checker[PersonalDictionary] | None:
        return self._checker

    @property
    def is_ready(self) -> bool:
        return self._checker is not None

    @property
    def enabled(self) -> bool:
        return self._enabled

    def load(
        self,
        language: str = "en",
        story_fields: Iterable[str] = (),
        *,
        check_capitals: bool = False,
        personal: PersonalDictionary | None = None,
    ) -> None:
        """Open the dictionaries for a story (its language, byline, dateline, tagline) off the UI thread.

        `ready` follows when they are in place; an earlier load still running is
        forgotten. `personal` overrides the user's personal dictionary (tests).
        """
        self._options = {
            "language": language,
            "store": self.store,
            "story_fields": tuple(story_fields),
            "check_capitals": check_capitals,
            "personal": personal,
        }
        self._ignored.clear()
        self._reloaded = None
        self._start_load()

    def _start_load(self) -> None:
        assert self._options is not None
        options = self._options.copy()
        self._loader.start(lambda _job: _open_checker(options))

    def _reload(self, removed: list[str]) -> None:
        """Load the same dictionaries again (a personal word was removed elsewhere), keeping what was ignored."""
        self._start_load()
        self._reloaded = (self._loader.generation, removed)

    def _loaded(self, checker: Checker[PersonalDictionary]) -> None:
        """The newest load's checker (the worker drops those of older loads)."""
        generation = self._loader.generation
        for word in self._ignored:
            checker.ignore(word)
        self._checker = checker
        self._personal_words = checker.personal.words if checker.personal is not None else frozenset()
        self._watch_personal()
        if self._reloaded is not None and self._reloaded[0] == generation:
            self._changed(self._reloaded[1])
        else:
            self._spans.clear()
            self._highlighter.set_spell_pass(self.spell_pass if self._enabled else None)
            self._rehighlight_fields()
            log.info("Spelling ready (%s)", checker.language)
            self.ready.emit()
        if checker.personal is not None:
            self._show_problem(checker.personal.problem)
        self.sync_personal()

    def _failed(self, message: str) -> None:
        log.warning("Spelling unavailable: %s", message)
        self.failed.emit(message)

    def _contents_changed(self, position: int, _removed: int, added: int) -> None:
        """A line emptied by an edit is not highlighted, so Qt will not carry a fence change past it: we do."""
        if self._checker is None or not self._enabled:
            return
        document = self._highlighter.document()
        block = document.findBlock(position)
        last = document.findBlock(position + added)
        while block.isValid():
            if not block.text() and block.next().isValid():
                self._highlighter.rehighlightBlock(block.next())
            if block == last:
                break
            block = block.next()

    def set_enabled(self, on: bool) -> None:
        """The per-story toggle: underline misspellings or not.

        Before the first dictionary is in nothing is underlined either way, and
        repainting a long story for nothing costs the UI thread a tenth of a second.
        """
        self._enabled = on
        if self._checker is None:
            return
        self._highlighter.set_spell_pass(self.spell_pass if on and self._checker is not None else None)
        self._rehighlight_fields()

    def watch_field(self, name: str, edit: QPlainTextEdit) -> None:
        """Underline misspellings in one of the story's other fields as it is typed, with this editor's checker."""
        if name in self._fields:
            return
        self._fields[name] = (edit, FieldSpelling(edit.document(), self))
        edit.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        edit.customContextMenuRequested.connect(
            lambda position, field=edit: self.context_menu(field, position).popup(field.viewport().mapToGlobal(position))
        )

    def fields(self) -> list[tuple[str, QPlainTextEdit]]:
        """The watched fields, in the order they were given (the order a reader meets them)."""
        return [(name, edit) for name, (edit, _) in self._fields.items()]

    def field_spans(self, text: str) -> list[tuple[int, int]]:
        """(start, length) of each unknown word in a paragraph of a field (no code fences there)."""
        if not self._enabled or self._checker is None:
            return []
        return [(token.start, len(token.text)) for token in self._unknown(text, False)[0]]

    def _rehighlight_fields(self) -> None:
        for _, highlighter in self._fields.values():
            highlighter.rehighlight()

    def spell_pass(self, text: str) -> list[tuple[int, int]]:
        """The highlighter's hook: (start, length) of each unknown word in the paragraph being highlighted."""
        fenced = _fenced_before(self._highlighter.currentBlock())
        tokens, fenced_after = self._unknown(text, fenced)
        self._highlighter.setCurrentBlockState(FENCED if fenced_after else OUTSIDE)
        return [(token.start, len(token.text)) for token in tokens]

    def _unknown(self, text: str, fenced: bool) -> tuple[list[Token], bool]:
        if self._checker is None:
            return [], fenced
        key = (text, fenced)
        cached = self._spans.get(key)
        if cached is not None:
            self._spans.move_to_end(key)
            return cached
        result = self._checker.unknown_in_line(text, fenced=fenced)
        self._spans[key] = result
        if len(self._spans) > _CACHE_SIZE:
            self._spans.popitem(last=False)
        return result

    def misspelled(self, block: QTextBlock) -> list[Token]:
        """The unknown words of a paragraph, offsets within it (the Check Spelling dialog walks these)."""
        if not self._enabled or self._checker is None:
            return []
        return self._unknown(block.text(), _fenced_before(block))[0]

    def misspelled_ranges(self, block: QTextBlock) -> list[tuple[int, int]]:
        """(start, length) of each unknown word in `block`."""
        return [(token.start, len(token.text)) for token in self.misspelled(block)]

    def token_at(self, cursor: QTextCursor) -> Token | None:
        """The misspelled word under `cursor`, or None."""
        block = cursor.block()
        column = cursor.positionInBlock()
        for token in self.misspelled(block):
            if token.start <= column <= token.end:
                return token
        return None

    def suggestions(self, word: str, limit: int = SUGGESTIONS) -> list[str]:
        return self._checker.suggest(word, limit) if self._checker is not None else []

    def replace(self, block: QTextBlock, token: Token, replacement: str) -> None:
        """Put `replacement` in place of `token` as one undo step."""
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + token.start)
        cursor.setPosition(block.position() + token.end, QTextCursor.MoveMode.KeepAnchor)
        cursor.beginEditBlock()
        cursor.insertText(replacement)
        cursor.endEditBlock()

    def add_to_personal(self, word: str) -> None:
        """Add the word to the personal dictionary as it is on disk now, and accept it with what others added."""
        if self._checker is None:
            return
        try:
            stored = self._checker.add_personal(_stem(word))
        except NewsdeskError as error:
            log.info("Personal dictionary: %s not added: %s", word, error)
            self.notice.emit(str(error))
            return
        assert self._checker.personal is not None
        self._personal_updated(self._checker.personal, also=[stored])
        self._watch_personal()

    def sync_personal(self) -> None:
        """Take in what other programs changed in the personal dictionary (one `stat` when nothing did)."""
        personal = self._checker.personal if self._checker is not None else None
        if personal is not None and personal.refresh():
            self._personal_updated(personal)

    def _personal_updated(self, personal: PersonalDictionary, also: Iterable[str] = ()) -> None:
        assert self._checker is not None
        words = personal.words
        added, removed = words - self._personal_words, self._personal_words - words
        self._personal_words = words
        self._show_problem(personal.problem)
        if added:
            self._checker.add_known(added)
        if removed:
            log.info("Personal dictionary: %d words removed elsewhere; reloading the dictionaries", len(removed))
            self._reload(sorted(removed))
        changed = sorted(added | set(also))
        if changed:
            self._changed(changed)

    def _show_problem(self, problem: str | None) -> None:
        if problem is not None and problem != self._problem_shown:
            self.notice.emit(problem)
        self._problem_shown = problem

    def _watch_personal(self) -> None:
        """Watch the personal dictionary and its folder, or the nearest folder above that exists yet.

        Called again after every change: a save replaces the file with a new
        one, and a folder made since may now hold the file.
        """
        personal = self._checker.personal if self._checker is not None else None
        watched = [*self._watcher.files(), *self._watcher.directories()]
        if watched:
            self._watcher.removePaths(watched)
        if personal is None:
            return
        folder = personal.path.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        self._watcher.addPaths([str(path) for path in (folder, personal.path) if path.exists()])

    def _personal_file_changed(self, _path: str) -> None:
        self._watch_personal()
        self.sync_personal()

    def add_to_newsroom(self, word: str) -> None:
        """Add the word to the store's shared dictionary (for everyone) and accept it now."""
        if self._checker is None or self.store is None:
            return
        from newsdesk.core.services.dictionaries import add_newsroom_word

        stored = add_newsroom_word(
            self.store,
            _stem(word),
            language=self._checker.language,
            user_id=self.actor.id if self.actor is not None else None,
        )
        self._checker.add_known([stored])
        self._changed([stored])

    def ignore(self, word: str) -> None:
        """Accept the word in this story until the dictionaries are loaded again."""
        if self._checker is None:
            return
        self._checker.ignore(_stem(word))
        self._ignored.add(_stem(word))
        self._changed([word])

    def _changed(self, words: Iterable[str]) -> None:
        self._spans.clear()
        self._highlighter.rehighlight_spelling()
        self._rehighlight_fields()
        for word in words:
            self.dictionary_changed.emit(word)

    def context_menu(self, editor: QPlainTextEdit, position: QPoint) -> QMenu:
        """The editor's usual menu with, over a misspelled word, suggestions and dictionary actions on top.

        `position` is in the editor viewport's coordinates (a context-menu event's `pos()`).
        """
        self.sync_personal()
        menu = editor.createStandardContextMenu(position)
        cursor = editor.cursorForPosition(position)
        token = self.token_at(cursor)
        if token is None or editor.isReadOnly():
            return menu
        block = cursor.block()
        first = menu.actions()[0] if menu.actions() else None
        actions: list[QAction] = []
        suggestions = self.suggestions(token.text)
        for suggestion in suggestions:
            action = QAction(suggestion, menu)
            font = QFont(action.font())
            font.setBold(True)
            action.setFont(font)
            action.triggered.connect(lambda _=False, s=suggestion: self.replace(block, token, s))
            actions.append(action)
        if not suggestions:
            none = QAction("(No suggestions)", menu)
            none.setEnabled(False)
            actions.append(none)
        actions.append(_separator(menu))
        personal = QAction("Add to Personal Dictionary", menu)
        personal.triggered.connect(lambda: self.add_to_personal(token.text))
        newsroom = QAction("Add to Newsroom Dictionary", menu)
        newsroom.setEnabled(self.store is not None)
        newsroom.setToolTip("Shared with everyone who uses this store")
        newsroom.triggered.connect(lambda: self.add_to_newsroom(token.text))
        ignore = QAction("Ignore", menu)
        ignore.triggered.connect(lambda: self.ignore(token.text))
        actions.extend([personal, newsroom, ignore, _separator(menu)])
        if first is None:
            menu.addActions(actions)
        else:
            menu.insertActions(first, actions)
        return menu


class FieldSpelling(QSyntaxHighlighter):
    """Red wavy underlines under the unknown words of a plain-text field (headline, dek, summary, tagline)."""

    def __init__(self, document: QTextDocument, controller: SpellingController) -> None:
        super().__init__(document)
        self._controller = controller
        self.misspelt = QTextCharFormat()
        self.misspelt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self._scheme_changed(None)
        theme.follow(self._scheme_changed)

    def _scheme_changed(self, _scheme: object) -> None:
        self.misspelt.setUnderlineColor(QColor(theme.current().misspelt))
        self.rehighlight()

    def rehighlight(self) -> None:
        rehighlight_quietly(self)

    def highlightBlock(self, text: str) -> None:
        for start, length in self._controller.field_spans(text):
            self.setFormat(start, length, self.misspelt)


def _open_checker(options: _CheckerOptions) -> Checker[PersonalDictionary]:
    """Runs on the worker: open a checker (dictionaries, places, the store's words)."""
    from newsdesk.core.services.spellcheck import open_checker

    return open_checker(**options)


def _fenced_before(block: QTextBlock) -> bool:
    """Whether `block` starts inside a code fence, judged by the nearest non-empty paragraph before it.

    Empty paragraphs are skipped: the highlighter does not run on them, so their state is not kept.
    """
    previous = block.previous()
    while previous.isValid() and not previous.text():
        previous = previous.previous()
    return previous.isValid() and previous.userState() == FENCED


def _separator(menu: QMenu) -> QAction:
    action = QAction(menu)
    action.setSeparator(True)
    return action


def _stem(word: str) -> str:
    """A possessive goes into the dictionary without its 's (Aleinik's → Aleinik)."""
    from newsdesk.core.rules.tokens import normalise_apostrophes

    straight = normalise_apostrophes(word)
    return word[:-2] if straight[-2:] in ("'s", "'S") and len(word) > 3 else word
