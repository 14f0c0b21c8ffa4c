"""Hostile values into every argument of every command, and the store failing under the commands: one line, a documented code.

The harness walks the real parser (`newsdesk.cli.main.build_parser`), so a new
command or option is fuzzed without being listed here. Each argument of each
command is given one value of each hostile class (drawn by hypothesis, with a
fixed budget and a fixed seed), the rest of the command line being valid. A
run must end without a traceback, with an exit code from README's table, with
one line on standard error when it fails (argparse's usage block, then its one
error line, counts as that), and, when it fails, with the store exactly as it
was (a dump before and after). SQLite gets every class; PostgreSQL
(NEWSDESK_TEST_POSTGRES_URL) the classes whose handling is the engine's.

Then the store itself fails under the commands: held by another program
(`BEGIN EXCLUSIVE`), read-only (a file system remounted read-only when run as
root, else permissions), and full (a 2 MB tmpfs, root only).
NEWSDESK_FUZZ_EXAMPLES raises the budget (default 1 example per command).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import signal
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from hypothesis import strategies as st

CASE_SECONDS = 30
"""A run that takes longer hangs (a pipe read forever, a lock waited on): it is a finding, not a slow test."""
ONE_MB = "x" * 1_000_000


@dataclass(frozen=True)
class Argument:
    """One argument of one command: a positional (`option` None) or an option that takes a value."""

    command: tuple[str, ...]
    dest: str
    option: str | None
    nargs: object
    choices: tuple[str, ...] | None

    @property
    def name(self) -> str:
        return f"{' '.join(self.command)} {self.option or self.dest}"


def leaf_parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every command that runs something (`story set`, `db check`), with its parser, walked from the real tree."""
    subcommands = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    if not subcommands:
        yield path, parser
        return
    for name, sub in subcommands[0].choices.items():
        yield from leaf_parsers(sub, (*path, name))


