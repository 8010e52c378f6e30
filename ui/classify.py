"""The Classify page's tabs: where a picture comes from. ui/answers.py draws each answer."""

from __future__ import annotations

import numpy as np
import streamlit as st
from PIL import Image
from streamlit_drawable_canvas import st_canvas

from fmnist.data import CLASS_NAMES, Dataset
from fmnist.preprocess import MAX_PIXELS, MAX_UPLOAD_BYTES, megabytes
from fmnist.tiles import enlarge
from ui import answers, compat

IMAGE_TYPES = ["png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff"]
CANVAS_SIDE = 280  # pixels: ten canvas pixels for each of the model's 28


@st.fragment  # a stroke reruns this tab only, not the page
def drawing_ui(run, data: Dataset, mirror: bool) -> None:
    pad, result = st.columns([2, 3], gap="large")
    with pad:
        brush = st.slider("Brush size", 4, 40, 16, key="classify_brush")
        canvas = st_canvas(
            stroke_width=brush,
            stroke_color="#000000",
            background_color="#ffffff",
            width=CANVAS_SIDE,
            height=CANVAS_SIDE,
            return_image_data=True,
            key="classify_canvas",
        )
        st.caption(
            "Draw a garment's outline as it would lie flat, any size, anywhere: the pad closes small gaps and "
            "fills the shape in, as every Fashion-MNIST garment is a filled shape. Shoes may point either way. "
            "Undo, redo and clear are in the pad's toolbar."
        )
    with result:
        if canvas.image_data is None or not (canvas.json_data or {}).get("objects"):
            st.info("Draw a garment on the pad: a T-shirt, trousers, a shoe, a bag…", icon=":material/draw:")
            return
        drawn = Image.fromarray(canvas.image_data).convert("RGBA")
        answers.result_ui("", drawn, run, data, mirror, key="classify_drawing", drawing=True)


def uploads_ui(run, data: Dataset, mirror: bool) -> None:
    uploads = st.file_uploader(
        f"Pictures of garments ({', '.join(IMAGE_TYPES)}; up to {megabytes(MAX_UPLOAD_BYTES)} and "
        f"{MAX_PIXELS / 10**6:g} million pixels each). Several at once give a result each.",
        type=IMAGE_TYPES,
        accept_multiple_files=True,
        max_upload_size=compat.UPLOAD_LIMIT_MB,
        key="classify_uploads",
    )
    for upload in uploads or []:
        st.divider()
        answers.result_ui(upload.name, upload.getvalue(), run, data, mirror, key=f"classify_upload_{upload.file_id}")


def camera_ui(run, data: Dataset, mirror: bool) -> None:
    photo = st.camera_input("Lay a garment on a plain surface, fill most of the frame", key="classify_camera")
    if photo is not None:
        answers.result_ui("Camera photo", photo.getvalue(), run, data, mirror, key="classify_camera_result")


def test_pictures_ui(run, data: Dataset, mirror: bool) -> None:
    st.markdown(
        "One test picture per class, turned back into a product shot (dark on white) and run through "
        "the same steps as your pictures."
    )
    picks = np.random.default_rng(st.session_state.get("classify_sample_draw", 0)).permutation(len(data.test))
    choices = [int(next(i for i in picks if data.test.labels[i] == label)) for label in range(len(CLASS_NAMES))]
    for row in (choices[:5], choices[5:]):
        for column, index in zip(st.columns(5), row, strict=True):
            with column:
                label = int(data.test.labels[index])
                st.image(enlarge(data.test.images[index], 3), width=84)
                if st.button(CLASS_NAMES[label], key=f"classify_sample_{label}", width=110):
                    st.session_state.classify_sample = index
    if st.button("Other pictures", icon=":material/shuffle:", key="classify_sample_shuffle"):
        st.session_state.classify_sample_draw = st.session_state.get("classify_sample_draw", 0) + 1
        st.rerun()
    if "classify_sample" in st.session_state:
        index = st.session_state.classify_sample
        st.divider()
        true_name = CLASS_NAMES[data.test.labels[index]]
        shot = answers.product_shot(data.test.images[index])
        answers.result_ui(
            f"Test picture #{index} (labelled {true_name})", shot, run, data, mirror, key="classify_sample_result"
        )
