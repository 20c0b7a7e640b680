"""Write the service's OpenAPI document to docs/openapi.json (or the path given).

`python -m server_stub.openapi_export [PATH]`; `--check` exits 1 when the file differs from what
the service serves (tests/server/test_contract_openapi.py runs the same comparison).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from server_stub.app import build_app

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def render() -> str:
    return json.dumps(build_app().openapi(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    path = Path(args[0]) if args else DEFAULT_PATH
    text = render()
    if check:
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            print(f"{path} differs from the service; run python -m server_stub.openapi_export", file=sys.stderr)
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
