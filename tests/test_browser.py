"""The app as a person uses it: a real `streamlit run` server and Debian's Chromium.

Waits on Streamlit's own signals (the app's script state, test ids, ARIA roles) rather than
on fixed sleeps. Chromium is /usr/bin/chromium (apt-get install chromium): Playwright's own
browser download cannot run on machines without internet.
"""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, expect, sync_playwright

from fmnist.model import load_model
from tests.conftest import REPO, app_env
from tools.browser import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    IDLE,
    TSHIRT,
    answer_text,
    choose_preset,
    go_to,
    streamlit_server,
    stroke,
    visit,
    wait_for_answer,
)
from tools.pictures import dark_on_white, png_bytes

MENU = ["Home", "Train", "Explore", "Inside the model", "Classify"]

if not Path(CHROMIUM).exists():
    pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (the README's test command does)", pytrace=False)


@pytest.fixture(scope="module")
def server(data_dir):
    """The app's URL on a server shared by this module's tests."""
    with streamlit_server(REPO, app_env(FMNIST_DATA_DIR=str(data_dir))) as (url, _, _):
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


def assert_no_errors(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)


def expect_the_menu(page: Page) -> None:
    """The sidebar lists the app's pages, by title, in order. Waits for it like any element: CI
    once read an empty sidebar just after a deep link's heading showed (not reproduced here)."""
    # Each link's text is its Material icon's name, then its label: "homeHome".
    links = page.get_by_test_id("stSidebar").get_by_test_id("stPageLink")
    expect(links).to_have_text([re.compile(rf"{re.escape(label)}$") for label in MENU])


def picture_bytes(pixels) -> bytes:
    return png_bytes(dark_on_white(pixels))


def test_a_deep_link_on_a_fresh_server_shows_the_apps_menu_and_takes_the_first_move(data_dir, browser):
    # A bookmark to /train as the very first visit after a restart: Streamlit's legacy
    # pages/ handling would list "app, classify, explore, home, train".
    with streamlit_server(REPO, {**os.environ, "FMNIST_DATA_DIR": str(data_dir)}) as (url, _, _):
        page = browser.new_page()
        visit(page, f"{url}/train")
        expect(page.get_by_role("heading", level=1)).to_have_text("Train")
        expect_the_menu(page)
        expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)  # Streamlit's own menu never shows
        assert_no_errors(page)
        # The learner's first move on that page counts (it was dropped: a Train press then
        # trained the old settings): the page link follows the slider.
        epochs = page.get_by_test_id("stSlider").filter(has_text="Epochs").get_by_role("slider")
        epochs.focus()
        page.keyboard.press("Home")
        expect(page).to_have_url(re.compile(r"[?&]epochs=1(&|$)"))


def test_every_page_opens_without_errors_before_any_training(server, page):
    visit(page, server)
    expect_the_menu(page)
    for label in MENU:
        go_to(page, label)
        assert_no_errors(page)
    expect(page.get_by_text("No model yet")).to_be_visible()  # Classify, before training


def test_train_one_epoch_then_explore_the_grid_and_classify_an_upload(server, page, dataset, tmp_path):
    visit(page, f"{server}/train")
    epochs = page.get_by_test_id("stSlider").filter(has_text="Epochs").get_by_role("slider")
    epochs.focus()
    page.keyboard.press("Home")  # the slider's minimum: 1 epoch, the lesson's first experiment
    expect(epochs).to_have_value("1")
    # The page link follows the controls once the server has the new value: a Train press sent
    # sooner (the slider's value goes after a short pause) would carry the old 5 epochs.
    expect(page).to_have_url(re.compile(r"[?&]epochs=1(&|$)"))
    page.wait_for_selector(IDLE)

    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_test_id("stMain").get_by_test_id("stProgress")).to_be_visible(timeout=30_000)  # live progress
    result = page.get_by_test_id("stAlertContentSuccess")
    expect(result).to_contain_text("test accuracy", timeout=120_000)
    expect(result).to_contain_text("after 1 epoch(s)")  # the slider's value, not the lesson's 5
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
    expect(page.get_by_test_id("stDataFrame")).to_be_visible()  # the runs table
    assert_no_errors(page)
    with page.expect_download(timeout=30_000) as download:  # the file is made when the button is pressed
        page.get_by_role("button", name="Model (.keras)").click()
    download.value.save_as(tmp_path / download.value.suggested_filename)
    assert load_model(tmp_path / download.value.suggested_filename).count_params() == 101_770  # the lesson's MLP

    go_to(page, "Explore")
    grid = page.get_by_test_id("stPlotlyChart").filter(visible=True).first
    expect(grid.locator("image")).to_have_count(25, timeout=30_000)  # the grid tab
    assert_no_errors(page)

    go_to(page, "Classify")
    upload = tmp_path / "boot.png"
    upload.write_bytes(picture_bytes(dataset.test.images[0]))
    page.get_by_role("tab", name=re.compile("Upload")).click()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(upload)
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("28 x 28, what the model sees")).to_be_visible()
    # A class with its share, or the guard: a 1-epoch model may well be unsure.
    expect(page.get_by_role("heading", level=3)).to_have_text(re.compile(r"\(\d+%\)|^Not sure: "))
    assert_no_errors(page)


