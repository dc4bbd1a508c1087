"""Brings the translations up to date with the code: `python resources/translations/update.py`.

1. `pyside6-lupdate` reads every `self.tr` / `translate` / `QT_TRANSLATE_NOOP` in `app/gui`;
   the core's catalogue strings that the window shows through `core_text` (config field labels
   and help, method and preset descriptions) join them in the "core" context.
2. Each language's `.ts` is rewritten with exactly those messages, keeping every translation it
   had for a message still in use (and any given with `--merge FILE.json`, a
   `{context: {source: translation}}` map, for translating in bulk).
3. `pyside6-lrelease` compiles each `.ts` to the `.qm` the app loads.

`--check` writes nothing and exits 1 if a `.ts` or `.qm` is not what the code gives (the suite
runs it, so no string reaches the window untranslatable), printing what differs.
Messages carry no source locations, so moving code does not change the files.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
#: The languages, each with its .ts; English is the source language, so its file only lists the
#: messages (a translator's starting point) and its .qm holds nothing to replace.
LANGUAGES = ("zh_CN", "en")
CORE_CONTEXT = "core"


def _tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else name


def core_strings() -> set[str]:
    """The core's English words the window shows through `app.gui.i18n.core_text`: each
    catalogue's fields that the window displays (a new catalogue the window shows is added here)."""
    sys.path.insert(0, str(ROOT))
    from dataclasses import fields

    from app.core.active.acquisition import GIVEN_ORDER_TITLE, STRATEGIES
    from app.core.imaging.composites import COMPOSITES
    from app.core.imaging.windowing import AUTO_PRESET, CT_PRESETS
    from app.core.sources.tiling import TileOptions
    from app.core.training.augmentation import AUGMENTATIONS, NO_AUGMENTATION
    from app.core.training.config import TrainConfig
    from app.core.training.methods import METHODS
    from app.core.training.presets import DOMAINS, PRESETS

    texts = {*DOMAINS, GIVEN_ORDER_TITLE, AUTO_PRESET, *CT_PRESETS, NO_AUGMENTATION}
    texts |= {getattr(c, key) for c in COMPOSITES.values() for key in ("title", "description")}
    texts |= {getattr(s, key) for s in STRATEGIES.values() for key in ("title", "explanation")}
    for config in (TrainConfig, TileOptions):
        texts |= {f.metadata.get(key, "") for f in fields(config) for key in ("label", "help")}
    texts |= {getattr(m, key) for m in METHODS.values() for key in ("title", "summary", "cost")}
    texts |= {getattr(a, key) for a in AUGMENTATIONS.values() for key in ("title", "words")}
    texts |= {getattr(p, key) for p in PRESETS.values() for key in ("description", "good_for")}
    return {text for text in texts if text}


def read_ts(path: Path) -> dict[tuple[str, str], str]:
    """(context, source) → translation ("" where unfinished) of a .ts file."""
    if not path.exists():
        return {}
    found = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            finished = translation is not None and translation.get("type") not in ("unfinished", "vanished", "obsolete")
            found[(name, message.findtext("source"))] = (translation.text or "") if finished else ""
    return found


def code_messages() -> list[tuple[str, str]]:
    """Every (context, source) the code asks to translate, in a stable order."""
    with tempfile.TemporaryDirectory() as tmp:
        ts = Path(tmp) / "fresh.ts"
        subprocess.run(
            [
                _tool("pyside6-lupdate"),
                "-extensions",
                "py",
                "-locations",
                "none",
                str(ROOT / "app" / "gui"),
                "-ts",
                str(ts),
            ],
            check=True,
            capture_output=True,
        )
        messages = set(read_ts(ts))
    messages |= {(CORE_CONTEXT, text) for text in core_strings()}
    return sorted(messages)


def render_ts(language: str, messages: list[tuple[str, str]], translations: dict[tuple[str, str], str]) -> str:
    root = ET.Element("TS", version="2.1", language=language, sourcelanguage="en")
    context_element = None
    for context, source in messages:
        if context_element is None or context_element.findtext("name") != context:
            context_element = ET.SubElement(root, "context")
            ET.SubElement(context_element, "name").text = context
        message = ET.SubElement(context_element, "message")
        ET.SubElement(message, "source").text = source
        translation = ET.SubElement(message, "translation")
        text = translations.get((context, source), "")
        if text and language != "en":
            translation.text = text
        else:
            translation.set("type", "unfinished")
    ET.indent(root, space="    ")
    return '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + ET.tostring(root, encoding="unicode") + "\n"


def compile_qm(ts: Path, qm: Path) -> None:
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True, capture_output=True)


def merged(paths: list[Path]) -> dict[tuple[str, str], str]:
    extra = {}
    for path in paths:
        for context, pairs in json.loads(path.read_text(encoding="utf-8")).items():
            extra.update({(context, source): text for source, text in pairs.items() if text})
    return extra


def update(merge: list[Path], check: bool) -> int:
    messages = code_messages()
    differ = []
    with tempfile.TemporaryDirectory() as tmp:
        for language in LANGUAGES:
            ts, qm = HERE / f"loupe_{language}.ts", HERE / f"loupe_{language}.qm"
            translations = read_ts(ts) | (merged(merge) if language != "en" else {})
            text = render_ts(language, messages, translations)
            new_ts, new_qm = Path(tmp) / ts.name, Path(tmp) / qm.name
            new_ts.write_text(text, encoding="utf-8")
            compile_qm(new_ts, new_qm)
            if check:
                if not ts.exists() or ts.read_text(encoding="utf-8") != text:
                    old = set(read_ts(ts))
                    new = set(messages)
                    differ.append(f"{ts.name}: {len(new - old)} new message(s), {len(old - new)} gone")
                    differ += [f"  new: {c}: {s!r}" for c, s in sorted(new - old)[:20]]
                    differ += [f"  gone: {c}: {s!r}" for c, s in sorted(old - new)[:20]]
                    if not new ^ old:
                        differ.append("  (translations differ: the .ts was edited by hand and not re-run)")
                if not qm.exists() or qm.read_bytes() != new_qm.read_bytes():
                    differ.append(f"{qm.name}: not compiled from the current {ts.name}")
            else:  # replaced whole: a running window reading the .qm never sees half a file
                for done, target in ((new_ts, ts), (new_qm, qm)):
                    temporary = target.with_name(target.name + ".new")
                    shutil.copyfile(done, temporary)
                    os.replace(temporary, target)
            if language != "en":
                missing = sum(1 for key in messages if not translations.get(key))
                print(f"{ts.name}: {len(messages)} messages, {missing} untranslated")
    if differ:
        print("The translations are not current; run `python resources/translations/update.py`:")
        print("\n".join(differ))
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--merge", type=Path, action="append", default=[], metavar="FILE.json")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if not current")
    args = parser.parse_args(argv)
    with open(Path(tempfile.gettempdir()) / "loupe-translations.lock", "w") as lock:
        if sys.platform != "win32":  # several editors in one tree: one at a time
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        return update(args.merge, args.check)


if __name__ == "__main__":
    sys.exit(main())
