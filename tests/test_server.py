"""The gunicorn launcher: each response leaves a worker in one write, so a crash never halves it."""

from __future__ import annotations

import tempfile
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.http import wsgi

from search.server import WholeResponse, send_whole_responses


class RecordingSocket:
    """Records each write a response makes, as the kernel would see them."""

    def __init__(self):
        self.writes: list[bytes] = []

    def sendall(self, data) -> None:
        self.writes.append(bytes(data))

    def sendfile(self, file, offset=0, count=None):
        file.seek(offset)
        self.writes.append(file.read(count))

    def fileno(self) -> int:
        return -1


def respond(status: str, headers: list[tuple[str, str]], body: list[bytes], method: str = "GET"):
    sock = RecordingSocket()
    request = SimpleNamespace(version=(1, 1), method=method, should_close=lambda: False, headers=[])
    response = WholeResponse(request, sock, Config())
    response.start_response(status, headers)
    for chunk in body:
        response.write(chunk)
    response.close()
    return sock.writes


def test_headers_and_body_go_out_in_one_write():
    writes = respond(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", "11")], [b'{"ok": true}'[:11]]
    )
    assert len(writes) == 1
    assert writes[0].startswith(b"HTTP/1.1 200 OK\r\n") and writes[0].endswith(b'\r\n\r\n{"ok": true')


@pytest.mark.parametrize(
    "status, method", [("304 Not Modified", "GET"), ("200 OK", "HEAD"), ("204 No Content", "GET")]
)
def test_a_response_without_a_body_still_sends_its_headers_once(status, method):
    writes = respond(status, [("ETag", 'W/"x"')], [], method=method)
    assert len(writes) == 1 and writes[0].startswith(f"HTTP/1.1 {status}".encode())


def test_a_chunked_response_starts_with_its_headers_and_ends_properly():
    writes = respond("200 OK", [("Content-Type", "text/plain")], [b"abc", b"de"])
    wire = b"".join(writes)
    assert wire.startswith(b"HTTP/1.1 200 OK\r\n") and b"Transfer-Encoding: chunked" in wire
    assert wire.endswith(b"\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
    assert writes[0].endswith(b"3\r\nabc\r\n")  # the headers went with the first chunk


def test_a_file_sent_by_sendfile_comes_after_its_headers():
    sock = RecordingSocket()
    request = SimpleNamespace(version=(1, 1), method="GET", should_close=lambda: False, headers=[])
    response = WholeResponse(request, sock, Config())
    response.start_response("200 OK", [("Content-Length", "5")])
    with tempfile.TemporaryFile() as handle:
        handle.write(b"hello")
        handle.seek(0)
        response.write_file(SimpleNamespace(filelike=handle, __iter__=lambda: iter([])))
    response.close()
    wire = b"".join(sock.writes)
    assert wire.startswith(b"HTTP/1.1 200 OK\r\n") and wire.endswith(b"\r\n\r\nhello")


def test_serve_installs_it_for_gunicorn_workers(monkeypatch):
    monkeypatch.setattr(wsgi, "Response", wsgi.Response)
    send_whole_responses()
    assert wsgi.Response is WholeResponse
