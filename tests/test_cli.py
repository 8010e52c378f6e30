"""`python -m fmnist` as a person or a script runs it: a real process, real files."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import REPO
from tools.pictures import dark_on_white


def fmnist(*args, timeout=300, env=None):
    env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "fmnist", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=REPO,
    )


SAMPLES = 20  # dataset test pictures saved as files


@pytest.fixture(scope="module")
def model_file(tmp_path_factory, data_dir):
    path = tmp_path_factory.mktemp("model") / "m.keras"
    done = fmnist("train", "--data-dir", data_dir, "--epochs", 2, "--out", path, "--json")
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="module")
def pictures(tmp_path_factory, dataset):
    folder = tmp_path_factory.mktemp("pictures")
    files = {}
    for index in range(SAMPLES):
        picture = dark_on_white(dataset.test.images[index])
        files[f"png{index}"] = folder / f"garment{index}.png"
        picture.save(files[f"png{index}"])
        if index < 3:
            files[f"jpg{index}"] = folder / f"garment{index}.jpg"
            picture.convert("RGB").save(files[f"jpg{index}"], quality=90)
    files["text"] = folder / "notes.png"
    files["text"].write_text("this is not a picture")
    return files


def test_train_json_prints_exactly_one_object_with_the_result(data_dir, tmp_path):
    done = fmnist("train", "--data-dir", data_dir, "--epochs", 1, "--hidden-units", 32, "--layers", 2, "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)  # the whole of stdout is one JSON document
    assert {"test_accuracy", "epochs", "seconds", "params"} <= set(result)
    assert result["epochs"] == 1 and result["params"] == 784 * 32 + 32 + 32 * 32 + 32 + 32 * 10 + 10
    assert result["config"]["hidden_units"] == [32, 32]
    assert "epoch 1/1" in done.stderr  # progress for people goes to stderr


def test_train_without_json_prints_each_epoch_and_the_accuracy(data_dir):
    done = fmnist("train", "--data-dir", data_dir, "--epochs", 2, "--hidden-units", 16)
    assert done.returncode == 0
    assert "epoch 1/2" in done.stdout and "epoch 2/2" in done.stdout
    assert "test accuracy" in done.stdout


def test_train_with_a_missing_folder_says_what_to_do_without_a_traceback(tmp_path):
    done = fmnist("train", "--data-dir", tmp_path / "nowhere", "--epochs", 1)
    assert done.returncode == 2
    assert "does not exist" in done.stderr and "Traceback" not in done.stderr


def test_classify_json_gives_a_class_and_ten_probabilities_per_picture(model_file, pictures, dataset):
    done = fmnist("classify", "--model", model_file, "--json", pictures["png0"], pictures["jpg0"])
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert [r["file"] for r in results] == [str(pictures["png0"]), str(pictures["jpg0"])]
    for result in results:
        assert 0 <= result["label"] <= 9 and len(result["probabilities"]) == 10
        assert sum(result["probabilities"]) == pytest.approx(1, abs=1e-4)
    assert results[0]["label"] == results[1]["label"]  # the same garment as PNG and as JPEG


def test_classify_gets_most_dataset_garments_right(model_file, pictures, dataset):
    # Dark-on-white enlargements of test pictures; the 2-epoch model scores ~0.80 on the
    # test split itself, and 14 of these 20 (one picture, a black shirt, reads as blank).
    files = [pictures[f"png{i}"] for i in range(SAMPLES)]
    results = json.loads(fmnist("classify", "--model", model_file, "--json", "--mirror", "off", *files).stdout)
    right = sum(r.get("label") == dataset.test.labels[i] for i, r in enumerate(results))
    assert right >= 0.6 * SAMPLES


def test_classify_reports_a_file_that_is_not_a_picture_and_exits_1(model_file, pictures):
    done = fmnist("classify", "--model", model_file, "--json", pictures["png1"], pictures["text"], "missing.png")
    assert done.returncode == 1
    results = json.loads(done.stdout)
    assert "label" in results[0]
    assert set(results[1]) == {"file", "error"} and "not an image" in results[1]["error"]
    assert results[2]["error"] == "No such file or directory"
    assert "Traceback" not in done.stderr


def test_classify_without_json_prints_the_class_and_the_top_three_with_their_shares(model_file, pictures):
    import re

    from fmnist.data import CLASS_NAMES

    done = fmnist("classify", "--model", model_file, pictures["png2"])
    assert done.returncode == 0
    name = "|".join(re.escape(c) for c in CLASS_NAMES)
    line = rf"^{re.escape(str(pictures['png2']))}: ({name})( \(not sure[^)]*\))? \((({name}) \d+\.\d%(, )?){{3}}\)$"
    assert re.match(line, done.stdout.strip().splitlines()[-1]), done.stdout  # after the mirror averaging line


def test_classify_with_a_broken_model_file_says_so(tmp_path, pictures):
    (tmp_path / "bad.keras").write_text("nope")
    done = fmnist("classify", "--model", tmp_path / "bad.keras", pictures["png0"])
    assert done.returncode == 2 and "not a Keras model" in done.stderr


def test_evaluate_prints_the_test_accuracy(model_file, data_dir):
    done = fmnist("evaluate", "--model", model_file, "--data-dir", data_dir)
    assert done.returncode == 0 and done.stdout.startswith("test accuracy 0.")


def test_classify_gives_every_bad_file_its_own_one_line_error_and_the_rest_a_label(model_file, tmp_path):
    from tests.test_preprocess import BAD_INPUTS, GOOD_ODD_INPUTS

    files = []
    for number, (make, _) in enumerate(BAD_INPUTS.values()):
        files.append(tmp_path / f"bad{number}.png")
        files[-1].write_bytes(make())
    for number, make in enumerate(GOOD_ODD_INPUTS.values()):
        files.append(tmp_path / f"odd{number}.img")
        files[-1].write_bytes(make())
    done = fmnist("classify", "--model", model_file, "--json", *files)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    results = {Path(entry["file"]).name: entry for entry in json.loads(done.stdout)}
    for number in range(len(BAD_INPUTS)):
        assert "\n" not in results[f"bad{number}.png"]["error"]
    for number in range(len(GOOD_ODD_INPUTS)):
        entry = results[f"odd{number}.img"]
        assert "label" in entry or "nothing to classify" in entry["error"]  # a one-pixel picture may be blank


def test_classify_says_whether_it_averaged_with_the_mirror_image_and_how_sure_it_is(model_file, pictures, data_dir):
    done = fmnist("classify", "--model", model_file, "--json", "--data-dir", data_dir, pictures["png0"])
    entry = json.loads(done.stdout)[0]
    assert entry["mirror_averaged"] is True  # measured: it helps the lesson's MLP on pictures facing either way
    assert "mirror averaging:" in done.stderr
    assert entry["verdict"] in ("confident", "unsure") and entry["garment_found_by"] == "plain background"
    env = {"FMNIST_DATA_DIR": ""}  # with no data at hand it is off, and nothing is downloaded
    assert (
        json.loads(fmnist("classify", "--model", model_file, "--json", pictures["png0"], env=env).stdout)[0][
            "mirror_averaged"
        ]
        is False
    )
    off = fmnist(
        "classify", "--model", model_file, "--json", "--mirror", "off", "--data-dir", data_dir, pictures["png0"]
    )
    assert json.loads(off.stdout)[0]["mirror_averaged"] is False


def test_a_cnn_trained_from_the_command_line_is_augmented_for_photos_unless_told_not_to(data_dir, pictures, tmp_path):
    done = fmnist(
        "train", "--data-dir", data_dir, "--arch", "cnn", "--epochs", 1, "--out", tmp_path / "c.keras", "--json"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["config"]["augment"] is True
    picture = tmp_path / "block.png"
    block = Image.new("L", (80, 80), 255)
    block.paste(0, (20, 25, 60, 55))  # a dark block on white: any label will do
    block.save(picture)
    classified = json.loads(fmnist("classify", "--model", tmp_path / "c.keras", "--json", picture).stdout)[0]
    assert classified["class_name"]
    # It learnt from mirrored copies, so with no test split to measure on it averages a photo's
    # answer with its mirror image's, as the Classify page (which measures it) does for such a model.
    done = fmnist("classify", "--model", tmp_path / "c.keras", "--json", pictures["png0"], env={"FMNIST_DATA_DIR": ""})
    assert json.loads(done.stdout)[0]["mirror_averaged"] is True
    assert "learnt from mirrored copies" in done.stderr
    plain = fmnist("train", "--data-dir", data_dir, "--arch", "cnn", "--epochs", 1, "--no-augment", "--json")
    assert json.loads(plain.stdout)["config"]["augment"] is False


def test_the_upload_and_pixel_limits_are_server_settings(model_file, tmp_path):
    picture = tmp_path / "big.png"
    Image.new("L", (300, 200), 255).save(picture)
    env = {"FMNIST_MAX_PIXELS": "10000"}  # 300 x 200 = 60,000 pixels is over it
    done = fmnist("classify", "--model", model_file, "--json", picture, env=env)
    assert "10,000 pixels" in json.loads(done.stdout)[0]["error"]
    done = fmnist("classify", "--model", model_file, "--json", picture, env={"FMNIST_MAX_UPLOAD_MB": "0.0001"})
    assert "the limit is" in json.loads(done.stdout)[0]["error"]


@pytest.mark.parametrize("out, reason", [("missing-folder/m.keras", "does not exist"), ("model", "must end in .keras")])
def test_a_bad_out_path_is_refused_before_any_training(data_dir, tmp_path, out, reason):
    done = fmnist("train", "--data-dir", data_dir, "--epochs", 1, "--out", tmp_path / out)
    assert done.returncode == 2 and reason in done.stderr
    assert "epoch 1" not in done.stdout and "Traceback" not in done.stderr  # nothing was trained, then lost


def test_classify_goes_on_without_mirror_averaging_when_the_data_folder_is_broken(model_file, pictures, tmp_path):
    done = fmnist("classify", "--model", model_file, "--json", pictures["png0"], env={"FMNIST_DATA_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    entry = json.loads(done.stdout)[0]
    assert entry["class_name"] and entry["mirror_averaged"] is False
    assert "mirror averaging is off" in done.stderr


def test_a_data_path_that_is_a_file_is_called_a_file(tmp_path):
    (tmp_path / "data.gz").write_bytes(b"x")
    done = fmnist("train", "--data-dir", tmp_path / "data.gz", "--epochs", 1)
    assert done.returncode == 2 and "is a file, not a folder" in done.stderr


def test_a_trained_model_that_cannot_be_saved_where_asked_is_kept_somewhere_else(trained):
    from fmnist.cli import _save

    where = _save(trained.model, Path("/proc/no-such-place/m.keras"))  # /proc takes no files
    assert where.name == "m.keras" and where.is_file()


def test_tensorflow_start_up_noise_stays_out_of_the_output_unless_asked_for(model_file, data_dir):
    done = fmnist("evaluate", "--model", model_file, "--data-dir", data_dir)
    assert done.returncode == 0
    assert done.stderr == ""  # no cuInit, no "Could not find cuda drivers", no absl preamble
    verbose = fmnist("evaluate", "--model", model_file, "--data-dir", data_dir, "--verbose")
    assert verbose.returncode == 0 and verbose.stdout == done.stdout