def arguments_of(path: tuple[str, ...], parser: argparse.ArgumentParser) -> list[Argument]:
    """The arguments that take a value (flags such as --json take none and are left out)."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._VersionAction) or (action.option_strings and action.nargs == 0):
            continue
        option = next((string for string in action.option_strings if string.startswith("--")), None) if action.option_strings else None
        choices = tuple(action.choices) if action.choices is not None else None
        found.append(Argument(path, action.dest, option, action.nargs, choices))
    return found


def command_tree() -> dict[tuple[str, ...], list[Argument]]:
    """Every command and its arguments; `links`, which parses its own words, contributes its inner forms as `links add` and so on."""
    from newsdesk.cli import links
    from newsdesk.cli.main import build_parser

    tree: dict[tuple[str, ...], list[Argument]] = {}
    for path, parser in leaf_parsers(build_parser()):
        arguments = arguments_of(path, parser)
        if any(argument.nargs == argparse.REMAINDER for argument in arguments) and path == ("links",):
            listing, actions = links._parsers()
            tree[path] = arguments_of(path, listing)
            for inner_path, inner in leaf_parsers(actions, path):
                tree[inner_path] = arguments_of(inner_path, inner)
            continue
        tree[path] = arguments
    return tree


# The hostile value classes. A strategy per class; paths come from the test's own folder (`Places`).
NUMBERS = st.one_of(
    st.sampled_from(["99999999999999999999", "2147483648", "-1", "-2147483649", "²", "١٢", "1_0", "1e3", "0x1f", " 7 ", "0"]),
    st.integers(min_value=2**31).map(str),
    st.integers(max_value=-1).map(str),
)
BAD_UTF8 = st.binary(min_size=1, max_size=6).filter(lambda raw: not _is_utf8(raw)).map(lambda raw: os.fsdecode(b"caf" + raw))
CONTROL = st.sampled_from(["a\x00b", "\x1b]0;owned\x07", "\x1b[2J\x1b[31m", "line\nbreak", "\r", "\x7f", "tab\there", "\u2028", "\x9b"])
HUGE = st.sampled_from([ONE_MB, "é" * 500_000, "1" * 1_000_000])
DATES = st.sampled_from(["9999-12-31T23:59:59-14:00", "0001-01-01T00:00+14:00", "10000-01-01", "2024-02-30", "0000-00-00", "-0001-01-01"])
URLS = st.sampled_from([
    "://", "http://", "postgresql://h:abc/db", "sqlite:///x.sqlite?mode=rw", "javascript:alert(1)", "http://[::1",
    "file:///nonexistent/store", "postgresql://nobody@127.0.0.1:1/none", "sqlite://", "mysql://u@h/d",
])
DEVICES = st.sampled_from(["/dev/zero", "/dev/full", "/dev/null"])
FILE_CLASSES = ("missing", "folder", "fifo", "symlink-loop", "not-utf8", "device")
VALUE_CLASSES = ("numbers", "bad-utf8", "control", "1MB", "dates")
CLASSES = (*VALUE_CLASSES, "traversal", "urls", *FILE_CLASSES)
"""Every class; `VALUE_CLASSES` are the ones whose handling depends on the engine (PostgreSQL runs those)."""


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@dataclass
class Places:
    """The files and folders the file classes name, made in the test's folder."""

    root: Path
    writers: list[threading.Thread] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.root.mkdir()
        self.missing = self.root / "no" / "such" / "file.md"
        self.folder = self.root / "a-folder"
        self.folder.mkdir()
        self.loop = self.root / "loop"
        self.loop.symlink_to(self.root / "loop")
        self.not_utf8 = self.root / "latin1.md"
        self.not_utf8.write_bytes("# Caf\xe9 cr\xe8me\n\n\xff\xfe body".encode("latin-1"))
        self.fifo = self.root / "pipe.md"
        os.mkfifo(self.fifo)
        self.good = self.root / "good.md"
        self.good.write_text("# Good file\n\nA story to import or check.\n", encoding="utf-8")
        # Traversal stays inside the test's folder: the runs start three folders down (`working_folder`), and the
        # absolute name is a decoy. The harness runs as root on CI; /etc/passwd is no target for `db backup`.
        self.decoy = self.root / "etc" / "passwd"
        self.decoy.parent.mkdir()
        self.decoy.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
        self.working_folder = self.root / "work" / "a" / "b" / "c"
        self.working_folder.mkdir(parents=True)

    def strategy(self, kind: str) -> st.SearchStrategy[str]:
        strategies: dict[str, st.SearchStrategy[str]] = {
            "numbers": NUMBERS, "bad-utf8": BAD_UTF8, "control": CONTROL, "1MB": HUGE, "dates": DATES,
            "traversal": st.sampled_from(["../../../escaped.md", str(self.decoy), "..", "foo/../../bar", f"{self.folder}/../../.."]),
            "urls": URLS, "device": DEVICES,
            "missing": st.just(str(self.missing)), "folder": st.just(str(self.folder)), "fifo": st.just(str(self.fifo)),
            "symlink-loop": st.just(str(self.loop)), "not-utf8": st.just(str(self.not_utf8)),
        }
        return strategies[kind]

    def feed_fifo(self) -> None:
        """A writer for the pipe: it gives bytes that are not UTF-8 to whoever opens it, then closes."""

        def write() -> None:
            with contextlib.suppress(BrokenPipeError), self.fifo.open("wb") as pipe:
                pipe.write(b"\xff\xfe# caf\xe9\n")

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        self.writers.append(writer)

    def release_fifo(self) -> None:
        """Open the pipe for a moment ourselves, so a writer nobody read from is let go."""
        for writer in self.writers:
            while writer.is_alive():
                with contextlib.suppress(OSError):
                    descriptor = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
                    os.close(descriptor)
                writer.join(timeout=0.05)
        self.writers.clear()


@dataclass(frozen=True)
class Outcome:
    argv: tuple[str, ...]
    code: int
    out: str
    err: str


class Hung(Exception):
    """A run went past CASE_SECONDS."""


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise Hung(f"no answer in {CASE_SECONDS} s")


def run(argv: list[str], *, stdin: bytes = b"", env: Mapping[str, str] | None = None) -> Outcome:
    """`newsdesk ARGV` in this process; stdin and environment as given; SystemExit (argparse) is its code."""
    import sys

    from newsdesk.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    saved_env = {name: os.environ.get(name) for name in env or {}}
    saved_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    os.environ.update(env or {})
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CASE_SECONDS)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(argv))
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 2
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        sys.stdin = saved_stdin
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return Outcome(tuple(argv), code, out.getvalue(), err.getvalue())


