"""The app's pages and its frame (page settings and sidebar), whichever way a page is entered.

Streamlit treats a folder named pages/ beside the main script as a legacy multipage app
until some session calls st.navigation. On a freshly started server, the first visit to a
deep link (/train, say: a bookmark after a restart) runs that page directly, without
app.py. `enter_through_app` makes that visit look and work exactly like any other: it
registers the real pages, then enters the page again through them, with the link's query
(one extra run of the page, once per server).
"""

from __future__ import annotations

import inspect
from pathlib import Path

import streamlit as st

from ui import compat, state
from ui.text import plain


def pages() -> list:
    return [
        st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
        st.Page("pages/train.py", title="Train", icon=":material/model_training:"),
        st.Page("pages/explore.py", title="Explore", icon=":material/grid_view:"),
        st.Page("pages/inside.py", title="Inside the model", icon=":material/neurology:"),
        st.Page("pages/classify.py", title="Classify", icon=":material/checkroom:"),
    ]


def navigate():
    """Register the pages and draw the frame; returns the page to run."""
    # An emoji icon is drawn in the browser; a :material: one is fetched from Google's font server.
    st.set_page_config(page_title="Fashion-MNIST explorer", page_icon="👕", layout="wide")
    links = pages()
    # Streamlit draws no menu (client.showSidebarNavigation = false): legacy file-name
    # navigation can never show. The menu is these links.
    page = st.navigation(links, position="hidden")
    with st.sidebar:
        for link in links:
            st.page_link(link)
        st.divider()
        _status_ui(live_on_the_page=page.title == "Train")
    return page


def enter_through_app() -> None:
    """First statement of every page: on a legacy direct run, register the real pages and
    enter this page again through them."""
    global _switched
    if compat.entered_the_legacy_way():  # only before any st.navigation call in this server
        navigate()
        if _switched:  # Streamlit's AppTest makes every run of a page a legacy one; a server, one at most
            return
        _switched = True
        # The browser still holds the legacy page's id, which the registered pages do not know:
        # the server dropped its next message, the learner's first slider move or click on the
        # page (a Train press then trained the old settings). Switching to the registered page
        # gives the browser its id; the link's settings and workspace come along.
        here = Path(inspect.currentframe().f_back.f_code.co_filename).name  # the page that called
        st.switch_page(f"pages/{here}", query_params=st.query_params.to_dict())


_switched = False  # whether a legacy first visit was switched to its registered page in this process


def _status_ui(live_on_the_page: bool) -> None:
    # A fragment of its own on every page: while a run trains it ticks, shows the run's
    # progress wherever the learner is, and tells the run the page is still open. Not on the
    # Train page, whose live view does all that twice a second: one rerun a second less for
    # each learner watching a run, which a shared server feels.
    training = state.training_runs()

    @st.fragment(run_every=1.0 if training and not live_on_the_page else None)
    def status(ticking: bool) -> None:
        running = state.training_runs()
        if ticking and not running:
            st.rerun()  # a run just ended: let the whole page catch up (Explore may be waiting for it)
        for run in running:
            run.seen()
            if run.running and live_on_the_page:
                st.caption(f"Training {plain(run.name)}: its progress is on this page.")
            elif run.running:
                done = run.progress.percent if run.progress else 0
                st.progress(done, text=f"Training {plain(run.name)}: {done}%")
        if waiting := [run for run in running if run.queued]:
            st.caption(f"Waiting their turn: {', '.join(f'#{run.id}' for run in waiting)}")
        active = state.active_record()
        if active is not None:
            accuracy = "" if active.test_accuracy is None else f"  \ntest accuracy {active.test_accuracy:.1%}"
            st.caption(f"**Active model:** {plain(f'#{active.id} {active.label}')}{accuracy}")
        elif not running:
            st.caption("**Active model:** none yet, train one on the Train page")

    status(bool(training) and not live_on_the_page)
