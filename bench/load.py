"""Load on the service from a separate process: 50 kept-alive mutual-TLS clients (asyncio + httpx).

    python -m bench.load   < JSON {"url", "ca_pem", "username", "password", "codes": [50 codes], "cursor",
                                   "closed_seconds", "open_seconds", "open_rate", "service_pid",
                                   optional "warm_up_seconds"}

Each client is its own enrolled device (key, CSR, certificate) with its own login and one
connection. Both phases send what a client's no-op sync sends: `GET /sync/changes` with the
user's current cursor.
- closed loop: every client sends its next request when the last was answered; no-op syncs per
  second over `closed_seconds` (after a warm-up).
- open loop: `open_rate` requests per second in total on a fixed schedule (client i every
  clients/rate seconds, staggered); latency counts from the scheduled moment, so a slow answer
  that delays the next request is not hidden (no coordinated omission). p50/p99 out.
Prints one JSON line with the results.
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
import sys
import tempfile
import time
from pathlib import Path

# httpcore asks `import sniffio` on every request; it is not installed, and a failed import
# searches sys.path each time (a fifth of this process's CPU). None in sys.modules fails at once
# and httpcore falls back to asyncio, which is what runs here.
sys.modules.setdefault("sniffio", None)

import httpx  # noqa: E402
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

API = "/api/v1"
TICKS = os.sysconf("SC_CLK_TCK")
WARM_UP_SECONDS = 2.0


def tls_context(ca_pem: str, cert: Path | None = None, key: Path | None = None) -> ssl.SSLContext:
    context = ssl.create_default_context(cadata=ca_pem)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    if cert is not None:
        context.load_cert_chain(str(cert), str(key))
    return context


async def enroll(spec: dict, code: str, directory: Path, index: int) -> httpx.AsyncClient:
    """One device: enroll with a fresh key, then log in over its own mutual-TLS connection."""
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "device")]))
        .sign(key, hashes.SHA256())
        .public_bytes(serialization.Encoding.PEM)
        .decode("ascii")
    )
    async with httpx.AsyncClient(base_url=spec["url"], verify=tls_context(spec["ca_pem"]), timeout=60) as anonymous:
        answer = await anonymous.post(
            f"{API}/enrollments",
            json={"username": spec["username"], "password": spec["password"], "code": code, "csr": csr},
        )
    answer.raise_for_status()
    cert_path, key_path = directory / f"{index}.pem", directory / f"{index}-key.pem"
    cert_path.write_text(answer.json()["certificate"])
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    device = httpx.AsyncClient(
        base_url=spec["url"],
        verify=tls_context(spec["ca_pem"], cert_path, key_path),
        timeout=30,
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
    )
    session = await device.post(f"{API}/sessions", json={"username": spec["username"], "password": spec["password"]})
    session.raise_for_status()
    device.headers["Authorization"] = f"Bearer {session.json()['access_token']}"
    return device


async def noop_sync(device: httpx.AsyncClient, cursor: str) -> None:
    answer = await device.get(f"{API}/sync/changes", params={"cursor": cursor, "limit": 1000})
    if answer.status_code != 200 or answer.json()["cursor"] != cursor:
        raise RuntimeError(f"not a no-op sync: {answer.status_code}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (to report CPU per request, which load does not skew)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


async def closed_loop(
    devices: list, cursor: str, seconds: float, service_pid: int, warm_up: float = WARM_UP_SECONDS
) -> dict:
    counted = {"n": 0}
    phase = {"measuring": False}

    async def worker(device) -> None:
        while not phase.get("stop"):
            await noop_sync(device, cursor)
            if phase["measuring"]:
                counted["n"] += 1

    tasks = [asyncio.create_task(worker(d)) for d in devices]
    await asyncio.sleep(warm_up)
    service_cpu, own_cpu = cpu_seconds(service_pid), time.process_time()
    phase["measuring"], started = True, time.perf_counter()
    await asyncio.sleep(seconds)
    phase["measuring"], elapsed = False, time.perf_counter() - started
    service_cpu, own_cpu = cpu_seconds(service_pid) - service_cpu, time.process_time() - own_cpu
    phase["stop"] = True
    await asyncio.gather(*tasks)
    n = max(1, counted["n"])
    return {
        "rps": counted["n"] / elapsed,
        "requests": counted["n"],
        "seconds": elapsed,
        "service_cpu_ms_per_request": service_cpu * 1000 / n,
        "load_cpu_ms_per_request": own_cpu * 1000 / n,
        "service_cpu_share": service_cpu / elapsed,
        "load_cpu_share": own_cpu / elapsed,
    }


async def open_loop(devices: list, cursor: str, seconds: float, rate: float) -> dict:
    period = len(devices) / rate  # each client's interval
    start = time.perf_counter() + 0.5
    latencies: list[float] = []

    async def worker(index: int, device) -> None:
        k = 0
        while True:
            scheduled = start + index / rate + k * period
            if scheduled - start > seconds:
                return
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await noop_sync(device, cursor)
            latencies.append(time.perf_counter() - scheduled)
            k += 1

    await asyncio.gather(*(worker(i, d) for i, d in enumerate(devices)))
    ordered = sorted(latencies)
    pick = lambda p: ordered[max(0, -(-len(ordered) * p // 100) - 1)]  # noqa: E731 (nearest rank)
    return {
        "p50_ms": pick(50) * 1000,
        "p99_ms": pick(99) * 1000,
        "max_ms": ordered[-1] * 1000,
        "requests": len(ordered),
        "achieved_rate": len(ordered) / seconds,
    }


async def main_async(spec: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        gate = asyncio.Semaphore(4)  # enrollment and login hash the password on the service: not all at once

        async def one(i: int, code: str):
            async with gate:
                return await enroll(spec, code, Path(tmp), i)

        devices = await asyncio.gather(*(one(i, c) for i, c in enumerate(spec["codes"])))
        try:
            for device in devices:
                await noop_sync(device, spec["cursor"])  # every connection open before timing
            closed = await closed_loop(
                devices,
                spec["cursor"],
                spec["closed_seconds"],
                spec["service_pid"],
                spec.get("warm_up_seconds", WARM_UP_SECONDS),
            )
            opened = await open_loop(devices, spec["cursor"], spec["open_seconds"], spec["open_rate"])
        finally:
            for device in devices:
                await device.aclose()
    return {"closed": closed, "open": opened}


def main() -> None:
    spec = json.loads(sys.stdin.read())
    print(json.dumps(asyncio.run(main_async(spec))), flush=True)


if __name__ == "__main__":
    main()