_USAGE_ERROR = re.compile(r"^newsdesk[\w .|-]*: error: .+$")


def problems(outcome: Outcome, documented: set[int]) -> list[str]:
    """What breaks the rules in one run: an undocumented code, a traceback, more than one line of error."""
    found = []
    if outcome.code not in documented:
        found.append(f"exit code {outcome.code} is not in README's table")
    if "Traceback" in outcome.err:
        found.append("a traceback")
    lines = outcome.err.splitlines()
    if lines and lines[0].startswith("usage:"):
        if outcome.code != 2 or not _USAGE_ERROR.match(lines[-1]):
            found.append(f"a usage error that does not end in one error line: {lines[-1][:200]!r}")
        return found
    said = [line for line in lines if not line.startswith("newsdesk: warning: ")]
    if outcome.code not in (0, 1) and len(said) != 1:
        found.append(f"{len(said)} lines of error instead of one: {outcome.err[:300]!r}")
    if any(not line.startswith("newsdesk: ") for line in said):
        found.append(f"stderr that is not a `newsdesk: ` sentence: {outcome.err[:300]!r}")
    if any(len(line) > 2100 for line in lines):
        found.append(f"an error line of {max(map(len, lines)):,} characters")
    return found


def sqlite_dump(path: Path) -> str:
    """Everything a SQLite store holds, as SQL text (read on a connection of its own, which writes nothing)."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            return "\n".join(connection.iterdump())
    except sqlite3.OperationalError:  # on a read-only disk, a WAL store closed cleanly is read as an unchanging file
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)) as connection:
            return "\n".join(connection.iterdump())


def postgres_dumper(url: str) -> tuple[Callable[[], str], Callable[[], None]]:
    """A dump of every row of every Newsdesk table of a PostgreSQL store, in a stable order; and how to let its engine go."""
    from sqlalchemy import create_engine, select
    from sqlmodel import SQLModel

    import newsdesk.core.store.models  # noqa: F401  (the tables)

    engine = create_engine(url, pool_size=1)

    def dump() -> str:
        with engine.connect() as connection:
            return "\n".join(
                f"{table.name}: {sorted(map(repr, connection.execute(select(table)).all()))}" for table in SQLModel.metadata.sorted_tables
            )

    return dump, engine.dispose


def documented_codes(readme: Path) -> set[int]:
    """The exit codes README's table lists (its rows: | `N` | meaning |)."""
    section = readme.read_text(encoding="utf-8").split("### Exit codes", 1)[1].split("\n#", 1)[0]
    return {int(number) for number in re.findall(r"^\| `(\d+)` \|", section, flags=re.MULTILINE)}


Dump = Callable[[], str]


# ---------------------------------------------------------------------------------------------------------------------
# The tests

import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402

README = Path(__file__).resolve().parents[2] / "README.md"
PASSWORD = "fuzz-pass-1"
EXAMPLES = int(os.environ.get("NEWSDESK_FUZZ_EXAMPLES", "1"))
GLOBAL_COMMANDS = (("stories",), ("story", "set"), ("db", "check"))
"""The commands the global options (--database, --user) are fuzzed on: a read, a write, the check."""
FIELDS = ("headline", "embargo", "dateline.date", "sections", "keywords", "slug", "language", "body", "summary", "tagline")
"""`story set FIELD=VALUE`: the hostile value goes after one of these."""


def _valid(argument: Argument, places: Places, store: str) -> list[str]:
    """A value that is fine for `argument`, so that only the fuzzed one is hostile."""
    command, dest = argument.command, argument.dest
    if argument.choices:
        return [argument.choices[-1] if dest == "role" else argument.choices[0]]
    by_dest: dict[str, str] = {
        "ref": "3" if command[-1] in ("unlock", "lock", "break-lock") else "2",
        "assignments": "byline=Fuzz Desk", "text": "Looks good.", "number": "1", "source": "1", "target": "1",
        "headline": "Fuzzed headline", "word": "fuzzword", "file": str(places.good), "files": str(places.good),
        "path": str(places.root / "backup.sqlite"), "name": "reporter1" if command[0] == "users" else "Fuzz Section",
        "at": "1", "url": "https://example.com/fuzz", "story": "1",
    }
    if command == ("db", "copy"):
        return [store] if dest == "source" else [f"sqlite:///{places.root / 'copy.sqlite'}"]
    if command == ("users", "add") and dest == "name":
        return ["newcomer"]
    return [by_dest.get(dest, "fuzz")]


