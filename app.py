"""The Fashion-MNIST explorer: `streamlit run app.py`.

This script only draws the frame (sidebar menu, active model) and runs the chosen page, a
script in pages/. It imports no TensorFlow, so the first page paints before the heavy
libraries load.
"""

from ui import nav

nav.navigate().run()