def main_progress(page: Page) -> float:
    bar = page.get_by_test_id("stMain").get_by_test_id("stProgress").get_by_role("progressbar")
    return float(bar.get_attribute("aria-valuenow") or 0) if bar.count() else -1.0


def curve_points(page: Page) -> int:
    """Points on the live training-loss curve (the first trace of the first chart)."""
    return page.evaluate(
        "() => { const p = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');"
        " return p && p.data ? p.data[0].x.length : 0; }"
    )


def on_screen(page: Page, locator) -> bool:
    """Whether the element lies wholly inside the window as it is scrolled now."""
    box, window = locator.bounding_box(), page.viewport_size
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= window["height"]


@pytest.mark.parametrize("width, height", [(1400, 1000), (1280, 720)])
def test_the_train_button_progress_and_stop_are_on_screen_together(server, browser, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    visit(page, f"{server}/train")
    train = page.get_by_role("button", name="Train", exact=True)
    choose_preset(page, "CNN")  # 10 epochs of a CNN: seconds to look at
    page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")  # as a page opens
    assert on_screen(page, train)  # no scrolling to start a run
    train.click(no_wait_after=True)
    stop = page.get_by_role("button", name="Stop")
    expect(stop).to_be_visible(timeout=30_000)
    progress = page.get_by_test_id("stMain").get_by_test_id("stProgress")
    assert on_screen(page, train) and on_screen(page, progress) and on_screen(page, stop)
    stop.click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Run stopped by you", timeout=30_000)
    page.close()


def test_a_long_run_moves_live_then_stops_and_runs_compare_side_by_side(server, page):
    visit(page, f"{server}/train")
    choose_preset(page, "Two layers of 128, 10 epochs")
    epochs = page.get_by_test_id("stSlider").filter(has_text="Epochs").get_by_role("slider")
    epochs.focus()
    page.keyboard.press("End")  # 50 epochs: long enough to watch, then stop
    expect(epochs).to_have_value("50")
    page.get_by_role("button", name="Train", exact=True).click()

    seen_progress, seen_points = set(), set()
    deadline = time.monotonic() + 90
    while (len(seen_progress - {-1.0}) < 3 or len(seen_points - {0}) < 3) and time.monotonic() < deadline:
        seen_progress.add(main_progress(page))
        seen_points.add(curve_points(page))
        page.wait_for_timeout(300)
    assert len(seen_progress - {-1.0}) >= 3, seen_progress  # the bar moved at least twice
    assert len(seen_points - {0}) >= 3, seen_points  # and so did the curves

    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Run stopped by you", timeout=30_000)

    choose_preset(page, "1 epoch")
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Run finished", timeout=120_000)
    page.wait_for_selector(IDLE)

    table = page.get_by_test_id("stDataFrame")
    expect(table).to_contain_text(re.compile(r"stopped by you after \d+ of 50 epochs"))
    expect(table).to_contain_text("finished")
    overlay = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')]"
        ".map(p => p.data.map(t => (t.name || '').replace('★ best: ', '')))"
        ".find(names => names.some(n => n.startsWith('#1')))"
    )
    assert any(n.startswith("#1 MLP 128-128") for n in overlay) and any(
        n.startswith("#2 MLP 128 relu, 1 epoch") for n in overlay
    )
    assert_no_errors(page)

    # The first model stays the active one on the other pages: run #2 did not take its place.
    go_to(page, "Explore")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Active model: #1 MLP 128-128 relu, 50 epochs")


