"""People's drawings become the filled shapes Fashion-MNIST garments are."""

import io

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from fmnist.drawing import fill_enclosed, is_drawing, silhouette, solidity
from fmnist.preprocess import DRAWN, to_model_input
from fmnist.segment import separate
from tools.drawings import TROUSERS_INSIDE_ON_PAD, TROUSERS_OUTSIDE_ON_PAD, drawing_set
from tools.pictures import dark_on_white
from tools.standins import photo_of

TROUSERS_OUTSIDE, TROUSERS_INSIDE = TROUSERS_OUTSIDE_ON_PAD, TROUSERS_INSIDE_ON_PAD


def pad(*strokes, pen: int = 16) -> Image.Image:
    """Black strokes on the white drawing pad, as the canvas component returns them."""
    image = Image.new("RGBA", (280, 280), "white")
    for points in strokes:
        ImageDraw.Draw(image).line(points, fill="black", width=pen, joint="curve")
    return image


def shape_of(image: Image.Image) -> np.ndarray:
    return silhouette(separate(np.asarray(image)).mask)[0]


def test_filling_an_outline_turns_a_drawn_ring_into_a_shape():
    ring = np.zeros((50, 50), bool)
    ring[10:40, 10:40] = True
    ring[14:36, 14:36] = False
    filled = fill_enclosed(ring)
    assert filled[25, 25] and not filled[2, 2]
    assert filled.sum() == 30 * 30


@pytest.mark.parametrize("pen", [6, 16])  # the pad's default brush is 16; at 24 and over the upper gap fills
def test_trousers_drawn_open_at_the_hems_become_two_filled_legs_with_the_gap_between_them_kept(pen):
    shape = shape_of(pad(TROUSERS_OUTSIDE, TROUSERS_INSIDE, pen=pen))
    height, width = shape.shape
    bottom = shape[int(height * 0.9)]
    runs = np.flatnonzero(np.diff(np.concatenate([[0], bottom.astype(int), [0]])))
    assert len(runs) == 4, "near the hem: two legs, each filled across"
    assert not shape[int(height * 0.8), width // 2]  # the gap between the legs stays empty
    assert shape[int(height * 0.1), width // 2]  # the waist is filled


def test_an_outline_whose_strokes_do_not_quite_meet_is_still_filled():
    box = [(60, 40), (220, 40), (220, 240), (60, 240)]
    with_gaps = pad([box[0], box[1], (220, 130)], [(220, 142), box[2], box[3], (60, 52)], pen=8)
    shape = shape_of(with_gaps)
    assert shape.mean() > 0.9  # nearly all of the box, not just its outline


@pytest.mark.parametrize("pen", [8, 16, 28])
def test_a_bags_handle_stays_open_as_the_datasets_bags_show_theirs_but_a_dress_bodice_is_filled(pen):
    body = [(40, 120), (240, 120), (240, 250), (40, 250), (40, 120)]
    handle = [(100, 120), (110, 40), (170, 40), (180, 120)]
    bag = shape_of(pad(body, handle, pen=pen))
    height, width = bag.shape
    assert not bag[int(height * 0.25), width // 2], "the handle's opening shows the background"
    assert bag[int(height * 0.7), width // 2] and bag[: int(height * 0.08), width // 2].any()

    bodice = [(100, 30), (180, 30), (190, 110), (90, 110), (100, 30)]
    skirt = [(90, 110), (40, 260), (240, 260), (190, 110)]
    dress = shape_of(pad(bodice, skirt, pen=pen))
    assert dress[int(dress.shape[0] * 0.2), dress.shape[1] // 2], "the bodice is cloth, not a hole"


def test_the_pen_width_hardly_changes_the_shape():
    thin, fat = (
        shape_of(pad(TROUSERS_OUTSIDE, TROUSERS_INSIDE, pen=6)),
        shape_of(pad(TROUSERS_OUTSIDE, TROUSERS_INSIDE, pen=18)),
    )
    fat = np.asarray(Image.fromarray(fat).resize(thin.shape[::-1]))
    overlap = (thin & fat).sum() / (thin | fat).sum()
    assert overlap > 0.8


def test_a_scribbled_in_garment_becomes_one_solid_shape():
    scribbles = [d for d in drawing_set(2) if d.kind == "scribble" and d.label == 0]  # T-shirts
    for drawing in scribbles:
        shape = shape_of(drawing.image)
        assert solidity(shape) > 0.75  # as solid as a T-shirt's filled outline (0.81-0.83)
        assert cv2.connectedComponents(shape.astype(np.uint8))[0] == 2  # one piece (and the background)


def test_a_big_scribble_running_off_the_pads_edges_is_still_found_on_the_paper():
    # A fat-pen bag filled in with back-and-forth strokes down to the pad's bottom edge: a
    # fifth of the border is ink, which a photo's background never is. It used to go to
    # GrabCut, which kept a few white specks: the model saw an almost black picture.
    rows = [(20, y, 260, y) for y in range(150, 281, 14)]
    bag = pad(*[((x0, y), (x1, y)) for x0, y, x1, _ in rows], pen=28)
    prepared = to_model_input(bag, drawing=True)
    assert prepared.method == DRAWN
    assert np.mean(prepared.pixels > 0) > 0.4  # a wide block, as wide as the picture
    assert np.mean(np.asarray(prepared.steps["filled in"]) > 0) > 0.9


def test_a_shoe_drawn_pointing_right_is_turned_to_point_left_like_the_datasets_and_a_t_shirt_is_not():
    by_kind = {(d.label, d.kind): d for d in drawing_set(1)}
    assert to_model_input(by_kind[7, "mirrored"].image, drawing=True).turned  # a sneaker, toe to the right
    assert not to_model_input(by_kind[7, "outline"].image, drawing=True).turned  # toe to the left already
    assert not to_model_input(by_kind[0, "mirrored"].image, drawing=True).turned  # a T-shirt faces no way


def test_a_drawing_is_told_apart_from_a_photo_and_a_product_shot(dataset):
    def judged(image: Image.Image) -> bool:
        image = image.convert("RGBA")
        found = separate(np.asarray(image))
        grey = np.asarray(image.convert("L"), np.float32)
        return is_drawing(grey, found.mask, float(found.background.mean()))

    assert judged(pad(TROUSERS_OUTSIDE, TROUSERS_INSIDE))
    assert all(judged(d.image) for d in drawing_set(1))
    product_shot = dark_on_white(dataset.test.images[1], 168, margin=28)
    assert not judged(product_shot)
    photo = photo_of(dataset.test.images[1], np.random.default_rng(0), "white").image
    assert not judged(photo)


def test_the_command_line_and_the_drawing_pad_see_a_drawing_the_same_way():
    drawing = pad(TROUSERS_OUTSIDE, TROUSERS_INSIDE)
    buffer = io.BytesIO()
    drawing.save(buffer, "PNG")
    from fmnist.preprocess import prepare_bytes

    as_uploaded = prepare_bytes(buffer.getvalue())  # no flag: as `python -m fmnist classify` reads a file
    on_the_pad = to_model_input(drawing, drawing=True)
    assert as_uploaded.method == on_the_pad.method == DRAWN
    assert np.array_equal(as_uploaded.views, on_the_pad.views)


def test_a_drawings_cut_out_step_shows_its_dark_strokes_on_a_light_backdrop():
    steps = to_model_input(pad(TROUSERS_OUTSIDE, TROUSERS_INSIDE), drawing=True).steps
    cut_out = np.asarray(steps["garment found"].convert("L"))
    assert cut_out[0, 0] > 180  # the backdrop, not black
    assert cut_out.min() < 60  # the strokes, still dark on it
