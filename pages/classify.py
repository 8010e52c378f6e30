from ui import nav

nav.enter_through_app()  # before the heavy imports below: see ui/nav.py

import streamlit as st

from fmnist.charts import probability_bars
from fmnist.data import CLASS_NAMES
from fmnist.evaluate import predict_proba
from fmnist.preprocess import MAX_UPLOAD_BYTES, ImageError, prepare_bytes
from fmnist.tiles import enlarge
from ui import state

IMAGE_TYPES = ["png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff"]

st.title("Classify")
st.markdown(
    "Upload a picture of a garment. It is made to look like a Fashion-MNIST picture (background "
    "trimmed, garment centred, bright on black, 28 x 28 pixels) and the model gives ten probabilities."
)

data = state.dataset_or_stop()
run = state.model_or_stop(data)
st.caption(f"Model {run.name}")

uploads = st.file_uploader(
    f"Pictures of garments ({', '.join(IMAGE_TYPES)}; up to {MAX_UPLOAD_BYTES // 2**20} MB each)",
    type=IMAGE_TYPES,
    accept_multiple_files=True,
    key="classify_uploads",
)

for upload in uploads or []:
    st.divider()
    try:
        prepared = prepare_bytes(upload.getvalue())
    except ImageError as error:
        st.error(f"**{upload.name}**: {error}", icon=":material/error:")
        continue
    if prepared.blank:
        st.warning(f"**{upload.name}**: nothing to classify: no garment stands out from the background.")
        continue
    probabilities = predict_proba(run.model, prepared.pixels * 255)[0]  # the model takes 0..255
    top = probabilities.argsort()[::-1][:3]
    steps, answer = st.columns([1, 1], gap="large")
    with steps:
        st.markdown(f"**{upload.name}**")
        for column, (name, picture) in zip(st.columns(len(prepared.steps)), prepared.steps.items(), strict=True):
            with column:
                if name == "28x28":  # enlarged with hard pixel edges: exactly what the model sees
                    st.image(enlarge(prepared.pixels), caption="28 x 28, what the model sees")
                else:
                    st.image(picture, caption=name, width="stretch")
    with answer:
        st.markdown(
            f"### {CLASS_NAMES[top[0]]} ({probabilities[top[0]]:.0%})\n"
            + " · ".join(f"{CLASS_NAMES[i]} {probabilities[i]:.0%}" for i in top[1:])
        )
        st.plotly_chart(probability_bars(probabilities), key=f"classify_bars_{upload.file_id}")
