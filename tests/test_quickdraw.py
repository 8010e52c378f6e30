"""The dev set of people's drawings (Quick, Draw!) that scripts/measure_pictures.py scores."""

import numpy as np

from fmnist.data import CLASS_NAMES
from tools.quickdraw import people_drawings


def test_people_drawings_are_25_of_each_of_seven_garments_drawn_in_black_on_the_pad():
    drawings = people_drawings(pens=(16,))
    labels = [d.label for d in drawings]
    assert len(drawings) == 175
    assert sorted(set(labels)) == [0, 1, 2, 4, 5, 7, 8]
    assert all(labels.count(label) == 25 for label in set(labels))
    assert {CLASS_NAMES[d.label] for d in drawings if d.word == "pants"} == {"Trouser"}
    pixels = np.asarray(drawings[0].image.convert("L"))
    assert pixels.shape == (280, 280)
    inked = (pixels < 128).mean()
    assert 0.01 < inked < 0.3  # strokes, not an empty or a filled pad


def test_a_wider_pen_leaves_more_ink_on_the_pad():
    thin, fat = (people_drawings(pens=(pen,))[30].image.convert("L") for pen in (8, 28))
    assert (np.asarray(fat) < 128).sum() > 2 * (np.asarray(thin) < 128).sum()
