"""The newsroom's words: where a story stands and who someone is, as enums free of any SQL.

The store keeps them as plain text columns (`store.models`); the window, the
command line and the export compare against these, never against string
literals. Each is a `StrEnum`, so a member equals its stored text.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where a story stands in the day's workflow."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PUBLISHED = "published"
    KILLED = "killed"
    SPIKED = "spiked"


class Role(StrEnum):
    """What a user may do: reporters write, editors review and publish, admins also manage users."""

    REPORTER = "reporter"
    EDITOR = "editor"
    ADMIN = "admin"


ON_SITE = (Status.PUBLISHED, Status.KILLED)
"""The states whose story has an address on the exported site: its page, or a notice that it was killed."""