def _argv(
    command: tuple[str, ...], arguments: list[Argument], target: Argument | None, value: str, places: Places, store: str
) -> list[str]:
    """The command line with every positional and required option valid, and `target` given `value`."""
    words = list(command)
    required = {"headline", "role"} if command in (("story", "new"), ("users", "add")) else set()
    for argument in arguments:
        if argument is target:
            given_value = [value]
        elif (argument.option is None and argument.nargs not in ("?", "*")) or (argument.option and argument.dest in required):
            given_value = _valid(argument, places, store)
        else:
            continue
        if argument.option:
            words += [f"{argument.option}={given_value[0]}"]
        else:
            words += given_value
    if command[0] == "links" and len(command) == 2:
        words = ["links", *words[1:]]  # `links add REF …`: the inner parser's words follow `links`
    return words


def _fuzz_value(argument: Argument, value: str, data: st.DataObject) -> str:
    if argument.dest == "assignments":
        return f"{data.draw(st.sampled_from(FIELDS), label='field')}={value}"
    return value


def _template(root: Path, url: str | None) -> str:
    """A store with the demo story (1), a draft with a link and a comment (2), a reporter's draft the reporter holds locked (3)."""
    store = url or f"sqlite:///{root / 'template.sqlite'}"
    env = {"NEWSDESK_NEW_PASSWORD": PASSWORD, "NEWSDESK_PASSWORD": PASSWORD}
    steps = [
        ["users", "passwd", "editor"] if url else ["stories"],
        ["users", "add", "reporter1", "--role", "reporter"],
        ["story", "new", "--headline", "Fuzz draft", "--section", "Europe"],
        ["links", "add", "2", "--url", "https://example.com/first"],
        ["story", "comment", "2", "First look."],
        ["--user", "reporter1", "story", "new", "--headline", "Reporter's draft"],
        ["--user", "reporter1", "story", "lock", "3"],
    ]
    for step in steps:
        outcome = run(["--database", store, *step], env=env)
        assert outcome.code == 0, (step, outcome.err)
    return store


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("fuzz-template")
    with _environment(root):
        _template(root, None)
    yield root / "template.sqlite"


