"""The Classify page's parts: one picture's answer and why, the mirror check, the sources."""

from __future__ import annotations

import hashlib
import logging

import numpy as np
import streamlit as st
from PIL import Image, ImageOps

from fmnist.charts import probability_bars
from fmnist.data import CLASS_NAMES, Dataset
from fmnist.explain import UNSURE, UNSURE_BELOW, MirrorCheck, Neighbours, check_mirror, classify, saliency
from fmnist.preprocess import BLANK, ImageError, Prepared, what_was_done
from fmnist.tiles import enlarge, saliency_overlay, square
from ui import state
from ui.text import plain

_LOG = logging.getLogger(__name__)
NEIGHBOURS = 6
STEP_WIDTH = 120  # pixels per preprocessing picture
NEIGHBOUR_WIDTH = 72
KEPT_UPLOADS = 32  # answers kept per run for uploaded files, so a rerun does not classify them again
GUARD_RULE = (
    f"**The guard.** No garment found (an empty canvas, a blank picture): *nothing to classify*. "
    f"Best class under {UNSURE_BELOW:.0%}: *not sure*, the two likeliest classes named and none "
    "highlighted. Softmax always shares out 100%, even for a cat, so a low top share is the "
    "model's way of saying it does not know: a picture that is none of the ten classes ends here, "
    "and so do real garments it finds hard (of 78 real shop photos, the command line's CNN was unsure "
    "of 13, all of them garments of the ten classes: right for 8, the right class among the two named for 9)."
)


@st.cache_resource(show_spinner="Indexing the training pictures for the nearest-picture search…")
def _neighbours(source: str, _data: Dataset) -> Neighbours:
    return Neighbours(_data.train.images, _data.train.labels)


def neighbours(data: Dataset) -> Neighbours:
    """Shared by every session: one index per dataset (keyed by its source, not its pixels)."""
    return _neighbours(data.source, data)


def mirror_check(run, data: Dataset) -> MirrorCheck:
    """Measured once per run and session on the test split."""
    cache = state.derived(run)
    if "mirror_check" not in cache:
        cache["mirror_check"] = check_mirror(run.model, data.test.images, data.test.labels)
    return cache["mirror_check"]


def mirror_ui(run, data: Dataset) -> bool:
    """Say in one line whether photos are also read mirrored, with the measurement behind it on
    demand; returns whether to do it."""
    check = mirror_check(run, data)
    if check.helps:
        said = "Photos are also read **mirrored** and the two answers averaged: it helps this model"
    else:
        said = "Photos are read as they are: reading them mirrored too does not help this model"
    with st.expander(said, icon=":material/flip:"):
        st.markdown(
            f"Every shoe in Fashion-MNIST points left; yours may not. On the test pictures with every other one "
            f"mirrored, this model gets **{check.plain:.1%}** right as they are and **{check.mirrored:.1%}** when "
            "each answer is averaged with the mirror image's, so it is "
            f"{'on' if check.helps else 'off'}. Drawings need no such help: a shoe drawn pointing right is "
            "turned to point left before the model sees it."
        )
    return check.helps


def product_shot(pixels: np.ndarray) -> Image.Image:
    """A dataset picture as a person would bring it: enlarged, dark garment on white with a margin, RGBA."""
    garment = ImageOps.invert(Image.fromarray(pixels)).resize((168, 168), Image.Resampling.BICUBIC)
    return ImageOps.expand(garment, border=28, fill=255).convert("RGBA")


def result_ui(name: str, picture, run, data: Dataset, mirror: bool, key: str, drawing: bool | None = None) -> None:
    """One picture (an image or file bytes): the steps it went through, the answer with its bars,
    and why. Whatever goes wrong stays inside this picture's result: the others still show."""
    try:
        _result_ui(name, picture, run, data, mirror, key, drawing)
    except Exception:
        _LOG.exception("Classify: the result for %r failed", name)
        st.error(
            f"{plain(name or 'This picture')}: something went wrong showing its result; the details are in "
            "the server's log. Your other pictures are not affected.",
            icon=":material/error:",
        )


