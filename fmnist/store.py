"""Runs kept on disk: a folder per workspace, a folder per run, written as the run goes.

    <root>/<workspace>/
        next-id             the next run id (ids are never reused)
        active.json         {"run": id}: the model Explore and Classify use
        <id>/run.json       settings, status, curves, timings (a record, see `RunRecord`)
        <id>/model.keras    the model after the last finished epoch
        <id>/training.lock  held (flock) by the process training the run, while it trains
        <id>/tensorboard/   TensorBoard logs, for `tensorboard --logdir <root>`

Every file is written to a temporary name beside it and renamed into place, so a reader
never sees half a file. A run folder that cannot be read comes back as a `Broken` entry
with a one-line reason; the other runs still load. A run whose record says "training" but
whose lock is free was being trained by a process that died: it reads as interrupted, at
the last epoch it finished, with that epoch's model. No Streamlit here.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

WORKSPACE_NAME = re.compile(r"^[A-Za-z0-9_-]{4,64}$")  # also what keeps a name from leaving the root
RECORD, MODEL, LOCK, NEXT_ID, ACTIVE = "run.json", "model.keras", "training.lock", "next-id", "active.json"
START = "start.npy"  # an MLP's first-layer weights before training: what training changed is the rest
TRAINING, QUEUED, INTERRUPTED = "training", "queued", "interrupted"


class StoreError(Exception):
    """The store cannot do what was asked; the message says why in one line."""


def default_root() -> Path:
    """FMNIST_RUNS_DIR, else the per-user data folder ($XDG_DATA_HOME or ~/.local/share)."""
    if os.environ.get("FMNIST_RUNS_DIR", "").strip():
        return Path(os.environ["FMNIST_RUNS_DIR"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME", "").strip() or Path.home() / ".local" / "share"
    return Path(base) / "fmnist-explorer" / "runs"


@dataclass
class RunRecord:
    """What run.json holds: everything about a run but its model."""

    id: int
    config: dict | None  # RunConfig.to_dict(); None for a model loaded from a file
    status: str = TRAINING  # then finished, stopped, failed; interrupted (read so, or a run whose worker died)
    source: str | None = None  # the file a loaded model came from
    stop_reason: str | None = None
    error: str | None = None
    history: dict[str, list[float]] = field(default_factory=dict)
    class_accuracy: list[list[float]] = field(default_factory=list)
    live: list[list[float]] = field(default_factory=list)  # (epochs done, loss, accuracy)
    test_accuracy: float | None = None
    seconds: float = 0.0
    created: float = field(default_factory=time.time)
    has_model: bool = False

    @property
    def epochs_done(self) -> int:
        return len(self.history.get("loss", []))

    @property
    def label(self) -> str:
        """What the run is, e.g. 'MLP 128 relu, 5 epochs' or 'loaded from mine.keras'."""
        from fmnist.config import RunConfig

        return RunConfig.from_dict(self.config).describe() if self.config else f"loaded from {self.source}"

    @classmethod
    def from_dict(cls, values: dict) -> RunRecord:
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in values.items() if key in known})


@dataclass(frozen=True)
class Broken:
    """A run folder that could not be read."""

    id: int
    reason: str


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a reader sees the old file or the new one, never a part."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class Workspace:
    """One learner's runs: a folder under the store's root."""

    def __init__(self, root: Path, name: str, max_runs: int = 50, max_mb: float = 500):
        if not WORKSPACE_NAME.match(name):
            raise StoreError(f"{name!r} is not a workspace name (4-64 letters, digits, - or _)")
        self.name, self.folder = name, Path(root) / name
        self.max_runs, self.max_mb = max_runs, max_mb
        self._cache: dict[int, tuple[float, RunRecord]] = {}  # id -> (run.json's mtime, record)
        self._locks: dict[int, object] = {}  # id -> the open lock file of a run this process trains
        self._guard = threading.Lock()

    def _folder_of(self, run_id: int) -> Path:
        return self.folder / str(int(run_id))

    # --- ids and limits ----------------------------------------------------------------

    def new_id(self) -> int:
        """The next run id, safe against other processes (the CLI, another server) doing the same."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / f"{NEXT_ID}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            counter = self.folder / NEXT_ID
            try:
                number = int(counter.read_text().strip())
            except (OSError, ValueError):
                number = 1 + max((int(p.name) for p in self.folder.iterdir() if p.name.isdigit()), default=0)
            write_atomically(counter, str(number + 1).encode())
            self._folder_of(number).mkdir(exist_ok=True)
            return number

    def usage(self) -> tuple[int, float]:
        """(runs, megabytes) this workspace holds on disk."""
        runs = [p for p in self.folder.glob("*") if p.name.isdigit()] if self.folder.is_dir() else []
        size = sum(f.stat().st_size for run in runs for f in run.rglob("*") if f.is_file())
        return len(runs), size / 2**20

    def check_room(self) -> None:
        """Raise StoreError, in words for people, when another run would go over the limits."""
        runs, megabytes = self.usage()
        if runs >= self.max_runs:
            raise StoreError(
                f"this workspace holds {runs} runs, its limit (FMNIST_MAX_RUNS); delete some on the Train page"
            )
        if megabytes >= self.max_mb:
            raise StoreError(
                f"this workspace's runs take {megabytes:.0f} MB, its limit (FMNIST_MAX_WORKSPACE_MB); "
                "delete some on the Train page"
            )

    # --- writing -------------------------------------------------------------------------

    def save(self, record: RunRecord) -> None:
        folder = self._folder_of(record.id)
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / RECORD, json.dumps(asdict(record)).encode())

    def save_model(self, run_id: int, model) -> None:
        """The model as model.keras, written beside and renamed into place."""
        folder = self._folder_of(run_id)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".model.", suffix=".keras")
        os.close(handle)
        try:
            model.save(temporary)
            os.replace(temporary, folder / MODEL)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

    def save_start(self, run_id: int, pictures) -> None:
        """The first hidden layer's weights before training, (units, 28, 28) float32, as start.npy."""
        import io

        import numpy as np

        buffer = io.BytesIO()
        np.save(buffer, np.asarray(pictures, np.float32), allow_pickle=False)
        write_atomically(self._folder_of(run_id) / START, buffer.getvalue())

    def load_start(self, run_id: int):
        """What `save_start` kept, or None (no such file, or one that is not what it should be)."""
        import numpy as np

        try:
            pictures = np.load(self._folder_of(run_id) / START, allow_pickle=False)
        except (OSError, ValueError):
            return None
        return pictures if pictures.ndim == 3 and pictures.shape[1:] == (28, 28) else None

    def model_path(self, run_id: int) -> Path:
        return self._folder_of(run_id) / MODEL

    def hold(self, run_id: int) -> None:
        """Mark the run as being trained by this process, until `release` (or the process's end)."""
        lock = open(self._folder_of(run_id) / LOCK, "a")  # held open for the run's life
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._locks[run_id] = lock

    def release(self, run_id: int) -> None:
        lock = self._locks.pop(run_id, None)
        if lock is not None:
            lock.close()

    def delete(self, run_id: int) -> None:
        shutil.rmtree(self._folder_of(run_id), ignore_errors=True)
        self._cache.pop(run_id, None)
        if self.active() == run_id:
            with contextlib.suppress(OSError):
                (self.folder / ACTIVE).unlink()

    def set_active(self, run_id: int | None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomically(self.folder / ACTIVE, json.dumps({"run": run_id}).encode())

    def model_for_the_pages(self, with_model: list[int], existing: list[int]) -> int | None:
        """Which of the runs with a usable model (`with_model`, oldest first) Explore and Classify
        use: the one chosen; before any choice, the first model there was, written down so that
        no later run takes its place; when the chosen run was deleted, the newest, written down;
        while the chosen one trains or cannot be read, the newest for now, the choice kept."""
        if not with_model:
            return None
        chosen = self.active()
        if chosen in with_model:
            return chosen
        picked = with_model[0] if chosen is None else with_model[-1]
        if chosen is None or chosen not in existing:
            self.set_active(picked)
        return picked

    def active(self) -> int | None:
        try:
            run_id = json.loads((self.folder / ACTIVE).read_text())["run"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return int(run_id) if isinstance(run_id, int) else None

    # --- reading -------------------------------------------------------------------------

    def load_all(self) -> list[RunRecord | Broken]:
        """Every run, oldest first; a folder that cannot be read is a Broken entry."""
        if not self.folder.is_dir():
            return []
        ids = sorted(int(p.name) for p in self.folder.iterdir() if p.name.isdigit() and p.is_dir())
        return [entry for entry in (self._load(run_id) for run_id in ids) if entry is not None]

    def _load(self, run_id: int) -> RunRecord | Broken | None:
        path = self._folder_of(run_id) / RECORD
        try:
            mtime = path.stat().st_mtime_ns
        except FileNotFoundError:
            return None  # a run being created (its id taken, its record not yet written)
        except OSError as error:
            return Broken(run_id, f"its record cannot be read ({error.strerror})")
        with self._guard:
            cached = self._cache.get(run_id)
        if cached is None or cached[0] != mtime:
            try:
                record = RunRecord.from_dict(json.loads(path.read_text()))
            except (OSError, ValueError, TypeError) as error:
                return Broken(run_id, f"its record is damaged ({type(error).__name__})")
            with self._guard:
                self._cache[run_id] = (mtime, record)
        else:
            record = cached[1]
        if record.status in (TRAINING, QUEUED) and not self._trained_now(run_id):
            return RunRecord.from_dict({**asdict(record), "status": INTERRUPTED})
        return record

    def _trained_now(self, run_id: int) -> bool:
        """Whether some live process holds the run's lock (a dead one's lock is released)."""
        if run_id in self._locks:
            return True
        try:
            with open(self._folder_of(run_id) / LOCK, "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return False
        return False


class RunStore:
    """The root folder of every workspace; one Workspace object per name, shared in a process."""

    def __init__(self, root: Path, max_runs: int = 50, max_mb: float = 500):
        self.root, self.max_runs, self.max_mb = Path(root), max_runs, max_mb
        self._workspaces: dict[str, Workspace] = {}
        self._guard = threading.Lock()

    def workspace(self, name: str) -> Workspace:
        with self._guard:
            if name not in self._workspaces:
                self._workspaces[name] = Workspace(self.root, name, self.max_runs, self.max_mb)
            return self._workspaces[name]

    def check_writable(self) -> None:
        """Raise StoreError unless runs can be written under the root."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=self.root):
                pass
        except OSError as error:
            raise StoreError(f"runs cannot be kept in {self.root}: {error.strerror or error}") from None