def test_two_people_training_at_once_each_see_only_their_own_run(server, browser):
    alice, bob = browser.new_context(), browser.new_context()  # two browser sessions, no shared cookies
    try:
        pages = {"alice": alice.new_page(), "bob": bob.new_page()}
        for who, preset in (("alice", "10 hidden units"), ("bob", "512 hidden units")):
            visit(pages[who], f"{server}/train")
            choose_preset(pages[who], preset)
        for who in pages:  # both start before either finishes
            pages[who].get_by_role("button", name="Train", exact=True).click()
        # While both train (in the server's worker processes), a third learner's first page
        # comes up (the bench times it: idle_page_while_training_ratio).
        carol = browser.new_context().new_page()
        visit(carol, server)
        expect(carol.get_by_role("heading", level=1)).to_be_visible()
        assert_no_errors(carol)
        carol.context.close()
        for who, units in (("alice", "10"), ("bob", "512")):
            page = pages[who]
            expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Run finished", timeout=180_000)
            page.wait_for_selector(IDLE)
            expect(page.get_by_role("heading", level=3)).to_have_text(f"#1 MLP {units} relu, 5 epochs")
            expect(page.get_by_test_id("stDataFrame")).to_contain_text(f"MLP {units} relu")
            other = "512" if units == "10" else "10"
            expect(page.get_by_test_id("stDataFrame")).not_to_contain_text(f"MLP {other} relu")
            assert_no_errors(page)
    finally:
        alice.close()
        bob.close()


def grid_captions(page: Page) -> list[str]:
    """The captions of the picture grids on screen, e.g. '<b>Bag</b> 90%<br>(Bag) #3'."""
    return page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')]"
        ".filter(plot => plot.offsetParent !== null && (plot.layout.images || []).length)"
        ".flatMap(plot => plot.layout.annotations.map(note => note.text))"
    )


def explore_with_a_model(page: Page, url: str) -> None:
    visit(page, f"{url}/explore")
    page.get_by_role("button", name=re.compile("Train the lesson's model")).click()
    expect(page.get_by_role("tab", name="Confusion matrix")).to_be_visible(timeout=120_000)
    page.wait_for_selector(IDLE)


