"""One load process against the service: its share of the load users, each its own device.

    python -m bench.load      (driven over stdin/stdout by bench.server_bench, one JSON object a line)

First line in: {"url", "ca_pem", "users": [{"username", "password", "code", "index"}], "total_users"}.
Each user enrolls a device of its own (key, CSR, certificate), logs in over it and does a first
sync (the snapshot, paged) to the head of its own feed: its own cursor. Then out: {"ready": n}.
Commands in, one result line out each (`start` is a `time.perf_counter()` moment: CLOCK_MONOTONIC,
the same clock in every process on the machine, so all load processes start together):
- {"do": "closed", "start", "warm_up", "seconds"}: every client sends its next no-op sync as soon
  as the last was answered; out the syncs completed in [start+warm_up, +seconds] and this
  process's CPU seconds in that window.
- {"do": "open", "start", "seconds", "rate"}: `rate` requests/s over all load processes on a
  fixed schedule (user g at start + g/rate + k * users/rate); latency from the scheduled moment
  to the answer (a late answer that delays the next send is counted, not hidden: no
  coordinated omission). Out: the latencies in ms.
- {"do": "longpoll", "start", "connections", "wait"}: each user opens `connections` more
  connections and long-polls on each (`wait` s, nothing changes, asked again when it ends) until
  {"do": "release"} (no answer of its own); out: how many connections got only empty pages
  (the service held them all) and how many failed.
- {"do": "quit"}.
A no-op sync is what the client sends: `GET /sync/changes?cursor=<own cursor>&limit=1000`. The
requests go over hand-written HTTP/1.1 on asyncio's TLS streams (one kept-alive mutual-TLS
connection per client): httpx costs ~10x the CPU per request, and the load processes share the
two cores with the service. Enrollment and login (not measured) use httpx.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

# httpcore asks `import sniffio` on every request; it is not installed, and a failed import
# searches sys.path each time. None in sys.modules fails at once (httpcore falls back to asyncio).
sys.modules.setdefault("sniffio", None)

import httpx  # noqa: E402
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

API = "/api/v1"
PAGE = 1000


def tls_context(ca_pem: str, cert: Path | None = None, key: Path | None = None) -> ssl.SSLContext:
    context = ssl.create_default_context(cadata=ca_pem)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    if cert is not None:
        context.load_cert_chain(str(cert), str(key))
    return context


class Connection:
    """One kept-alive mutual-TLS HTTP/1.1 connection; GET only, answers with Content-Length."""

    def __init__(self, host: str, port: int, context: ssl.SSLContext, token: str):
        self.host, self.port, self.context = host, port, context
        self.head = f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\n\r\n".encode()
        self.reader = self.writer = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port, ssl=self.context)

    async def get(self, target: str) -> tuple[int, bytes]:
        if self.writer is None or self.writer.is_closing() or self.reader.at_eof():
            await self.reopen()
        try:
            return await self._exchange(target)
        except (asyncio.IncompleteReadError, ConnectionError):
            # The service closes a kept-alive connection after 5 idle seconds (uvicorn's default),
            # e.g. while the other load processes enroll; a request sent as it closes is sent
            # again on a new connection, as an HTTP client does with an idempotent request.
            await self.reopen()
            return await self._exchange(target)

    async def reopen(self) -> None:
        self.close()
        await self.open()

    async def _exchange(self, target: str) -> tuple[int, bytes]:
        self.writer.write(f"GET {target} HTTP/1.1\r\n".encode() + self.head)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
            elif name.strip().lower() == b"transfer-encoding":
                raise RuntimeError("chunked answers are not expected here")
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


class Client:
    """A load user's enrolled device: its key and certificate, token and own cursor."""

    def __init__(self, index: int, url: str, context: ssl.SSLContext, token: str):
        self.index = index
        parts = urlsplit(url)
        self.host, self.port, self.context, self.token = parts.hostname, parts.port, context, token
        self.main = Connection(self.host, self.port, context, token)
        self.cursor = ""
        self.target = ""

    def connection(self) -> Connection:
        return Connection(self.host, self.port, self.context, self.token)

    async def first_sync(self) -> None:
        await self.main.open()
        target = f"{API}/sync/changes?limit={PAGE}"
        while True:
            status, body = await self.main.get(target)
            if status != 200:
                raise RuntimeError(f"first sync: {status}")
            page = json.loads(body)
            self.cursor = page["cursor"]
            target = f"{API}/sync/changes?cursor={self.cursor}&limit={PAGE}"
            if not page["has_more"]:
                break
        self.target = target

    async def noop_sync(self, connection: Connection | None = None, wait: float = 0) -> None:
        target = self.target + (f"&wait={wait:g}" if wait else "")
        status, body = await (connection or self.main).get(target)
        if status != 200 or json.loads(body)["cursor"] != self.cursor:
            raise RuntimeError(f"not a no-op sync: {status}")


