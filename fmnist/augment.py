"""Training pictures as people's pictures reach the model: drawn shapes beside the dataset's own.

The Classify page turns a drawing into the filled shape it stands for (fmnist.drawing), a
flat shape with no shading or texture, which Fashion-MNIST never shows. A model trained
for people's pictures (`RunConfig.augment`) therefore also sees each training garment as
that same kind of shape, made by the same fill and at the same brightness: a share of the
training pictures is added again as drawn shapes. It learns the pipeline's output instead
of meeting it first at test time.
The random mirror, turn, shift and zoom are layers of the model (fmnist.model.augmentation),
so a saved model says how it was trained. The engine trains without those layers, moving each
epoch's pictures by `random_moves` instead: the same four changes as one transform per picture.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from fmnist.config import AUGMENT_SHIFT, AUGMENT_STRETCH, AUGMENT_TURN, AUGMENT_ZOOM, STRETCHED_CLASSES
from fmnist.drawing import SHAPE_INK, fill_enclosed

# Training pictures shown again as drawn shapes, as a share of the split: more costs the
# dataset's own test accuracy (10 CNN epochs on the 8k folder: 0.825 when a quarter of each
# epoch was drawn instead of plain).
DRAWN_SHARE = 0.2
GARMENT_THRESHOLD = 10  # 0..255: dataset pixels brighter than this are garment, not background


def as_drawn(images: np.ndarray) -> np.ndarray:
    """(n, 28, 28) uint8 dataset pictures -> the filled shapes a drawing of each becomes,
    (n, 28, 28) uint8: SHAPE_INK on black, edges softened as a downscaled drawing's are."""
    shapes = np.empty_like(images)
    for i, image in enumerate(images):
        shape = fill_enclosed(image > GARMENT_THRESHOLD).astype(np.float32)
        shapes[i] = np.round(cv2.GaussianBlur(shape, (3, 3), 0.5) * SHAPE_INK)
    return shapes


def with_drawn_copies(images: np.ndarray, labels: np.ndarray, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The split plus DRAWN_SHARE of its pictures again as drawn shapes (all uint8), in one array."""
    picked = np.random.default_rng(seed).random(len(labels)) < DRAWN_SHARE
    return np.concatenate([images, as_drawn(images[picked])]), np.concatenate([labels, labels[picked]])


def random_moves(images: np.ndarray, labels: np.ndarray | None, rng: np.random.Generator) -> np.ndarray:
    """(n, 28, 28) pictures (uint8 or float32, 0..255), each mirrored (half of them), turned,
    shifted and zoomed at random within the model's augmentation layers' ranges, in one
    bilinear resampling with black beyond the edges: (n, 28, 28), same dtype. Given their (n,)
    labels, tops are also made up to AUGMENT_STRETCH wider or narrower (no layer can do that:
    layers never see labels). The same generator state moves the same way.

    One OpenCV warpAffine per picture, ~7 us: the engine moves a whole epoch at once on a
    thread of its own while the previous epoch trains (Keras' four layers resample four times
    and cost ~9 ms a batch of 32 here, more than the CNN's own step)."""
    n, height, width = images.shape
    u = rng.uniform(-1.0, 1.0, (n, 6)).astype(np.float32)
    mirror = np.where(u[:, 0] < 0, -1.0, 1.0)
    angle = u[:, 1] * (AUGMENT_TURN * 2 * math.pi)
    scale = 1.0 + u[:, 2] * AUGMENT_ZOOM
    stretch = np.ones(n)  # the input is read this much wider: the garment comes out narrower
    if labels is not None:
        top = np.isin(labels, list(STRETCHED_CLASSES))
        stretch = np.where(top, np.exp(u[:, 5] * math.log(1 + AUGMENT_STRETCH)), stretch)
    shift_x, shift_y = u[:, 3] * AUGMENT_SHIFT * width, u[:, 4] * AUGMENT_SHIFT * height
    # Each output pixel reads the input at centre + scale * rotation * mirror * (pixel - centre) + shift.
    cos, sin = np.cos(angle) * scale, np.sin(angle) * scale
    a0, a1, b0, b1 = cos * mirror * stretch, -sin * stretch, sin * mirror, cos
    cx, cy = (width - 1) / 2, (height - 1) / 2
    a2 = cx + shift_x - a0 * cx - a1 * cy
    b2 = cy + shift_y - b0 * cx - b1 * cy
    reads = np.stack([np.stack([a0, a1, a2], 1), np.stack([b0, b1, b2], 1)], 1)  # (n, 2, 3): output -> input
    moved = np.empty_like(images)
    for i, (image, read) in enumerate(zip(images, reads, strict=True)):
        moved[i] = cv2.warpAffine(
            image, read, (width, height), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderValue=0
        )
    return moved