def test_a_grid_picture_opens_up_close_on_a_click_and_its_bars_name_their_class(server, page):
    explore_with_a_model(page, server)
    grid = page.get_by_test_id("stPlotlyChart").filter(visible=True).first
    expect(grid.locator("image")).to_have_count(25, timeout=30_000)
    first = int(grid_captions(page)[0].rsplit("#", 1)[1])
    box = grid.locator(".js-plotly-plot").bounding_box()

    page.mouse.move(box["x"] + 7 + 7, box["y"] + 38 + 146 + 4 + 20)  # the first picture's first bar
    expect(grid.locator(".hoverlayer")).to_contain_text(re.compile(r"T-shirt/top.*: \d+\.\d%"))

    page.wait_for_selector(IDLE)
    page.mouse.move(box["x"] + 80, box["y"] + 100)
    expect(grid.locator(".hoverlayer")).to_contain_text(f"test picture #{first}: click to see it up close")
    page.mouse.click(box["x"] + 80, box["y"] + 110)  # the first picture itself
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Test picture #{first}", timeout=30_000)
    expect(dialog).to_contain_text(re.compile(r"True class \w.*; the model says"))
    expect(dialog.get_by_test_id("stPlotlyChart")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    page.mouse.click(box["x"] + 80, box["y"] + 110)  # the same picture again opens it again
    expect(page.get_by_role("dialog")).to_contain_text(f"Test picture #{first}", timeout=30_000)
    page.keyboard.press("Escape")

    page.get_by_test_id("stSelectbox").filter(has_text="True class").first.click()
    page.get_by_role("option", name="Shirt", exact=True).click()
    deadline = time.monotonic() + 30
    while not all("(Shirt)" in caption for caption in grid_captions(page)) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    shirts = grid_captions(page)
    assert len(shirts) == 25 and all("(Shirt)" in caption for caption in shirts)
    page.get_by_role("tab", name="Up close").click()
    expect(page.get_by_text("True class Shirt").filter(visible=True)).to_be_visible()  # not the old picture
    assert_no_errors(page)


def test_clicking_a_confusion_matrix_square_shows_its_pictures_and_the_share_toggle_keeps_them(server, page):
    explore_with_a_model(page, server)
    page.get_by_role("tab", name="Confusion matrix").click()
    matrix = page.get_by_test_id("stPlotlyChart").filter(visible=True).first
    squares = matrix.locator(".scatterlayer .point")
    expect(squares).to_have_count(100, timeout=30_000)
    page.wait_for_selector(IDLE)
    squares.nth(6 * 10 + 0).hover(force=True)  # plotly takes a click on the point under the pointer
    squares.nth(6 * 10 + 0).click(force=True)  # row Shirt, column T-shirt/top: the lesson's classic mix-up
    heading = page.get_by_text(re.compile(r"True Shirt, predicted T-shirt/top: \d+ pictures"))
    expect(heading).to_be_visible(timeout=30_000)
    count = int(re.search(r"(\d+) pictures", heading.inner_text()).group(1))
    page.wait_for_selector(IDLE)
    captions = grid_captions(page)
    assert len(captions) == min(count, 24)  # the cell's pictures, a page of them at a time
    assert all(re.match(r"<b>T-shirt/top</b> \d+%<br>\(Shirt\)", caption) for caption in captions)
    # No square fades after the click: every number stays as readable as before.
    opacities = squares.evaluate_all("points => points.map(p => getComputedStyle(p).opacity)")
    assert set(opacities) == {"1"}, set(opacities)

    page.get_by_text("Share of each true class instead of counts").click()
    expect(squares.first).to_be_visible()
    expect(matrix.locator(".scatterlayer .textpoint").first).to_have_text(re.compile(r"\d+%"), timeout=30_000)
    expect(heading).to_be_visible()  # the drill-down stays
    assert_no_errors(page)


# --- Classify -----------------------------------------------------------------------------


def classify_with_a_model(page: Page, url: str) -> None:
    visit(page, f"{url}/classify")
    page.get_by_role("button", name=re.compile("Train the lesson")).click()
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Active model: #1 MLP", timeout=120_000)
    expect(page.get_by_role("combobox", name="Model")).to_be_visible()
    page.wait_for_selector(IDLE)


def test_drawing_a_rough_t_shirt_gives_bars_that_update_with_each_stroke_and_clear_empties_them(server, page):
    classify_with_a_model(page, server)
    expect(page.get_by_text("Draw a garment on the pad")).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(0)  # an empty pad gets no bars

    stroke(page, TSHIRT)
    first = answer_text(page)
    expect(page.get_by_test_id("stPlotlyChart").filter(visible=True)).to_have_count(1)
    expect(page.get_by_text("28 x 28, what the model sees")).to_be_visible()
    expect(page.get_by_text(re.compile("Where the model looked: red areas pushed it towards"))).to_be_visible()
    expect(page.get_by_text("The nearest training pictures")).to_be_visible()

    stroke(page, [(60, 240), (140, 150), (220, 240)])  # a big extra stroke changes the garment's shape
    wait_for_answer(page, lambda text: text != first)  # the bars followed the stroke

    page.get_by_role("button", name="Undo").click()
    wait_for_answer(page, lambda text: text == first)  # back to the T-shirt alone

    page.get_by_role("button", name="Reset canvas & history").click()
    expect(page.get_by_text("Draw a garment on the pad")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(0)
    assert_no_errors(page)


def test_trousers_drawn_as_two_legs_open_at_the_hems_are_called_trousers(server, page):
    from tools.drawings import TROUSERS_INSIDE_ON_PAD, TROUSERS_OUTSIDE_ON_PAD

    classify_with_a_model(page, server)  # the lesson's model, as a learner has it first
    stroke(page, TROUSERS_OUTSIDE_ON_PAD)
    stroke(page, TROUSERS_INSIDE_ON_PAD)
    wait_for_answer(page, lambda text: text.startswith("Trouser ("))
    expect(page.get_by_text(re.compile("Read as a drawing: gaps in its lines were closed"))).to_be_visible()
    assert_no_errors(page)


def test_a_bag_drawn_with_its_handle_is_called_a_bag(server, page):
    from tools.drawings import BAG_BODY_ON_PAD, BAG_HANDLE_ON_PAD

    classify_with_a_model(page, server)  # the lesson's model took it for a coat while the handle was filled in
    stroke(page, BAG_BODY_ON_PAD)
    stroke(page, BAG_HANDLE_ON_PAD)
    wait_for_answer(page, lambda text: text.startswith("Bag ("))
    assert_no_errors(page)


def test_three_uploads_with_one_broken_give_two_results_and_one_clear_message(server, page, dataset, tmp_path):
    import pillow_heif

    from tools.standins import photo_of

    classify_with_a_model(page, server)
    files = [tmp_path / "floor.jpg", tmp_path / "broken.png", tmp_path / "phone.heic"]
    photo_of(dataset.test.images[1], np.random.default_rng(0), "floor").image.save(files[0], quality=90)
    files[1].write_bytes(picture_bytes(dataset.test.images[2])[:300])  # cut off mid-file
    # A phone photo as an iPhone saves it: HEIC.
    pillow_heif.from_pillow(dark_on_white(dataset.test.images[3]).convert("RGB")).save(files[2], quality=90)
    page.get_by_role("tab", name=re.compile("Upload")).click()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(files)

    # A compact row each first: the answer and how sure, or why a file could not be read.
    expect(page.get_by_text("3 pictures")).to_be_visible(timeout=60_000)
    expect(summary_rows(page)).to_have_count(2)
    expect(page.get_by_text(re.compile(r"^not read: the image is damaged"))).to_be_visible()
    # The details on demand: the floor photo's steps, the broken file's one-line message.
    page.get_by_text("floor.jpg: the steps, the bars and why").click()
    expect(page.get_by_text("the garment, cut out (told apart by its colours)").first).to_be_visible()  # floor cut away
    expect(page.get_by_text("28 x 28, what the model sees").filter(visible=True)).to_have_count(1)
    page.get_by_text("broken.png: the steps, the bars and why").click()
    errors = page.get_by_test_id("stAlertContentError")
    expect(errors).to_have_count(1)
    expect(errors).to_contain_text("broken.png")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Active model: #1 MLP")  # the session kept its model


def summary_rows(page: Page):
    """The Upload tab's compact rows that carry an answer (each shows how sure it is)."""
    return page.get_by_test_id("stMain").get_by_test_id("stProgress").filter(has_text=re.compile(r"\d+% sure"))


def test_a_valid_4000_by_12_picture_gets_its_result_and_never_stops_the_uploads_after_it(
    server, page, dataset, tmp_path
):
    classify_with_a_model(page, server)
    strip, product = tmp_path / "strip.png", tmp_path / "product.png"
    thin = Image.new("RGB", (4000, 12), "white")
    thin.paste((0, 0, 0), (100, 2, 3900, 10))
    thin.save(strip)
    product.write_bytes(picture_bytes(dataset.test.images[3]))
    page.get_by_role("tab", name=re.compile("Upload")).click()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([strip, product])
    expect(page.get_by_text("2 pictures")).to_be_visible(timeout=60_000)
    refused = page.get_by_text("nothing to classify", exact=True).filter(visible=True)
    expect(summary_rows(page).or_(refused)).to_have_count(2)  # a row each
    page.get_by_text("strip.png: the steps, the bars and why").click()
    expect(page.get_by_test_id("stMain").locator("strong", has_text="strip.png")).to_be_visible()  # its result
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)


def test_a_file_name_with_markdown_and_a_picture_link_is_shown_as_plain_text(server, page, dataset):
    classify_with_a_model(page, server)
    fetched = []
    page.on("request", lambda request: fetched.append(request.url) if "pixel.png" in request.url else None)
    name = "**bold** ![px](http://127.0.0.1:9/pixel.png) [x](http://127.0.0.1:9/).png"
    page.get_by_role("tab", name=re.compile("Upload")).click()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        [{"name": name, "mimeType": "image/png", "buffer": picture_bytes(dataset.test.images[3])}]
    )
    expect(page.get_by_text("28 x 28, what the model sees").filter(visible=True)).to_have_count(1, timeout=60_000)
    main = page.get_by_test_id("stMain")
    heading = main.locator("strong").filter(has_text="bold").first
    assert heading.inner_text().replace("\u2060", "") == name  # every character as typed (joiners are invisible)
    expect(main.locator("strong", has_text=re.compile(r"^bold$"))).to_have_count(
        0
    )  # the name's own ** made nothing bold
    expect(main.locator("a[href*='127.0.0.1:9']")).to_have_count(0)  # no link either
    page.wait_for_timeout(500)
    assert fetched == []  # the browser never asked for the picture the name pointed at


