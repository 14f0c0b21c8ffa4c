"""A small newsroom to export: stories in every state, links between them, a correction and an update, and a hostile body."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import picture_files
import pytest

HOSTILE = """A plain opening paragraph.

<script>alert('body')</script><img src=x onerror=alert(1)> [bad](javascript:alert(1))

## Tractors by year

| Year | Share |
|:--|--:|
| 2023 | 10% |

A claim with a source.[^1]

[^1]: Ministry figures, 2023.
"""


HOSTILE_ALT = 'The ferry "Nordlys" <script>alert(1)</script> & crew'
FERRY_BODY = """Talks resumed on Monday.

![](image:2 "The buoy off the quay")

The timetable ![](image:3) is posted.
"""
"""The world story's body: image 2 (the PNG) as a figure, image 3 (the CMYK JPEG) inside a sentence."""


@dataclass(frozen=True)
class Newsroom:
    store: object
    service: object
    demo: object
    business: object
    world: object
    home_story: object
    killed: object
    spiked: object
    draft: object


FIXTURE_OVERRIDE = "Test newsroom: stories left incomplete on purpose"
"""The pre-publish checks' errors (no byline, no summary) overridden: these stories test the export, not the checks."""


def publish(service, story_id: int):
    from newsdesk.core.rules.workflow import Action

    for action in (Action.SUBMIT, Action.APPROVE, Action.PUBLISH):
        record = service.transition(story_id, action, override=FIXTURE_OVERRIDE)
    return record


@pytest.fixture
def newsroom(demo_store, service) -> Newsroom:
    from newsdesk.core.records import LinkInput
    from newsdesk.core.rules.corrections import Kind
    from newsdesk.core.rules.workflow import Action

    demo = service.get("belarus-diplomat-ukraine-war")
    draft = service.create("Council weighs harbour plan", body="Not ready.", sections=["World"])
    business = service.create(
        "Tractor exports rise again",
        subheadline="Factories add shifts as orders from abroad grow",
        summary="Belarus’ tractor makers report a third year of growth.",
        body=HOSTILE,
        byline="Jan Novak",
        dateline={"place": "Minsk, Belarus", "credit": "Newsdesk"},
        tagline="Jan Novak covers trade from Vilnius.",
        keywords=["Belarus", "trade"],
        sections=["Business", "Europe"],
        links=[
            LinkInput(title="", story=demo.id),
            LinkInput(title="Trade data", url="https://example.org/trade"),
            LinkInput(title="Coming up", story=draft.id),
        ],
    )
    publish(service, business.id)
    service.transition(business.id, Action.CORRECT, "An earlier version gave the wrong year for the figures.",
                       override=FIXTURE_OVERRIDE)
    business = service.transition(business.id, Action.CORRECT, "The figures now include *October*.", kind=Kind.UPDATE,
                                  override=FIXTURE_OVERRIDE)
    world = service.create("Ferry talks resume at the border", body=FERRY_BODY, byline="By Ana Silva", sections=["World"])
    service.add_image(world.id, picture_files.jpeg(2400, 1800, orientation=6, gps=True, artist="Ana Silva"), "ferry.jpg",
                      alt=HOSTILE_ALT, caption="The ferry <script>alert('caption')</script> at the quay", lead=True)
    service.add_image(world.id, picture_files.png(1000, 800, alpha=True), "buoy.png", alt="A red buoy", credit="Port <b>authority</b>")
    service.add_image(world.id, picture_files.jpeg(900, 600, mode="CMYK"), "chart.jpg", alt="The timetable", caption="Sailings")
    world = publish(service, world.id)
    home_story = service.create("Storm warning for the coast", body="Rain is expected.", sections=["Home"])
    home_story = publish(service, home_story.id)
    killed = service.create("Mayor resigns", body="Withdrawn copy.", sections=["Politics"])
    publish(service, killed.id)
    killed = service.transition(killed.id, Action.KILL, "Legal")
    spiked = service.create("Spiked item", body="Never ran.", sections=["Sports"])
    spiked = service.transition(spiked.id, Action.SPIKE)
    return Newsroom(
        demo_store, service, service.get(demo.id), service.get(business.id), world, home_story, killed, spiked, service.get(draft.id)
    )


@pytest.fixture
def site(newsroom: Newsroom, tmp_path: Path) -> Path:
    from newsdesk.core.export.site import ExportRequest, export_site

    out = tmp_path / "site"
    export_site(newsroom.store, ExportRequest(out))
    return out
