"""Streamlit glue shared by the pages: session state, cached loaders, small widgets.

The pages in ../pages read top to bottom and call these; the work itself is in fmnist/.
"""