def test_an_unexpected_error_shows_a_short_message_not_a_traceback_with_server_paths(browser, tmp_path):
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "config.toml").write_text((REPO / ".streamlit" / "config.toml").read_text())
    (tmp_path / "app.py").write_text(
        'import streamlit as st\nst.title("Broken")\nraise ValueError("secret detail in /srv/fmnist/app.py")\n'
    )
    with streamlit_server(tmp_path, dict(os.environ)) as (url, _, _):
        page = browser.new_page()
        visit(page, url)
        expect(page.get_by_test_id("stException")).to_have_count(1)
        shown = page.get_by_test_id("stException").inner_text()
        assert "secret detail" not in shown and "/srv/fmnist" not in shown and "Traceback" not in shown
        page.close()


def test_one_upload_limit_gives_one_figure_on_the_page_and_the_server_keeps_to_it(data_dir, browser):
    env = {**os.environ, "FMNIST_DATA_DIR": str(data_dir), "FMNIST_MAX_UPLOAD_MB": "1"}
    with streamlit_server(REPO, env) as (url, _, _):
        page = browser.new_page()
        classify_with_a_model(page, url)
        page.get_by_role("tab", name=re.compile("Upload")).click()
        uploader = page.get_by_test_id("stFileUploader")
        expect(uploader).to_contain_text("up to 1 MB")  # the label
        expect(uploader).to_contain_text("1MB per file")  # Streamlit's drop zone
        expect(uploader).not_to_contain_text("20")
        page.close()


