"""Each page through Streamlit's AppTest: the real scripts, run in-process through app.py."""

import io
import json
import re

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from fmnist.config import PRESETS
from fmnist.runs import loaded_run
from fmnist.store import RunStore, default_root
from tests.conftest import REPO
from tools.pictures import dark_on_white, png_bytes


@pytest.fixture
def app(monkeypatch, data_dir):
    monkeypatch.setenv("FMNIST_DATA_DIR", str(data_dir))
    monkeypatch.chdir(REPO)
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=120)


def open_page(app, page):
    app.run()
    return app.switch_page(f"pages/{page}.py").run()


def train_one_epoch(app):
    open_page(app, "train")
    app.slider(key="train_epochs").set_value(1)
    app.button(key="train_start").click().run()
    app.session_state["runs"][-1].wait(120)
    return app.run()


def texts(elements):
    """The elements' Markdown as a reader sees it: escapes (ui.text.plain) taken out."""
    return " ".join(element.value for element in elements).replace("\\", "").replace("\u2060", "")


def png_of(pixels):
    return png_bytes(dark_on_white(pixels, 140))


# --- Home -------------------------------------------------------------------------------


def test_home_introduces_the_lesson_and_names_the_data_source(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Fashion-MNIST explorer"
    assert "Data: IDX folder" in texts(app.caption)


def test_a_missing_data_folder_is_a_message_on_the_page_not_a_traceback(app, monkeypatch, tmp_path):
    monkeypatch.setenv("FMNIST_DATA_DIR", str(tmp_path / "nowhere"))
    for page in ("home", "train"):
        open_page(app, page)
        assert not app.exception
        message = app.error[0].value
        assert "does not exist" in message
        assert "restart the server" in message and "--data-dir" not in message  # the app's words, not the CLI's


# --- Train ------------------------------------------------------------------------------


def test_train_starts_with_the_lessons_settings(app):
    open_page(app, "train")
    assert not app.exception
    assert app.radio(key="train_arch").value == "MLP"
    assert (app.slider(key="train_layers").value, app.slider(key="train_units").value) == (1, 128)
    assert app.slider(key="train_epochs").value == 5 and app.toggle(key="train_normalize").value
    assert (
        app.selectbox(key="train_optimizer").value == "adam" and app.select_slider(key="train_batch_size").value == 32
    )
    summary = texts(app.markdown)
    assert "`flatten 784` → `dense 128 relu` → `dense 10 softmax`" in summary
    assert "**101,770 parameters**" in texts(app.caption)
    assert "Press **Train**" in app.info[0].value


def test_moving_a_slider_updates_the_model_and_its_size(app):
    open_page(app, "train")
    app.slider(key="train_units").set_value(512).run()
    app.slider(key="train_layers").set_value(2).run()
    assert "`dense 512 relu` → `dense 512 relu`" in texts(app.markdown)
    assert f"**{784 * 512 + 512 + 512 * 512 + 512 + 5130:,} parameters**" in texts(app.caption)


@pytest.mark.parametrize("index, name", list(enumerate(PRESETS)))
def test_each_preset_fills_in_its_settings(app, index, name):
    open_page(app, "train")
    app.button(key=f"train_preset_{index}").click().run()
    assert not app.exception
    expected = PRESETS[name]
    assert app.slider(key="train_epochs").value == expected.epochs
    assert app.toggle(key="train_normalize").value == expected.normalize
    assert app.radio(key="train_arch").value == expected.arch.upper()
    if expected.arch == "mlp":
        assert app.slider(key="train_layers").value == len(expected.hidden_units)
        assert app.slider(key="train_units").value == expected.hidden_units[0]
    else:
        assert app.slider(key="train_units").disabled  # units mean nothing to the CNN
    assert f"**{expected.params:,} parameters**" in texts(app.caption)


def test_a_preset_can_still_be_changed_by_hand(app):
    open_page(app, "train")
    app.button(key="train_preset_6").click().run()  # two layers of 128, 10 epochs
    app.slider(key="train_epochs").set_value(3).run()
    assert (app.slider(key="train_layers").value, app.slider(key="train_epochs").value) == (2, 3)


def test_the_applied_preset_is_ticked_and_changes_to_it_are_listed(app):
    open_page(app, "train")
    assert "Settings: **The lesson**" in texts(app.markdown)  # the defaults are the lesson's
    assert app.button(key="train_preset_0").proto.icon == ":material/check:"
    app.button(key="train_preset_1").click().run()  # 1 epoch
    assert "Settings: **1 epoch**" in texts(app.markdown)
    assert app.button(key="train_preset_1").proto.icon == ":material/check:"
    assert not app.button(key="train_preset_0").proto.icon
    app.slider(key="train_epochs").set_value(3).run()
    assert "Settings: **1 epoch**, changed: epochs 1 → 3" in texts(app.markdown)
    assert not any(app.button(key=f"train_preset_{index}").proto.icon for index in range(len(PRESETS)))


def test_a_link_with_settings_sets_every_control_and_the_link_follows_the_controls(app):
    app.query_params.update(
        {"w": "linked", "units": "64-64", "epochs": "12", "normalize": "0", "batch": "128", "lr": "0.003"}
    )
    open_page(app, "train")
    assert not app.exception and not app.warning
    assert (app.slider(key="train_layers").value, app.slider(key="train_units").value) == (2, 64)
    assert app.slider(key="train_epochs").value == 12 and not app.toggle(key="train_normalize").value
    assert app.select_slider(key="train_batch_size").value == 128
    assert app.select_slider(key="train_learning_rate").value == 0.003
    app.slider(key="train_epochs").set_value(3).run()
    assert app.slider(key="train_epochs").value == 3  # the link does not undo the learner's change
    assert app.query_params["epochs"] == "3" and app.query_params["units"] == "64-64"
    assert app.query_params["w"] == "linked"  # the workspace stays in the link


def test_a_link_with_settings_the_controls_cannot_show_says_so_and_uses_the_lessons(app):
    app.query_params.update({"epochs": "5000", "units": "[abc](http://x)", "arch": "cnn"})
    open_page(app, "train")
    assert not app.exception
    assert app.radio(key="train_arch").value == "CNN" and app.slider(key="train_epochs").value == 5
    assert "units=[abc](http://x)" in texts(app.warning) and "epochs 5000" in texts(app.warning)
    assert "](http" not in app.warning[0].value  # the link's text is shown as text, never as a Markdown link


def test_settings_survive_a_visit_to_another_page(app):
    open_page(app, "train")
    app.slider(key="train_units").set_value(64).run()
    app.switch_page("pages/explore.py").run()
    app.switch_page("pages/train.py").run()
    assert app.slider(key="train_units").value == 64


def test_training_one_epoch_shows_the_test_accuracy_curves_classes_and_a_runs_table(app):
    train_one_epoch(app)
    assert not app.exception
    assert "test accuracy" in app.success[0].value and "after 1 epoch(s)" in app.success[0].value
    assert "Test accuracy per class" in texts(app.markdown)
    assert len(app.get("plotly_chart")) == 3  # curves, classes, runs overlay
    table = app.dataframe[0].value
    assert list(table["status"]) == ["finished"]
    assert (table["model"][0], table["epochs"][0], table["pixels"][0]) == ("MLP 128 relu", "1", "0..1")
    assert "Active model:** #1 MLP 128 relu, 1 epoch" in texts(app.sidebar.caption)


def test_train_pressed_while_a_run_trains_queues_the_next_and_stop_keeps_the_model(app):
    open_page(app, "train")
    app.slider(key="train_epochs").set_value(50)
    app.button(key="train_start").click().run()
    run = app.session_state["runs"][-1]
    try:
        app.slider(key="train_epochs").set_value(1)
        app.button(key="train_start").click().run()  # the button stays: a second press queues
        queued = app.session_state["runs"][-1]
        assert queued.queued and queued.id == run.id + 1
        assert f"**Waiting:** #{queued.id} MLP 128 relu, 1 epoch, place 1" in texts(app.caption)
        assert app.dataframe[0].value["status"].tolist() == ["training", "queued, place 1"]
        app.button(key=f"train_stop_{run.id}").click().run()
    finally:
        run.stop()
        run.wait(60)
    queued.wait(120)  # its turn came when the first one stopped
    app.run()
    statuses = app.dataframe[0].value["status"].tolist()
    assert re.fullmatch(r"stopped by you after \d+ of 50 epochs", statuses[0]) and statuses[1] == "finished"
    assert run.model is not None


def test_a_queued_run_can_be_removed_before_it_starts(app, monkeypatch):
    from fmnist import runs

    monkeypatch.setattr(runs, "MAX_RUNNING", 0)  # another learner's runs fill the server
    open_page(app, "train")
    app.button(key="train_start").click().run()
    run = app.session_state["runs"][-1]
    assert "Waiting its turn: place 1" in app.info[0].value
    app.button(key=f"train_unqueue_{run.id}").click().run()
    assert app.session_state["runs"] == [] and run.place is None


def test_queue_all_of_them_queues_every_experiment_of_the_lesson_in_order(app, monkeypatch):
    from fmnist import runs

    monkeypatch.setattr(runs, "MAX_RUNNING", 0)
    open_page(app, "train")
    app.button(key="train_queue_all").click().run()
    queued = app.session_state["runs"]
    try:
        assert [run.config for run in queued] == list(PRESETS.values())
        assert [run.place for run in queued] == list(range(1, len(PRESETS) + 1))
    finally:
        for run in queued:
            runs.remove_queued(run)


def test_a_full_queue_says_why_the_run_did_not_start(app, monkeypatch):
    from fmnist import runs

    monkeypatch.setattr(runs, "MAX_QUEUED", 0)
    open_page(app, "train")
    app.button(key="train_start").click().run()
    assert "Not started: 0 runs are already waiting on this server" in app.warning[0].value
    assert app.session_state["runs"] == []


def test_loading_a_keras_file_adds_a_run_that_becomes_the_active_model(app, trained, tmp_path):
    open_page(app, "train")
    trained.model.save(tmp_path / "mine.keras")
    app.file_uploader(key="train_load").set_value(
        ("mine.keras", (tmp_path / "mine.keras").read_bytes(), "application/zip")
    )
    app.run()
    assert not app.exception
    assert app.dataframe[0].value["model"][0] == "loaded from mine.keras"
    assert "Active model:** #1 loaded from mine.keras" in texts(app.sidebar.caption)


def test_a_broken_keras_file_gets_a_message_and_changes_nothing(app):
    open_page(app, "train")
    app.file_uploader(key="train_load").set_value(("broken.keras", b"nonsense", "application/zip")).run()
    assert not app.exception
    assert "broken.keras is not a Keras model" in texts(app.error)
    assert app.session_state["runs"] == []


def test_a_returning_learner_whose_stored_model_was_damaged_gets_a_message_not_a_crash(app, trained, dataset):
    # Stored models are counted from their files, not read, so that a returning learner's
    # pages need no TensorFlow to draw; a damaged file is found when a page reads it.
    space = RunStore(default_root()).workspace("back-again")
    finished = loaded_run(space.new_id(), trained.model, "a test", dataset, workspace=space)
    space.model_path(finished.id).write_bytes(b"damaged on disk")
    app.query_params["w"] = "back-again"
    open_page(app, "explore")
    assert not app.exception
    assert "could not be read from its file" in texts(app.error)
    app.switch_page("pages/train.py").run()
    assert not app.exception and app.dataframe[0].value["run"][0] == finished.id


def active_model_choice(app):
    """The Train page's "Model used by Explore and Classify" selectbox."""
    return next(box for box in app.selectbox if box.label == "Model used by Explore and Classify")


def train_two_runs(app):
    """Run #1: the lesson's model for 1 epoch, the active model; run #2: 10 hidden units."""
    train_one_epoch(app)
    app.slider(key="train_units").set_value(10)
    app.button(key="train_start").click().run()
    app.session_state["runs"][-1].wait(120)
    return app.run()


def test_a_new_run_leaves_the_active_model_alone_until_the_learner_chooses_it(app):
    train_two_runs(app)
    assert "Active model:** #1" in texts(app.sidebar.caption)  # #2 did not take its place
    assert "Explore and Classify keep using #1 MLP 128 relu, 1 epoch until you choose another." in texts(app.caption)
    app.button(key="train_use_2").click().run()  # "Use this model", offered when #2 ended
    assert "Active model:** #2" in texts(app.sidebar.caption)
    app.run()  # (AppTest resends a clicked button's press with the rerun it asks for: let it settle)
    active_model_choice(app).set_value(1).run()
    assert "Active model:** #1" in texts(app.sidebar.caption)


# --- Explore ----------------------------------------------------------------------------


def grid_captions(block) -> list[str]:
    """Each grid picture's caption as 'blue: <b>Bag</b> 90%<br>(Bag) #3' (red when wrong)."""
    colours = {"#1f77b4": "blue", "#d62728": "red"}
    return [
        f"{colours[note['font']['color']]}: {note['text']}"
        for layout in (json.loads(chart.proto.spec)["layout"] for chart in block.get("plotly_chart"))
        if layout.get("images")  # a picture grid, not another chart
        for note in layout.get("annotations", [])
    ]


def grid_pictures(block) -> int:
    return sum(len(json.loads(chart.proto.spec)["layout"].get("images", [])) for chart in block.get("plotly_chart"))


def test_the_train_page_shows_the_lessons_code_for_the_settings_and_it_follows_the_controls(app):
    open_page(app, "train")
    code = app.code[0].value
    assert "tf.keras.layers.Dense(128, activation=tf.nn.relu)" in code and "epochs=5" in code
    app.slider(key="train_units").set_value(256).run()
    assert "tf.keras.layers.Dense(256, activation=tf.nn.relu)" in app.code[0].value


def test_a_finished_experiment_says_what_to_notice_and_the_table_stars_the_best_run(app):
    train_one_epoch(app)  # the "1 epoch" experiment
    assert "What to notice, 1 epoch:" in texts(app.info)
    table = app.dataframe[0].value
    assert list(table["best"]) == ["★"] and list(table["best epoch"]) == [1]
    assert table["train-test gap"][0] is not None


# --- Inside the model -------------------------------------------------------------------


def inside(app, tab=None):
    train_one_epoch(app)
    app.switch_page("pages/inside.py")
    if tab is not None:
        app.session_state["inside_tab"] = tab
    return app.run()


def test_inside_draws_every_unit_of_the_model_as_a_picture_of_what_training_changed(app):
    inside(app)
    assert not app.exception
    assert "Each square is one unit of the first hidden layer" in texts(app.caption)
    shown = app.get("button_group")[0]  # what the pictures show
    assert shown.value == "What training changed"
    assert app.image  # the grid of units


def test_one_picture_walks_through_every_layer_to_its_answer(app):
    inside(app, "One picture, layer by layer")
    assert not app.exception
    assert "The model says" in texts(app.markdown) and "hidden_1" in texts(app.markdown)
    assert len(app.get("plotly_chart")) == 3  # the strongest paths, the layer's activations, the ten answers


def test_a_picture_uploaded_on_classify_can_be_walked_through_the_model(app, dataset):
    train_one_epoch(app)
    app.session_state["classify_uploads_kept"] = [("my_shirt.png", png_of(dataset.test.images[0]), "file-1")]
    app.switch_page("pages/inside.py")
    app.session_state["inside_tab"] = "One picture, layer by layer"
    app.run()
    app.radio(key="inside_source").set_value("Your upload: my\\_shirt\\.png").run()
    assert not app.exception
    assert "The model says" in texts(app.markdown) and "(right)" not in texts(app.markdown)  # no true class


def test_the_map_places_the_test_pictures_by_pixels_and_by_the_model(app):
    inside(app, "Map of the test pictures")
    assert not app.exception
    said = texts(app.markdown)
    assert "The raw pixels" in said and "last hidden layer" in said and said.count("nearest neighbour") == 2
    assert len(app.get("plotly_chart")) == 2


@pytest.fixture
def explored(app):
    """The Explore page with a freshly trained one-epoch model."""
    train_one_epoch(app)
    return app.switch_page("pages/explore.py").run()


def test_explore_shows_the_lessons_25_image_grid_in_blue_and_red(explored):
    assert not explored.exception
    grid = explored.tabs[0]
    captions = grid_captions(grid)
    assert len(captions) == 25 and grid_pictures(grid) == 25
    assert any(c.startswith("blue: ") for c in captions)  # a trained model gets most right


def test_drawing_another_25_changes_the_pictures(explored):
    before = grid_captions(explored.tabs[0])
    explored.button(key="explore_redraw").click().run()
    assert grid_captions(explored.tabs[0]) != before


def test_the_grid_can_show_one_true_class_only(explored):
    explored.selectbox(key="explore_grid_class").set_value("Shirt").run()
    captions = grid_captions(explored.tabs[0])
    assert len(captions) == 25 and all("(Shirt)" in c for c in captions)


def test_up_close_starts_at_the_grids_first_picture_and_follows_its_filter(explored, dataset):
    def first_in_grid() -> int:
        return int(grid_captions(explored.tabs[0])[0].rsplit("#", 1)[1])

    assert explored.number_input(key="explore_index").value == first_in_grid()
    explored.selectbox(key="explore_grid_class").set_value("Shirt").run()
    shirt = first_in_grid()
    assert explored.number_input(key="explore_index").value == shirt
    assert "True class **Shirt**" in explored.tabs[1].markdown[0].value


def test_any_test_picture_can_be_seen_up_close(explored, dataset):
    explored.number_input(key="explore_index").set_value(7).run()
    close = explored.tabs[1]
    truth = dataset.class_names[dataset.test.labels[7]]
    assert f"True class **{truth}**" in close.markdown[0].value
    assert close.image[0].value and explored.get("plotly_chart")


def test_mistakes_are_counted_and_filtered_by_true_and_predicted_class(explored, dataset):
    mistakes = explored.tabs[2]
    assert "test pictures are wrong" in mistakes.markdown[0].value and "taken for" in mistakes.markdown[1].value
    explored.selectbox(key="explore_mistakes_true").set_value("Shirt").run()
    captions = grid_captions(explored.tabs[2])
    assert captions and all(c.startswith("red: ") and "(Shirt)" in c for c in captions)
    explored.selectbox(key="explore_mistakes_predicted").set_value("Trouser").run()
    assert all("<b>Trouser</b>" in c for c in grid_captions(explored.tabs[2]))


def test_the_confusion_matrix_can_show_shares_instead_of_counts(explored):
    def squares_text() -> list[str]:
        specs = [json.loads(chart.proto.spec) for chart in explored.tabs[3].get("plotly_chart")]
        return next(spec for spec in specs if not spec["layout"].get("images"))["data"][0]["text"]

    counts = squares_text()
    assert all(text.isdigit() for text in counts)
    explored.toggle(key="explore_matrix_normalise").set_value(True).run()
    assert not explored.exception
    shares = squares_text()
    assert all(text.endswith("%") for text in shares) and shares != counts


def test_per_class_quality_lists_the_weakest_class_first(explored):
    table = explored.tabs[4].dataframe[0].value
    assert list(table["accuracy (recall)"]) == sorted(table["accuracy (recall)"])
    assert f"Weakest class: **{table['class'][0]}**" in explored.tabs[4].markdown[0].value


def test_suspicious_labels_follow_the_confidence_slider(explored):
    explored.slider(key="explore_suspicious").set_value(0.9).run()
    loose = int(explored.tabs[5].markdown[0].value.split("**")[1].split()[0])
    explored.slider(key="explore_suspicious").set_value(0.999).run()
    strict = int(explored.tabs[5].markdown[0].value.split("**")[1].split()[0])
    assert loose >= strict


def test_explore_without_a_model_trains_the_lessons_model_in_one_click(app):
    open_page(app, "explore")
    assert "No model yet" in app.info[0].value
    app.button(key="train_lesson_here").click().run()
    run = app.session_state["runs"][-1]
    assert run.config.describe() == "MLP 128 relu, 5 epochs"
    run.wait(120)
    app.run()
    assert len(grid_captions(app.tabs[0])) == 25


def test_explore_and_classify_follow_the_model_chosen_on_any_page(app):
    train_two_runs(app)
    active_model_choice(app).set_value(2).run()
    app.switch_page("pages/explore.py").run()
    chosen = app.selectbox(key="explore_model_2")
    assert chosen.value == 2 and "Active model:** #2 MLP 10 relu" in texts(app.sidebar.caption)
    chosen.set_value(1).run()  # chosen on Explore itself
    app.switch_page("pages/classify.py").run()
    assert app.selectbox(key="classify_model_1").value == 1


# --- Classify ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["explore", "inside", "classify"])
def test_pages_that_need_a_model_invite_the_learner_to_train_one(app, page):
    open_page(app, page)
    assert not app.exception
    assert "No model yet" in app.info[0].value
    assert app.button(key="train_lesson_here")  # one click trains the lesson's model
    assert app.get("page_link")  # or go to Train


def test_uploading_pictures_gives_a_chart_each_and_a_clear_message_for_a_broken_file(app, dataset):
    train_one_epoch(app)
    app.switch_page("pages/classify.py").run()
    app.file_uploader(key="classify_uploads").set_value(
        [
            ("boot.png", png_of(dataset.test.images[0]), "image/png"),
            ("broken.png", b"<html>not a picture</html>", "image/png"),
            ("second.png", png_of(dataset.test.images[1]), "image/png"),
        ]
    ).run()
    assert not app.exception
    assert len(app.get("plotly_chart")) == 2
    assert len(app.error) == 1 and "broken.png" in texts(app.error) and "not an image file" in texts(app.error)
    assert app.session_state["runs"][-1].model is not None  # the model survives a bad upload


def test_a_blank_upload_says_there_is_nothing_to_classify(app):
    train_one_epoch(app)
    app.switch_page("pages/classify.py").run()
    buffer = io.BytesIO()
    Image.new("RGB", (100, 100), "white").save(buffer, "PNG")
    app.file_uploader(key="classify_uploads").set_value(("white.png", buffer.getvalue(), "image/png")).run()
    assert "nothing to classify" in app.warning[0].value.lower()
    assert not any("blank" in caption.value for caption in app.caption)  # said once, by the warning
    assert not app.get("plotly_chart")


def test_each_upload_is_classified_once_for_its_row_its_details_and_later_reruns(app, dataset, monkeypatch):
    from ui import answers

    calls = []
    real = answers.classify
    monkeypatch.setattr(answers, "classify", lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs))
    train_one_epoch(app)
    app.switch_page("pages/classify.py").run()
    pictures = [(f"{i}.png", png_of(dataset.test.images[i]), "image/png") for i in range(3)]
    app.file_uploader(key="classify_uploads").set_value(pictures).run()
    assert not app.exception and len(calls) == 3  # one answer each, shared by the row and the details
    app.run()
    assert len(calls) == 3  # a rerun reuses them


