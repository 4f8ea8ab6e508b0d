"""The words on chainrule's figures in English and Japanese, and a font that has the Japanese.

matplotlib's default font (DejaVu Sans) has no Japanese glyphs. A Japanese figure uses, in
order: IPAexGothic from the ``matplotlib-fontja`` package (``pip install 'chainrule[ja]'``),
then any Japanese font matplotlib already knows. With none, the figure falls back to English
and ``japanese_font()`` returns None, so a caller can say so in one line.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

WORDS = {
    "en": {
        "data": "data",
        "step": "step",
        "loss": "loss",
        "class": "class",
        "train": "train",
        "test": "test",
        "region": "region",
        "predicted": "predicted class",
        "true": "true class",
        "confusion": "Confusion matrix (test)",
        "epoch": "epoch",
        "metric": "metric",
        "sigmoid_y": "sigmoid(x) and its slope",
        "sigmoid_title": "Sigmoid and its derivative",
    },
    "ja": {
        "data": "データ",
        "step": "ステップ",
        "loss": "損失",
        "class": "クラス",
        "train": "学習",
        "test": "テスト",
        "region": "領域",
        "predicted": "予測クラス",
        "true": "正解クラス",
        "confusion": "混同行列 (テストデータ)",
        "epoch": "エポック",
        "metric": "評価指標",
        "sigmoid_y": "sigmoid(x) とその傾き",
        "sigmoid_title": "シグモイド関数とその導関数",
    },
}

# Families with Japanese glyphs that a machine may already have, most common first.
KNOWN_JAPANESE = (
    "IPAexGothic",
    "IPAGothic",
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "TakaoGothic",
    "VL Gothic",
    "Hiragino Sans",
    "Yu Gothic",
    "MS Gothic",
    "Source Han Sans JP",
)


@lru_cache(maxsize=1)
def japanese_font() -> str | None:
    """The name of a font family with Japanese glyphs that matplotlib can use, or None."""
    from matplotlib import font_manager

    spec = importlib.util.find_spec("matplotlib_fontja")
    if spec is not None and spec.origin is not None:
        # Registered by path: importing matplotlib_fontja would change matplotlib's global rc.
        bundled = Path(spec.origin).parent / "fonts" / "ipaexg.ttf"
        if bundled.is_file():
            font_manager.fontManager.addfont(str(bundled))
    names = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in KNOWN_JAPANESE if name in names), None)


def language(lang: str) -> str:
    """The language figures can be labelled in: ``lang``, or English without a Japanese font."""
    return "ja" if lang == "ja" and japanese_font() is not None else "en"


def font_family(lang: str) -> list[str] | None:
    """rc font.family for a figure in ``lang``: the Japanese font first, DejaVu Sans for the rest."""
    if lang != "ja":
        return None
    font = japanese_font()
    return None if font is None else [font, "DejaVu Sans"]


def word(key: str, lang: str) -> str:
    return WORDS[language(lang)][key]