def test_a_full_probability_bar_shows_its_whole_percentage(browser):
    from fmnist.charts import probability_bars

    figure = probability_bars(np.array([1.0] + [0.0] * 9))
    figure.update_layout(font={"size": 14})  # Streamlit's theme draws chart text this size
    page = browser.new_page(viewport={"width": 290, "height": 360})  # a narrow column, as on a small screen
    page.set_content(figure.to_html(include_plotlyjs=True, full_html=True, default_width=280))
    label = page.locator(".bartext").filter(has_text=re.compile(r"^100%$"))
    expect(label).to_have_count(1)
    box = label.bounding_box()
    percent_sign = {
        "x": box["x"] + box["width"] * 0.7,
        "y": box["y"],
        "width": box["width"] * 0.3,
        "height": box["height"],
    }
    pixels = np.asarray(Image.open(io.BytesIO(page.screenshot(clip=percent_sign))).convert("L"))
    assert (pixels < 128).sum() >= 5  # the "%" is drawn, not clipped away to "100"
    page.close()


def test_a_drawing_and_the_uploads_are_still_there_after_a_visit_to_another_page(server, page, dataset, tmp_path):
    classify_with_a_model(page, server)
    stroke(page, TSHIRT)
    drawn = answer_text(page)
    upload = tmp_path / "product.png"
    upload.write_bytes(picture_bytes(dataset.test.images[3]))
    page.get_by_role("tab", name=re.compile("Upload")).click()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(upload)
    expect(page.get_by_text("28 x 28, what the model sees").filter(visible=True)).to_have_count(1, timeout=60_000)

    go_to(page, "Explore")
    go_to(page, "Classify")
    assert wait_for_answer(page, lambda text: text == drawn)  # the drawing is back on the pad, with its answer
    page.get_by_role("tab", name=re.compile("Upload")).click()
    expect(page.get_by_text("1 picture(s) kept from before.")).to_be_visible()
    expect(page.get_by_text("28 x 28, what the model sees").filter(visible=True)).to_have_count(1, timeout=30_000)
    page.get_by_role("button", name="Forget them").click()
    expect(page.get_by_text("28 x 28, what the model sees").filter(visible=True)).to_have_count(0, timeout=30_000)
    assert_no_errors(page)


# --- Runs that last -------------------------------------------------------------------------


def workspace_of(page: Page) -> str:
    match = re.search(r"[?&]w=([A-Za-z0-9_-]+)", page.url)
    assert match, page.url  # every page's link names its workspace
    return match.group(1)


def train_a_quick_run(page: Page, url: str) -> None:
    visit(page, f"{url}/train")
    choose_preset(page, "1 epoch")
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Run finished", timeout=120_000)
    page.wait_for_selector(IDLE)


def test_a_reload_a_new_tab_and_another_page_bring_the_runs_back_and_a_fresh_browser_sees_none(server, browser):
    first = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = first.new_page()
    train_a_quick_run(page, server)
    space = workspace_of(page)
    page.reload()
    page.wait_for_selector(IDLE)
    expect(page.get_by_test_id("stDataFrame")).to_contain_text("finished", timeout=30_000)  # the runs table
    expect(page.get_by_text(re.compile(r"Active model: #1 MLP 128 relu, 1 epoch"))).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()  # its curves
    go_to(page, "Explore")
    assert workspace_of(page) == space  # the link keeps its workspace from page to page
    expect(page.get_by_test_id("stPlotlyChart").filter(visible=True).first.locator("image")).to_have_count(25)

    tab = first.new_page()  # a new tab on the same link
    visit(tab, page.url)
    expect(tab.get_by_text(re.compile(r"Active model: #1 MLP 128 relu, 1 epoch"))).to_be_visible()
    expect(tab.get_by_test_id("stPlotlyChart").filter(visible=True).first.locator("image")).to_have_count(25)

    stranger = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()  # no workspace link
    visit(stranger, f"{server}/explore")
    expect(stranger.get_by_text("No model yet")).to_be_visible()
    assert workspace_of(stranger) != space
    stranger.context.close()
    first.close()


