"""Compile every gettext catalogue in the project (``<app>/locale/<lang>/LC_MESSAGES/*.po``
and the project's ``locale/``) into ``.mo`` files with Babel, so set-up needs nothing beyond
Python: no GNU gettext on the machine.

    python -m common.catalogues          # compile what changed
    python -m common.catalogues --check  # fail on catalogue errors, or a Thai interface
                                         # string with no English translation

Fuzzy entries are left out, as ``msgfmt`` does: a guess never reaches the screen.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", ".git", "var", "staticfiles", "artifacts"}
# Source that is not the interface: tests, benchmarks, migrations (their verbose names
# are copies of the models').
SOURCE_SKIP = SKIP | {"tests", "benchmarks", "migrations", "deploy", "__pycache__"}
THAI = re.compile(r"[\u0E00-\u0E7F]")
# Django's gettext functions, as makemessages passes them to xgettext.
KEYWORDS = {
    **{name: None for name in ("_", "gettext", "gettext_lazy", "gettext_noop")},
    **{name: (1, 2) for name in ("ngettext", "ngettext_lazy")},
    **{name: ((1, "c"), 2) for name in ("pgettext", "pgettext_lazy")},
    **{name: ((1, "c"), 2, 3) for name in ("npgettext", "npgettext_lazy")},
}


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


def _source_files(root: Path):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SOURCE_SKIP)
        parts = Path(dirpath).relative_to(root).parts
        for name in sorted(filenames):
            if (
                name.endswith(".py")
                or ("templates" in parts and name.endswith((".html", ".txt")))
                or "static" in parts
                and name.endswith(".js")
                and not name.endswith(".min.js")
            ):
                yield Path(dirpath) / name


def used_messages(root: Path = ROOT) -> list[tuple[str, str, int, str | None, str]]:
    """(domain, file, line, context, msgid) of every gettext call in the project's Python,
    templates ("django") and static scripts ("djangojs", served by JavaScriptCatalog), read
    as makemessages reads them (templates through Django's templatize, then Babel's Python
    extractor; scripts through Babel's JavaScript extractor)."""
    from babel.messages.extract import extract_javascript, extract_python
    from django.utils.translation.template import templatize

    found = []
    for path in _source_files(root):
        text = path.read_text(encoding="utf-8")
        domain, extract = "django", extract_python
        if path.suffix == ".js":
            domain, extract = "djangojs", extract_javascript
        elif path.suffix != ".py":
            # templatize writes each tag's call indented; Babel reads it as Python.
            text = "\n".join(line.lstrip() for line in templatize(text).splitlines())
        calls = extract(io.BytesIO(text.encode()), KEYWORDS, [], {"encoding": "utf-8"})
        for line, function, messages, _comments in calls:
            messages = messages if isinstance(messages, tuple) else (messages,)
            context = messages[0] if function.startswith(("pgettext", "npgettext")) else None
            msgid = messages[1] if context is not None else messages[0]
            if msgid:
                found.append((domain, str(path.relative_to(root)), line, context, msgid))
    return found


def translated(
    lang: str = "en", root: Path = ROOT, domain: str = "django"
) -> set[tuple[str | None, str]]:
    """(context, msgid) with a translation in any of the language's catalogues of the
    gettext domain ("django", or "djangojs" for scripts)."""
    done = set()
    for po in catalogues(root):
        if f"/{lang}/" not in po.as_posix() or po.stem != domain:
            continue
        with po.open("rb") as handle:
            for message in read_po(handle):
                msgid = message.id[0] if isinstance(message.id, tuple) else message.id
                string = message.string[0] if isinstance(message.string, tuple) else message.string
                if msgid and string and not message.fuzzy:
                    done.add((message.context, msgid))
    return done


def untranslated(lang: str = "en", root: Path = ROOT) -> list[str]:
    """Thai interface strings with no translation into ``lang``: an English screen would
    show them in Thai."""
    done = {domain: translated(lang, root, domain) for domain in ("django", "djangojs")}
    return [
        f"{file}:{line}: {msgid!r}" + (f" (context {context!r})" if context else "")
        for domain, file, line, context, msgid in used_messages(root)
        if THAI.search(msgid) and (context, msgid) not in done[domain]
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
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
        import django

        django.setup()
        found = [problem for po in catalogues() for problem in problems(po)]
        found += [f"no English translation: {where}" for where in untranslated()]
        for problem in found:
            print(problem, file=sys.stderr)
        return 1 if found else 0
    for mo in compile_all(force=args.force):
        print(f"compiled {mo.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
