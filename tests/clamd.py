"""A stand-in for clamd on 127.0.0.1: a real TCP server speaking its protocol.

Commands come ``z``-prefixed and NUL-terminated or ``n``-prefixed and newline-terminated
(answers end the same way): PING → PONG, VERSION, INSTREAM (chunks of a 4-byte big-endian
length and the bytes, a zero length ends) → ``stream: OK``, ``stream: Eicar-Test-Signature
FOUND`` when the EICAR test string is in the bytes, or ``INSTREAM size limit exceeded.
ERROR`` past ``max_stream``. ``mode`` makes it misbehave: ``slow`` (answers after
``delay`` seconds), ``hang_up`` (closes without answering), ``error`` (a scan error).
"""

import socket
import socketserver
import struct
import threading

import pytest

#: The EICAR anti-virus test string (harmless; every scanner reports it).
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        server: ClamdServer = self.server  # type: ignore[assignment]
        reader = self.request.makefile("rb")
        prefix = reader.read(1)
        end = {b"z": b"\0", b"n": b"\n"}.get(prefix)
        if end is None:
            return
        command = _read_until(reader, end)
        server.commands.append(prefix + command)
        if command == b"PING":
            self.request.sendall(b"PONG" + end)
        elif command == b"VERSION":
            self.request.sendall(b"ClamAV 1.0.7/27000/Mon Dec  7 08:00:00 2026" + end)
        elif command == b"INSTREAM":
            verdict = self._instream(reader, server)  # the whole stream is read first
            if server.mode != "hang_up":
                self.request.sendall(verdict + end)

    def _instream(self, reader, server) -> bytes:
        data, too_long = b"", False
        while True:
            (size,) = struct.unpack("!L", reader.read(4))
            if size == 0:
                break
            data += reader.read(size)
            too_long = too_long or len(data) > server.max_stream
        server.scanned.append(len(data))
        if server.mode == "slow":
            server.release.wait(server.delay)
        if server.mode == "error":
            return b"stream: Can't allocate memory ERROR"
        if too_long:
            return b"INSTREAM size limit exceeded. ERROR"
        if EICAR in data:
            return b"stream: Eicar-Test-Signature FOUND"
        return b"stream: OK"


def _read_until(reader, end: bytes) -> bytes:
    out = b""
    while (byte := reader.read(1)) not in (end, b""):
        out += byte
    return out


class ClamdServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.mode, self.delay, self.max_stream = "ok", 5.0, 25 * 1024 * 1024
        self.commands: list[bytes] = []
        self.scanned: list[int] = []
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def clamd():
    """A clamd stand-in serving in a thread for one test."""
    server = ClamdServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()  # a slow answer still pending ends now
    server.shutdown()
    server.server_close()
    thread.join(5)


def free_port() -> int:
    """A port nothing listens on (clamd down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
