"""The names Newsdesk gives its own fields inside ninjs, shared by the export and the import.

ninjs 2.1 allows no extra properties, so Newsdesk's fields travel in standard
ones told apart by these roles and names (the mapping table is in
`importers/ninjs.py`). Kept here, with no other imports, so that the writer and
the reader agree without loading each other.
"""

from __future__ import annotations

NEWSDESK_ID = "newsdesk-id"
"""`altids[].role`: the story's id in the store that wrote the file."""
URL = "url"
"""`altids[].role`: the story's web page."""
DATELINE_CREDIT = "dateline"
"""`infosources[].role`: the dateline's credit (AP, Reuters, the newsroom)."""
DATELINE_DATE = "dateline-date"
"""`altids[].role`: the dateline's date, YYYY-MM-DD."""
CORRECTED_AT = "corrected-at"
"""`altids[].role`: when the correction note was added (ISO 8601, UTC)."""
RELATED = "related"
"""`associations[].name`: a related link."""
SECTION = "section"
"""`subjects[].rel`: a section the story is filed in (primary first)."""
KEYWORD = "keyword"
"""`subjects[].rel`: a keyword."""
LEAD_IMAGE = "lead-image"
"""The association holding the story's lead photograph."""
IMAGE = "image"
"""An association holding one of the story's body photographs."""
