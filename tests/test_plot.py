"""chainrule.plot, looked at as a student first looks at a figure: labelled axes, a key,
nothing cut off, train and test told apart, and Japanese labels that really are Japanese."""

import warnings

import numpy as np
import pytest

from chainrule import plot
from chainrule.data import make_fuzzy_boundary, make_three_bands
from chainrule.plot_text import japanese_font

pytest.importorskip("matplotlib")


def _labelled(ax):
    assert ax.get_xlabel().strip() and ax.get_ylabel().strip(), (ax.get_xlabel(), ax.get_ylabel())


def _offsets(ax):
    return np.concatenate([c.get_offsets() for c in ax.collections if len(c.get_offsets())])


def test_every_axis_is_labelled():
    X, T = make_fuzzy_boundary()
    figures = [
        plot.fit_plot(np.array([1.0, 2.0]), np.array([2.0, 4.0]), [("line", 2.0, 0.0)], None),
        plot.loss_plot({"MSE": [3.0, 2.0, 1.0]}, None),
        plot.sigmoid_plot(None),
        plot.boundary_plot(X, T, [("b", -1.0, 3.0)], None, n_train=900),
        plot.regions_plot(X, T, lambda p: (p.sum(axis=1) > 3).astype(int), None),
        plot.confusion_plot(np.array([[3, 1], [0, 4]]), None),
        plot.learning_curves({"train_loss": [1.0, 0.5], "val_accuracy": [0.5, 0.8]}, None),
    ]
    for fig in figures:
        for ax in fig.axes:
            _labelled(ax)


def test_sigmoid_plot_shows_the_function_and_its_derivative():
    ax = plot.sigmoid_plot(None).axes[0]
    (x, y), (_, slope) = (line.get_data() for line in ax.get_lines()[:2])
    np.testing.assert_allclose(y, 1 / (1 + np.exp(-x)), rtol=1e-12)
    np.testing.assert_allclose(slope, y * (1 - y), rtol=1e-12)
    assert ax.get_legend() is not None


def test_classification_plot_keeps_every_point_inside_and_the_key_off_the_data():
    X, T = make_fuzzy_boundary()
    fig = plot.boundary_plot(X, T, [("true", -1.0, 3.0)], None, n_train=900)
    ax = fig.axes[0]
    points = _offsets(ax)
    assert len(points) == len(X)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    # strictly inside, with a margin: a point on the frame would be half cut off
    assert x0 < points[:, 0].min() and points[:, 0].max() < x1
    assert y0 < points[:, 1].min() and points[:, 1].max() < y1
    legend = ax.get_legend()
    renderer = fig.canvas.get_renderer()
    assert (
        legend.get_window_extent(renderer).x0 >= ax.get_window_extent(renderer).x1
    )  # beside the axes
    texts = [t.get_text() for t in legend.get_texts()]
    assert sum("(train)" in t for t in texts) == 2 and sum("(test)" in t for t in texts) == 2
    markers = {c.get_label(): c.get_paths()[0].vertices.shape for c in ax.collections}
    train_label = next(t for t in texts if "(train)" in t)
    test_label = next(t for t in texts if "(test)" in t)
    assert markers[train_label] != markers[test_label]  # a dot and a cross


def test_regions_plot_has_a_class_key():
    X, labels = make_three_bands()
    fig = plot.regions_plot(
        X, labels, lambda p: np.clip((p.sum(axis=1) // 2).astype(int), 0, 2), None
    )
    texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert [t for t in texts if t.startswith("class")] == ["class 0", "class 1", "class 2"]
    assert [t for t in texts if t.startswith("region")] == ["region 0", "region 1", "region 2"]


def test_confusion_plot_writes_every_count():
    matrix = np.array([[27, 0, 0], [1, 42, 1], [0, 1, 28]])
    ax = plot.confusion_plot(matrix, None).axes[0]
    shown = sorted(int(t.get_text()) for t in ax.texts)
    assert shown == sorted(matrix.ravel().tolist())
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"


def test_loss_caption_is_under_the_plot():
    ax = plot.loss_plot({"CE": [1.0, 1.2, 0.9]}, None, caption="The early zig-zag: why.").axes[0]
    caption = [t for t in ax.texts if "zig-zag" in t.get_text()]
    assert len(caption) == 1 and caption[0].get_position()[1] < 0


@pytest.mark.skipif(
    japanese_font() is None, reason="needs a Japanese font; the English fallback is tested below"
)
def test_japanese_labels_draw_without_missing_glyph_warnings(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plot.confusion_plot(np.array([[3, 1], [0, 4]]), None, lang="ja")
        path = plot.sigmoid_plot(tmp_path / "s.png", lang="ja")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "予測クラス" and ax.get_ylabel() == "正解クラス"
    assert ax.xaxis.label.get_fontfamily()[0] == japanese_font()
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_a_japanese_font_figures_fall_back_to_english(monkeypatch):
    from chainrule import plot_text

    monkeypatch.setattr(plot_text, "japanese_font", lambda: None)
    ax = plot.confusion_plot(np.array([[3, 1], [0, 4]]), None, lang="ja").axes[0]
    assert ax.get_xlabel() == "predicted class"