async def enroll(spec: dict, user: dict, directory: Path) -> Client:
    """Enroll a device with a fresh key, log in over it (httpx: set-up, not measured), first sync."""
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "device")]))
        .sign(key, hashes.SHA256())
        .public_bytes(serialization.Encoding.PEM)
        .decode("ascii")
    )
    credentials = {"username": user["username"], "password": user["password"]}
    async with httpx.AsyncClient(base_url=spec["url"], verify=tls_context(spec["ca_pem"]), timeout=60) as anonymous:
        answer = await anonymous.post(f"{API}/enrollments", json={**credentials, "code": user["code"], "csr": csr})
    answer.raise_for_status()
    cert_path, key_path = directory / f"{user['index']}.pem", directory / f"{user['index']}-key.pem"
    cert_path.write_text(answer.json()["certificate"])
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = tls_context(spec["ca_pem"], cert_path, key_path)
    async with httpx.AsyncClient(base_url=spec["url"], verify=context, timeout=60) as device:
        session = await device.post(f"{API}/sessions", json=credentials)
    session.raise_for_status()
    client = Client(user["index"], spec["url"], context, session.json()["access_token"])
    await client.first_sync()
    return client


async def sleep_until(moment: float) -> None:
    delay = moment - time.perf_counter()
    if delay > 0:
        await asyncio.sleep(delay)


async def closed_loop(clients: list[Client], start: float, warm_up: float, seconds: float) -> dict:
    counted = {"n": 0, "measuring": False, "stop": False}

    async def worker(client: Client) -> None:
        while not counted["stop"]:
            await client.noop_sync()
            if counted["measuring"]:
                counted["n"] += 1

    await sleep_until(start)
    tasks = [asyncio.create_task(worker(c)) for c in clients]
    await sleep_until(start + warm_up)
    cpu, counted["measuring"] = time.process_time(), True
    await sleep_until(start + warm_up + seconds)
    cpu, counted["measuring"], counted["stop"] = time.process_time() - cpu, False, True
    await asyncio.gather(*tasks)
    return {"requests": counted["n"], "cpu_seconds": cpu}


async def open_loop(clients: list[Client], total_users: int, start: float, seconds: float, rate: float) -> dict:
    period = total_users / rate  # each user's interval
    latencies: list[float] = []

    async def worker(client: Client) -> None:
        k = 0
        while True:
            scheduled = start + client.index / rate + k * period
            if scheduled - start >= seconds:
                return
            await sleep_until(scheduled)
            await client.noop_sync()
            latencies.append((time.perf_counter() - scheduled) * 1000)
            k += 1

    cpu = time.process_time()
    await asyncio.gather(*(worker(c) for c in clients))
    return {"latencies_ms": latencies, "cpu_seconds": time.process_time() - cpu}


RELEASE = asyncio.Event()  # set by {"do": "release"}: the held long-polls end after their current wait


async def long_polls(clients: list[Client], start: float, connections: int, wait: float) -> dict:
    """`connections` more connections per user, each holding a long-poll (`wait` s, asked again at
    once when it ends empty, as the app does) until released; a connection is `held` when every
    one of its long-polls was answered with the empty page."""
    opened = [(c, c.connection()) for c in clients for _ in range(connections)]
    await sleep_until(start)

    async def hold(client: Client, conn: Connection) -> bool:
        try:
            await conn.open()
            while not RELEASE.is_set():
                await client.noop_sync(conn, wait=wait)
            return True
        except Exception:
            return False
        finally:
            conn.close()

    held = await asyncio.gather(*(hold(c, conn) for c, conn in opened))
    return {"held": sum(held), "failed": len(held) - sum(held)}


async def serve(spec: dict) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        gate = asyncio.Semaphore(4)  # enrollment and login hash the password on the service: not all at once

        async def one(user: dict) -> Client:
            async with gate:
                return await enroll(spec, user, Path(tmp))

        clients = await asyncio.gather(*(one(u) for u in spec["users"]))
        answer({"ready": len(clients)})
        pending: set[asyncio.Task] = set()
        while line := await reader.readline():
            command = json.loads(line)
            if command["do"] == "quit":
                break
            pending.add(asyncio.create_task(run_command(command, clients, spec["total_users"])))
            pending = {t for t in pending if not t.done()}
        await asyncio.gather(*pending)
        for client in clients:
            client.main.close()


async def run_command(command: dict, clients: list[Client], total_users: int) -> None:
    try:
        await run_one(command, clients, total_users)
    except Exception as exc:  # the runner waits for an answer line: never leave it waiting
        answer({"error": f"{command['do']}: {exc!r}"})


async def run_one(command: dict, clients: list[Client], total_users: int) -> None:
    if command["do"] == "closed":
        answer(await closed_loop(clients, command["start"], command["warm_up"], command["seconds"]))
    elif command["do"] == "open":
        answer(await open_loop(clients, total_users, command["start"], command["seconds"], command["rate"]))
    elif command["do"] == "longpoll":
        RELEASE.clear()
        answer(await long_polls(clients, command["start"], command["connections"], command["wait"]))
    elif command["do"] == "release":
        RELEASE.set()
    else:
        raise ValueError(f"unknown command {command['do']!r}")


def answer(body: dict) -> None:
    sys.stdout.write(json.dumps(body) + "\n")
    sys.stdout.flush()


def main() -> None:
    spec = json.loads(sys.stdin.buffer.readline())
    asyncio.run(serve(spec))


if __name__ == "__main__":
    main()
