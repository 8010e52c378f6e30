"""`python -m fmnist`: train, classify and evaluate from the command line.

With --json, stdout carries exactly one JSON document and everything for people goes to
stderr, so scripts and benchmarks can read the result as it is.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from fmnist import settings
from fmnist.config import ARCHITECTURES, RunConfig
from fmnist.data import CLASS_NAMES, DATA_DIR_ENV, DataError, load_dataset


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.verbose:
        from fmnist.quiet import loud

        loud()
    try:
        return args.command(args)
    except DataError as error:
        print(f"error: {error} (or pass --data-dir)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m fmnist", description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--verbose", action="store_true", help="also show TensorFlow's own start-up lines")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    data_help = f"folder with the four Fashion-MNIST IDX files (default: ${DATA_DIR_ENV}, else tensorflow-datasets)"

    train = commands.add_parser("train", parents=[common], help="train a model and report its test accuracy")
    train.add_argument("--data-dir", help=data_help)
    train.add_argument(
        "--arch", choices=ARCHITECTURES, default="mlp", help="mlp: the lesson's model; cnn: its next step"
    )
    lesson, cnn = RunConfig(), RunConfig.lesson_cnn()
    train.add_argument("--epochs", type=int, help=f"default: {lesson.epochs} for mlp, {cnn.epochs} for cnn")
    train.add_argument(
        "--hidden-units", type=int, help=f"units per hidden layer (mlp; default {lesson.hidden_units[0]})"
    )
    train.add_argument("--layers", type=int, help=f"hidden layers (mlp; default {len(lesson.hidden_units)})")
    train.add_argument("--batch-size", type=int, help=f"default {lesson.batch_size}")
    train.add_argument(
        "--augment",
        action=argparse.BooleanOptionalAction,
        help="train on mirrored, turned, shifted, zoomed copies, for people's photos (default: on for cnn)",
    )
    train.add_argument("--seed", type=int, help=f"default {lesson.seed}")
    train.add_argument("--out", type=Path, help="save the trained model here (.keras)")
    train.add_argument("--json", action="store_true", help="print one JSON object with the result")
    train.add_argument(
        "--runs-dir", type=Path, help="the run store the app reads (default: $FMNIST_RUNS_DIR or ~/.local/share/...)"
    )
    train.add_argument(
        "--workspace", default="command-line", help="the store's workspace for this run (default: command-line)"
    )
    train.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="train on a Dask cluster's worker, e.g. tcp://127.0.0.1:8786 (default: in this process)",
    )
    train.set_defaults(command=_train)

    classify = commands.add_parser("classify", parents=[common], help="classify image files with a saved model")
    classify.add_argument("--model", type=Path, required=True, help="a .keras file from `train --out`")
    classify.add_argument("--json", action="store_true", help="print one JSON list, an object per file")
    classify.add_argument(
        "--mirror",
        choices=("auto", "on", "off"),
        default="auto",
        help="average each answer with its mirror image's; auto: when it helps this model on the test pictures "
        f"with every other one mirrored (needs --data-dir or ${DATA_DIR_ENV}; without them, on for a model "
        "trained on mirrored copies)",
    )
    classify.add_argument("--data-dir", help="the Fashion-MNIST folder for --mirror auto")
    classify.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    classify.set_defaults(command=_classify)

    evaluate = commands.add_parser("evaluate", parents=[common], help="test accuracy of a saved model")
    evaluate.add_argument("--model", type=Path, required=True)
    evaluate.add_argument("--data-dir", help=data_help)
    evaluate.set_defaults(command=_evaluate)
    return parser


def _say(args, *parts) -> None:
    """A line for people: stderr under --json so stdout stays one JSON document."""
    print(*parts, file=sys.stderr if args.json else sys.stdout, flush=True)


def _train(args) -> int:
    from fmnist.threads import use_training_threads

    use_training_threads()  # before TensorFlow starts, as in the app's workers
    from fmnist.train import FAILED, TrainingListener

    base = RunConfig.lesson_cnn() if args.arch == "cnn" else RunConfig()
    units = base.hidden_units[0] if args.hidden_units is None else args.hidden_units
    layers = len(base.hidden_units) if args.layers is None else args.layers
    given = {"epochs": args.epochs, "batch_size": args.batch_size, "seed": args.seed}
    try:
        config = base.with_(
            hidden_units=(units,) * layers,
            augment=args.arch == "cnn" if args.augment is None else args.augment,
            **{field: value for field, value in given.items() if value is not None},
        )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.out and (problem := _unwritable(args.out)):  # before minutes of training, not after
        print(f"error: --out {args.out}: {problem}", file=sys.stderr)
        return 2
    data = load_dataset(args.data_dir)
    _say(args, f"data: {data.source}")
    _say(args, f"model: {config.describe()}")

    class EpochPrinter(TrainingListener):
        def on_epoch_end(self, epoch, metrics, class_accuracy):
            nan = float("nan")
            _say(
                args,
                f"epoch {epoch}/{config.epochs}: loss {metrics['loss']:.4f}, accuracy {metrics['accuracy']:.4f}, "
                f"test loss {metrics.get('val_loss', nan):.4f}, test accuracy {metrics.get('val_accuracy', nan):.4f}",
            )

    run = _train_kept(args, config, data, EpochPrinter())
    result = run.result
    if result.status == FAILED:
        print(f"error: training failed: {result.error}", file=sys.stderr)
        return 1
    model = run.model  # trained here, or by a worker and read back from the run store
    params = model.count_params() if model is not None else 0
    if args.out:
        saved = _save(model, args.out)
        if saved != args.out:
            print(f"error: could not save to {args.out}; the model is saved at {saved} instead", file=sys.stderr)
            args.out = saved
        _say(args, f"saved {saved}")
    _say(args, f"test accuracy {result.test_accuracy:.4f} in {result.seconds:.1f} s ({params:,} parameters)")
    if run.workspace is not None:
        problem = f" ({run.store_error})" if run.store_error else ""
        _say(
            args,
            f"kept as run #{run.id} in {run.workspace.folder}{problem}; to see it, start the app with "
            f"FMNIST_RUNS_DIR={run.workspace.folder.parent} and open http://localhost:8501/?w={run.workspace.name}",
        )
    if args.json:
        print(
            json.dumps(
                {
                    "test_accuracy": result.test_accuracy,
                    "epochs": result.epochs_done,
                    "seconds": result.seconds,
                    "params": params,
                    "status": result.status,
                    "config": config.to_dict(),
                    "history": result.history,
                    "data": data.source,
                    "model_file": str(args.out) if args.out else None,
                    "run": run.id if run.workspace else None,
                    "run_folder": str(run.workspace.folder / str(run.id)) if run.workspace else None,
                }
            )
        )
    return 0


def _train_kept(args, config: RunConfig, data, listener):
    """Train, keeping the run in the store's workspace; without a writable store, just train."""
    from fmnist.runs import Run, train_here
    from fmnist.store import RunStore, StoreError, default_root
    from fmnist.train import train

    store = RunStore(args.runs_dir or default_root(), settings.MAX_RUNS, settings.MAX_WORKSPACE_MB)
    try:
        store.check_writable()
        space = store.workspace(args.workspace)
        space.check_room()
    except StoreError as error:
        _say(args, f"note: this run is not kept: {error}")
        return Run(id=0, config=config, result=train(config, data, listener))
    if args.scheduler:
        from fmnist import cluster

        cluster.SCHEDULER = args.scheduler
        run = train_here(config, data, space, listener, on_cluster=True)
        if cluster.notice:
            _say(args, f"note: {cluster.notice}")
        cluster.close()
        return run
    return train_here(config, data, space, listener)


