"""`GET /api/v1/health`: status and server time, nothing else (reachable without a certificate)."""

from fastapi import APIRouter

from server_stub import contract
from server_stub.contract import documented
from server_stub.store import to_iso, utc_now

router = APIRouter()


@router.get("/api/v1/health", **documented(contract.Health))
def health() -> dict:
    return {"status": "ok", "server_time": to_iso(utc_now())}
