"""`zik doctor`'s shell-completion line: does the user's shell load zik's completion?"""

from __future__ import annotations

import os
from pathlib import Path

from zik.core.doctor.check import OK, WARN, Check

# Where a shell finds zik's completion: first where `zik --install-completion` (Typer) writes it,
# then the per-user and system folders each shell's completion system reads by itself.
COMPLETION_FILES = {
    "bash": (
        "~/.bash_completions/zik.sh",
        "$XDG_DATA_HOME/bash-completion/completions/zik",
        "~/.local/share/bash-completion/completions/zik",
        "/usr/share/bash-completion/completions/zik",
        "/etc/bash_completion.d/zik",
    ),
    "zsh": (
        "~/.zfunc/_zik",
        "/usr/share/zsh/site-functions/_zik",
        "/usr/local/share/zsh/site-functions/_zik",
    ),
    "fish": (
        "~/.config/fish/completions/zik.fish",
        "$XDG_CONFIG_HOME/fish/completions/zik.fish",
        "~/.local/share/fish/vendor_completions.d/zik.fish",
        "/usr/share/fish/vendor_completions.d/zik.fish",
    ),
}
# Or the shell's start-up file loads it, e.g. `eval "$(_ZIK_COMPLETE=source_bash zik)"`.
SHELL_RC = {"bash": "~/.bashrc", "zsh": "~/.zshrc", "fish": "~/.config/fish/config.fish"}


def check_completion() -> Check:
    """Whether the user's shell has zik's completion (`zik --install-completion`)."""
    shell = Path(os.environ.get("SHELL", "")).name
    if shell not in COMPLETION_FILES:
        return Check(
            "completion",
            OK,
            f"not checked for {shell or 'this shell'} (zik --install-completion supports bash,"
            " zsh, fish and PowerShell)",
        )
    for place in COMPLETION_FILES[shell]:
        path = _expand(place)
        if path is not None and _holds_zik_completion(path):
            return Check("completion", OK, f"{shell}: {path}")
    rc = _expand(SHELL_RC[shell])
    if rc is not None and _holds_zik_completion(rc):
        return Check("completion", OK, f"{shell}: loaded in {rc}")
    return Check(
        "completion",
        WARN,
        f"{shell}: not installed (Tab does not complete commands and ids)",
        "zik --install-completion, then open a new terminal",
    )


def _expand(place: str) -> Path | None:
    """A path with ~ and $XDG_… expanded; None when the variable it names is unset."""
    if place.startswith("$"):
        name, _, rest = place[1:].partition("/")
        base = os.environ.get(name)
        return Path(base, rest) if base else None
    return Path(place).expanduser()


def _holds_zik_completion(path: Path) -> bool:
    try:
        return "_ZIK_COMPLETE" in path.read_text(errors="replace")
    except OSError:
        return False
