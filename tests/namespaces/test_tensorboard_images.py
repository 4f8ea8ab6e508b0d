"""SummaryWriter.add_image / add_images / add_figure beside torch's: the same pixels, read back
with TensorBoard's own EventAccumulator and decoded with PIL (TensorBoard's dependency)."""

import io

import numpy as np
import pytest
import torch
from torch.utils.tensorboard import SummaryWriter as TorchWriter

import chainrule as cr

accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
Image = pytest.importorskip("PIL.Image")

rng = np.random.default_rng(0)
CASES = {
    "chw floats": ("add_image", rng.random((3, 5, 7)).astype(np.float32), "CHW"),
    "hwc floats past 1": ("add_image", rng.random((4, 6, 3)).astype(np.float32) * 1.5, "HWC"),
    "one channel": ("add_image", rng.random((1, 4, 4)).astype(np.float32), "CHW"),
    "gray uint8": ("add_image", (rng.random((6, 8)) * 255).astype(np.uint8), "HW"),
    "rgba": ("add_image", rng.random((4, 3, 5)).astype(np.float32), "CHW"),
    "batch of 10": ("add_images", rng.random((10, 1, 4, 6)).astype(np.float32), "NCHW"),
    "nhwc batch": ("add_images", rng.random((3, 4, 5, 3)).astype(np.float32), "NHWC"),
}


def _pixels(directory, tag):
    events = accumulator.EventAccumulator(str(directory), size_guidance={"images": 0})
    events.Reload()
    image = events.Images(tag)[0]
    return image.width, image.height, np.asarray(Image.open(io.BytesIO(image.encoded_image_string)))


@pytest.mark.parametrize("name", CASES)
def test_images_have_torchs_pixels(name, tmp_path):
    method, values, formats = CASES[name]
    with cr.utils.tensorboard.SummaryWriter(str(tmp_path / "ours")) as ours:
        getattr(ours, method)("x", cr.tensor(values), 0, dataformats=formats)
    with TorchWriter(str(tmp_path / "theirs")) as theirs:
        getattr(theirs, method)("x", torch.tensor(values), 0, dataformats=formats)
    mine, torchs = _pixels(tmp_path / "ours", "x"), _pixels(tmp_path / "theirs", "x")
    assert mine[:2] == torchs[:2]
    np.testing.assert_array_equal(mine[2], torchs[2])


def test_a_figure_is_drawn_and_closed(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(2, 1))
    plt.plot([1, 2, 3])
    with cr.utils.tensorboard.SummaryWriter(str(tmp_path)) as writer:
        writer.add_figure("fig", figure, 0)
    width, height, pixels = _pixels(tmp_path, "fig")
    assert (width, height) == (200, 100) and pixels.shape == (100, 200, 3)
    assert not plt.fignum_exists(figure.number)


def test_a_shape_that_does_not_fit_the_format_is_refused(tmp_path):
    with cr.utils.tensorboard.SummaryWriter(str(tmp_path)) as writer:
        with pytest.raises(cr.errors.ArgumentError, match="add_image: expected an array"):
            writer.add_image("x", np.zeros((3, 4)), 0)
