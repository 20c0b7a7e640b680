"""The service's routes, and the gate in front of all of them.

`DeviceGate` is ASGI middleware: it finds the device a request came over from the TLS client
certificate (see `server_stub.tls`) and refuses, before any route runs,
- a revoked device: `device-revoked` with `"wipe": true`, except on the wipe acknowledgement;
- a certificate the service does not know (e.g. replaced by a renewal): `device-unknown`;
- a request without a certificate to anything but the public routes: `no-secure-connection`
  from outside the network allowlist, `device-certificate-required` from inside it (seed L2).
Routes added later are therefore behind mutual TLS by default.
"""

from __future__ import annotations

import ipaddress
import ssl
from functools import lru_cache

import anyio

from server_stub.pki import fingerprint
from server_stub.problems import send_problem
from server_stub.tls import peer_certificate_pem

API = "/api/v1"
PUBLIC_PATHS = frozenset(
    {f"{API}/health", f"{API}/enrollments", f"{API}/password-resets", f"{API}/devices/key-unlock"}
)  # a full login opens the device key
WIPE_ACK_PATH = f"{API}/devices/wipe-ack"


@lru_cache(maxsize=4096)
def _fingerprint_of_pem(pem: str) -> str:
    return fingerprint(ssl.PEM_cert_to_DER_cert(pem))


class DeviceGate:
    def __init__(self, app, *, registry, allowlist: tuple[str, ...] = (), look_up=None):
        self.app = app
        self.registry = registry
        # Several instances on one database: a certificate unknown here may be a device enrolled
        # through another a moment ago (`DeviceFollower.look_up`), asked of the database.
        self.look_up = look_up
        self.allowlist = tuple(ipaddress.ip_network(cidr, strict=False) for cidr in allowlist)

    def _inside_allowlist(self, scope) -> bool:
        client = scope.get("client")
        if not client or not self.allowlist:
            return False
        try:
            address = ipaddress.ip_address(client[0])
        except ValueError:
            return False
        return any(address in network for network in self.allowlist)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope["path"]
        device = None
        pem = peer_certificate_pem(scope)
        fp = None
        if pem is not None:
            fp = _fingerprint_of_pem(pem)
            device = self.registry.get(fp)
            if device is None and self.look_up is not None:
                device = await anyio.to_thread.run_sync(self.look_up, fp)
            if device is not None and device.revoked and path != WIPE_ACK_PATH:
                return await send_problem(send, 403, "device-revoked", wipe=True)
            if device is None and path not in PUBLIC_PATHS:
                return await send_problem(send, 403, "device-unknown")
        if device is None and path not in PUBLIC_PATHS:
            code = "device-certificate-required" if self._inside_allowlist(scope) else "no-secure-connection"
            return await send_problem(send, 403, code)
        state = scope.setdefault("state", {})
        state["device"], state["device_fingerprint"] = device, fp
        return await self.app(scope, receive, send)
