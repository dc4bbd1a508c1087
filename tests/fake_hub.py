"""A tiny Hugging Face hub on 127.0.0.1, so downloads are tested with huggingface_hub's real HTTP
code and no network: the model info API, `resolve` with HEAD metadata the way the hub sends it,
and large files redirected to a "CDN" on another port (another origin, as on the real hub, so
the access token must not follow). Bodies support Range requests.

Knobs a test turns: `throttle_bps` (slow enough to cancel mid-file), `cut_after` (the next file
body stops after that many bytes and the connection drops; `down_after_cut`: and the hub goes
down), `down` (every request gets 503),
`token` (a private hub: requests need it), and a repository's `gated` / `granted` (the hub's
GatedRepo refusal, 401 without a token, 403 with one that has not been granted access).

What huggingface_hub 2.x reads, matched here: `X-Repo-Commit`, `ETag` (the git blob id of a small
file), `X-Linked-Etag` / `X-Linked-Size` (an LFS file's SHA-256 and size, on the redirect),
`Location`, `Content-Length` / `Content-Range`, and `X-Error-Code` / `X-Error-Message` on errors.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np

#: Files stored with LFS on the hub (served through the CDN, with a SHA-256 etag).
LFS_SUFFIXES = (".safetensors", ".bin", ".onnx", ".pt", ".pth", ".pkl")
PIECE = 16 * 1024


def git_blob_id(data: bytes) -> str:
    """The git object id of a file's content: the hub's ETag for a file kept in git itself."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class FakeRepo:
    hub_id: str
    files: dict[str, bytes]
    commit: str = field(default_factory=lambda: secrets.token_hex(20))
    gated: bool = False
    #: Tokens the authors granted access to a gated repository.
    granted: set[str] = field(default_factory=set)

    def is_lfs(self, name: str) -> bool:
        return name.endswith(LFS_SUFFIXES)

    def sha256(self, name: str) -> str:
        return hashlib.sha256(self.files[name]).hexdigest()

    def sibling(self, name: str, blobs: bool) -> dict:
        if not blobs:
            return {"rfilename": name}
        data = self.files[name]
        entry = {"rfilename": name, "size": len(data), "blobId": git_blob_id(data)}
        if self.is_lfs(name):
            entry["lfs"] = {"size": len(data), "sha256": self.sha256(name), "pointerSize": 134}
        return entry


def tiny_model_files(weights_bytes: int = 1_000_000, seed: int = 0) -> dict[str, bytes]:
    """A model repository as the hub holds one: a ViT config, its weights in safetensors (random,
    about `weights_bytes`), an image processor config, and what a download must leave behind: the
    same weights as a pickle, a README, an ONNX copy in a subfolder."""
    from safetensors.numpy import save

    rng = np.random.default_rng(seed)
    count = weights_bytes // 4
    weights = save({"embeddings.weight": rng.standard_normal(count, dtype=np.float32)})
    config = {"model_type": "vit", "image_size": 32, "patch_size": 8, "hidden_size": 32, "num_hidden_layers": 1}
    return {
        "config.json": json.dumps(config).encode(),
        "preprocessor_config.json": b'{"size": {"height": 32, "width": 32}}',
        "model.safetensors": weights,
        "pytorch_model.bin": b"PICKLE" + weights[:1000],
        "README.md": b"# a tiny model\n",
        "onnx/model.onnx": b"onnx" * 100,
        "onnx/config.json": b"{}",
    }


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every file of a saved model folder (`save_pretrained`), by its name in the repository."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


@dataclass
class Request:
    server: str  # "hub" or "cdn"
    method: str
    path: str
    range: str | None
    authorization: str | None


