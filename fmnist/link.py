"""A run's settings as the query of a page link, and back, as TF Playground keeps its state
in its address: opening the link sets every control on the Train page.

    ?arch=mlp&units=128-128&activation=relu&dropout=0&optimizer=adam&lr=0.001&batch=32
     &epochs=10&normalize=1&augment=0&seed=0

`to_query` writes every setting, so a link always means the same run whatever the reader's
page held before. `from_query` reads what a link holds: None when it holds no setting (a
plain link leaves the page's settings alone), and a line for each value it cannot use
(those settings keep the lesson's values). No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fmnist.config import RunConfig

_SWITCH = {"1": True, "true": True, "on": True, "0": False, "false": False, "off": False}


def _units(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("-"))


def _switch(text: str) -> bool:
    return _SWITCH[text.lower()]


# query key -> (RunConfig field, text -> value, value -> text)
_KEYS: dict[str, tuple[str, Callable, Callable]] = {
    "arch": ("arch", str.lower, str),
    "units": ("hidden_units", _units, lambda units: "-".join(str(u) for u in units)),
    "activation": ("activation", str.lower, str),
    "dropout": ("dropout", float, lambda value: f"{value:g}"),
    "optimizer": ("optimizer", str.lower, str),
    "lr": ("learning_rate", float, lambda value: f"{value:g}"),
    "batch": ("batch_size", int, str),
    "epochs": ("epochs", int, str),
    "normalize": ("normalize", _switch, lambda on: "1" if on else "0"),
    "augment": ("augment", _switch, lambda on: "1" if on else "0"),
    "seed": ("seed", int, str),
}
KEYS = tuple(_KEYS)


def to_query(config: RunConfig) -> dict[str, str]:
    """Every setting of the run as query text, in a fixed order."""
    return {key: write(getattr(config, field)) for key, (field, _, write) in _KEYS.items()}


def from_query(query: Mapping[str, str]) -> tuple[RunConfig | None, list[str]]:
    """The run a link's query describes, and what in it could not be used; (None, []) when the
    query holds no setting at all. Settings missing from the query, or not understood, are the
    lesson's."""
    present = {key: query[key] for key in KEYS if key in query}
    if not present:
        return None, []
    values, problems = {}, []
    for key, text in present.items():
        field, read, _ = _KEYS[key]
        try:
            value = read(str(text).strip())
            RunConfig(**{field: value})  # the run's own checks, one setting at a time
        except (ValueError, KeyError, TypeError):
            problems.append(f"{key}={text}")
            continue
        values[field] = value
    try:
        return RunConfig(**values), problems
    except ValueError:  # each setting fine alone, not together (an MLP with no layers cannot happen)
        return RunConfig(), [*problems, "the settings together"]