def worker_processes(server) -> list:
    """The processes training the server's runs: its local cluster's workers."""
    import psutil

    return [
        child
        for child in psutil.Process(server.pid).children(recursive=True)
        if "spawn_main" in " ".join(child.cmdline())
    ]


def test_a_killed_worker_or_server_interrupts_the_run_with_a_usable_model_and_a_restart_brings_the_runs_back(
    browser, data_dir, tmp_path
):
    env = app_env(FMNIST_DATA_DIR=str(data_dir), FMNIST_RUNS_DIR=str(tmp_path / "runs"))
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    with streamlit_server(REPO, env) as (url, process, _):
        train_a_quick_run(page, url)  # run #1, the active model
        space = workspace_of(page)
        progress = page.get_by_test_id("stMain").get_by_test_id("stProgress")  # the live run's bar, not a stale chart
        epochs = page.get_by_test_id("stSlider").filter(has_text="Epochs").get_by_role("slider")
        epochs.focus()
        page.keyboard.press("End")  # runs #2 and #3: 50 epochs, each killed after its second
        page.get_by_role("button", name="Train", exact=True).click()
        expect(progress).to_contain_text(re.compile(r"Epoch ([3-9]|[1-4]\d)/50"), timeout=60_000)  # 2 epochs done
        workers = worker_processes(process)
        assert workers  # the run trains in a worker process, not in the server
        for worker in workers:
            worker.kill()  # kill -9, whichever one trains it
        expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text(
            "Run interrupted: its worker process stopped", timeout=30_000
        )
        page.wait_for_selector(IDLE)
        page.get_by_role("button", name="Train", exact=True).click()  # run #3, on a restarted worker
        expect(page.get_by_role("heading", name=re.compile(r"#3 MLP 128 relu, 50 epochs"))).to_be_visible()
        expect(progress).to_contain_text(re.compile(r"Epoch ([3-9]|[1-4]\d)/50"), timeout=90_000)
        process.kill()  # the server, kill -9: no goodbye, no last write
        process.wait()
    page.close()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    with streamlit_server(REPO, env) as (url, _, _):
        visit(page, f"{url}/train?w={space}")
        table = page.get_by_test_id("stDataFrame")
        expect(table).to_contain_text("finished", timeout=30_000)
        some = r"after ([2-9]|[1-4]\d) of 50 epochs"
        expect(table).to_contain_text(re.compile(rf"interrupted: its worker process stopped {some}"))
        expect(table).to_contain_text(re.compile(rf"interrupted when the server stopped {some}"))
        expect(page.get_by_text(re.compile(r"Active model: #1 MLP 128 relu, 1 epoch"))).to_be_visible()
        expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Run interrupted when the server stopped")
        page.get_by_role("button", name="Use this model").click()  # the interrupted run's last epoch
        expect(page.get_by_text(re.compile(r"Active model: #3 MLP 128 relu, 50 epochs"))).to_be_visible()
        go_to(page, "Explore")  # the model of its last finished epoch, without training
        expect(page.get_by_test_id("stPlotlyChart").filter(visible=True).first.locator("image")).to_have_count(25)
        assert_no_errors(page)
    page.close()


def test_a_link_sets_the_controls_and_train_pressed_twice_queues_the_second_run_behind_the_first(server, page):
    visit(page, f"{server}/train?w=queue-{os.getpid()}&units=300&epochs=50")  # long runs: 20 s or more
    units = page.get_by_test_id("stSlider").filter(has_text="Hidden units per layer")
    expect(units).to_contain_text("300")
    train = page.get_by_role("button", name="Train", exact=True)
    train.click()
    expect(page.locator(".st-key-train_stop_1 button")).to_be_visible(timeout=30_000)
    page.wait_for_function("() => document.querySelectorAll('[data-testid=stBaseButton-primary]').length == 1")
    train.click()  # while the first trains: the second waits its turn
    waiting = page.get_by_test_id("stMainBlockContainer").get_by_text(re.compile(r"Waiting: #2 MLP 300 relu, 50 ep"))
    expect(waiting).to_contain_text("place 1")
    page.mouse.wheel(0, 1200)  # scrolling while runs ended once put every control back to its default
    page.locator(".st-key-train_stop_1 button").click()
    heading = page.get_by_role("heading", name=re.compile(r"#2 MLP 300 relu, 50 epochs"))
    expect(heading).to_be_visible(timeout=30_000)  # the live view moved on to the second run
    page.locator(".st-key-train_stop_2 button").click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Run stopped by you", timeout=30_000)
    expect(units).to_contain_text("300")  # the controls, and their link, held
    assert "units=300" in page.url and "epochs=50" in page.url
    assert_no_errors(page)