class FakeHub:
    """Two HTTP servers (the hub and its CDN) sharing the repositories and knobs."""

    def __init__(self):
        self.repos: dict[str, FakeRepo] = {}
        self.throttle_bps: int | None = None
        self.cut_after: int | None = None
        #: After the cut, the hub answers 503 until a test sets `down` back to False.
        self.down_after_cut = False
        self.down = False
        self.token: str | None = None
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self.hub = _server(self, "hub")
        self.cdn = _server(self, "cdn")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.hub.server_address[1]}"

    @property
    def cdn_url(self) -> str:
        return f"http://127.0.0.1:{self.cdn.server_address[1]}"

    def add(self, hub_id: str, files: dict[str, bytes], **options) -> FakeRepo:
        self.repos[hub_id] = FakeRepo(hub_id, files, **options)
        return self.repos[hub_id]

    def log(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def file_requests(self, name: str) -> list[Request]:
        """The GETs that fetched a file's bytes (its name, or its SHA-256 on the CDN)."""
        shas = {repo.sha256(n) for repo in self.repos.values() for n in repo.files if n.endswith(name)}
        return [
            r
            for r in self.requests
            if r.method == "GET" and (r.path.endswith("/" + name) or r.path.rsplit("/", 1)[-1] in shas)
        ]

    def take_cut(self, length: int) -> int | None:
        """The cut for a body of `length` bytes (once: the first body longer than it)."""
        with self._lock:
            if self.cut_after is None or self.cut_after >= length:
                return None
            cut, self.cut_after = self.cut_after, None
            self.down = self.down or (cut is not None and self.down_after_cut)
            return cut

    def start(self) -> FakeHub:
        for server in (self.hub, self.cdn):
            threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        for server in (self.hub, self.cdn):
            server.shutdown()
            server.server_close()


def _server(hub: FakeHub, role: str) -> ThreadingHTTPServer:
    handler = type(f"{role.title()}Handler", (_Handler,), {"hub": hub, "role": role})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    return server


_MODEL_API = re.compile(r"^/api/models/(?P<repo>[^/]+/[^/]+)(?:/revision/(?P<revision>[^/]+))?/?$")
_RESOLVE = re.compile(r"^/(?P<repo>[^/]+/[^/]+)/resolve/(?P<revision>[^/]+)/(?P<file>.+)$")
_CDN = re.compile(r"^/cdn/(?P<sha>[0-9a-f]{64})$")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hub: FakeHub
    role: str

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    # -- routing -------------------------------------------------------------------------------

    def _answer(self, head: bool) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        self.hub.log(
            Request(self.role, self.command, path, self.headers.get("Range"), self.headers.get("Authorization"))
        )
        if self.hub.down:
            return self._error(503, "ServiceUnavailable", "the hub is down")
        if self.role == "cdn":
            match = _CDN.match(path)
            return self._cdn(match["sha"], head) if match else self._error(404, None, "no such object")
        if path.rstrip("/") == "/api/models":
            return self._send(200, {"Content-Type": "application/json"}, b"[]", head)
        if match := _MODEL_API.match(path):
            return self._model_info(match["repo"], match["revision"] or "main", "blobs" in parse_qs(parts.query), head)
        if match := _RESOLVE.match(path):
            return self._resolve(match["repo"], match["revision"], match["file"], head)
        return self._error(404, None, "not found")

    def _auth_problem(self, repo: FakeRepo | None) -> bool:
        """Answer the hub's refusals (a private hub, a gated repository); True when one was sent."""
        given = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip() or None
        if self.hub.token is not None and given is None:
            self._error(401, "RepoNotFound", "Repository not found")
            return True
        if self.hub.token is not None and given != self.hub.token:
            self._error(401, None, "Invalid credentials in Authorization header")
            return True
        if repo is None:
            self._error(401, "RepoNotFound", "Repository not found")
            return True
        return False

    def _gate(self, repo: FakeRepo) -> bool:
        if not repo.gated:
            return False
        given = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip() or None
        if given is None:
            self._error(401, "GatedRepo", f"Access to model {repo.hub_id} is restricted. Please log in.")
            return True
        if given not in repo.granted:
            self._error(403, "GatedRepo", f"Access to model {repo.hub_id} is restricted and you are not in the list.")
            return True
        return False

    def _revision(self, repo: FakeRepo, revision: str) -> bool:
        if revision in ("main", repo.commit):
            return True
        self._error(404, "RevisionNotFound", "Invalid rev id")
        return False

    # -- answers -------------------------------------------------------------------------------

    def _model_info(self, repo_id: str, revision: str, blobs: bool, head: bool) -> None:
        repo = self.hub.repos.get(repo_id)
        if self._auth_problem(repo) or not self._revision(repo, revision):
            return
        document = {
            "_id": repo.commit[:24],
            "id": repo.hub_id,
            "modelId": repo.hub_id,
            "sha": repo.commit,
            "private": False,
            "gated": "manual" if repo.gated else False,
            "disabled": False,
            "siblings": [repo.sibling(name, blobs) for name in sorted(repo.files)],
        }
        self._send(200, {"Content-Type": "application/json"}, json.dumps(document).encode(), head)

    def _resolve(self, repo_id: str, revision: str, name: str, head: bool) -> None:
        repo = self.hub.repos.get(repo_id)
        if self._auth_problem(repo) or not self._revision(repo, revision) or self._gate(repo):
            return
        headers = {"X-Repo-Commit": repo.commit}
        if name not in repo.files:
            return self._error(404, "EntryNotFound", "Entry not found", headers)
        data = repo.files[name]
        if repo.is_lfs(name):
            sha = repo.sha256(name)
            headers |= {
                "ETag": f'"{git_blob_id(data)}"',
                "X-Linked-Etag": f'"{sha}"',
                "X-Linked-Size": str(len(data)),
                "Location": f"{self.hub.cdn_url}/cdn/{sha}",
            }
            return self._send(302, headers, b"", head)
        headers["ETag"] = f'"{git_blob_id(data)}"'
        self._body(data, headers, head)

    def _cdn(self, sha: str, head: bool) -> None:
        for repo in self.hub.repos.values():
            for name in repo.files:
                if repo.is_lfs(name) and repo.sha256(name) == sha:
                    return self._body(repo.files[name], {"ETag": f'"{sha}"'}, head)
        self._error(404, None, "no such object")

    # -- writing -------------------------------------------------------------------------------

    def _body(self, data: bytes, headers: dict[str, str], head: bool) -> None:
        """The file, or the part a Range asks for, at the throttled speed; cut short when asked."""
        start, status = 0, 200
        wanted = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range") or "")
        if wanted:
            start = int(wanted[1])
            end = int(wanted[2]) if wanted[2] else len(data) - 1
            if start >= len(data):
                return self._error(416, None, "range not satisfiable", {"Content-Range": f"bytes */{len(data)}"})
            headers = headers | {"Content-Range": f"bytes {start}-{end}/{len(data)}"}
            data, status = data[start : end + 1], 206
        headers |= {"Content-Type": "application/octet-stream", "Accept-Ranges": "bytes"}
        self._start(status, headers, len(data))
        if head:
            return
        cut = self.hub.take_cut(len(data))
        self._write_slowly(data if cut is None else data[:cut])
        if cut is not None:
            self.close_connection = True
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)

    def _write_slowly(self, data: bytes) -> None:
        throttle = self.hub.throttle_bps
        try:
            for offset in range(0, len(data), PIECE):
                self.wfile.write(data[offset : offset + PIECE])
                self.wfile.flush()
                if throttle:
                    time.sleep(PIECE / throttle)
        except (BrokenPipeError, ConnectionResetError):  # the client stopped listening (a cancel)
            self.close_connection = True

    def _start(self, status: int, headers: dict[str, str], length: int) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def _send(self, status: int, headers: dict[str, str], body: bytes, head: bool) -> None:
        self._start(status, headers, len(body))
        if not head:
            self.wfile.write(body)

    def _error(self, status: int, code: str | None, message: str, headers: dict[str, str] | None = None) -> None:
        body = json.dumps({"error": message}).encode()
        extra = {"Content-Type": "application/json", "X-Error-Message": message} | (headers or {})
        if code:
            extra["X-Error-Code"] = code
        self._send(status, extra, body, self.command == "HEAD")


@contextmanager
def serving(monkeypatch, folder: Path):
    """A running fake hub that huggingface_hub talks to, with its cache and token file in `folder`
    (nothing of the user's touched, nothing sent beyond 127.0.0.1). huggingface_hub reads its
    settings into `constants` when imported, so those are patched as well as the environment."""
    from huggingface_hub import constants

    hub = FakeHub().start()
    cache, token = folder / "hf-cache", folder / "hf-home" / "token"
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_TOKEN_PATH", str(token))
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "ENDPOINT", hub.url)
    monkeypatch.setattr(constants, "HUGGINGFACE_CO_URL_TEMPLATE", hub.url + "/{repo_id}/resolve/{revision}/{filename}")
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache))
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(token))
    monkeypatch.setattr(constants, "HF_STORED_TOKENS_PATH", str(token.parent / "stored_tokens"))
    monkeypatch.setattr(constants, "AGENT_HARNESSES_PATH", str(token.parent / ".agent_harnesses.json"))
    try:
        yield hub
    finally:
        hub.stop()


def go_offline(monkeypatch) -> None:
    """As the suite runs: HF_HUB_OFFLINE set, huggingface_hub refusing every request."""
    from huggingface_hub import constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
