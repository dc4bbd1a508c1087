"""`loupe models [--json]` · `loupe models download NAME` · `loupe models delete NAME` ·
`loupe models token [--forget]`

The pretrained models Loupe offers by name, grouped by field, with what each needs (size,
licence, gating, GPU) and whether it is on this machine; downloading one with visible progress
(Ctrl+C stops it, and the next download resumes where it stopped); deleting one; and the access
token gated models need, read from stdin or a hidden prompt, never from the command line (where
`ps` would show it).
"""

from __future__ import annotations

import argparse
import getpass
import signal
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager

from app.cli.commands.base import Command, add_json_flag
from app.cli.output import EXIT_CANCELLED, print_json
from app.core.errors import Cancelled, ConfigError
from app.core.hub import (
    DownloadProgress,
    bytes_text,
    cache_bytes,
    cache_folder,
    delete_model,
    disk_free_bytes,
    download_model,
    ensure_downloaded,
    forget_token,
    has_token,
    hub_id_of,
    model_on_disk,
    model_rows,
    needs_download,
    offline_reason,
    partial_bytes,
    save_token,
    token_path,
)
from app.core.training.presets import CLASSIFY, DOMAINS, task_problem


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    add_json_flag(parser)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    download = actions.add_parser("download", help="download a preset or hub model (resumes a cut download)")
    download.add_argument("name", help="a preset's name (see `loupe models`) or a hub id (org/name)")
    _add_sub_json_flag(download)
    delete = actions.add_parser("delete", help="delete a downloaded model from this machine")
    delete.add_argument("name", help="a preset's name or a hub id")
    _add_sub_json_flag(delete)
    token = actions.add_parser(
        "token", help="save the hub access token gated models need (read from stdin or a hidden prompt)"
    )
    token.add_argument("--forget", action="store_true", help="remove the saved access token")
    _add_sub_json_flag(token)


def _add_sub_json_flag(parser: argparse.ArgumentParser) -> None:
    """`--json` after the action too; left unset when absent, so `loupe models --json ACTION` holds."""
    parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON document")


def _run(args: argparse.Namespace) -> int:
    return ACTIONS[args.action or "list"](args)


# -- list ------------------------------------------------------------------------------------


def _list(args: argparse.Namespace) -> int:
    rows = model_rows()
    if args.json:
        print_json(
            {
                "models": [_row_json(row) for row in rows],
                "cache_folder": str(cache_folder().absolute()),
                "cache_bytes": cache_bytes(),
                "free_bytes": disk_free_bytes(),
                "offline": offline_reason(),
                "token": has_token(),
            }
        )
        return 0
    table = _table(rows)
    for domain in (*DOMAINS, *sorted({row.preset.domain for row in rows} - set(DOMAINS))):
        lines = [line for row, line in zip(rows, table) if row.preset.domain == domain]
        if lines:
            print(f"{domain.capitalize()}:")
            print("\n".join(lines))
    print(
        f"Cache: {cache_folder().absolute()} ({bytes_text(cache_bytes())}; {bytes_text(disk_free_bytes())} free "
        "on its disk)"
    )
    print(offline_reason() or "`loupe models download NAME` downloads one; `loupe models delete NAME` removes it.")
    return 0


def _row_json(row) -> dict:
    preset, on_disk = row.preset, row.on_disk
    return {
        "name": preset.name,
        "domain": preset.domain,
        "hub_id": preset.hub_id,
        "description": preset.description,
        "size_bytes": preset.size_bytes,
        "parameters_m": preset.parameters_m,
        "licence": preset.licence,
        "gated": preset.gated,
        "needs_gpu": preset.needs_gpu,
        "good_for": preset.good_for,
        "card_url": preset.card_url,
        "on_disk": on_disk is not None,
        "path": str(on_disk.path.absolute()) if on_disk else None,
        "revision": on_disk.revision if on_disk else None,
        "disk_bytes": on_disk.size_bytes if on_disk else 0,
        "partial_bytes": row.partial_bytes,
        "unavailable": row.unavailable,
    }


