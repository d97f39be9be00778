"""Compile every gettext catalogue in the project (``<app>/locale/<lang>/LC_MESSAGES/*.po``
and the project's ``locale/``) into ``.mo`` files with Babel, so set-up needs nothing beyond
Python: no GNU gettext on the machine.

    python -m common.catalogues          # compile what changed
    python -m common.catalogues --check  # fail if a catalogue has syntax or format errors

Fuzzy entries are left out, as ``msgfmt`` does: a guess never reaches the screen.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", ".git", "var", "staticfiles", "artifacts"}


def catalogues(root: Path = ROOT) -> list[Path]:
    found = []
    for po in root.rglob("locale/*/LC_MESSAGES/*.po"):
        if not SKIP.intersection(po.relative_to(root).parts):
            found.append(po)
    return sorted(found)


def problems(po: Path) -> list[str]:
    """Python-format mismatches between msgid and msgstr (what msgfmt --check finds)."""
    with po.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    return [
        f"{po}:{message.lineno}: {error}" for message, errors in catalog.check() for error in errors
    ]


def compile_all(root: Path = ROOT, *, force: bool = False) -> list[Path]:
    written = []
    for po in catalogues(root):
        mo = po.with_suffix(".mo")
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report catalogue errors and fail")
    parser.add_argument("--force", action="store_true", help="recompile every catalogue")
    args = parser.parse_args(argv)
    if args.check:
        found = [problem for po in catalogues() for problem in problems(po)]
        for problem in found:
            print(problem, file=sys.stderr)
        return 1 if found else 0
    for mo in compile_all(force=args.force):
        print(f"compiled {mo.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
