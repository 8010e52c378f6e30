"""The Train page's parts: presets, settings, the live view of a run, the runs and their files."""

from __future__ import annotations

import math
import threading
import time

import streamlit as st

from fmnist import link
from fmnist.charts import class_accuracy_bars, runs_overlay, training_curves
from fmnist.compare import best_epoch, best_of, train_test_gap
from fmnist.config import ACTIVATIONS, OPTIMIZERS, PRESETS, WHAT_TO_NOTICE, RunConfig, preset_of
from fmnist.data import CLASS_NAMES
from fmnist.events import FAILED, FINISHED, STOPPED
from fmnist.export import history_csv, model_bytes
from fmnist.keras_code import keras_code
from fmnist.store import INTERRUPTED
from ui import choice, compat, state
from ui.text import plain

LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1)
BATCH_SIZES = (8, 16, 32, 64, 128, 256, 512)
SAVED = "train_settings"  # the last settings, kept when the widgets' own state is dropped
PRESET = "train_preset"  # the name of the experiment last applied
RESTORE, RESTORED = "train_restore", "train_restored"  # settings to put back, and that it was done
LINK_SEEN = "train_link_seen"  # the settings query this page last wrote into its link, or applied from it
LAYERS, UNITS, EPOCHS, DROPOUT = (1, 4), (10, 512), (1, 50), (0.0, 0.5)  # the controls' ranges
CHARTS_EVERY_S = 1.5  # the live curves redraw this often; the progress bar twice a second
STOP_WAIT_S = 2.0  # Stop waits this long for the run to wind down before the page redraws
# Train waits this long for the run's first step: the page drawn next shows it moving, instead
# of a bar at 0% until the live view's next tick (~0.7 s for the lesson's model here).
FIRST_STEP_WAIT_S = 1.0
PRESSES = "train_presses"  # what the last press of Train and of "Queue all" started, and when
# Streamlit may call a click's callback twice: again on a new thread when a second click comes
# while the first call still waits (fast reruns), and again when a rerun interrupts the page
# drawn after it. A call this soon after the last one ended, before the page after it was
# drawn to its end, is the same press; a press after that page is drawn is a new one.
SAME_PRESS_S = 0.5
CLAIM_WAIT_S = 10.0  # the longest a second call for a press waits for the first to finish starting
_PRESS_LOCK = threading.Lock()
OVERLAID = 10  # runs on the comparison chart when none are selected: one lesson's worth of experiments
SETTING_COLUMNS = [name for name in RunConfig().columns() if name != "model"]  # in the runs table, after the results

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


WIDGET_KEYS = ("train_arch", "train_layers", "train_units", *_FIELDS)


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
    """One button per lesson experiment; a click fills in the settings below it. The applied one
    carries a tick while the settings still match it."""
    now = current_settings()
    st.markdown("**The lesson's experiments**: one click fills in the settings; change them as you like.")
    with st.container(horizontal=True):
        for index, (name, preset) in enumerate(PRESETS.items()):
            st.button(
                name,
                key=f"train_preset_{index}",
                on_click=_apply,
                args=(name,),
                icon=":material/check:" if preset == now else None,
            )


def all_experiments_ui(data) -> None:
    """One button that queues every experiment of the lesson, to compare them side by side."""
    st.button(
        "Queue all of them",
        key="train_queue_all",
        on_click=_queue_all,
        args=(data,),
        icon=":material/queue:",
        help="Adds one run per experiment above to your queue. They train one after the other; "
        "the runs table and the chart below compare them as they finish.",
    )


def _queue_all(data) -> None:
    _start_once("train_queue_all", list(PRESETS.values()), data)


