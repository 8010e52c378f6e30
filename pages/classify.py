from ui import nav

nav.enter_through_app()  # before the heavy imports below: see ui/nav.py

import streamlit as st

from ui import answers, choice, state
from ui import classify as parts

st.title("Classify")
st.markdown(
    "Draw a garment, upload or take a photo of one, or pick a test picture. Each is made to look "
    "like a Fashion-MNIST picture (background removed, garment cropped and centred, bright on "
    "black, 28 x 28 pixels), and the model gives ten probabilities. Below the answer: which "
    "pixels drove it, and the training pictures most like yours."
)

data = state.dataset_or_stop()
run = state.model_or_stop(data)
choice.model_choice_ui("classify_model", label="Model")
if run.config is None or not run.config.augment:
    st.caption(
        "For photos and drawings, train the **CNN for photos** preset on the Train page: it gets 76% of "
        "stand-in photos of test garments right against 54% for the lesson's model, and 75% of drawings "
        "against 64%. Real photos are harder for both: about 6 in 10 of 84 shop photos."
    )
mirror = answers.mirror_ui(run, data)
with st.expander("When does it refuse, or say it is not sure?", icon=":material/help:"):
    st.markdown(answers.GUARD_RULE)

draw, upload, camera, samples = st.tabs(
    [
        ":material/draw: Draw",
        ":material/upload: Upload",
        ":material/photo_camera: Camera",
        ":material/apps: Test pictures",
    ]
)


with draw:
    parts.drawing_ui(run, data, mirror)
with upload:
    parts.uploads_ui(run, data, mirror)
with camera:
    parts.camera_ui(run, data, mirror)
with samples:
    parts.test_pictures_ui(run, data, mirror)
