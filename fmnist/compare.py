"""Comparing runs: which is best, where each peaked, how far training ran ahead of the test.

Plain functions of a run's history (per epoch: loss, accuracy, val_loss, val_accuracy, where
val is the test split as in the lesson). No Streamlit here.
"""

from __future__ import annotations

# One colour per run, the same in every chart: a run's colour comes from its id, not
# from its place in a list, so it does not change when other runs are selected or deleted.
RUN_COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#393b79",
)
DASHES = ("solid", "dash", "dot", "dashdot")  # runs ten ids apart share a colour, not a dash


def run_colour(run_id: int) -> str:
    return RUN_COLOURS[(run_id - 1) % len(RUN_COLOURS)]


def run_dash(run_id: int) -> str:
    return DASHES[((run_id - 1) // len(RUN_COLOURS)) % len(DASHES)]


def best_epoch(history: dict[str, list[float]]) -> int | None:
    """The 1-based epoch with the highest test accuracy (the first, on a tie); None before any."""
    values = history.get("val_accuracy") or []
    return 1 + max(range(len(values)), key=values.__getitem__) if values else None


def train_test_gap(history: dict[str, list[float]]) -> float | None:
    """Training accuracy minus test accuracy at the last epoch: how far the model learned its
    training pictures beyond what carries over to new ones. Keras' training accuracy is the mean
    over the epoch's batches, so early epochs understate it a little."""
    train, test = history.get("accuracy") or [], history.get("val_accuracy") or []
    if not train or not test:
        return None
    return train[min(len(train), len(test)) - 1] - test[min(len(train), len(test)) - 1]


def best_of(accuracies: dict[int, float | None]) -> int | None:
    """The id with the highest test accuracy (the earliest on a tie); None without any."""
    scored = {run_id: value for run_id, value in accuracies.items() if value is not None}
    return max(sorted(scored), key=scored.__getitem__) if scored else None
