"""The Classify page's tabs: where a picture comes from. ui/answers.py draws each answer."""

from __future__ import annotations

import logging

import numpy as np
import streamlit as st
from PIL import Image
from streamlit_drawable_canvas import st_canvas

from fmnist.data import CLASS_NAMES, Dataset
from fmnist.explain import UNSURE
from fmnist.preprocess import MAX_PIXELS, MAX_UPLOAD_BYTES, ImageError, megabytes
from fmnist.tiles import enlarge, square
from ui import answers, compat
from ui.text import plain

_LOG = logging.getLogger(__name__)
IMAGE_TYPES = ["png", "jpg", "jpeg", "heic", "heif", "webp", "avif", "gif", "bmp", "tif", "tiff"]
CANVAS_SIDE = 280  # pixels: ten canvas pixels for each of the model's 28
THUMBNAIL = 56  # pixels: a picture in the summary rows
SUMMARY_NAME_WIDTH = 220
# Streamlit forgets a widget's value when its page is left; these keep the learner's pictures.
UPLOADS_KEPT = "classify_uploads_kept"  # [(name, bytes, file id)] as the uploader last held them
DRAWING_KEPT = "classify_drawing_kept"  # (the pad's drawing as fabric.js JSON, its RGBA pixels) after the last stroke
DRAWING_AT_START = "classify_drawing_at_start"  # what the pad was given when it appeared on this visit


@st.fragment  # a stroke reruns this tab only, not the page
def drawing_ui(run, data: Dataset, mirror: bool) -> None:
    pad, result = st.columns([2, 3], gap="large")
    with pad:
        brush = st.slider("Brush size", 4, 40, 16, key="classify_brush")
        kept_drawing, kept_image = st.session_state.get(DRAWING_KEPT, (None, None))
        if "classify_canvas" not in st.session_state:  # the pad is new on this visit: bring the drawing back
            st.session_state[DRAWING_AT_START] = kept_drawing
        canvas = st_canvas(
            stroke_width=brush,
            stroke_color="#000000",
            background_color="#ffffff",
            width=CANVAS_SIDE,
            height=CANVAS_SIDE,
            initial_drawing=st.session_state[DRAWING_AT_START],
            return_image_data=True,
            key="classify_canvas",
        )
        if canvas.image_data is not None:  # the pad's pixels come after each stroke, not when it reappears
            st.session_state[DRAWING_KEPT] = kept_drawing, kept_image = canvas.json_data, canvas.image_data
        st.caption(
            "Draw a garment's outline as it would lie flat, any size, anywhere: the pad closes small gaps and "
            "fills the shape in, as every Fashion-MNIST garment is a filled shape. Shoes may point either way. "
            "Undo, redo and clear are in the pad's toolbar."
        )
    with result:
        if kept_image is None or not (kept_drawing or {}).get("objects"):
            st.info("Draw a garment on the pad: a T-shirt, trousers, a shoe, a bag…", icon=":material/draw:")
            return
        drawn = Image.fromarray(kept_image).convert("RGBA")
        answers.result_ui("", drawn, run, data, mirror, key="classify_drawing", drawing=True)


def _keep_uploads() -> None:
    """The uploader's files as the learner left them, kept for when they come back to this page."""
    st.session_state[UPLOADS_KEPT] = [
        (upload.name, upload.getvalue(), upload.file_id) for upload in st.session_state.get("classify_uploads") or []
    ]


def uploads_ui(run, data: Dataset, mirror: bool) -> None:
    uploads = st.file_uploader(
        f"Pictures of garments ({', '.join(IMAGE_TYPES)}; up to {megabytes(MAX_UPLOAD_BYTES)} and "
        f"{MAX_PIXELS / 10**6:g} million pixels each). Several at once give a result each.",
        type=IMAGE_TYPES,
        accept_multiple_files=True,
        max_upload_size=compat.UPLOAD_LIMIT_MB,
        on_change=_keep_uploads,
        key="classify_uploads",
    )
    pictures = [(upload.name, upload.getvalue(), upload.file_id) for upload in uploads or []]
    if not pictures and st.session_state.get(UPLOADS_KEPT):  # back on this page: the uploader starts empty
        pictures = st.session_state[UPLOADS_KEPT]
        with st.container(horizontal=True, vertical_alignment="center"):
            st.caption(f"{len(pictures)} picture(s) kept from before.")
            if st.button("Forget them", key="classify_forget_uploads", icon=":material/delete:"):
                st.session_state[UPLOADS_KEPT] = []
                st.rerun()
    if len(pictures) > 1:
        _summary_ui(pictures, run, mirror)
    for name, data_bytes, file_id in pictures:
        key = f"classify_upload_{file_id}"
        if len(pictures) > 1:
            with st.expander(f"{name}: the steps, the bars and why", icon=":material/zoom_in:"):
                answers.result_ui(name, data_bytes, run, data, mirror, key=key)
        else:
            st.divider()
            answers.result_ui(name, data_bytes, run, data, mirror, key=key)


def _summary_ui(pictures: list, run, mirror: bool) -> None:
    """One compact row per picture: the picture, its name, the answer and how sure; details below."""
    st.markdown(f"**{len(pictures)} pictures**, the details of each below:")
    for name, data_bytes, _ in pictures:
        try:
            prepared, result = answers.classified(run, data_bytes, mirror)
        except ImageError as error:
            prepared, result, answer = None, None, f"not read: {error}"
        except Exception:  # the details below say so in one line; the other rows still show
            _LOG.exception("Classify: the summary row for %r failed", name)
            prepared, result, answer = None, None, "something went wrong: see its details below"
        else:
            answer = "nothing to classify" if result is None else CLASS_NAMES[result.ranked[0]]
            if result is not None and result.verdict == UNSURE:
                answer += " (not sure)"
        with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
            if prepared is not None:
                st.image(square(prepared.steps["original"], THUMBNAIL), width=THUMBNAIL)
            else:
                st.container(width=THUMBNAIL)  # keeps the rows' columns lined up
            with st.container(width=SUMMARY_NAME_WIDTH):
                st.markdown(plain(name))
            with st.container(width=SUMMARY_NAME_WIDTH):
                st.markdown(f"**{plain(answer)}**")
            if result is not None:
                sure = float(result.probabilities.max())
                st.progress(sure, text=f"{sure:.0%} sure", width=SUMMARY_NAME_WIDTH)


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