def classified(run, picture, mirror: bool, drawing: bool | None = None):
    """explain.classify's (prepared, result) for a picture; a file's is kept with the run, by its
    contents, so its summary row and its details share one answer and a rerun reuses it."""
    if not isinstance(picture, bytes):  # a drawing, already an image: classified afresh
        return classify(run.model, picture, drawing=drawing, mirror=mirror)
    kept = state.derived(run).setdefault("files classified", {})
    ident = hashlib.blake2b(picture, digest_size=16).digest(), mirror, drawing
    if ident not in kept:
        if len(kept) >= KEPT_UPLOADS:
            kept.pop(next(iter(kept)))  # the oldest first
        kept[ident] = classify(run.model, picture, drawing=drawing, mirror=mirror)
    return kept[ident]


def _result_ui(name: str, picture, run, data: Dataset, mirror: bool, key: str, drawing: bool | None) -> None:
    if name:
        st.markdown(f"**{plain(name)}**")
    try:
        prepared, result = classified(run, picture, mirror, drawing)
    except ImageError as error:
        st.error(f"{plain(name or 'This picture')}: {plain(error)}", icon=":material/error:")
        return
    _steps_ui(prepared)
    if result is None:  # the warning says what the caption would
        st.warning(f"**Nothing to classify**: {BLANK}.", icon=":material/block:")
        return
    st.caption(what_was_done(prepared))
    pixels = prepared.pixels
    best, second, third = result.ranked[:3]
    p = result.probabilities
    if result.verdict == UNSURE:
        st.markdown(
            f"### Not sure: {CLASS_NAMES[best]} or {CLASS_NAMES[second]}?\n"
            f"The model's best guess, **{CLASS_NAMES[best]}**, gets only {p[best]:.0%} (under {UNSURE_BELOW:.0%}): "
            "a hard picture, or none of the ten classes."
        )
    else:
        st.markdown(f"### {CLASS_NAMES[best]} ({p[best]:.0%})")
    st.markdown(f"Then {CLASS_NAMES[second]} {p[second]:.0%} · {CLASS_NAMES[third]} {p[third]:.0%}")
    bars, why = st.columns([1, 1], gap="medium")
    with bars:
        st.plotly_chart(
            probability_bars(p, height=300, unsure=result.verdict == UNSURE), key=f"{key}_bars", width="stretch"
        )
    with why:
        st.image(
            saliency_overlay(pixels / 255, saliency(run.model, pixels, best)),
            caption=f"Where the model looked: red areas pushed it towards {CLASS_NAMES[best]}, blue ones away",
            width=224,
        )
    _neighbours_ui(pixels, data)


# The steps a picture goes through, in a learner's words, and how the garment was found.
STEP_CAPTIONS = {
    "original": "your picture",
    "garment found": "the garment, cut out",
    "filled in": "filled in",
    "cropped": "cropped, bright on black",
    "28x28": "28 x 28, what the model sees",
}
FOUND_BY = {
    "transparency": "see-through background dropped",
    "plain background": "from a plain background",
    "GrabCut": "told apart by its colours",
    "whole picture": "nothing stood out: all of it",
    "drawing": "your strokes",
}


def _steps_ui(prepared: Prepared) -> None:
    with st.container(horizontal=True, gap="small"):
        for name, picture in prepared.steps.items():
            caption = STEP_CAPTIONS.get(name, name)
            if name == "garment found" and prepared.method:
                caption += f" ({FOUND_BY.get(prepared.method, prepared.method)})"
            if name == "cropped" and prepared.tilt:
                caption = f"turned {abs(prepared.tilt):.0f}° upright, {caption}"
            with st.container(width=STEP_WIDTH):
                st.image(square(picture, STEP_WIDTH), caption=caption, width=STEP_WIDTH)


def _neighbours_ui(pixels: np.ndarray, data: Dataset) -> None:
    indices, distances = neighbours(data).nearest(pixels, k=NEIGHBOURS)
    st.markdown(
        "**The nearest training pictures**, pixel by pixel, with their labels and distances "
        "(the square root of the summed squared pixel differences, pixels in [0, 1]):"
    )
    with st.container(horizontal=True, gap="small"):
        for index, distance in zip(indices, distances, strict=True):
            with st.container(width=NEIGHBOUR_WIDTH):
                st.image(
                    enlarge(data.train.images[index], 3),
                    caption=f"{CLASS_NAMES[data.train.labels[index]]} · {distance / 255:.1f}",
                    width=NEIGHBOUR_WIDTH,
                )
