"""Time from launching Newsdesk to its window on screen, and to a filled budget, for any way of running it.

The app reports those moments itself when NEWSDESK_STARTUP_REPORT is set
(`newsdesk-startup exposed|ready <epoch seconds>` on stderr, see
newsdesk/ui/shell/app.py); this script launches the given command that many times,
each in a fresh NEWSDESK_HOME whose store is created and seeded beforehand (so
first-run seeding is not counted), and prints the median and the spread of each, with the CPU time used up to the
ready moment (steadier than wall time on a shared machine). Used
to compare the frozen build with a run from source:

    python packaging/measure_startup.py --runs 5 -- build/frozen/dist/newsdesk/newsdesk
    python packaging/measure_startup.py --runs 5 -- python -m newsdesk

Runs on whatever display is set (DISPLAY for Xvfb, or QT_QPA_PLATFORM=offscreen).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TIMEOUT_S = 60.0


def launch_once(command: list[str], home: Path) -> dict[str, float]:
    """Seconds from launch to each reported stage; the process is ended once it is ready."""
    env = dict(os.environ, NEWSDESK_HOME=str(home), NEWSDESK_STARTUP_REPORT="1")
    env.pop("NEWSDESK_DATABASE_URL", None)
    started = time.time()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stages: dict[str, float] = {}
    other: list[str] = []
    try:
        assert process.stderr is not None
        for line in process.stderr:
            words = line.split()
            if len(words) == 3 and words[0] == "newsdesk-startup":
                stages[words[1]] = float(words[2]) - started
                if words[1] == "ready":
                    cpu = cpu_seconds(process.pid)
                    if cpu is not None:
                        stages["cpu"] = cpu
                    break
            else:
                other.append(line)
            if time.time() - started > TIMEOUT_S:
                break
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if "ready" not in stages:
        said = "".join(other[-20:])
        raise SystemExit(f"measure_startup: {' '.join(command)} never reported a ready window (got {stages})\n{said}")
    return stages


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time the process has used so far (Linux), steadier than wall time on a busy machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def seed_store(command: list[str], home: Path) -> None:
    """Create and seed the store with the same program, through the command line."""
    env = dict(os.environ, NEWSDESK_HOME=str(home))
    env.pop("NEWSDESK_DATABASE_URL", None)
    subprocess.run([*command, "stories"], env=env, check=True, stdout=subprocess.DEVNULL, timeout=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Median time to a visible Newsdesk window.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("command", nargs="+", help="how to start Newsdesk, after --")
    args = parser.parse_args(argv)
    samples: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-startup-") as scratch:
        home = Path(scratch) / "home"
        seed_store(args.command, home)
        launch_once(args.command, home)
        samples.extend(launch_once(args.command, home) for _ in range(args.runs))
    for stage in ("exposed", "ready", "cpu"):
        values = [sample[stage] for sample in samples if stage in sample]
        if values:
            print(f"{stage:8s} median {statistics.median(values):.3f} s  "
                  f"min {min(values):.3f}  max {max(values):.3f}  ({len(values)} runs, 1 warm-up)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
