"""Take the README's screenshots from the real app: `.venv/bin/python scripts/screenshots.py`.

Starts `streamlit run app.py` on the data in $FMNIST_DATA_DIR, trains the lesson's model in
Chromium as a person would, and saves a picture of each page into docs/.
"""

import re
import sys
from pathlib import Path

import numpy as np
from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from fmnist.data import load_dataset
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
)
from tools.standins import photo_of

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"


def main() -> None:
    data = load_dataset()  # $FMNIST_DATA_DIR, which the server reads too
    with streamlit_server(REPO) as (url, _, _), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1500})
        visit(page, url)
        page.screenshot(path=DOCS / "home.png")

        go_to(page, "Train")  # the lesson's model for 50 epochs: time to look at it live, then Stop
        epochs = page.get_by_test_id("stSlider").filter(has_text="Epochs").get_by_role("slider")
        epochs.focus()
        page.keyboard.press("End")
        expect(epochs).to_have_value("50")
        page.get_by_role("button", name="Train", exact=True).click()
        expect(page.get_by_test_id("stMain").get_by_test_id("stProgress")).to_be_visible(timeout=60_000)
        bar = "[data-testid=stMain] [data-testid=stProgress] [role=progressbar]"
        page.wait_for_function(  # a few epochs in, with curves to show
            f"() => Number(document.querySelector('{bar}')?.getAttribute('aria-valuenow')) >= 12", timeout=60_000
        )
        page.screenshot(path=DOCS / "train-live.png", full_page=True)
        page.get_by_role("button", name="Stop").click()
        expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("stopped by you", timeout=60_000)
        page.wait_for_selector(IDLE)

        choose_preset(page, "The lesson")
        page.get_by_role("button", name="Train", exact=True).click()
        expect(page.get_by_role("heading", level=3)).to_contain_text("#2 MLP 128 relu, 5 epochs", timeout=60_000)
        expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("finished", timeout=120_000)
        page.wait_for_selector(IDLE)
        page.screenshot(path=DOCS / "train.png", full_page=True)

        page.get_by_role("button", name="Use this model").click()  # the lesson's 5 epochs, inside
        expect(page.get_by_test_id("stSidebar")).to_contain_text("Active model: #2", timeout=30_000)
        go_to(page, "Inside the model")
        expect(page.get_by_text("Units 1-128 of 128")).to_be_visible(timeout=30_000)
        page.wait_for_function("() => [...document.images].every(image => image.complete)")
        page.screenshot(path=DOCS / "inside-units.png")
        page.get_by_role("tab", name="One picture, layer by layer").click()
        expect(page.locator(".sankey")).to_have_count(1, timeout=30_000)
        page.wait_for_selector(IDLE)
        page.wait_for_timeout(500)
        page.screenshot(path=DOCS / "inside-walk.png")
        page.get_by_role("tab", name="Map of the test pictures").click()
        expect(page.get_by_text(re.compile(r"test pictures placed"))).to_be_visible(timeout=60_000)
        page.wait_for_selector(IDLE)
        page.wait_for_timeout(800)
        page.screenshot(path=DOCS / "inside-map.png")
        go_to(page, "Train")

        for preset, units in (("10 hidden units", 10), ("512 hidden units", 512)):  # the lesson's experiment
            choose_preset(page, preset)
            page.get_by_role("button", name="Train", exact=True).click()
            expect(page.get_by_role("heading", level=3)).to_contain_text(f"MLP {units} relu", timeout=60_000)
            expect(page.get_by_test_id("stAlertContentSuccess")).to_be_visible(timeout=120_000)
            page.wait_for_selector(IDLE)
        page.get_by_role("heading", name="Runs").evaluate("heading => heading.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)
        page.screenshot(path=DOCS / "runs.png")

        go_to(page, "Explore")
        grid = page.get_by_test_id("stPlotlyChart").filter(visible=True).first
        expect(grid.locator("image")).to_have_count(25, timeout=30_000)
        page.wait_for_selector(IDLE)
        box = grid.bounding_box()
        page.mouse.move(box["x"] + 7 + 146 * 0.85, box["y"] + 38 + 146 + 4 + 20)  # a bar's name and value
        page.wait_for_timeout(500)
        page.screenshot(path=DOCS / "explore.png", full_page=True)
        page.mouse.move(box["x"] + 80, box["y"] + 100)
        page.wait_for_timeout(300)
        page.mouse.click(box["x"] + 80, box["y"] + 110)  # the first picture, up close
        expect(page.get_by_role("dialog")).to_contain_text("Test picture #", timeout=30_000)
        page.wait_for_selector(IDLE)
        page.wait_for_timeout(500)
        page.screenshot(path=DOCS / "explore-up-close.png")
        page.keyboard.press("Escape")
        page.get_by_role("tab", name="Confusion matrix").click()
        matrix = page.get_by_test_id("stPlotlyChart").filter(visible=True).first
        page.wait_for_selector(IDLE)
        matrix.locator(".scatterlayer .point").nth(6 * 10 + 0).hover(force=True)
        matrix.locator(".scatterlayer .point").nth(6 * 10 + 0).click(force=True)  # true Shirt, said T-shirt
        expect(page.get_by_text(re.compile("True Shirt, predicted T-shirt/top"))).to_be_visible(timeout=30_000)
        page.wait_for_selector(IDLE)
        page.wait_for_function("() => [...document.images].every(image => image.complete)")
        page.screenshot(path=DOCS / "explore-matrix.png", full_page=True)

        go_to(page, "Train")  # the CNN for photos, for the Classify pictures
        choose_preset(page, "CNN for photos")
        page.get_by_role("button", name="Train", exact=True).click()
        expect(page.get_by_role("heading", level=3)).to_contain_text("CNN", timeout=60_000)
        expect(page.get_by_test_id("stAlertContentSuccess")).to_be_visible(timeout=300_000)
        page.wait_for_selector(IDLE)
        page.get_by_role("button", name="Use this model").click()  # the CNN for the Classify pictures
        expect(page.get_by_test_id("stSidebar")).to_contain_text("Active model: #5 CNN", timeout=30_000)
        page.wait_for_selector(IDLE)

        page.set_viewport_size({"width": 1400, "height": 1700})
        go_to(page, "Classify")
        stroke(page, TSHIRT)
        answer_text(page)
        page.wait_for_function("() => [...document.images].every(image => image.complete)")
        page.screenshot(path=DOCS / "classify-drawing.png")

        photo = DOCS / "sample-photo.jpg"
        photo_of(data.test.images[2], np.random.default_rng(4), "rug", size=(800, 600)).image.save(photo, quality=90)
        page.get_by_role("tab", name=re.compile("Upload")).click()
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(photo)
        expect(page.get_by_text("the garment, cut out (told apart by its colours)")).to_be_visible(timeout=30_000)
        page.wait_for_selector(IDLE)
        page.wait_for_function("() => [...document.images].every(image => image.complete)")
        page.screenshot(path=DOCS / "classify-photo.png")
        photos = []  # added to the rug photo already uploaded
        for number, (index, background) in enumerate([(0, "white"), (1, "bed"), (8, "floor"), (13, "rug")]):
            photos.append(DOCS / f"photo-{number}.jpg")
            photo_of(data.test.images[index], np.random.default_rng(number), background).image.save(photos[-1])
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(photos)
        expect(page.get_by_text(f"{len(photos) + 1} pictures")).to_be_visible(timeout=60_000)
        page.wait_for_selector(IDLE)
        page.wait_for_function("() => [...document.images].every(image => image.complete)")
        page.get_by_test_id("stTabs").last.evaluate("tabs => tabs.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)
        page.screenshot(path=DOCS / "classify-uploads.png")
        for path in [photo, *photos]:
            path.unlink()
        browser.close()
    print("saved", ", ".join(sorted(p.name for p in DOCS.glob("*.png"))))


if __name__ == "__main__":
    main()