def _start_once(button: str, configs: list[RunConfig], data, wait_s: float = 0.0) -> None:
    """Start the runs a press of `button` asks for, each once however often Streamlit calls
    back for that press: a call for the same press carries on where the last one ended."""
    presses = st.session_state.setdefault(PRESSES, {})  # a Streamlit yield point: nothing started yet
    press = _claim(presses, button, len(configs))
    if press is None:  # this press again, after all of its runs started
        return
    refusals = []
    try:
        for config in configs[press["started"] :]:
            if refusal := state.start(config, data, wait_s=wait_s):
                refusals.append(refusal)
            press["started"] += 1  # a plain dict: no yield point between the start and its record
    finally:  # a rerun may stop this call at a yield point: the next call carries on
        press["at"], press["busy"] = time.monotonic(), False
    if refusals:
        st.session_state.train_refused = refusals[0]
    else:
        st.session_state.pop("train_refused", None)


def presses_drawn() -> None:
    """The page drawn to its end after the presses so far: a click from now on is a new press."""
    for press in st.session_state.get(PRESSES, {}).values():
        press["drawn"] = True


def _claim(presses: dict, button: str, runs: int) -> dict | None:
    """The record of this press of `button`, marked busy, or None when its runs all started.
    With fast reruns, Streamlit calls back for the same press on a new thread while the first
    call still waits for its run's first step: the second waits for the first, then looks."""
    deadline = time.monotonic() + CLAIM_WAIT_S
    while time.monotonic() < deadline:
        with _PRESS_LOCK:
            press = presses.get(button)
            if press is None or press["drawn"] or (not press["busy"] and time.monotonic() - press["at"] > SAME_PRESS_S):
                press = presses[button] = {"at": time.monotonic(), "started": 0, "busy": True, "drawn": False}
                return press
            if not press["busy"]:
                if press["started"] >= runs:
                    return None
                press["busy"] = True
                return press
        time.sleep(0.02)
    return None


def queue_ui(runs: list) -> None:
    """The learner's runs waiting their turn, each with its place and a way out of the queue."""
    waiting = [run for run in runs if run.queued]
    if not waiting:
        return
    # Folded when long, so that "Queue all of them" does not push the settings off the screen.
    with st.expander(
        f"Your queue: {len(waiting)} run{'s' if len(waiting) > 1 else ''} waiting", expanded=len(waiting) <= 2
    ):
        for run in waiting:
            said, remove = st.columns([4, 1], vertical_alignment="center")
            said.caption(f"**Waiting:** {plain(run.name)}, place {run.place or '…'}")
            remove.button(
                "",
                key=f"train_unqueue_{run.id}",
                on_click=state.delete_run,
                args=(run,),
                icon=":material/close:",
                type="tertiary",
                help="Remove it from the queue",
            )


def _apply(name: str) -> None:
    st.session_state[PRESET] = name
    st.session_state[SAVED] = PRESETS[name]
    _show(PRESETS[name])


def settings_said(config: RunConfig) -> str:
    """Which experiment the settings are, or how they differ from the one last applied."""
    same = next((name for name, preset in PRESETS.items() if preset == config), None)
    if same is not None:
        return f"Settings: **{same}**"
    base = st.session_state.get(PRESET)
    if base is None:
        return "Settings: your own"
    return f"Settings: **{base}**, changed: " + ", ".join(config.changes_from(PRESETS[base]))


def current_settings() -> RunConfig:
    """The settings the widgets hold (or will show), before or after the widgets are drawn."""
    if RESTORE in st.session_state:  # see settings_ui
        _show(st.session_state.pop(RESTORE))
    elif any(key not in st.session_state for key in WIDGET_KEYS):  # first visit, or the page was left
        _show(st.session_state.get(SAVED, RunConfig()))
    return settings_from_widgets()


def settings_from_link() -> None:
    """Before the controls are drawn: settings in the page's link (opened, pasted, bookmarked,
    shared) fill them. A link without settings leaves the learner's alone; the page's own
    writes (`settings_to_link`) are recognised and not applied again."""
    query = {key: st.query_params[key] for key in link.KEYS if key in st.query_params}
    if not query or query == st.session_state.get(LINK_SEEN):
        return
    config, problems = link.from_query(query)
    config, unfit = _fit_controls(config)
    _show(config)
    st.session_state.pop(PRESET, None)
    st.session_state[SAVED] = config
    st.session_state[LINK_SEEN] = query
    if problems := problems + unfit:
        st.warning(
            "Some of the link's settings could not be used; the lesson's value stands for: "
            + plain(", ".join(problem[:40] for problem in problems)),
            icon=":material/link_off:",
        )


