"""The fault proxy does what its modes say, in front of the real service (a plain TLS client)."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.fault_proxy import FaultProxy
from tests.service_fixtures import _tls_context


def _health(proxy: FaultProxy, service, timeout: float = 3.0) -> httpx.Response:
    with httpx.Client(base_url=proxy.url, verify=_tls_context(service.ca_path), timeout=timeout) as client:
        return client.get("/api/v1/health")


@pytest.fixture
def proxy(service_module):
    with FaultProxy(service_module.url, seed=3, drip_interval=0.02) as running:
        yield running


def test_pass_forwards_the_answer(proxy, service_module):
    assert _health(proxy, service_module).json()["status"] == "ok"


@pytest.mark.parametrize("mode", ["close_client_hello", "close_server_hello"])
def test_close_in_the_handshake_is_an_eof_in_tls(mode, proxy, service_module):
    proxy.set_mode(mode)
    with pytest.raises(httpx.ConnectError, match="EOF"):
        _health(proxy, service_module)


def test_close_after_handshake_ends_before_the_answer(proxy, service_module):
    proxy.set_mode("close_after_handshake")
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        _health(proxy, service_module)


def test_reset_hits_the_answer_not_the_handshake(proxy, service_module):
    proxy.set_mode("reset")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        _health(proxy, service_module)


def test_stall_never_answers(proxy, service_module):
    proxy.set_mode("stall")
    with pytest.raises(httpx.ConnectTimeout):
        _health(proxy, service_module, timeout=0.5)


def test_drip_answers_slowly_but_whole(proxy, service_module):
    proxy.set_mode("drip")
    started = time.monotonic()
    assert _health(proxy, service_module).json()["status"] == "ok"
    assert time.monotonic() - started > 0.2  # ~250 bytes, 16 bytes every 20 ms


def test_refuse_closes_the_port_until_another_mode(proxy, service_module):
    proxy.set_mode("refuse")
    with pytest.raises(httpx.ConnectError, match="refused"):
        _health(proxy, service_module)
    proxy.set_mode("pass")
    assert _health(proxy, service_module).status_code == 200


def test_a_seeded_mix_chooses_the_same_modes_again(service_module):
    seen = []
    for _ in range(2):
        with FaultProxy(service_module.url, seed=11, mode=FaultProxy.mix(0.5, ("close_server_hello",))) as proxy:
            outcomes = []
            for _ in range(12):
                try:
                    _health(proxy, service_module)
                    outcomes.append("ok")
                except httpx.HTTPError:
                    outcomes.append("fault")
            seen.append((outcomes, dict(proxy.counts)))
    assert seen[0] == seen[1] and "ok" in seen[0][0] and "fault" in seen[0][0]