@contextlib.contextmanager
def _environment(root: Path) -> Iterator[None]:
    """A NEWSDESK_HOME of its own and the same user for every run (module-wide: the monkeypatch fixture is per test)."""
    saved = {name: os.environ.get(name) for name in ("NEWSDESK_HOME", "NEWSDESK_DATABASE_URL", "USER", "LOGNAME", "NEWSDESK_PASSWORD")}
    os.environ.update({"NEWSDESK_HOME": str(root / "home"), "USER": "editor", "LOGNAME": "editor", "NEWSDESK_PASSWORD": PASSWORD})
    os.environ.pop("NEWSDESK_DATABASE_URL", None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass
class Target:
    """The store a fuzzed command runs on, and how to dump it."""

    url: str
    dump: Dump
    engine: str


@pytest.fixture(scope="module")
def postgres_template(postgres_databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same content on PostgreSQL, made once; each test gets a clone (CREATE DATABASE … TEMPLATE)."""
    root = tmp_path_factory.mktemp("fuzz-postgres")
    url = postgres_databases.fresh()
    with _environment(root):
        _template(root, url)
    yield url
    postgres_databases.drop(url)


def _clone(databases, template: str) -> str:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    name = f"newsdesk_fuzz_{uuid.uuid4().hex[:12]}"
    with databases.admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(template).database}"'))
    return make_url(template).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[Target]:
    with _environment(tmp_path):
        if request.param == "sqlite":
            path = tmp_path / "store.sqlite"
            shutil.copyfile(sqlite_template, path)
            yield Target(f"sqlite:///{path}", lambda: sqlite_dump(path), "sqlite")
            return
        databases = request.getfixturevalue("postgres_databases")
        url = _clone(databases, request.getfixturevalue("postgres_template"))
        dump, dispose = postgres_dumper(url)
        try:
            yield Target(url, dump, "postgresql")
        finally:
            dispose()
            databases.drop(url)


TREE = command_tree()
PAIRS = {command: [(argument, kind) for argument in arguments for kind in CLASSES] for command, arguments in TREE.items()}


def _check_case(argv: list[str], target: Target, places: Places, findings: list[str], documented: set[int],
                *, stdin: bytes = b"", env: Mapping[str, str] | None = None) -> Outcome:
    before = target.dump()
    fifo = str(places.fifo) in " ".join(argv) or (env and str(places.fifo) in env.values())
    if fifo:
        places.feed_fifo()
    try:
        outcome = run(argv, stdin=stdin, env=env)
    except Hung as error:
        findings.append(f"{_shown(argv)}: {error}")
        return Outcome(tuple(argv), -1, "", "")
    except Exception as error:  # noqa: BLE001  (what escapes main is the finding)
        findings.append(f"{_shown(argv)}: {type(error).__name__} escaped main: {error}"[:600])
        return Outcome(tuple(argv), -1, "", "")
    finally:
        if fifo:
            places.release_fifo()
    found = problems(outcome, documented)
    if outcome.code != 0 and target.dump() != before:
        found.append("the store changed although the command failed")
    findings.extend(f"{_shown(argv)} → {outcome.code}: {problem}"[:600] for problem in found)
    return outcome


def _shown(argv: list[str] | tuple[str, ...]) -> str:
    return " ".join(word if len(word) < 60 else f"{word[:20]!r}…({len(word)} chars)" for word in argv).encode("unicode_escape").decode()


@pytest.mark.parametrize("command", list(TREE), ids=" ".join)
def test_hostile_values_in_every_argument(
    command: tuple[str, ...], target: Target, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    places = Places(tmp_path / "places")
    monkeypatch.chdir(places.working_folder)  # relative values (a store, a backup, a site named by them) land in the test's folder
    documented = documented_codes(README)
    classes = CLASSES if target.engine == "sqlite" else VALUE_CLASSES
    arguments = TREE[command]
    globals_ = [Argument((), "database", "--database", None, None), Argument((), "user", "--user", None, None)]
    findings: list[str] = []

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.data())
    def fuzz(data: st.DataObject) -> None:
        for argument in arguments:
            for kind in classes:
                value = _fuzz_value(argument, data.draw(places.strategy(kind), label=f"{argument.name} {kind}"), data)
                argv = ["--database", target.url, *_argv(command, arguments, argument, value, places, target.url)]
                _check_case(argv, target, places, findings, documented)
        if command in GLOBAL_COMMANDS:
            for option in globals_:
                for kind in classes:
                    value = data.draw(places.strategy(kind), label=f"--{option.dest} {kind}")
                    rest = _argv(command, arguments, None, "", places, target.url)
                    database = value if option.dest == "database" else target.url
                    user = ["--user", value] if option.dest == "user" else []
                    _check_case(["--database", database, *user, *rest], target, places, findings, documented)

    fuzz()
    assert not findings, f"{len(findings)} runs broke the rules:\n" + "\n".join(findings)


# ---------------------------------------------------------------------------------------------------------------------
# The store failing under every command: held by another program, read-only, full

BUSY_WAIT_MS = 200
KIND_WORDS = {5: ("is busy", "locked"), 6: ("read-only", "readonly"), 7: ("no room left", "full"), 8: ("is damaged",), 9: ("Cannot reach",)}
"""What the one line says for each kind of store failure (the importer's own sentence quotes the engine's words)."""


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _mount_tmpfs(folder: Path, size: str) -> None:
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True, capture_output=True)


def _unmount(folder: Path) -> None:
    subprocess.run(["umount", str(folder)], check=True, capture_output=True)


@pytest.fixture
def store_file(tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Where the failing store's file goes (a test's NEWSDESK_HOME around it); a busy store answers in 0.2 s."""
    monkeypatch.setattr("newsdesk.core.store.engines.SQLITE_BUSY_TIMEOUT_MS", BUSY_WAIT_MS)
    with _environment(tmp_path):
        yield tmp_path / "store" / "store.sqlite"


@pytest.fixture
def locked_store(store_file: Path, sqlite_template: Path) -> Iterator[Path]:
    """A store another program holds: `BEGIN EXCLUSIVE` on a sqlite3 connection of its own, until the test ends."""
    store_file.parent.mkdir()
    shutil.copyfile(sqlite_template, store_file)
    other = sqlite3.connect(store_file, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    yield store_file
    other.execute("ROLLBACK")
    other.close()


@pytest.fixture
def read_only_store(store_file: Path, sqlite_template: Path) -> Iterator[Path]:
    """A store on a file system remounted read-only (as root: permissions do not stop root), else in a read-only folder."""
    if _as_root():
        _mount_tmpfs(store_file.parent, "8m")
        try:
            shutil.copyfile(sqlite_template, store_file)
            subprocess.run(["mount", "-o", "remount,ro", str(store_file.parent)], check=True, capture_output=True)
            yield store_file
        finally:
            _unmount(store_file.parent)
        return
    store_file.parent.mkdir()
    shutil.copyfile(sqlite_template, store_file)
    store_file.chmod(0o444)
    store_file.parent.chmod(0o555)
    yield store_file
    store_file.parent.chmod(0o755)


@pytest.fixture
def full_store(store_file: Path, sqlite_template: Path) -> Iterator[Path]:
    """A store on a 2 MB tmpfs filled to the last byte; a reader keeps its -wal and -shm in place (they cannot be made any more)."""
    if not _as_root():
        pytest.skip("a full file system needs a tmpfs mount, which needs root (CI runs the tests as root)")
    _mount_tmpfs(store_file.parent, "2m")
    try:
        shutil.copyfile(sqlite_template, store_file)
        with contextlib.closing(sqlite3.connect(store_file)) as reader:
            reader.execute("PRAGMA journal_mode = WAL")
            reader.execute("SELECT count(*) FROM story").fetchall()
            with contextlib.suppress(OSError), (store_file.parent / "filler").open("wb") as filler:
                while True:
                    filler.write(b"\0" * 4096)
                    filler.flush()
            yield store_file
    finally:
        _unmount(store_file.parent)


def _every_command_on(path: Path, places: Places) -> tuple[list[str], dict[tuple[str, ...], Outcome]]:
    """Each command, with valid arguments, on the store at `path`: the rules' breaches, and each outcome."""
    url = f"sqlite:///{path}"
    target = Target(url, lambda: sqlite_dump(path), "sqlite")
    documented = documented_codes(README)
    findings: list[str] = []
    outcomes = {}
    for command, arguments in TREE.items():
        argv = ["--database", url, *_argv(command, arguments, None, "", places, url)]
        outcome = _check_case(argv, target, places, findings, documented)
        outcomes[command] = outcome
        words = KIND_WORDS.get(outcome.code, ())
        if words and not any(word in outcome.err for word in words):
            findings.append(f"{_shown(argv)} → {outcome.code} without saying “{words[0]}”: {outcome.err[:300]!r}")
        if outcome.code == 8:
            findings.append(f"{_shown(argv)}: a store that is fine was called damaged")
    return findings, outcomes


def _seen_by_another_process(path: Path, *argv: str) -> str:
    env = {**os.environ, "NEWSDESK_HOME": os.environ["NEWSDESK_HOME"], "USER": "editor", "LOGNAME": "editor"}
    result = subprocess.run([sys.executable, "-m", "newsdesk", "--database", str(path), *argv],
                            capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_every_command_on_a_store_another_program_holds(locked_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    before = sqlite_dump(locked_store)
    findings, outcomes = _every_command_on(locked_store, Places(tmp_path / "places"))
    assert not findings, "\n".join(findings)
    assert outcomes[("story", "set")].code == 5 and outcomes[("story", "new")].code == 5
    assert outcomes[("stories",)].code == 0  # reading goes on beside a writer (WAL)
    assert outcomes[("db", "check")].code == 0 and "is sound" in outcomes[("db", "check")].out  # busy is not damaged
    assert sqlite_dump(locked_store) == before


def test_every_command_on_a_read_only_store(read_only_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    before = sqlite_dump(read_only_store)
    findings, outcomes = _every_command_on(read_only_store, Places(tmp_path / "places"))
    assert not findings, "\n".join(findings)
    assert outcomes[("story", "set")].code == 6 and outcomes[("story", "new")].code == 6
    assert outcomes[("stories",)].code == 0 and outcomes[("story", "show")].code == 0  # read-only still reads
    assert outcomes[("db", "check")].code == 0 and "is sound" in outcomes[("db", "check")].out
    assert sqlite_dump(read_only_store) == before
    assert "Fuzz Desk" not in _seen_by_another_process(read_only_store, "story", "show", "2")


def test_every_command_on_a_full_store(full_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    before = sqlite_dump(full_store)
    findings, outcomes = _every_command_on(full_store, Places(tmp_path / "places"))
    assert not findings, "\n".join(findings)
    assert outcomes[("story", "new")].code == 7
    assert outcomes[("stories",)].code == 0
    assert sqlite_dump(full_store) == before
    (full_store.parent / "filler").unlink()
    assert "Fuzzed headline" not in _seen_by_another_process(full_store, "stories")


def test_readme_lists_every_exit_code_the_command_line_has():
    """README's table, `main.EXIT_CODES` and every NewsdeskError's code are the same set (the harness accepts only these)."""
    from newsdesk.cli.main import EXIT_CODES
    from newsdesk.core import errors

    kinds = [value for value in vars(errors).values() if isinstance(value, type) and issubclass(value, errors.NewsdeskError)]
    assert documented_codes(README) == set(EXIT_CODES)
    assert {kind.exit_code for kind in kinds} <= set(EXIT_CODES)


# ---------------------------------------------------------------------------------------------------------------------
# Rows edited by hand under every command, on each engine

DAMAGE = (
    "UPDATE \"user\" SET role = 'boss', password_hash = 'scrypt$16384$8$1$aaaa$bbbbb' WHERE username = 'reporter1'",
    "UPDATE story SET status = 'bogus' WHERE id = 2",
)
"""reporter1 (user 2) gets an unknown role and a hash Newsdesk cannot read; story 2, which most commands are given, an unknown status."""
DAMAGE_SAID = (r"(story 2 “fuzz-draft” has an unknown status “bogus”|user 2 “reporter1” has an unknown role “boss”)"
               r": the store is damaged; run `newsdesk db check`")


def _damage(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            for statement in DAMAGE:
                connection.execute(text(statement))
    finally:
        engine.dispose()


def test_every_command_on_a_store_with_hand_damaged_rows(target: Target, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever reads a damaged row says the store is damaged and which row (exit 8); `db check` lists them (exit 1); nothing is written."""
    places = Places(tmp_path / "places")
    monkeypatch.chdir(places.working_folder)
    _damage(target.url)
    documented = documented_codes(README)
    findings: list[str] = []
    outcomes = {}
    for command, arguments in TREE.items():
        argv = ["--database", target.url, *_argv(command, arguments, None, "", places, target.url)]
        outcome = outcomes[command] = _check_case(argv, target, places, findings, documented)
        if outcome.code == 8 and not re.search(DAMAGE_SAID, outcome.err):
            findings.append(f"{_shown(argv)} → 8 without naming the damaged row: {outcome.err[:300]!r}")
    assert not findings, "\n".join(findings)
    damaged = {" ".join(command) for command, outcome in outcomes.items() if outcome.code == 8}
    assert {"stories", "story show", "story set", "story history", "story approve", "users list"} <= damaged, damaged
    check = outcomes[("db", "check")]
    assert check.code == 1, check
    assert "user 2 “reporter1” has an unknown role “boss”; an admin gives it one with `newsdesk users set-role reporter1 reporter`" \
        in check.out
    assert "user 2 “reporter1” has a password hash Newsdesk cannot read" in check.out
    assert "story 2 “fuzz-draft” has an unknown status “bogus”; restore the story from a backup" in check.out
    shown = run(["--database", target.url, "story", "show", "1"])
    assert shown.code == 0, shown.err  # a sound story still reads
