"""The budget read model: one filtered page of story lines, without the bodies, for the list and `newsdesk stories`.

It reads only; `StoryService.budget` is the entry point callers use. The same
query, narrowed to a few ids (`BudgetQuery.ids`), gives a live budget the
rows that others just changed, so it can update them in place.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, and_, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.sql.expression import Select

from newsdesk.core.records import BudgetPage, BudgetQuery, BudgetRow
from newsdesk.core.rules.domain import Role, Status
from newsdesk.core.services.sections import find as find_section
from newsdesk.core.services.users import Actor
from newsdesk.core.store import damage, search
from newsdesk.core.store.db import Store
from newsdesk.core.store.models import Section, Story, StorySection, User
from newsdesk.core.store.search import Criterion

BUDGET_COUNT_CAP = 10_000
SEARCH_COUNT_CAP = 1_000
"""A search counts its matches up to here ("1,000+"), and past it is dense: its page walks the stories newest first
instead of sorting every match (`search.walk_newest_first`). Counting further is what made a common word slow: ten
thousand matches are ten thousand stories tested (about 60 ms on PostgreSQL with a status filter, 50 ms on SQLite),
on every keystroke in the search box, for a figure no one narrows a search by."""


def budget_page(store: Store, query: BudgetQuery) -> BudgetPage:
    """One page of the budget, filtered; the body is never loaded.

    The total is counted up to BUDGET_COUNT_CAP, or SEARCH_COUNT_CAP for a
    search: past that the budget says "10,000+" ("1,000+") rather than count a
    whole archive for every change of filter.
    """
    primary = aliased(StorySection)
    owner = aliased(User)
    assignee = aliased(User)
    with store.session() as session:
        filters: list[Criterion] = []
        if query.status:
            filters.append(col(Story.status) == Status(query.status).value)
        if query.section:
            section = find_section(session, query.section)
            filters.append(col(Story.id).in_(select(col(StorySection.story_id)).where(col(StorySection.section_id) == section.id)))
        if query.owner:
            filters.append(col(Story.owner_id) == _user_id(query.owner))
        if query.assignee:
            filters.append(col(Story.assignee_id) == _user_id(query.assignee))
        if query.mine:
            filters.append(or_(col(Story.owner_id) == _user_id(query.mine), col(Story.assignee_id) == _user_id(query.mine)))
        if query.due_from is not None:
            filters.append(col(Story.deadline) >= query.due_from)
        if query.due_until is not None:
            filters.append(col(Story.deadline) < query.due_until)
        if query.returned is not None:
            filters.append(_returned() if query.returned else ~_returned())
        if query.ids is not None:
            filters.append(col(Story.id).in_(query.ids))
        match = search.matches(store.dialect, query.text or "")
        matched_at = len(filters)
        if match is not None:
            filters.append(match)
        only_text = match is not None and len(filters) == 1
        cap = BUDGET_COUNT_CAP if match is None else SEARCH_COUNT_CAP
        quick_count = search.count_matches(store.dialect, query.text or "", cap + 1) if only_text else None
        if query.ids is not None:
            counted = len(query.ids)
        elif quick_count is not None:
            counted = session.execute(quick_count).scalar_one()
        else:
            counted = session.exec(
                select(func.count()).select_from(select(col(Story.id)).where(*filters).limit(cap + 1).subquery())
            ).one()
        dense = match is not None and counted > cap
        walking = search.matches(store.dialect, query.text or "", walking=True) if dense else None
        if walking is not None:
            filters[matched_at] = walking
        if query.after is not None:
            at, story_id = query.after
            filters.append(or_(col(Story.updated_at) < at, and_(col(Story.updated_at) == at, col(Story.id) < story_id)))
        order = (col(Story.updated_at).desc(), col(Story.id).desc()) if query.newest_first else (col(Story.updated_at), col(Story.id))
        chosen = select(col(Story.id)).where(*filters).order_by(*order).offset(max(query.offset, 0)).limit(max(query.limit, 0))
        if dense:
            chosen = search.walk_newest_first(chosen, Story, by_status=bool(query.status), dialect=store.dialect)
        # The page's stories are chosen first and only they are joined to their section and people: planned over every
        # match, the joins cost more than the search (PostgreSQL hashed every story's section for a rare word and a status).
        picked = chosen.subquery("page")
        page: Select[*tuple[Any, ...]] = (
            # What `select` builds for several columns; `select` itself is typed for up to four.
            Select(
                col(Story.id), col(Story.slug), col(Story.headline), col(Story.status), col(Section.name), col(Story.byline),
                col(Story.word_count), col(Story.updated_at), col(Story.planned_words), col(Story.deadline), col(assignee.username),
                _returned(), col(owner.username),
            )
            .select_from(picked)
            .join(Story, col(Story.id) == picked.c.id)
            .outerjoin(primary, (col(primary.story_id) == Story.id) & (col(primary.position) == 0))
            .outerjoin(Section, col(Section.id) == primary.section_id)
            .outerjoin(owner, col(owner.id) == Story.owner_id)
            .outerjoin(assignee, col(assignee.id) == Story.assignee_id)
            .order_by(*order)
        )
        rows = tuple(
            BudgetRow(id_, slug, headline, damage.status_of(id_, slug, status).value, section_name, byline, words, updated, planned,
                      deadline, assigned, bool(returned), owned)
            for id_, slug, headline, status, section_name, byline, words, updated, planned, deadline, assigned, returned, owned
            in session.exec(page)
        )
        return BudgetPage(rows=rows, total=min(counted, cap), offset=query.offset, more=counted > cap)


def needs_me(actor: Actor) -> BudgetQuery:
    """What waits for this person: an editor, the submitted queue; a reporter, their drafts returned to them."""
    if actor.role in (Role.EDITOR, Role.ADMIN):
        return BudgetQuery(status=Status.SUBMITTED.value)
    return BudgetQuery(owner=actor.username, returned=True)


def count(store: Store, query: BudgetQuery) -> int:
    """How many stories match `query` (up to BUDGET_COUNT_CAP, a search up to SEARCH_COUNT_CAP): the figure beside a filter."""
    return budget_page(store, replace(query, offset=0, limit=0)).total


def local_day(day: date) -> tuple[datetime, datetime]:
    """The local day `day` as a half-open span of aware times, for `due_from` and `due_until`."""
    start = datetime.combine(day, time()).astimezone()
    return start, datetime.combine(day + timedelta(days=1), time()).astimezone()


def _user_id(username: str) -> ScalarSelect[int | None]:
    return select(User.id).where(User.username == username).scalar_subquery()


def _returned() -> ColumnElement[bool]:
    """The flag `rules.workflow.return_note_after` keeps, read as SQL: a draft that still carries its return note."""
    return and_(col(Story.status) == Status.DRAFT.value, col(Story.return_note) != "")
