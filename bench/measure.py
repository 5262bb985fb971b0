"""Time and peak memory of one command, run as a child process.

Peak memory is measured two ways: `ru_maxrss` from wait4() for that child (the largest
single process of its tree, exact), and the sum of the resident sizes of the child and
all its descendants sampled every 50 ms (the tree's peak, e.g. Python while Pagefind
runs beside it; sampling can miss a short spike).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Measurement:
    seconds: float
    max_rss: int  # bytes, the largest process of the tree (wait4's ru_maxrss)
    tree_rss: int  # bytes, the sampled peak of the whole tree
    code: int
    output: str

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("output")
        data["seconds"] = round(self.seconds, 3)
        return data


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text(encoding="ascii")
                todo += [int(child) for child in children.split()]
        except OSError:
            continue
    return found


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text(encoding="ascii").split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


class _Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            self.peak = max(self.peak, sum(_rss(p) for p in _descendants(self.pid)))


def run(
    command: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> Measurement:
    """Run `command`; its wall time, peak memory and combined output."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    sampler = _Sampler(process.pid)
    sampler.start()
    assert process.stdout is not None
    output = process.stdout.read()  # read before waiting, so a full pipe cannot block it
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    text = output.decode("utf-8", "replace")
    max_rss = usage.ru_maxrss * 1024
    result = Measurement(seconds, max_rss, max(sampler.peak, max_rss), process.returncode, text)
    if check and result.code != 0:
        shown = " ".join(str(part) for part in command)
        raise RuntimeError(f"`{shown}` failed with exit status {result.code}:\n{text[-4000:]}")
    return result