def _table(rows: list) -> list[str]:
    """One line per preset (name, hub id, size, licence, needs, state) in aligned columns, and
    what it is good for beneath it."""
    cells = [_row_cells(row) for row in rows]
    widths = [max(len(cell[column]) for cell in cells) for column in range(len(cells[0]))] if cells else []
    lines = []
    for row, cell in zip(rows, cells):
        line = "  " + "  ".join(
            text.rjust(width) if column == 2 else text.ljust(width)
            for column, (text, width) in enumerate(zip(cell, widths))
        )
        good_for = f"\n  {'':<{widths[0]}}  {row.preset.good_for}" if row.preset.good_for else ""
        lines.append(line.rstrip() + good_for)
    return lines


def _row_cells(row) -> tuple[str, ...]:
    preset = row.preset
    needs = ", ".join(word for word, yes in (("gated", preset.gated), ("GPU", preset.needs_gpu)) if yes)
    if row.on_disk is not None:
        state = "on disk"
    elif row.partial_bytes:
        state = f"{bytes_text(row.partial_bytes)} downloaded, resumes"
    else:
        state = "not downloaded"
    return preset.name, preset.hub_id, bytes_text(preset.size_bytes), preset.licence, needs or "-", state


# -- download --------------------------------------------------------------------------------


def _download(args: argparse.Namespace) -> int:
    hub_id = _hub_id(args.name)
    found = model_on_disk(hub_id)
    if found is None:
        try:
            with (
                stop_on_ctrl_c() as stop,
                download_printer(args.name, enabled=sys.stderr.isatty() or not args.json) as show,
            ):
                found = download_model(hub_id, show, stop.is_set)
        except Cancelled:
            return _cancelled(args.name, hub_id)
    if args.json:
        print_json(_cached_json(args.name, found))
    else:
        print(f"{args.name} is on this machine: {found.path.absolute()} ({bytes_text(found.size_bytes)})")
    return 0


def _cancelled(name: str, hub_id: str) -> int:
    print(
        f"loupe: the download of {name} was cancelled; the {bytes_text(partial_bytes(hub_id))} downloaded so far "
        "are kept, and the next download resumes from there",
        file=sys.stderr,
    )
    return EXIT_CANCELLED


def download_first(ref: str | None, should_stop: Callable[[], bool], enabled: bool, task: str = CLASSIFY) -> int | None:
    """For a command about to load the model `ref` (`loupe train`, `loupe suggest`; `loupe zeroshot`
    with `task` ZERO_SHOT): a preset or hub id that is not on this machine is downloaded first, with
    the progress `loupe models download` shows. EXIT_CANCELLED when `should_stop` stopped it (said
    on stderr); None when the model is here. A preset not made for `task`, and offline a model
    that is not here, are a ConfigError or LoupeError saying why, before any byte moves."""
    problem = task_problem(ref, task) if ref else None
    if problem:
        raise ConfigError(problem)
    if not ref or not needs_download(ref):
        return None
    try:
        with download_printer(ref, enabled) as show:
            ensure_downloaded(ref, show, should_stop)
    except Cancelled:
        return _cancelled(ref, hub_id_of(ref) or ref)
    return None


def _hub_id(name: str) -> str:
    hub_id = hub_id_of(name)
    if hub_id is None:
        raise ConfigError(f"{name} is a folder on this machine: there is nothing to download or delete")
    return hub_id


def _cached_json(name: str, found) -> dict:
    return {
        "model": name,
        "hub_id": found.hub_id,
        "path": str(found.path.absolute()),
        "revision": found.revision,
        "size_bytes": found.size_bytes,
    }


@contextmanager
def stop_on_ctrl_c():
    """A stop event that Ctrl+C sets (the download stops at its next chunk, cleanly), instead of
    an interrupt raised anywhere."""
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


