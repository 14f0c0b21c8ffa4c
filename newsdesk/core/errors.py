"""Errors a reporter can read.

Core raises these; the edges translate them. The command line prints the
message on one line and exits with `exit_code`; the window shows it beside the
field or in the status bar. Nothing else catches broadly.
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base of every error meant for a person, carrying a readable message."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class StoreError(NewsdeskError):
    """The store cannot be opened, read or written."""


class StoreTooNew(StoreError):
    """The store was written by a newer Newsdesk; opening it could damage it."""

    exit_code = 10


class StoryNotFound(NewsdeskError):
    """No story answers to the id, guid or slug asked for."""


class NotFound(NewsdeskError):
    """A section, user or revision asked for does not exist."""


class InvalidField(NewsdeskError):
    """A value breaks a newsroom rule; `field` names what to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class StaleVersion(NewsdeskError):
    """Someone saved the story after this copy was read; nothing was overwritten."""

    def __init__(self, message: str, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


class NotPermitted(NewsdeskError):
    """The user's role or the story's state does not allow the action."""

    exit_code = 3


class StoryLocked(NotPermitted):
    """Another person is editing the story."""


class AuthenticationFailed(NewsdeskError):
    """A wrong or missing password."""

    exit_code = 4


class ImportFailed(NewsdeskError):
    """A file could not be brought in as a story; the message names the file."""


class ExportFailed(NewsdeskError):
    """The site or a page could not be written."""


class PersonalDictionaryError(NewsdeskError):
    """The personal dictionary file cannot be read or saved; the file was left exactly as it was."""


class StoreBusy(StoreError):
    """Another program holds the store (SQLite's lock, PostgreSQL's lock or deadlock); trying again later may work."""

    exit_code = 5


class StoreReadOnly(StoreError):
    """The store, its folder or its file system may not be written (or was opened with `?mode=ro`)."""

    exit_code = 6


class StoreFull(StoreError):
    """The disk (or the database server's) holding the store has no room left."""

    exit_code = 7


class StoreDamaged(StoreError):
    """The store's file or rows are not what Newsdesk wrote: a damaged file, a hand-edited row."""

    exit_code = 8


class StoreUnreachable(StoreError):
    """The store cannot be reached: no server answers, the file cannot be opened, the address is wrong."""

    exit_code = 9


class ChecksFailed(NotPermitted):
    """Pre-publish checks found errors that stop the action; `findings` lists every one (`core.rules.checks`).

    Not permitted until they are fixed (so every edge that says why a step was refused says this too), but
    exit 1 at the command line: a check found something."""

    exit_code = 1

    def __init__(self, message: str, findings: tuple[object, ...]) -> None:
        super().__init__(message)
        self.findings = findings