def test_a_test_picture_is_one_click_and_shows_the_answer_and_why(app):
    train_one_epoch(app)
    app.switch_page("pages/classify.py").run()
    assert "Draw a garment on the pad" in app.info[0].value  # the empty drawing pad asks, never answers
    app.button(key="classify_sample_7").click().run()  # the sneaker
    assert not app.exception
    assert len(app.get("plotly_chart")) == 1
    shown = texts(app.markdown)
    assert "Test picture" in shown and "labelled Sneaker" in shown
    assert "The nearest training pictures" in shown
    said = [expander.label for expander in app.expander]  # whether photos are also read mirrored, in one line
    assert any("read **mirrored**" in label or "read as they are" in label for label in said), said


def test_reruns_leave_keras_alone_so_a_background_run_keeps_its_state(app, monkeypatch):
    # Streamlit's default is keras.backend.clear_session() after every rerun, which starves
    # a run training in another thread while the live view reruns twice a second.
    import keras

    calls = []
    monkeypatch.setattr(keras.backend, "clear_session", lambda *args, **kwargs: calls.append(args))
    open_page(app, "train")
    app.run()
    assert calls == []


def test_a_finished_run_offers_its_model_and_history_for_download(app):
    train_one_epoch(app)
    labels = [button.proto.label for button in app.get("download_button")]
    assert labels == ["Model (.keras)", "History (.csv)"]


