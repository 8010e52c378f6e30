"""The model Explore and Classify use: a choice on every page that uses a model, and on Train."""

from __future__ import annotations

import streamlit as st

from ui import state


def model_choice_ui(key: str, label: str = "Model used by Explore and Classify") -> None:
    """A list of the workspace's models; picking one makes it the active model everywhere."""
    with_model = state.runs_with_model()
    active = state.active_run()
    if active is None:
        return
    ids = [run.id for run in with_model]
    # Read here, not in an on_change callback: Streamlit can still fire the callback of an
    # earlier copy of this widget with the browser's older choice (seen when leaving this
    # page after a run ended), which switched the model back. A new widget for each active
    # model; a different pick makes it active and redraws the page (and the sidebar).
    picked = st.selectbox(
        label,
        ids,
        index=ids.index(active.id),
        format_func=lambda run_id: next(run.name for run in with_model if run.id == run_id),
        key=f"{key}_{active.id}",
    )
    if picked != active.id:
        state.choose_active(picked)
        st.rerun()