def _fit_controls(config: RunConfig) -> tuple[RunConfig, list[str]]:
    """The config with every setting the controls cannot show put back to the lesson's, and
    those settings named."""
    lesson, changes, unfit = RunConfig(), {}, []
    units = set(config.hidden_units)
    if len(units) != 1 or not LAYERS[0] <= len(config.hidden_units) <= LAYERS[1] or not _within(units.pop(), UNITS):
        changes["hidden_units"] = lesson.hidden_units
        unfit.append(f"units={link.to_query(config)['units']}")
    checks = {
        "epochs": _within(config.epochs, EPOCHS),
        "dropout": _within(config.dropout, DROPOUT) and abs(config.dropout * 20 - round(config.dropout * 20)) < 1e-9,
        "learning_rate": config.learning_rate in LEARNING_RATES,
        "batch_size": config.batch_size in BATCH_SIZES,
        "seed": _within(config.seed, (0, 2**31 - 1)),
    }
    for field, fits in checks.items():
        if not fits:
            changes[field] = getattr(lesson, field)
            unfit.append(f"{field.replace('_', ' ')} {getattr(config, field)}")
    return config.with_(**changes), unfit


def _within(value, bounds) -> bool:
    return bounds[0] <= value <= bounds[1]


def settings_to_link(config: RunConfig) -> None:
    """The page's link holds the settings, so it can be bookmarked or shared (the workspace
    stays in it too)."""
    query = link.to_query(config)
    if any(st.query_params.get(key) != text for key, text in query.items()):
        st.query_params.update(query)
    st.session_state[LINK_SEEN] = query


def settings_ui() -> RunConfig:
    """The run settings, every field of RunConfig; returns the config they describe."""
    current_settings()
    cnn = st.session_state.train_arch == "CNN"
    st.radio("Architecture", ["MLP", "CNN"], key="train_arch", horizontal=True, help=HELP["arch"])
    st.slider("Hidden layers", *LAYERS, key="train_layers", disabled=cnn, help=HELP["layers"])
    st.slider("Hidden units per layer", *UNITS, key="train_units", disabled=cnn, help=HELP["units"])
    st.slider("Epochs", *EPOCHS, key="train_epochs", help=HELP["epochs"])
    st.toggle("Normalise pixels to [0, 1]", key="train_normalize", help=HELP["normalise"])
    st.toggle("Augment for photos", key="train_augment", help=HELP["augment"])
    with st.expander("More settings"):
        st.selectbox("Activation", ACTIVATIONS, key="train_activation", help=HELP["activation"])
        st.slider("Dropout", *DROPOUT, step=0.05, key="train_dropout", help=HELP["dropout"])
        st.selectbox(
            "Optimizer", list(OPTIMIZERS), key="train_optimizer", format_func=str.capitalize, help=HELP["optimizer"]
        )
        st.select_slider("Learning rate", LEARNING_RATES, key="train_learning_rate", help=HELP["learning_rate"])
        st.select_slider("Batch size", BATCH_SIZES, key="train_batch_size", help=HELP["batch_size"])
        st.number_input("Seed", 0, 2**31 - 1, step=1, key="train_seed", help=HELP["seed"])
    config = settings_from_widgets()
    saved = st.session_state.get(SAVED, config)
    if len(config.changes_from(saved)) > 1 and not st.session_state.pop(RESTORED, False):
        # One rerun moves one control (presets and links update SAVED themselves). Several at
        # once is Streamlit handing every control its default: seen in Chromium once the page
        # had written its link and runs ended back to back. The learner's settings stand.
        st.session_state[RESTORE] = st.session_state[RESTORED] = saved
        st.rerun()
    st.session_state.pop(RESTORED, None)
    st.session_state[SAVED] = config
    settings_to_link(config)
    return config