def _unwritable(path: Path) -> str | None:
    """Why a model could not be saved at path, or None."""
    if path.suffix != ".keras":
        return f"a model file's name must end in .keras, as Keras saves it (for example {path.with_suffix('.keras')})"
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        return f"the folder {folder} does not exist"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return f"cannot write in {folder}"
    return None


def _save(model, path: Path) -> Path:
    """Save at path; if that fails after all (a full disk), somewhere that works. Returns where."""
    try:
        model.save(path)
        return path
    except Exception:
        fallback = Path(tempfile.mkdtemp(prefix="fmnist-")) / path.name
        model.save(fallback)
        return fallback


def _load_model(path: Path):
    """The saved model, or None after saying on stderr why it cannot be used."""
    from fmnist.model import ModelError, load_model

    try:
        return load_model(path)
    except ModelError as error:
        print(f"error: {error}", file=sys.stderr)
        return None


def _classify(args) -> int:
    from fmnist.explain import classify
    from fmnist.preprocess import BLANK, ImageError

    model = _load_model(args.model)
    if model is None:
        return 2
    mirror = _mirror_helps(args, model) if args.mirror == "auto" else args.mirror == "on"
    results = []
    for path in args.images:
        try:
            prepared, result = classify(model, path.read_bytes(), mirror=mirror)
            if result is None:
                raise ImageError(f"nothing to classify: {BLANK}")
        except (OSError, ImageError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            results.append({"file": str(path), "error": reason})
            continue
        label = result.ranked[0]
        results.append(
            {
                "file": str(path),
                "label": label,
                "class_name": CLASS_NAMES[label],
                "probabilities": [float(p) for p in result.probabilities],
                "verdict": result.verdict,
                "mirror_averaged": result.mirrored,
                "garment_found_by": prepared.method,
                "turned_to_face_left": prepared.turned,
                "turned_upright_degrees": round(prepared.tilt, 1),
            }
        )
    if args.json:
        print(json.dumps(results))
    else:
        for entry in results:
            if "error" in entry:
                print(f"{entry['file']}: error: {entry['error']}")
            else:
                ranked = sorted(enumerate(entry["probabilities"]), key=lambda item: -item[1])
                top = ", ".join(f"{CLASS_NAMES[i]} {p:.1%}" for i, p in ranked[:3])
                unsure = " (not sure: under 50%)" if entry["verdict"] == "unsure" else ""
                print(f"{entry['file']}: {entry['class_name']}{unsure} ({top})")
    return 1 if any("error" in entry for entry in results) else 0


def _mirror_helps(args, model) -> bool:
    """Measured on the test split when one is at hand; never downloads it for this. Without
    one, on for a model that learnt from mirrored copies (the Classify page measures it: it helped
    four of five models from the CNN command), off for others."""
    from fmnist.explain import check_mirror, learnt_from_mirror_images

    data_dir = args.data_dir or os.environ.get(DATA_DIR_ENV)
    learnt = learnt_from_mirror_images(model)
    unmeasured = "on, as the model learnt from mirrored copies" if learnt else "off"
    if not data_dir:
        if learnt:
            _say(args, f"mirror averaging: {unmeasured} (no data folder to measure it on)")
        return learnt
    try:
        data = load_dataset(data_dir)
    except DataError as error:  # classifying needs no data: go on without the measurement
        print(f"note: mirror averaging is {unmeasured}, as it could not be measured: {error}", file=sys.stderr)
        return learnt
    check = check_mirror(model, data.test.images, data.test.labels)
    _say(args, f"mirror averaging: {check.plain:.1%} -> {check.mirrored:.1%} on test pictures facing either way")
    return check.helps


def _evaluate(args) -> int:
    from fmnist.evaluate import accuracy, predict_proba

    model = _load_model(args.model)
    if model is None:
        return 2
    data = load_dataset(args.data_dir)
    test_accuracy = accuracy(predict_proba(model, data.test.images), data.test.labels)
    print(f"test accuracy {test_accuracy:.4f} on {len(data.test):,} test images ({data.source})")
    return 0
