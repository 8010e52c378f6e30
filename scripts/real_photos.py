"""Real garment photos to measure against, from clones of public repositories.

    git clone https://github.com/open-mmlab/mmfashion /tmp/mmfashion
    git clone https://github.com/CloPeMa/garment_dataset /tmp/clopema      # optional
    git clone https://github.com/saleor/saleor /tmp/saleor                  # optional
    git clone https://github.com/solidusio/solidus /tmp/solidus             # optional, whole history
    git clone https://github.com/vendure-ecommerce/vendure /tmp/vendure     # optional
    git clone https://github.com/dotnet-architecture/eShopOnWeb /tmp/eshop  # optional
    .venv/bin/python scripts/real_photos.py /tmp/mmfashion real-photos/ [/tmp/clopema] \
        [--saleor /tmp/saleor] [--solidus /tmp/solidus] [--vendure /tmp/vendure] [--eshop /tmp/eshop]
    .venv/bin/python scripts/measure_pictures.py --model M.keras --photos real-photos/

MMFashion (Apache-2.0) ships six product photos of single garments among its demo pictures:
catalogue shots on white or near-white, one of them cropped so close that the garment runs
off the edges. The CloPeMa garment dataset's repository (BSD-3-Clause; its full dataset is
free for research and education) shows three of its photos as examples: garments on a
wooden floor as a phone photo shows them, jeans spread in a V, jeans folded lying on a
slant, and a crumpled polo shirt. Saleor's repository (BSD-3-Clause) holds its demo shop's
product renders: T-shirts and a polo front and back, hoodies, sneakers, each a cut-out PNG
floating over its soft shadow; the 27 that show a Fashion-MNIST garment as the dataset shows
it (shoes from the side, not from above or behind) are laid on white and saved as JPEGs, as a
shop's catalogue shot on white comes. Solidus's repository (BSD-3-Clause, as Spree's before it)
has kept its sample shop's product photos since 2013, most of them since taken out of the
tree: 42 show a Fashion-MNIST garment, read from the commit that last held each: tote and
messenger bags (the only real bags here), T-shirts, ringers, polos and tank tops front and
back, long-sleeved tees and hoodies (Pullover), zipped hoodies (Coat); photos on white as they
are, cut-outs laid on white. Raglan baseball tees (three-quarter sleeves: T-shirt or
Pullover?), caps, mugs and a T-shirt lying folded at a slant are left out. Vendure's repository
(MIT) keeps its demo shop's product photos, taken from Unsplash (free to use): six sneakers, the
only shoes here photographed rather than rendered: four single shoes (on a lit stand in a dark
room, two floating with their laces loose, one side-on), and two pairs of high-tops photographed
from above on floorboards and on concrete, as a phone photographs them. Microsoft's eShopOnWeb
(MIT) shows its sample shop's clothes lying flat on weathered wood and concrete, photographed
from above and cropped close (a hem or sleeves run off the edges), as a phone photo of a
garment on a floor comes: four T-shirts and three zipped hoodies (Coat). All are copied
here under names that start with their class, as measure_pictures.py reads them. They stay
out of this repository: measured, not trained on.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
from pathlib import Path

from PIL import Image

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

SALEOR_FOLDER = "saleor/static/placeholders"
SALEOR = {  # saleor-<name>.png -> its class; the zipped hoodie is a jacket, as the dataset's coats are
    **{
        f"{tee}-{side}": "T-shirt"
        for tee in (
            "ascii-shirt",
            "blue-polygon-tee",
            "dark-polygon-tee",
            "dash-tee",
            "monospace-white-tee",
            "team-tee",
            "white-cubes-tee",
            "polo-shirt",
        )
        for side in ("front", "back")
    },
    "grey-hoodie": "Pullover",
    "white-hoodie": "Pullover",
    "blue-hoodie": "Coat",
    **{
        shoe: "Sneaker"
        for shoe in (
            "blue-plimsolls-1",
            "blue-plimsolls-4",
            "dash-force-1",
            "dash-force-2",
            "pauls-blanace-420-1",
            "pauls-blanace-420-2",
            "white-plimsolls-2",
            "white-plimsolls-4",
        )
    },
}


SOLIDUS_FOLDER = "sample/db/samples/images"
SOLIDUS = {  # file -> its class; each read from the last commit that added or changed it
    **dict.fromkeys(
        (
            "ror_bag.jpg",
            "ror_tote.jpg",
            "ror_tote_back.jpg",
            "spree_bag.jpeg",
            "spree_tote_front.jpeg",
            "spree_tote_back.jpeg",
            "tote_bag_ruby.jpg",
            "tote_bag_solidus.jpg",
            "solidus_canvas_tote.png",
        ),
        "Bag",
    ),
    **dict.fromkeys(
        (
            "ror_ringer.jpg",
            "ror_ringer_back.jpg",
            "ror_jr_spaghetti.jpg",
            "spree_ringer_t.jpeg",
            "spree_ringer_t_back.jpeg",
            "spree_spaghetti.jpeg",
            "ruby_polo.jpg",
            "ruby_polo_back.jpg",
            "solidus_tshirt_black.jpg",
            "solidus_tshirt_blue.jpg",
            "solidus_tshirt_white.jpg",
            "solidus_tshirt_back_black.jpg",
            "solidus_tshirt_back_blue.jpg",
            "solidus_tshirt_back_white.jpg",
            "solidus_girly.jpg",
            "solidus_girly_black.png",
            "solidus_girly_white.png",
            "solidus_womens_tshirt_black.jpg",
            "solidus_womens_tshirt_blue.jpg",
            "solidus_womens_tshirt_white.jpg",
            "solidus_dark_tee.png",
        ),
        "T-shirt",
    ),
    **dict.fromkeys(
        (
            "solidus_long_black.jpg",
            "solidus_long_blue.jpg",
            "solidus_long_white.jpg",
            "solidus_long_back_black.jpg",
            "solidus_long_back_blue.jpg",
            "solidus_long_back_white.jpg",
            "solidus_long_sleeve_tee.png",
            "ruby_hoodie.jpg",
            "solidus_hoodie.png",
            "solidus_hoodie_red_1.png",
        ),
        "Pullover",
    ),
    **dict.fromkeys(("ruby_hoodie_zip.jpg", "solidus_hoodie.jpg"), "Coat"),
}


VENDURE_FOLDER = "packages/core/mock-data/assets"
VENDURE = {  # file -> name after its class
    "chuttersnap-584518-unsplash.jpg": "Sneaker-vendure-on-a-lit-stand.jpg",
    "imani-clovis-234736-unsplash.jpg": "Sneaker-vendure-floating-laces.jpg",
    "nikolai-chernichenko-1299748-unsplash.jpg": "Sneaker-vendure-black-on-grey.jpg",
    "thomas-serer-420833-unsplash.jpg": "Sneaker-vendure-striped-side.jpg",
    "mitch-lensink-256007-unsplash.jpg": "Sneaker-vendure-high-top-pair-on-floorboards.jpg",
    "xavier-teo-469050-unsplash.jpg": "Sneaker-vendure-high-top-pair-on-concrete.jpg",
}


ESHOP_FOLDER = "src/Web/wwwroot/images/products"
ESHOP = {  # file -> name after its class
    "1.png": "Coat-eshop-black-zip-hoodie.png",
    "3.png": "T-shirt-eshop-white-on-wood.png",
    "4.png": "T-shirt-eshop-purple-on-grey.png",
    "6.png": "Coat-eshop-blue-zip-hoodie.png",
    "7.png": "T-shirt-eshop-red-on-wood.png",
    "8.png": "Coat-eshop-purple-zip-hoodie.png",
    "12.png": "T-shirt-eshop-white-print-on-wood.png",
}


def from_history(clone: Path, path: str) -> bytes:
    """A file as the last commit that added or changed it holds it (it may be gone since)."""
    git = ["git", "-C", str(clone)]
    commit = subprocess.run(
        [*git, "log", "--all", "--diff-filter=AM", "--format=%H", "-1", "--", path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not commit:
        raise SystemExit(f"{path} is in no commit of {clone}: a whole clone is needed (not --depth 1)")
    return subprocess.run([*git, "show", f"{commit}:{path}"], capture_output=True, check=True).stdout


def on_white(source: Path | bytes, target: Path) -> None:
    """A picture as a catalogue shot on white: a cut-out's shadow stays, as a shop's does."""
    cut_out = Image.open(io.BytesIO(source) if isinstance(source, bytes) else source).convert("RGBA")
    shot = Image.alpha_composite(Image.new("RGBA", cut_out.size, "white"), cut_out).convert("RGB")
    shot.thumbnail((800, 800))
    shot.save(target, "JPEG", quality=90)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mmfashion", type=Path, help="a clone of open-mmlab/mmfashion")
    parser.add_argument("out", type=Path, help="the folder to fill")
    parser.add_argument("clopema", type=Path, nargs="?", help="a clone of CloPeMa/garment_dataset")
    parser.add_argument("--saleor", type=Path, help="a clone of saleor/saleor")
    parser.add_argument("--solidus", type=Path, help="a whole clone of solidusio/solidus")
    parser.add_argument("--vendure", type=Path, help="a clone of vendure-ecommerce/vendure")
    parser.add_argument("--eshop", type=Path, help="a clone of dotnet-architecture/eShopOnWeb")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    sources = [(args.mmfashion, MMFASHION)] + ([(args.clopema, CLOPEMA)] if args.clopema else [])
    for clone, folder, names in ((args.vendure, VENDURE_FOLDER, VENDURE), (args.eshop, ESHOP_FOLDER, ESHOP)):
        if clone:
            sources.append((clone, {f"{folder}/{source}": name for source, name in names.items()}))
    copied = 0
    for clone, files in sources:
        for source, name in files.items():
            shutil.copyfile(clone / source, args.out / name)
            copied += 1
    if args.saleor:
        for name, label in SALEOR.items():
            on_white(args.saleor / SALEOR_FOLDER / f"saleor-{name}.png", args.out / f"{label}-saleor-{name}.jpg")
            copied += 1
    if args.solidus:
        for name, label in SOLIDUS.items():
            picture = from_history(args.solidus, f"{SOLIDUS_FOLDER}/{name}")
            stem = Path(name).stem.removeprefix("solidus_").replace("_", "-")
            on_white(picture, args.out / f"{label}-solidus-{stem}.jpg")
            copied += 1
    print(f"{copied} photos in {args.out}")


if __name__ == "__main__":
    main()