def model_summary_ui(config: RunConfig) -> None:
    st.markdown(" → ".join(f"`{layer}`" for layer in config.layer_summary()))
    st.caption(
        f"**{config.params:,} parameters**, {config.weight_bytes / 1024:,.0f} KB of weights "
        f"({config.training_bytes / 1024:,.0f} KB while training with {config.optimizer.capitalize()}). "
        "**softmax** turns the last ten numbers into probabilities that add up to 1."
    )
    with st.expander("The Keras code for these settings", icon=":material/code:"):
        st.caption(
            "The lesson's code with these settings, to paste into a notebook (the copy button is at its top right). "
            "It changes as you change the settings."
        )
        st.code(keras_code(config), language="python")


def runs_table_ui(runs: list) -> list:
    """A sortable table of the session's runs, every setting in a column of its own, the best
    test accuracy starred, each run's best epoch and train-versus-test gap beside it; returns
    the runs whose rows are selected."""
    best = best_of({run.id: run.test_accuracy for run in runs if not run.under_way})
    rows = [
        {
            "run": run.id,
            "best": "★" if run.id == best else "",
            "status": status_said(run),
            "test accuracy": run.test_accuracy,
            "best epoch": best_epoch(run.history),
            "train-test gap": train_test_gap(run.history),
            **(run.config.columns() if run.config else {"model": run.label}),
            "seconds": round(run.result.seconds, 1) if run.result and run.config else None,
            # From the settings, not the model: reading every stored model would load TensorFlow.
            "parameters": run.config.params if run.config else _count_params(run.model),
        }
        for run in runs
    ]
    event = st.dataframe(
        rows,
        column_config={
            "run": st.column_config.NumberColumn(format="#%d", pinned=True),
            "best": st.column_config.TextColumn("", width=30, pinned=True, help="The best test accuracy"),
            "best epoch": st.column_config.NumberColumn(help="The epoch with the highest test accuracy"),
            "train-test gap": st.column_config.NumberColumn(
                format="percent",
                help="Training accuracy minus test accuracy at the last epoch: how much the model learned its "
                "training pictures by heart. Growing with epochs means overfitting.",
            ),
            "model": st.column_config.TextColumn(pinned=True),
            "status": st.column_config.TextColumn(width=330),
            "test accuracy": st.column_config.NumberColumn(format="percent"),
            "parameters": st.column_config.NumberColumn(format="localized"),
        },
        column_order=[
            "run",
            "best",
            "model",
            "status",
            "test accuracy",
            "best epoch",
            "train-test gap",
            *SETTING_COLUMNS,
            "seconds",
            "parameters",
        ],
        hide_index=True,
        on_select="rerun",
        selection_mode="multi-row",
        key="train_runs_table",
    )
    return [runs[i] for i in event.selection.rows if i < len(runs)]


def status_said(run) -> str:
    """A run's state in a few words: 'finished', 'stopped by you after 2 of 5 epochs', 'training'."""
    if run.config is None:
        return "loaded"
    if run.queued:
        return f"queued, place {run.place or '…'}"
    if run.status in (STOPPED, INTERRUPTED):
        done = len(run.history.get("loss", []))
        if done == 0 and (run.stop_reason or "").startswith("not started"):
            return run.stop_reason
        return f"{run.stop_reason or 'stopped'} after {done} of {run.config.epochs} epochs"
    return run.status


def start_training(data) -> None:
    """The Train button's callback. Callbacks run before the script, with the widgets' new
    values in session state, so this very rerun already draws the new run."""
    _start_once("train_start", [settings_from_widgets()], data, wait_s=FIRST_STEP_WAIT_S)


def live_view_ui(run, ticking: bool, data) -> None:
    """The run under way (or the last one): progress and Stop, or how it ended; its curves and
    each class's test accuracy. Drawn in a fragment that ticks while the run trains."""
    if run is None:
        st.info("Press **Train** to train the lesson's model. On the 8k-image folder it takes a few seconds.")
        return
    _live_run_ui(run, data)
    if ticking and not run.under_way:
        # The run just ended, shown above as it ended (a Stop answered at once); now the whole
        # page: results, runs table, the next run.
        st.rerun()


