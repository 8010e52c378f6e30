"""The Fashion-MNIST explorer: `streamlit run app.py`.

This script only draws the frame (sidebar menu, active model) and runs the chosen page, a
script in pages/. It imports no TensorFlow, so the first page paints before the heavy
libraries load.
"""

from ui import nav, state

try:
    nav.navigate().run()
finally:
    # Then, once per server, TensorFlow and the training cluster's workers start in the
    # background: after the first page, so that its paint does not share the CPU with them.
    state.warm_up()
