"""Real garment photos to measure against, from clones of public repositories.

    git clone https://github.com/open-mmlab/mmfashion /tmp/mmfashion
    git clone https://github.com/CloPeMa/garment_dataset /tmp/clopema      # optional
    .venv/bin/python scripts/real_photos.py /tmp/mmfashion real-photos/ [/tmp/clopema]
    .venv/bin/python scripts/measure_pictures.py --model M.keras --photos real-photos/

MMFashion (Apache-2.0) ships six product photos of single garments among its demo pictures:
catalogue shots on white or near-white, one of them cropped so close that the garment runs
off the edges. The CloPeMa garment dataset's repository (BSD-3-Clause; its full dataset is
free for research and education) shows three of its photos as examples: garments on a
wooden floor as a phone photo shows them, jeans spread in a V, jeans folded lying on a
slant, and a crumpled polo shirt. They are copied here under names that start with their
class, as measure_pictures.py reads them. They stay out of this repository: measured, not
trained on.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

# file in the clone -> name starting with its Fashion-MNIST class
MMFASHION = {
    "demo/imgs/attr_pred_demo1.jpg": "Shirt-short-sleeved-print.jpg",
    "demo/imgs/landmark_predict/demo1.jpg": "Shirt-blouse-on-hanger-close-up.jpg",
    "demo/imgs/fashion_compatibility/set1/204286204.jpg": "T-shirt-tank-top.jpg",
    "demo/imgs/fashion_compatibility/set3/184544749.jpg": "Trouser-jeans.jpg",
    "demo/imgs/fashion_compatibility/set3/185310373.jpg": "Pullover-off-shoulder.jpg",
    "demo/imgs/fashion_compatibility/set3/208881110.jpg": "T-shirt-printed.jpg",
}
CLOPEMA = {
    "example/cloC00023.png": "Trouser-jeans-spread-on-floor.png",
    "example/cloC01158.png": "T-shirt-polo-crumpled-on-floor.png",
    "example/cloC02321.png": "Trouser-jeans-folded-on-floor-at-a-slant.png",
}


def main() -> None:
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    out = Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    sources = [(Path(sys.argv[1]), MMFASHION)] + ([(Path(sys.argv[3]), CLOPEMA)] if len(sys.argv) == 4 else [])
    copied = 0
    for clone, files in sources:
        for source, name in files.items():
            shutil.copyfile(clone / source, out / name)
            copied += 1
    print(f"{copied} photos in {out}")


if __name__ == "__main__":
    main()
