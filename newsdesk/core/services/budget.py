"""The budget read model: one filtered page of story lines, without the bodies, for the list and `newsdesk stories`.

It reads only; `StoryService.budget` is the entry point callers use.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import select

from newsdesk.core.records import BudgetPage, BudgetQuery, BudgetRow
from newsdesk.core.rules.domain import Status
from newsdesk.core.services.sections import find as find_section
from newsdesk.core.store import search
from newsdesk.core.store.db import Store
from newsdesk.core.store.models import Section, Story, StorySection, User

BUDGET_COUNT_CAP = 10_000
DENSE_MATCHES = 2_000
"""Past this many matches a search walks the stories newest first instead of sorting every match (`search.walk_newest_first`)."""


def budget_page(store: Store, query: BudgetQuery) -> BudgetPage:
    """One page of the budget, filtered; the body is never loaded.

    The total is counted up to BUDGET_COUNT_CAP: past that the budget says
    "10,000+" rather than make every keystroke in the search box count a
    whole archive.
    """
    primary = aliased(StorySection)
    with store.session() as session:
        filters = []
        if query.status:
            filters.append(Story.status == Status(query.status).value)
        if query.section:
            section = find_section(session, query.section)
            filters.append(Story.id.in_(select(StorySection.story_id).where(StorySection.section_id == section.id)))
        if query.owner:
            filters.append(Story.owner_id == select(User.id).where(User.username == query.owner).scalar_subquery())
        match = search.matches(store.dialect, query.text or "")
        if match is not None:
            filters.append(match)
        counted = session.exec(
            select(func.count()).select_from(select(Story.id).where(*filters).limit(BUDGET_COUNT_CAP + 1).subquery())
        ).one()
        order = (Story.updated_at.desc(), Story.id.desc()) if query.newest_first else (Story.updated_at, Story.id)
        page = (
            select(Story.id, Story.slug, Story.headline, Story.status, Section.name, Story.byline, Story.word_count, Story.updated_at)
            .outerjoin(primary, (primary.story_id == Story.id) & (primary.position == 0))
            .outerjoin(Section, Section.id == primary.section_id)
            .where(*filters)
            .order_by(*order)
            .offset(max(query.offset, 0))
            .limit(max(query.limit, 0))
        )
        if match is not None and counted > DENSE_MATCHES:
            page = search.walk_newest_first(page, Story, by_status=bool(query.status), dialect=store.dialect)
        rows = tuple(BudgetRow(*row) for row in session.exec(page))
        return BudgetPage(rows=rows, total=min(counted, BUDGET_COUNT_CAP), offset=query.offset, more=counted > BUDGET_COUNT_CAP)