class _DownloadPrinter:
    """Download progress on stderr: a bar on a terminal, else a line every few seconds (a log)."""

    LINE_EVERY_S = 5.0

    def __init__(self, name: str, enabled: bool, terminal: bool):
        self.name, self.enabled, self.terminal = name, enabled, terminal
        self.bar = None
        self.last_line = 0.0

    def __call__(self, event: DownloadProgress) -> None:
        if not self.enabled:
            return
        if self.terminal:
            self._update_bar(event)
        elif time.monotonic() - self.last_line >= self.LINE_EVERY_S or event.done_bytes >= event.total_bytes:
            self.last_line = time.monotonic()
            print(f"{self.name}: {_progress_words(event)}", file=sys.stderr)

    def _update_bar(self, event: DownloadProgress) -> None:
        from tqdm import tqdm

        if self.bar is None:
            self.bar = tqdm(
                total=event.total_bytes,
                desc=f"Downloading {self.name}",
                unit="B",
                unit_scale=True,
                unit_divisor=1000,
                file=sys.stderr,
                bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}B/{total_fmt}B {postfix}",
            )
        self.bar.total = event.total_bytes
        self.bar.n = event.done_bytes
        self.bar.set_postfix_str(_speed_words(event), refresh=False)
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _speed_words(event: DownloadProgress) -> str:
    speed = f"{bytes_text(int(event.speed_bps))}/s" if event.speed_bps else "starting"
    if event.eta_s is None or event.done_bytes >= event.total_bytes:
        return speed
    return f"{speed}, {_duration(event.eta_s)} left"


def _progress_words(event: DownloadProgress) -> str:
    share = f" ({event.done_bytes / event.total_bytes:.0%})" if event.total_bytes else ""
    return f"{bytes_text(event.done_bytes)} of {bytes_text(event.total_bytes)}{share}, {_speed_words(event)}"


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


@contextmanager
def download_printer(name: str, enabled: bool = True):
    """An `on_progress` for a download that prints to stderr (`loupe train` and `loupe suggest`
    use it too, when their model must be downloaded first); closed on leaving."""
    printer = _DownloadPrinter(name, enabled, sys.stderr.isatty())
    try:
        yield printer
    finally:
        printer.close()


# -- delete ----------------------------------------------------------------------------------


def _delete(args: argparse.Namespace) -> int:
    hub_id = _hub_id(args.name)
    freed = delete_model(hub_id)
    if args.json:
        print_json({"model": args.name, "hub_id": hub_id, "freed_bytes": freed})
    elif freed:
        print(f"Deleted {args.name} ({hub_id}) from this machine: {bytes_text(freed)} freed.")
    else:
        print(f"{args.name} ({hub_id}) was not on this machine: nothing deleted.")
    return 0


# -- token -----------------------------------------------------------------------------------


def _token(args: argparse.Namespace) -> int:
    if args.forget:
        removed = forget_token()
        if args.json:
            print_json({"token_path": str(token_path().absolute()), "saved": False, "removed": removed})
        else:
            print(
                f"Access token removed from {token_path()}." if removed else f"No access token saved in {token_path()}."
            )
        return 0
    path = save_token(_read_token())
    if args.json:
        print_json({"token_path": str(path.absolute()), "saved": True, "removed": False})
    else:
        print(f"Access token saved in {path} (readable by you only; transformers and the hf tool use it too).")
    return 0


def _read_token() -> str:
    """The token from a pipe (`loupe models token < file`) or a prompt that does not echo it."""
    if not sys.stdin.isatty():
        return sys.stdin.readline()
    try:
        return getpass.getpass("Access token (from https://huggingface.co/settings/tokens): ")
    except EOFError:
        return ""


ACTIONS = {"list": _list, "download": _download, "delete": _delete, "token": _token}

MODELS = Command(
    "models",
    "list, download and delete pretrained models; save the hub access token",
    _add_arguments,
    _run,
    bad_argument_errors=(ConfigError,),
)