def _live_run_ui(run, data) -> None:
    run.seen()
    st.subheader(plain(run.name))
    if run.store_error:
        st.warning(f"{plain(run.store_error)}; it trains on, but a reload or restart will lose it.")
    if run.queued:
        st.info(
            f"Waiting its turn: place {run.place or '…'} in this server's queue. It starts when a run "
            "of another learner ends.",
            icon=":material/hourglass_top:",
        )
    elif run.running:
        _progress_ui(run)
    elif run.status == FAILED:
        st.error(f"Training failed: {plain(run.result.error)}")
    else:
        ended = "finished" if run.status == FINISHED else run.stop_reason or "stopped early"
        if run.test_accuracy is None:  # ended before its first epoch did
            st.warning(f"Run {ended} before its first epoch ended: there is no model to use.")
        else:
            st.success(
                f"Run {ended}: **test accuracy {run.test_accuracy:.1%}** on {len(data.test):,} pictures the model "
                f"never trained on, after {run.result.epochs_done} epoch(s) in {run.result.seconds:.1f} s."
            )
        if (name := preset_of(run.config) if run.config else None) is not None:
            st.info(f"**What to notice, {name}:** {WHAT_TO_NOTICE[name]}", icon=":material/lightbulb:")
        active = state.active_run()
        if active is not None and active.id != run.id and run.has_model:
            with st.container(horizontal=True, vertical_alignment="center"):
                st.caption(f"Explore and Classify use {plain(active.name)}.")
                if st.button("Use this model", key=f"train_use_{run.id}", icon=":material/check_circle:"):
                    state.choose_active(run.id)
                    st.rerun()  # the whole page, not only this fragment: the sidebar and the model list follow


def live_charts_ui(run, data) -> None:
    """The run's curves and each class's test accuracy: a fragment of its own that ticks less
    often than the progress bar (a Plotly redraw costs the browser far more than a bar)."""
    if run is None:
        return
    epochs = run.config.epochs if run.config else None
    st.plotly_chart(training_curves(run.history, run.live, epochs), key=f"train_curves_{run.id}")
    st.caption(
        "Solid: the training pictures, as the model learns. Dashed: the test pictures, after each epoch. "
        "When test stops improving while train keeps going, the model is **overfitting**: learning its "
        "training pictures by heart. On the right, in the test curve's colour: test accuracies published "
        "for the full 10,000-picture test set, to compare with the dashed curve." + _subset_said(data)
    )
    if run.running or run.has_model:
        st.page_link(
            "pages/inside.py",
            label="Watch its units learn" if run.running else "Look inside the model",
            icon=":material/neurology:",
        )
    if run.class_accuracy:
        latest_classes = run.class_accuracy[-1]
        weakest = min(range(len(CLASS_NAMES)), key=latest_classes.__getitem__)
        st.markdown(
            f"**Test accuracy per class** after epoch {len(run.class_accuracy)}: "
            f"weakest is {CLASS_NAMES[weakest]} ({latest_classes[weakest]:.0%})."
        )
        st.plotly_chart(class_accuracy_bars(latest_classes), key=f"train_classes_{run.id}")


def _count_params(model) -> int | None:
    return None if model is None else model.count_params()


def _subset_said(data) -> str:
    full = 60_000
    if len(data.train) >= full:
        return ""
    return (
        f" This app trains on {len(data.train):,} pictures here, not the full {full:,}: with fewer examples "
        "to learn from, expect a few points below the lesson's 88%."
    )


def _progress_ui(run) -> None:
    progress = run.progress
    if progress is None and not run.built:
        # On a freshly started server the workers are still loading TensorFlow: seconds.
        st.progress(0.0, text="Loading TensorFlow and building the model (slowest on the first run after a restart)…")
    elif progress is None:
        st.progress(0.0, text="Starting the first epoch…")
    else:
        left = "starting…" if math.isnan(progress.seconds_left) else f"about {progress.seconds_left:.0f} s left"
        text = f"Epoch {progress.epoch}/{progress.epochs} · {progress.percent}% · {left}"
        st.progress(progress.percent, text=text)  # rounded up, where Streamlit would round 0.4% down to 0
    st.button("Stop", key=f"train_stop_{run.id}", on_click=_stop, args=(run,), icon=":material/stop_circle:")