def test_train_clicked_twice_in_quick_succession_starts_one_run(server, page):
    visit(page, f"{server}/train?w=double-{os.getpid()}&units=300&epochs=50")
    train = page.get_by_role("button", name="Train", exact=True)
    train.click()
    page.wait_for_timeout(300)  # while the first press's callback waits for the run's first step
    train.click(force=True)
    stop = page.locator(".st-key-train_stop_1 button")
    expect(stop).to_be_visible(timeout=30_000)
    page.wait_for_timeout(3000)  # time for a second run to show, were one queued
    page.wait_for_selector(IDLE)
    main = page.get_by_test_id("stMainBlockContainer")
    expect(main.get_by_text(re.compile(r"#2 MLP"))).to_have_count(0)
    stop.click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Run stopped by you", timeout=30_000)
    expect(main.get_by_text(re.compile(r"#2 MLP"))).to_have_count(0)  # no run waiting behind it either
    assert_no_errors(page)


def units_picture(page: Page) -> str:
    """The address of the picture of the units (a new one whenever the weights change)."""
    return page.get_by_test_id("stMain").get_by_test_id("stImage").locator("img").first.get_attribute("src") or ""


def test_units_change_while_a_run_trains_a_picture_walks_through_the_mlp_and_the_cnn_and_the_map_opens(server, page):
    from fmnist.config import RunConfig

    visit(page, f"{server}/train")
    epochs = page.get_by_test_id("stSlider").filter(has_text="Epochs").get_by_role("slider")
    epochs.focus()
    page.keyboard.press("End")  # 50 epochs of the lesson's model: time to watch its units
    expect(epochs).to_have_value("50")
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_role("link", name="Watch its units learn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inside the model", timeout=60_000)
    expect(page.get_by_text("is training: its units change as it learns")).to_be_visible(timeout=30_000)
    seen, deadline = set(), time.monotonic() + 30
    while len(seen) < 3 and time.monotonic() < deadline:
        if page.get_by_test_id("stMain").get_by_test_id("stImage").count():
            seen.add(units_picture(page))
        page.wait_for_timeout(300)
    assert len(seen - {""}) >= 3, seen  # the pictures changed at least twice while it trained

    go_to(page, "Train")
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("stopped by you", timeout=30_000)
    page.wait_for_selector(IDLE)
    go_to(page, "Inside the model")
    expect(page.get_by_text("Units 1-128 of 128")).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="One picture, layer by layer").click()
    expect(page.get_by_text("The model says")).to_be_visible(timeout=30_000)
    expect(page.locator(".sankey")).to_have_count(1)  # the strongest paths
    page.get_by_role("tab", name="Map of the test pictures").click()
    expect(page.get_by_text(re.compile(r"[\d,]+ test pictures placed"))).to_be_visible(timeout=60_000)
    page.wait_for_selector(IDLE)
    expect(page.get_by_text("nearest neighbour of the same class")).to_have_count(2)
    assert_no_errors(page)

    # The CNN: its code, copied from the page, builds the app's architecture with plain Keras.
    go_to(page, "Train")
    choose_preset(page, "CNN")
    page.get_by_text("The Keras code for these settings").click()
    code = page.get_by_test_id("stCode").inner_text()
    namespace = {}
    exec(
        code.split("model.compile")[0].split("test_dataset.map(normalize)")[-1],
        {"tf": __import__("tensorflow")},
        namespace,
    )
    assert namespace["model"].count_params() == RunConfig.lesson_cnn().params
    epochs.focus()
    page.keyboard.press("Home")  # one epoch
    expect(epochs).to_have_value("1")
    page.wait_for_selector(IDLE)
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Run finished", timeout=120_000)
    page.wait_for_selector(IDLE)
    names = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')]"
        ".flatMap(p => p.data.map(t => t.name || ''))"
    )
    assert any(name.startswith("★ best: #") for name in names)  # the comparison marks the best run
    page.get_by_role("button", name="Use this model").click()
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Active model: #2 CNN", timeout=30_000)
    go_to(page, "Inside the model")
    expect(page.get_by_text(re.compile("conv_1"))).to_be_visible(timeout=30_000)  # its filters
    page.get_by_role("tab", name="One picture, layer by layer").click()
    expect(page.get_by_text(re.compile(r"conv_2.*64 maps of 11 x 11"))).to_be_visible(timeout=30_000)
    assert_no_errors(page)
