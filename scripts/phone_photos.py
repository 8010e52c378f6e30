"""Real phone photos of used clothes to measure against, from a clone of clothing-dataset-small.

    git clone https://github.com/alexeygrigorev/clothing-dataset-small /tmp/clothing
    .venv/bin/python scripts/phone_photos.py /tmp/clothing phone-photos/
    .venv/bin/python scripts/measure_pictures.py --model M.keras --photos phone-photos/

Alexey Grigorev's clothing dataset (CC0: "can be freely used for any purpose") holds photos
people took of their own clothes: laid on beds, floors and rugs or hung on hangers, close-ups
as often as not, in all their colours and prints; what a learner uploads. Six of its classes
mean a Fashion-MNIST class (its shoes come in pairs, its hats, shorts and skirts have none):

    t-shirt -> T-shirt/top    pants -> Trouser    longsleeve -> Pullover
    dress -> Dress            outwear -> Coat     shirt -> Shirt

Its test and validation photos (509) are copied under names that start with their class, as
measure_pictures.py reads them; its train photos are for trying ideas on, so that the figure
reported is measured on photos nothing was tuned to. They stay out of this repository.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

CLASSES = {  # the dataset's folder -> Fashion-MNIST class, as the copies' names start
    "t-shirt": "T-shirt",
    "pants": "Trouser",
    "longsleeve": "Pullover",
    "dress": "Dress",
    "outwear": "Coat",
    "shirt": "Shirt",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clone", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--splits", default="test,validation", help="of the dataset's train, validation, test")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    copied = 0
    for split in args.splits.split(","):
        for folder, name in CLASSES.items():
            for photo in sorted((args.clone / split / folder).glob("*.jpg")):
                shutil.copyfile(photo, args.out / f"{name}-{folder}-{split}-{photo.stem[:8]}.jpg")
                copied += 1
    print(f"{copied} photos in {args.out}")


if __name__ == "__main__":
    main()
