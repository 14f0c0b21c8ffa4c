"""One Newsdesk window per user and store: a second launch hands its request to the first.

Two windows on one store would fight over story locks and autosaves, so the
first launch claims a lock file and listens on a local socket (a Unix socket,
or a named pipe on Windows) whose name comes from the user and a hash of the
store URL. A later launch on the same store finds the lock taken, sends its
request (`["--story", "budget-cuts"]` or `[]`) over the socket, waits for the
acknowledgement and exits; the first instance emits `request_received` and the
window raises itself (`bring_forward`) and opens the story asked for.

A crashed instance leaves its lock file (and, on Unix, its socket) behind.
QLockFile knows the holder's process id and treats the lock as stale once that
process is gone; the new instance takes it over, removes any leftover socket,
logs why and keeps the message in `recovered_message`, for the window to show
in its status bar.

Wiring, after the QApplication exists and before the window is built:

    instance = SingleInstance(config.database_url(database))
    if not instance.claim():
        instance.send(launch_request(story))   # raises InstanceError when the first one hangs
        return 0
    ...
    instance.serve(window, window.open_story)  # raise the window, open the story asked for
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import re
from collections.abc import Callable

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QDir,
    QFileInfo,
    QLockFile,
    QObject,
    Signal,
)
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from newsdesk.core.errors import NewsdeskError

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 3000
ANSWER_TIMEOUT_MS = 3000
ACK = b"ok\n"
MAX_REQUEST_BYTES = 64 * 1024


class InstanceError(NewsdeskError):
    """This launch can neither claim the store nor reach the Newsdesk that holds it."""


def server_name(store_url: str, user: str | None = None) -> str:
    """The socket name for this user and store: safe characters only, short enough for a Unix socket path."""
    who = re.sub(r"[^A-Za-z0-9_.-]", "_", user or getpass.getuser())[:32]
    digest = hashlib.sha256(store_url.encode("utf-8")).hexdigest()[:16]
    return f"newsdesk-{who}-{digest}"


def launch_request(story: str | None) -> list[str]:
    """What a second launch hands over: its `--story`, if it was given one."""
    return ["--story", story] if story else []


def story_from_request(request: list[str]) -> str | None:
    """The story a handed-over request asks for (`--story X` or `--story=X`), or None."""
    for index, part in enumerate(request):
        if part == "--story" and index + 1 < len(request):
            return request[index + 1]
        if part.startswith("--story="):
            return part.removeprefix("--story=")
    return None


def bring_forward(window: QWidget) -> None:
    """Show the window un-minimised, on top and focused (as far as the window manager allows)."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


class SingleInstance(QObject):
    """The claim on one store for this user; keep it alive as long as the window is open."""

    request_received = Signal(list)

    def __init__(self, store_url: str, user: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(store_url, user)
        self.lock = QLockFile(QDir(QDir.tempPath()).filePath(f"{self.name}.lock"))
        self.lock.setStaleLockTime(0)
        self.server: QLocalServer | None = None
        self.recovered_message: str | None = None
        self._pending: dict[QLocalSocket, QByteArray] = {}

    def claim(self) -> bool:
        """Become the instance for this store; False when a live one already is."""
        leftover = QFileInfo.exists(self.lock.fileName())
        if not self.lock.tryLock(0):
            if self.lock.error() == QLockFile.LockError.LockFailedError:
                return False
            raise InstanceError(f"Newsdesk cannot create its lock file in {QDir.tempPath()}; check that folder's permissions.")
        if leftover:
            self.recovered_message = (
                "Newsdesk did not close properly last time on this store (it may have crashed); "
                "its leftover lock was cleared. Check the stories you had open."
            )
            log.warning("%s (lock %s)", self.recovered_message, self.lock.fileName())
            QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name) and server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
            QLocalServer.removeServer(self.name)
            server.listen(self.name)
        if not server.isListening():
            self.lock.unlock()
            raise InstanceError(f"Newsdesk cannot listen for other launches: {server.errorString()}")
        server.newConnection.connect(self._accept)
        self.server = server
        application = QCoreApplication.instance()
        if application is not None:
            application.aboutToQuit.connect(self.release)
        log.info("single instance claimed as %s", self.name)
        return True

    def send(self, request: list[str], timeout_ms: int = CONNECT_TIMEOUT_MS) -> None:
        """Hand `request` to the running instance and wait for its acknowledgement."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(timeout_ms):
            raise InstanceError(
                "Newsdesk is already open on this store but is not answering; "
                "wait a moment, or close it (or end the process) and start again."
            )
        socket.write(json.dumps({"argv": request}).encode("utf-8") + b"\n")
        socket.waitForBytesWritten(timeout_ms)
        answer = b""
        while not answer.endswith(b"\n") and socket.waitForReadyRead(ANSWER_TIMEOUT_MS):
            answer += bytes(socket.readAll().data())
        socket.disconnectFromServer()
        if answer != ACK:
            raise InstanceError("Newsdesk is already open on this store but did not take the request.")
        log.info("request %s handed to the running instance", request)

    def serve(self, window: QWidget, open_story: Callable[[str], object]) -> None:
        """On each request from a later launch: bring `window` forward and open the story it names, if any."""

        def handle(request: list[str]) -> None:
            bring_forward(window)
            story = story_from_request(request)
            if story:
                open_story(story)

        self.request_received.connect(handle)

    def release(self) -> None:
        """Give up the claim (done on the application's aboutToQuit): drop connections, close the socket, unlock."""
        for socket in list(self._pending):
            self._drop(socket)
        if self.server is not None:
            self.server.newConnection.disconnect(self._accept)
            self.server.close()
            self.server.deleteLater()
            self.server = None
        if self.lock.isLocked():
            self.lock.unlock()

    def _accept(self) -> None:
        while self.server is not None and self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._pending[socket] = QByteArray()
            socket.readyRead.connect(self._read_ready)
            socket.disconnected.connect(self._disconnected)

    def _read_ready(self) -> None:
        socket = self.sender()
        if not isinstance(socket, QLocalSocket):
            return
        buffer = self._pending.get(socket)
        if buffer is None:
            return
        buffer.append(socket.readAll())
        if buffer.size() > MAX_REQUEST_BYTES:
            log.warning("dropped an oversized request from another launch")
            self._drop(socket)
            return
        if not buffer.contains(b"\n"):
            return
        argv = self._parse(bytes(buffer.data()).split(b"\n", 1)[0])
        if argv is None:
            self._drop(socket)
            return
        socket.write(ACK)
        socket.flush()
        log.info("another launch asked for %s", argv)
        self.request_received.emit(argv)

    @staticmethod
    def _parse(line: bytes) -> list[str] | None:
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            log.warning("ignored a malformed request from another launch")
            return None
        argv = message.get("argv") if isinstance(message, dict) else None
        if not isinstance(argv, list) or not all(isinstance(part, str) for part in argv):
            log.warning("ignored a request without an argument list from another launch")
            return None
        return argv

    def _disconnected(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._drop(socket)

    def _drop(self, socket: QLocalSocket) -> None:
        if self._pending.pop(socket, None) is None:
            return
        socket.readyRead.disconnect(self._read_ready)
        socket.disconnected.disconnect(self._disconnected)
        socket.abort()
        socket.deleteLater()