def test_deleting_a_run_removes_it_from_the_table_and_the_other_pages(app):
    train_one_epoch(app)
    app.button(key="train_delete_1").click().run()
    assert not app.exception
    assert app.session_state["runs"] == []
    assert "none yet" in texts(app.sidebar.caption)
    app.switch_page("pages/explore.py").run()
    assert "No model yet" in app.info[0].value


def test_a_new_run_never_takes_a_deleted_runs_id_nor_what_was_measured_for_it(app, dataset):
    train_one_epoch(app)
    app.switch_page("pages/classify.py").run()  # measures run #1's mirror check and test answers
    assert "mirror_check" in app.session_state["derived"][1]
    app.switch_page("pages/train.py").run()
    app.button(key="train_delete_1").click().run()
    assert 1 not in app.session_state["derived"]  # gone with the run
    app.slider(key="train_epochs").set_value(1)
    app.button(key="train_start").click().run()
    app.session_state["runs"][-1].wait(120)
    app.run()
    assert [run.id for run in app.session_state["runs"]] == [2]
    assert "Active model:** #2" in texts(app.sidebar.caption)


def test_loading_a_model_while_a_run_trains_keeps_the_run_in_view(app, trained, tmp_path):
    open_page(app, "train")
    app.slider(key="train_epochs").set_value(50)
    app.button(key="train_start").click().run()
    run = app.session_state["runs"][-1]
    try:
        trained.model.save(tmp_path / "mine.keras")
        app.file_uploader(key="train_load").set_value(
            ("mine.keras", (tmp_path / "mine.keras").read_bytes(), "application/zip")
        )
        app.run()
        assert app.session_state["runs"][-1].label == "loaded from mine.keras"
        assert app.button(key=f"train_stop_{run.id}")  # and its live view, with Stop, is still shown
    finally:
        run.stop()
        run.wait(60)


def test_a_training_cluster_that_cannot_be_reached_is_said_on_the_train_page(app, monkeypatch):
    from fmnist import cluster, settings

    # What fmnist.cluster notes when FMNIST_SCHEDULER does not answer (tests/test_cluster.py
    # makes it happen for real).
    monkeypatch.setattr(settings, "SCHEDULER", "tcp://192.0.2.1:8786")
    monkeypatch.setattr(
        cluster,
        "notice",
        "the cluster at tcp://192.0.2.1:8786 cannot be reached (OSError); runs train on this machine instead",
    )
    open_page(app, "train")
    said = texts(app.warning)
    assert "cannot be reached" in said and "runs train on this machine instead" in said
