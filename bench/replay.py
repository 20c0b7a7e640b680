"""The limit's server: recorded sync pages served from memory over the service's own mutual TLS.

    python -m bench.replay DATA_DIR   < pages (each: 8-byte big-endian length, then the bytes)

Runs as its own process (as the service does), with the service's TLS context, certificate and
uvicorn protocol, so the only difference from the real sync is that nothing is computed: page i
is the answer to `GET .../replay/i`. Prints its URL when it listens; stops on SIGTERM.
The pages come over a pipe, never through a file (they hold citizen data, fictitious or not).
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from server_stub.config import DataDir
from server_stub.tls import bind_socket, server_ssl_context, uvicorn_server


def read_pages(stream) -> list[bytes]:
    pages = []
    while True:
        header = stream.read(8)
        if not header:
            return pages
        (size,) = struct.unpack(">Q", header)
        pages.append(stream.read(size))


def make_app(pages: list[bytes]):
    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        index = int(scope["path"].rsplit("/", 1)[-1])
        body = pages[index]
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return app


def main() -> None:
    layout = DataDir(Path(sys.argv[1]))
    pages = read_pages(sys.stdin.buffer)
    sock = bind_socket("127.0.0.1", 0)
    context = server_ssl_context(layout.server_cert, layout.server_key, layout.ca_cert)
    server = uvicorn_server(make_app(pages), context, host="127.0.0.1", port=sock.getsockname()[1])
    print(f"https://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    server.run(sockets=[sock])


if __name__ == "__main__":
    main()