def _stop(run) -> None:
    """Stop the run and wait for it to wind down (its last chunk, the test pass and the saving:
    ~0.1-0.5 s), so the rerun this click starts already shows it stopped instead of waiting a tick."""
    run.stop()
    run.wait(timeout=STOP_WAIT_S)


def runs_ui(runs: list, shown) -> None:
    """Every run of the session: the table, their test curves overlaid, the model the other
    pages use, and each selected run's downloads and delete."""
    selected = runs_table_ui(runs)
    st.caption("Click a column to sort. Select rows to compare their curves, download or delete them.")
    with_curves = [run for run in runs if run.history]
    compared = selected or with_curves[-OVERLAID:]
    if compared:
        best = best_of({run.id: run.test_accuracy for run in compared if not run.under_way})
        st.plotly_chart(
            runs_overlay([(run.id, run.name, run.history) for run in compared], best=best), key="train_overlay"
        )
        _lessons_ui(compared)
    if not selected and len(with_curves) > OVERLAID:
        st.caption(f"The chart shows the last {OVERLAID} of {len(with_curves)} runs: select rows to compare others.")
    choice.model_choice_ui("train_active")
    for broken in state.broken_runs():
        with st.container(horizontal=True, vertical_alignment="center"):
            st.warning(f"Run #{broken.id} cannot be shown: {plain(broken.reason)}.", icon=":material/broken_image:")
            st.button(
                "Delete its files",
                key=f"train_delete_broken_{broken.id}",
                on_click=state.workspace().delete,
                args=(broken.id,),
                icon=":material/delete:",
            )
    for run in selected or [shown]:  # without a selection: the run shown above
        _run_files_ui(run)


def _lessons_ui(compared: list) -> None:
    """What to notice in each experiment on the chart, once per experiment."""
    said = {}
    for run in compared:
        name = preset_of(run.config) if run.config else None
        if name is not None:
            said.setdefault(name, []).append(f"#{run.id}")
    if said:
        st.markdown("\n".join(f"- **{name}** ({', '.join(ids)}): {WHAT_TO_NOTICE[name]}" for name, ids in said.items()))


def _run_files_ui(run) -> None:
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(f"**{plain(run.name)}**")
        if run.has_model and not run.running:
            st.download_button(
                "Model (.keras)",
                # Made when pressed: the stored file as it is, else (a model only in memory) saved.
                data=lambda run=run: state.file_of(run, "model", lambda: run.model_file() or model_bytes(run.model)),
                file_name=f"fmnist-run-{run.id}.keras",
                key=f"train_download_model_{run.id}",
                icon=":material/download:",
            )
        if run.history:
            st.download_button(
                "History (.csv)",
                data=history_csv(run.history, run.class_accuracy),
                file_name=f"fmnist-run-{run.id}.csv",
                mime="text/csv",
                key=f"train_download_history_{run.id}",
                icon=":material/download:",
            )
        st.button(
            "Delete",
            key=f"train_delete_{run.id}",
            on_click=state.delete_run,
            args=(run,),
            disabled=run.running,
            icon=":material/delete:",
        )


def load_model_ui(data) -> None:
    """A .keras file from the learner's disk, checked before it is opened, as a run of its own."""
    upload = st.file_uploader(
        "A Keras model of 28 x 28 pixels to ten classes",
        type=["keras"],
        max_upload_size=compat.MODEL_LIMIT_MB,
        key="train_load",
    )
    if upload is None or st.session_state.get("train_loaded") == upload.file_id:
        return
    from fmnist.export import model_from_bytes
    from fmnist.model import ModelError  # TensorFlow: only once there is a model to read
    from fmnist.runs import loaded_run

    try:
        model = model_from_bytes(upload.getvalue(), upload.name)
    except ModelError as error:
        st.error(plain(error), icon=":material/error:")
        return
    space = state.workspace()
    loaded_run(space.new_id(), model, upload.name, data, space)
    st.session_state.train_loaded = upload.file_id
    st.rerun()
