"""Stories written straight into a store with bulk SQL, for tests and benchmarks that need many of them.

Inserted as rows, not through `StoryService.create`: thousands of stories in a
second or two, with the update times a test chooses (ties included). The
store's own triggers keep SQLite's full-text table in step, and PostgreSQL
computes its search document, as for any other write.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from newsdesk.core.store.timeutil import UTCDateTime

STORY_INSERT = text(
    "INSERT INTO story (id, guid, slug, headline, subheadline, summary, body, byline, dateline_place, "
    "dateline_credit, tagline, language, keywords, status, word_count, owner_id, "
    "created_at, updated_at, version) VALUES (:id, :guid, :slug, :headline, '', :summary, :body, "
    ":byline, '', '', '', 'en', :keywords, :status, :word_count, :owner, :created, :updated, 1)"
).bindparams(bindparam("created", type_=UTCDateTime()), bindparam("updated", type_=UTCDateTime()))
"""Times go through the store's own column type, so they are written as the application writes them (on SQLite, text
that compares as times only in that one format)."""
SECTION_INSERT = text("INSERT INTO story_section (story_id, section_id, position) VALUES (:story, :section, 0)")


def insert_stories(connection: Connection, stories: Sequence[dict[str, Any]], links: Sequence[dict[str, Any]]) -> None:
    """Stories (the keys of STORY_INSERT) and their primary sections (story, section), in one batch each."""
    connection.execute(STORY_INSERT, list(stories))
    if links:
        connection.execute(SECTION_INSERT, list(links))


def story_row(story_id: int, headline: str, body: str, *, status: str, owner: int | None, updated: datetime) -> dict[str, Any]:
    """The values of one plain story for STORY_INSERT (`updated` aware, or naive local time)."""
    return {
        "id": story_id, "guid": f"urn:uuid:00000000-0000-4000-8000-{story_id:012d}", "slug": f"story-{story_id}",
        "headline": headline, "summary": "", "body": body, "byline": "", "keywords": "[]", "status": status,
        "word_count": body.count(" ") + 1, "owner": owner, "created": updated, "updated": updated,
    }
