"""Whether the Hugging Face hub can be reached, the access token gated models need, and what a
failed download means, in one sentence a user can act on.

The token is kept where huggingface_hub keeps it (HF_TOKEN_PATH, by default
~/.cache/huggingface/token, readable by its owner only), so transformers, the `hf` tool and Loupe
share one sign-in; it is never written into a project.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.core.errors import ConfigError, LoupeError, one_line

#: Where users give Loupe a token; every sentence about tokens points here.
TOKEN_HINT = "Models page or `loupe models token`"
#: The environment variables that put huggingface_hub (and transformers) offline.
OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")


def _is_true(value: str | None) -> bool:
    return (value or "").strip().upper() in {"1", "ON", "YES", "TRUE"}


def offline_variable() -> str | None:
    """The setting that keeps the hub switched off on purpose (HF_HUB_OFFLINE, TRANSFORMERS_OFFLINE),
    or None. Read at call time: the environment, and huggingface_hub's own flag (set at its import,
    and what blocks its requests)."""
    from huggingface_hub import constants

    variable = next((name for name in OFFLINE_VARIABLES if _is_true(os.environ.get(name))), None)
    return variable or ("HF_HUB_OFFLINE" if constants.HF_HUB_OFFLINE else None)


def offline_reason() -> str | None:
    """Why nothing can be downloaded now, as a sentence, or None."""
    variable = offline_variable()
    return f"Offline: {variable} is set, so only models already on this machine can be used." if variable else None


def offline_sentence(hub_id: str) -> str:
    """Why `hub_id` cannot be downloaded now that the hub is switched off, as one sentence."""
    variable = offline_variable() or "HF_HUB_OFFLINE"
    return (
        f"'{hub_id}' cannot be downloaded while {variable} is set (offline): only models already on this machine "
        "can be used."
    )


def endpoint() -> str:
    """The hub's address (HF_ENDPOINT, else https://huggingface.co), as huggingface_hub reads it."""
    from huggingface_hub import constants

    return constants.ENDPOINT.rstrip("/")


def network_reason(timeout: float = 2.0) -> str | None:
    """Why the hub cannot be reached now, or None when it answers. Makes a request, so it belongs in
    a worker thread, never on a window's thread."""
    offline = offline_reason()
    if offline:
        return offline
    import httpx2

    try:
        httpx2.head(f"{endpoint()}/api/models", timeout=timeout, follow_redirects=False)
    except httpx2.TimeoutException:
        return f"Cannot reach the Hugging Face hub at {endpoint()}: no answer within {timeout:g} s."
    except httpx2.HTTPError as exc:
        return f"Cannot reach the Hugging Face hub at {endpoint()}: {one_line(exc)}."
    return None


def token_path() -> Path:
    """Where huggingface_hub keeps the active access token (read at call time)."""
    from huggingface_hub import constants

    return Path(constants.HF_TOKEN_PATH)


