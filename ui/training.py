"""The Train page's widgets: presets, settings, the runs table. Each returns plain values."""

from __future__ import annotations

import streamlit as st

from fmnist.config import ACTIVATIONS, OPTIMIZERS, PRESETS, RunConfig

LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1)
BATCH_SIZES = (8, 16, 32, 64, 128, 256, 512)
SAVED = "train_settings"  # the last settings, kept when the widgets' own state is dropped

HELP = {
    "arch": "MLP: **flatten** the 28 x 28 picture into a row of 784 numbers, then dense layers. "
    "CNN: convolutions look at small patches first and keep the picture's 2-D shape: the lesson's next step.",
    "layers": "How many hidden dense layers between the pixels and the answer. The lesson uses one.",
    "units": "Numbers each hidden layer computes. More units can learn more, and overfit more. The lesson uses 128.",
    "epochs": "An epoch is one pass over every training picture. The lesson uses 5.",
    "normalise": "Scale pixels from 0..255 to 0..1. Without it the first steps are huge and training is erratic: "
    "the lesson's 'no normalisation' experiment.",
    "activation": "What each hidden unit does with its sum. **relu** keeps positives and turns negatives to 0.",
    "dropout": "Randomly silence this share of hidden units while training: a guard against overfitting.",
    "optimizer": "How the weights are nudged after each batch. Adam adapts its step size; SGD does not.",
    "learning_rate": "How big each nudge is. Too big and the loss jumps about; too small and learning crawls.",
    "batch_size": "Pictures per nudge. The lesson uses 32.",
    "augment": "Train on randomly mirrored, slightly turned, shifted and zoomed copies of each picture. "
    "Costs a little test accuracy; wins a lot on people's photos, where shoes point either way.",
    "seed": "Starting weights and shuffling. The same seed repeats a run exactly.",
}


# Widget key -> RunConfig field, for the settings that map one to one. Architecture and the
# hidden layers (layers x units in the widgets, a tuple in the config) are handled beside it.
_FIELDS = {
    "train_epochs": "epochs",
    "train_normalize": "normalize",
    "train_augment": "augment",
    "train_activation": "activation",
    "train_dropout": "dropout",
    "train_optimizer": "optimizer",
    "train_learning_rate": "learning_rate",
    "train_batch_size": "batch_size",
    "train_seed": "seed",
}


def _show(config: RunConfig) -> None:
    """Put a config into the widgets (before they are drawn in this script run)."""
    st.session_state.update(
        {key: getattr(config, field) for key, field in _FIELDS.items()},
        train_arch="CNN" if config.arch == "cnn" else "MLP",
        train_layers=len(config.hidden_units),
        train_units=config.hidden_units[0],
    )


def settings_from_widgets() -> RunConfig:
    state = st.session_state
    return RunConfig(
        arch="cnn" if state.train_arch == "CNN" else "mlp",
        hidden_units=(state.train_units,) * state.train_layers,
        **{field: state[key] for key, field in _FIELDS.items()},
    )


def presets_ui() -> None:
    """One button per lesson experiment; a click fills in the settings below it."""
    st.markdown("**The lesson's experiments**: one click fills in the settings; change them as you like.")
    with st.container(horizontal=True):
        for index, name in enumerate(PRESETS):
            st.button(name, key=f"train_preset_{index}", on_click=_show, args=(PRESETS[name],))


def settings_ui() -> RunConfig:
    """The run settings, every field of RunConfig; returns the config they describe."""
    if "train_arch" not in st.session_state:  # first visit, or Streamlit dropped the widgets' state
        _show(st.session_state.get(SAVED, RunConfig()))
    cnn = st.session_state.train_arch == "CNN"
    st.radio("Architecture", ["MLP", "CNN"], key="train_arch", horizontal=True, help=HELP["arch"])
    st.slider("Hidden layers", 1, 4, key="train_layers", disabled=cnn, help=HELP["layers"])
    st.slider("Hidden units per layer", 10, 512, key="train_units", disabled=cnn, help=HELP["units"])
    st.slider("Epochs", 1, 50, key="train_epochs", help=HELP["epochs"])
    st.toggle("Normalise pixels to [0, 1]", key="train_normalize", help=HELP["normalise"])
    st.toggle("Augment for photos", key="train_augment", help=HELP["augment"])
    with st.expander("More settings"):
        st.selectbox("Activation", ACTIVATIONS, key="train_activation", help=HELP["activation"])
        st.slider("Dropout", 0.0, 0.5, step=0.05, key="train_dropout", help=HELP["dropout"])
        st.selectbox("Optimizer", OPTIMIZERS, key="train_optimizer", format_func=str.capitalize, help=HELP["optimizer"])
        st.select_slider("Learning rate", LEARNING_RATES, key="train_learning_rate", help=HELP["learning_rate"])
        st.select_slider("Batch size", BATCH_SIZES, key="train_batch_size", help=HELP["batch_size"])
        st.number_input("Seed", 0, 2**31 - 1, step=1, key="train_seed", help=HELP["seed"])
    config = settings_from_widgets()
    st.session_state[SAVED] = config
    return config


def model_summary_ui(config: RunConfig) -> None:
    st.markdown(" → ".join(f"`{layer}`" for layer in config.layer_summary()))
    st.caption(
        f"**{config.params:,} parameters**, {config.weight_bytes / 1024:,.0f} KB of weights "
        f"({3 * config.weight_bytes / 1024:,.0f} KB while training with Adam). "
        "**softmax** turns the last ten numbers into probabilities that add up to 1."
    )


def runs_table_ui(runs: list) -> list:
    """A sortable table of the session's runs; returns the runs whose rows are selected."""
    rows = [
        {
            "run": run.id,
            "settings": run.label,
            "status": run.status if run.status != "stopped" else f"stopped ({run.stop_reason or 'early'})",
            "epochs": len(run.history.get("loss", [])),
            "test accuracy": run.test_accuracy,
            "seconds": round(run.result.seconds, 1) if run.result and run.config else None,
            "parameters": run.model.count_params() if run.model is not None else run.config.params,
        }
        for run in runs
    ]
    event = st.dataframe(
        rows,
        column_config={
            "test accuracy": st.column_config.NumberColumn(format="percent"),
            "parameters": st.column_config.NumberColumn(format="localized"),
        },
        hide_index=True,
        on_select="rerun",
        selection_mode="multi-row",
        key="train_runs_table",
    )
    return [runs[i] for i in event.selection.rows if i < len(runs)]
