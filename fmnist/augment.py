"""Training pictures as people's pictures reach the model: drawn shapes beside the dataset's own.

The Classify page turns a drawing into the filled shape it stands for (fmnist.drawing), a
flat shape with no shading or texture, which Fashion-MNIST never shows. A model trained
for people's pictures (`RunConfig.augment`) therefore also sees each training garment as
that same kind of shape, made by the same fill and at the same brightness: a share of the
training pictures is added again as drawn shapes. It learns the pipeline's output instead
of meeting it first at test time.
The random mirror, turn, shift and zoom stay in the model (fmnist.model.augmentation).
"""

from __future__ import annotations

import cv2
import numpy as np

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
