"""Real garment photos to measure against, from a clone of a permissively licensed repository.

    git clone https://github.com/open-mmlab/mmfashion /tmp/mmfashion
    .venv/bin/python scripts/real_photos.py /tmp/mmfashion real-photos/
    .venv/bin/python scripts/measure_pictures.py --model M.keras --photos real-photos/

MMFashion (Apache-2.0) ships six product photos of single garments among its demo pictures:
catalogue shots on white or near-white, one of them cropped so close that the garment runs
off the edges. They are copied here under names that start with their class, as
measure_pictures.py reads them. They stay out of this repository: measured, not trained on.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

# demo picture -> name starting with its Fashion-MNIST class
MMFASHION = {
    "demo/imgs/attr_pred_demo1.jpg": "Shirt-short-sleeved-print.jpg",
    "demo/imgs/landmark_predict/demo1.jpg": "Shirt-blouse-on-hanger-close-up.jpg",
    "demo/imgs/fashion_compatibility/set1/204286204.jpg": "T-shirt-tank-top.jpg",
    "demo/imgs/fashion_compatibility/set3/184544749.jpg": "Trouser-jeans.jpg",
    "demo/imgs/fashion_compatibility/set3/185310373.jpg": "Pullover-off-shoulder.jpg",
    "demo/imgs/fashion_compatibility/set3/208881110.jpg": "T-shirt-printed.jpg",
}


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    clone, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for source, name in MMFASHION.items():
        shutil.copyfile(clone / source, out / name)
    print(f"{len(MMFASHION)} photos in {out}")


if __name__ == "__main__":
    main()