def has_token() -> bool:
    """An access token is set: HF_TOKEN in the environment, or the saved one. Reads no network
    (huggingface_hub's `get_token` may refresh an OAuth token over the network)."""
    if any((os.environ.get(name) or "").strip() for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")):
        return True
    try:
        return bool(token_path().read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return False


def save_token(token: str) -> Path:
    """Keep `token` as the hub access token, where huggingface_hub reads it; the file is the
    owner's alone. Checked for shape only (no network): the hub says whether it is accepted at the
    next download. Returns where it is stored."""
    token = (token or "").strip()
    if not token:
        raise ConfigError("the access token is empty: copy it from https://huggingface.co/settings/tokens")
    if any(character.isspace() for character in token):
        raise ConfigError(
            "an access token has no spaces in it: copy it again from https://huggingface.co/settings/tokens"
        )
    path = token_path()
    try:
        _write_private(path, token)
    except OSError as exc:
        raise LoupeError(f"cannot save the access token in {path}: {exc.strerror or one_line(exc)}") from exc
    return path


def _write_private(path: Path, text: str) -> None:
    """Write `text` readable by its owner only (as huggingface_hub writes its token file)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(text)
    try:
        path.chmod(0o600)
    except (OSError, NotImplementedError):
        pass  # Windows: no POSIX modes


def forget_token() -> bool:
    """Remove the saved access token (HF_TOKEN in the environment, if set, still applies); True
    when there was one."""
    try:
        token_path().unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise LoupeError(f"cannot remove the access token {token_path()}: {exc.strerror or one_line(exc)}") from exc
    return True


def explain(exc: BaseException, hub_id: str) -> str:
    """What went wrong with a download of `hub_id`, as ONE sentence that says what to do."""
    if isinstance(exc, LoupeError):
        return one_line(exc)
    for kind, sentence in _EXPLANATIONS:
        if kind(exc):
            return sentence(exc, hub_id)
    return f"Downloading '{hub_id}' failed ({type(exc).__name__}: {one_line(exc)})."


def _status(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def _error_message(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    return headers.get("X-Error-Message", "") or ""


def _is_gated(exc: BaseException) -> bool:
    from huggingface_hub.errors import GatedRepoError

    return isinstance(exc, GatedRepoError)


def gated_reason(hub_id: str) -> str:
    """What a gated model needs before it can be downloaded, as one sentence."""
    return (
        f"'{hub_id}' is gated: accept its terms at https://huggingface.co/{hub_id} while signed in, then give "
        f"Loupe an access token ({TOKEN_HINT})."
    )


def _gated(exc: BaseException, hub_id: str) -> str:
    if _status(exc) == 403 and has_token():
        return (
            f"'{hub_id}' is gated and your access token's account has not been granted it yet: accept its terms at "
            f"https://huggingface.co/{hub_id} while signed in with that account (some need the authors' approval), "
            "then download again."
        )
    return gated_reason(hub_id)


def _is_bad_token(exc: BaseException) -> bool:
    return _status(exc) == 401 and "credentials" in _error_message(exc).lower()


def _bad_token(exc: BaseException, hub_id: str) -> str:
    return (
        f"The hub refused the access token while downloading '{hub_id}' (expired or revoked?): make a new one at "
        f"https://huggingface.co/settings/tokens and give it to Loupe ({TOKEN_HINT})."
    )


def _is_not_found(exc: BaseException) -> bool:
    from huggingface_hub.errors import RepositoryNotFoundError, RevisionNotFoundError

    return isinstance(exc, RepositoryNotFoundError | RevisionNotFoundError)


def _not_found(exc: BaseException, hub_id: str) -> str:
    from huggingface_hub.errors import RevisionNotFoundError

    if isinstance(exc, RevisionNotFoundError):
        return f"'{hub_id}' has no such revision on the hub: check the revision's name."
    token = "" if has_token() else f", and a private one needs an access token ({TOKEN_HINT})"
    return f"'{hub_id}' is not on the Hugging Face hub: check the name (org/name, as on its page){token}."


def _is_offline(exc: BaseException) -> bool:
    from huggingface_hub.errors import OfflineModeIsEnabled

    return isinstance(exc, OfflineModeIsEnabled)


def _offline(exc: BaseException, hub_id: str) -> str:
    return offline_sentence(hub_id)


def _is_refused(exc: BaseException) -> bool:
    return _status(exc) == 403


def _refused(exc: BaseException, hub_id: str) -> str:
    detail = _error_message(exc)
    return (
        f"The hub refused access to '{hub_id}'{f' ({detail})' if detail else ''}: check that your access token "
        f"may read it ({TOKEN_HINT})."
    )


def _is_connection(exc: BaseException) -> bool:
    import httpx2

    return isinstance(exc, httpx2.TransportError | ConnectionError | TimeoutError)


def _connection(exc: BaseException, hub_id: str) -> str:
    return (
        f"The connection to the Hugging Face hub failed while downloading '{hub_id}' ({one_line(exc)}): check "
        "the network and download again; what was downloaded so far is kept and resumes."
    )


def _is_server_error(exc: BaseException) -> bool:
    return (_status(exc) or 0) >= 500 or _status(exc) == 429


def _server_error(exc: BaseException, hub_id: str) -> str:
    return (
        f"The Hugging Face hub answered HTTP {_status(exc)} while downloading '{hub_id}': try again later; what was "
        "downloaded so far is kept and resumes."
    )


#: (is it this kind of failure, the sentence for it), most specific first.
_EXPLANATIONS = (
    (_is_offline, _offline),
    (_is_gated, _gated),
    (_is_bad_token, _bad_token),
    (_is_not_found, _not_found),
    (_is_refused, _refused),
    (_is_server_error, _server_error),
    (_is_connection, _connection),
)
