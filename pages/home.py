from ui import nav

nav.enter_through_app()  # before the heavy imports below: see ui/nav.py

import streamlit as st

from ui import state
from ui.text import plain

st.title("Fashion-MNIST explorer")
st.markdown(
    """
The classic TensorFlow lesson *your first model* as something to play with. Fashion-MNIST is
70,000 grayscale pictures of clothes, 28 x 28 pixels, in ten classes. The lesson's model
flattens each picture into 784 numbers, passes them through one hidden layer of 128 units and
turns the result into ten probabilities, one per class. Five epochs of training get it to
about 88% on the 10,000 test pictures it never saw.
"""
)

data = state.dataset_or_stop()
st.caption(f"Data: {plain(data.source)}")

train, explore, inside, classify = st.columns(4)
with train:
    st.subheader("1. Train")
    st.write("Train the lesson's model live, then change epochs and hidden units and see what happens.")
    st.page_link("pages/train.py", label="Train a model", icon=":material/model_training:")
with explore:
    st.subheader("2. Explore")
    st.write("The lesson's grid of 25 test pictures: what the model says, and where it is wrong.")
    st.page_link("pages/explore.py", label="Explore predictions", icon=":material/grid_view:")
with inside:
    st.subheader("3. Look inside")
    st.write("What each hidden unit learned, one picture through every layer, and a map of the test pictures.")
    st.page_link("pages/inside.py", label="Look inside the model", icon=":material/neurology:")
with classify:
    st.subheader("4. Classify")
    st.write("Draw a garment or upload a photo: see what the model sees, its ten probabilities, and why.")
    st.page_link("pages/classify.py", label="Classify your own picture", icon=":material/checkroom:")
