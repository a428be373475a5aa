"""Documents of the five sample families for other cities and numbers, for the ingest benchmark.

Each document is one of the samples in ``data/sources/`` with its city replaced by an invented
one (a new one for each document of a family, up to 256 of them: so every document is its own
plan) and the decimal numbers
of its cells changed to others of the same shape: the layout is the sample's, the content not.

    python bench/synthetic_documents.py OUT_DIR [--count 1000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
from itertools import product
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"

# The sample's city as printed (its stem: inflected forms follow) and the language of its names.
TEMPLATES: dict[str, tuple[str, str]] = {
    "000_a022e4505cac72f3.txt": ("Тараз", "kk"),
    "001_b5c11f052baa7846.txt": ("Жезқазған", "kk"),
    "002_3919e70ca7955aea.txt": ("Таш-Көмүр", "ky"),
    "003_a649211321f9a7a4.txt": ("Тараз", "kk"),
    "004_cf3c10cfbd63a6c4.txt": ("Кара-Балта", "ky"),
}

_PARTS = {
    "kk": (
        ("Ақ", "Қара", "Сары", "Жаңа", "Көк", "Алтын", "Шал", "Таң"),
        ("тау", "көл", "су", "дала", "бұлақ", "өзен", "тоғай", "шоқы"),
        ("", "бай", "тал", "кент"),
    ),
    "ky": (
        ("Ак", "Кара", "Сары", "Жаңы", "Көк", "Алтын", "Таш", "Кызыл"),
        ("-Суу", "-Көл", "-Тоо", "-Булак", "-Жол", "-Кия", "-Дөбө", "-Сай"),
        ("", "бай", "тал", "кент"),
    ),
}

_DECIMAL = re.compile(r"(?<![\d.,])(\d{1,3}),(\d{1,2})(?![\d.,])")


def city_names(language: str) -> list[str]:
    first, second, third = _PARTS[language]
    return [a + b + c for c, a, b in product(third, first, second)]


def _numbers(text: str, rng: random.Random) -> str:
    def change(match: re.Match[str]) -> str:
        whole, decimals = match.group(1), match.group(2)
        low = 10 ** (len(whole) - 1) if len(whole) > 1 else 0
        new_whole = rng.randint(low, 10 ** len(whole) - 1)
        new_decimals = rng.randint(0, 10 ** len(decimals) - 1)
        return f"{new_whole},{new_decimals:0{len(decimals)}d}"

    return _DECIMAL.sub(change, text)


def generate(out: Path, count: int = 1000, seed: int = 7) -> list[Path]:
    """Write ``count`` documents into ``out``, the five families in turn; their paths."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    texts = {name: (SOURCES / name).read_text(encoding="utf-8") for name in TEMPLATES}
    names = {language: city_names(language) for language in _PARTS}
    used = dict.fromkeys(TEMPLATES, 0)  # per family, so that every plan id is new
    paths = []
    templates = sorted(TEMPLATES)
    for index in range(count):
        name = templates[index % len(templates)]
        city, language = TEMPLATES[name]
        pool = names[language]
        new_city = pool[used[name] % len(pool)]
        used[name] += 1
        text = _numbers(texts[name].replace(city, new_city), rng)
        path = out / f"{index:04d}_{Path(name).stem}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = generate(args.out, args.count, args.seed)
    print(f"wrote {len(paths)} documents to {args.out}")


if __name__ == "__main__":
    main()
