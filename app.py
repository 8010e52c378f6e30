"""The Fashion-MNIST explorer: `streamlit run app.py`.

This script only sets up navigation and the sidebar; each page is a script in pages/.
It imports no TensorFlow, so the first page paints before the heavy libraries load.
"""

import streamlit as st

from ui import nav, state

st.set_page_config(page_title="Fashion-MNIST explorer", page_icon=":material/checkroom:", layout="wide")
pages = nav.pages()
page = st.navigation(pages, position="hidden")  # drawn below, see .streamlit/config.toml

with st.sidebar:
    for link in pages:
        st.page_link(link)
    st.divider()
    run = state.active_run()
    if run is not None:
        st.caption(f"**Active model:** {run.name}  \ntest accuracy {run.result.test_accuracy:.1%}")
    elif any(r.running for r in state.runs()):
        st.caption("**Active model:** training…")
    else:
        st.caption("**Active model:** none yet, train one on the Train page")

page.run()
