"""The app's pages and the one way in: app.py's st.navigation.

Streamlit treats a folder named pages/ beside the main script as a legacy multipage app
until some session calls st.navigation. On a freshly started server, the first visit to a
deep link (/train, say: a bookmark after a restart) would run that page directly, under
file-name navigation. `enter_through_app` sends such a visit through the real navigation.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def pages() -> list:
    return [
        st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
        st.Page("pages/train.py", title="Train", icon=":material/model_training:"),
        st.Page("pages/explore.py", title="Explore", icon=":material/grid_view:"),
        st.Page("pages/classify.py", title="Classify", icon=":material/checkroom:"),
    ]


def enter_through_app() -> None:
    """First line of every page: on a legacy direct run, register the real pages and rerun."""
    if PagesManager.uses_pages_directory:  # only true before any st.navigation call in this server
        st.navigation(pages(), position="hidden")  # switches the whole server to these pages
        st.rerun()
