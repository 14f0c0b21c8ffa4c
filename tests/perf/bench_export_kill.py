"""The kill test's long form: 20 exports of a few hundred stories SIGKILLed at random points and at the switch.

Each must leave exactly the old site or the new one, nothing behind after the
next run, and no worker process. Prints where the kills landed and the time.
Run: pytest tests/perf/bench_export_kill.py -s
"""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

_spec = importlib.util.spec_from_file_location("export_kill", Path(__file__).parents[1] / "core" / "export" / "test_export_kill.py")
assert _spec is not None and _spec.loader is not None
kill = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kill)
big_store = kill.big_store

KILLS = 20


def test_twenty_kills(big_store, tmp_path: Path) -> None:
    store, url = big_store
    figures = kill.run_kills(store, url, tmp_path / "site", KILLS, random.SystemRandom().randrange(1_000_000))
    assert figures["old"] > 0 and figures["at the switch"] > 0
