"""pytorch.org's "Writing Custom Datasets, DataLoaders and Transforms" tutorial as written, on
sklearn's digits in place of the face-landmark photos: a dataset whose __getitem__ returns a
dict sample {'image', 'landmarks'} (the landmarks here are the corners and the centre of each
digit's ink, read from the pixels), torch.is_tensor(idx) / idx.tolist(), the Rescale, RandomCrop
and ToTensor classes with __call__(sample) (a hand-written nearest-neighbour resize stands in for
skimage.transform.resize; the crop offsets come from a seeded numpy Generator in place of the
global np.random), a hand-written Compose as torchvision's, image.transpose((2, 0, 1)) and
torch.from_numpy, a DataLoader collating the dicts, and iterating with enumerate(dataloader) to
print sample_batched['image'].size(). A small landmark regressor is then trained on the batches,
with its convolution under nn.utils.parametrizations.spectral_norm (the power iteration's u
and v copied in from numpy) and its head under parametrizations.orthogonal, as SN-GAN and
orthogonal-RNN code wraps layers."""

import numpy as np
from sklearn.datasets import load_digits

RTOL, ATOL = 2e-3, 3e-4


def _ink_landmarks(image):
    """(x, y) of the ink's top-left, bottom-right and centre of mass: 3 landmarks per digit."""
    ys, xs = np.nonzero(image > 4)
    weights = image[ys, xs]
    centre = [(xs * weights).sum() / weights.sum(), (ys * weights).sum() / weights.sum()]
    return np.array([[xs.min(), ys.min()], [xs.max(), ys.max()], centre], dtype=np.float64)


def _resize_nearest(image, new_h, new_w):
    h, w = image.shape[:2]
    rows = np.minimum((np.arange(new_h) + 0.5) * h / new_h, h - 1).astype(int)
    cols = np.minimum((np.arange(new_w) + 0.5) * w / new_w, w - 1).astype(int)
    return image[rows][:, cols]


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    Dataset, DataLoader = torch.utils.data.Dataset, torch.utils.data.DataLoader
    digits = load_digits()
    crop_rng = np.random.default_rng(0)

    class DigitLandmarksDataset(Dataset):
        """Digit Landmarks dataset."""

        def __init__(self, images, transform=None):
            self.images = images
            self.landmarks_frame = [_ink_landmarks(im) for im in images]
            self.transform = transform

        def __len__(self):
            return len(self.landmarks_frame)

        def __getitem__(self, idx):
            if torch.is_tensor(idx):
                idx = idx.tolist()
            image = (self.images[idx] / 16.0)[:, :, None]  # H x W x C, as io.imread gives
            landmarks = np.array([self.landmarks_frame[idx]])
            landmarks = landmarks.astype("float").reshape(-1, 2)
            sample = {"image": image, "landmarks": landmarks}
            if self.transform:
                sample = self.transform(sample)
            return sample

    class Rescale(object):
        """Rescale the image in a sample to a given size."""

        def __init__(self, output_size):
            assert isinstance(output_size, (int, tuple))
            self.output_size = output_size

        def __call__(self, sample):
            image, landmarks = sample["image"], sample["landmarks"]
            h, w = image.shape[:2]
            if isinstance(self.output_size, int):
                if h > w:
                    new_h, new_w = self.output_size * h / w, self.output_size
                else:
                    new_h, new_w = self.output_size, self.output_size * w / h
            else:
                new_h, new_w = self.output_size
            new_h, new_w = int(new_h), int(new_w)
            img = _resize_nearest(image, new_h, new_w)
            # h and w are swapped for landmarks because for images,
            # x and y axes are axis 1 and 0 respectively
            landmarks = landmarks * [new_w / w, new_h / h]
            return {"image": img, "landmarks": landmarks}

    class RandomCrop(object):
        """Crop randomly the image in a sample."""

        def __init__(self, output_size):
            assert isinstance(output_size, (int, tuple))
            if isinstance(output_size, int):
                self.output_size = (output_size, output_size)
            else:
                assert len(output_size) == 2
                self.output_size = output_size

        def __call__(self, sample):
            image, landmarks = sample["image"], sample["landmarks"]
            h, w = image.shape[:2]
            new_h, new_w = self.output_size
            top = crop_rng.integers(0, h - new_h + 1)
            left = crop_rng.integers(0, w - new_w + 1)
            image = image[top : top + new_h, left : left + new_w]
            landmarks = landmarks - [left, top]
            return {"image": image, "landmarks": landmarks}

    class ToTensor(object):
        """Convert ndarrays in sample to Tensors."""

        def __call__(self, sample):
            image, landmarks = sample["image"], sample["landmarks"]
            # swap color axis because
            # numpy image: H x W x C
            # torch image: C x H x W
            image = image.transpose((2, 0, 1))
            return {"image": torch.from_numpy(image), "landmarks": torch.from_numpy(landmarks)}

    class Compose:
        def __init__(self, transforms):
            self.transforms = transforms

        def __call__(self, sample):
            for t in self.transforms:
                sample = t(sample)
            return sample

    out = {}
    raw = DigitLandmarksDataset(digits.images[:160])
    sample = raw[3]
    out["raw_shapes"] = [list(sample["image"].shape), list(sample["landmarks"].shape)]
    scale = Rescale(16)
    crop = RandomCrop(6)
    composed = Compose([Rescale(12), RandomCrop(10)])
    out["transformed_shapes"] = [
        list(tsfrm(sample)["image"].shape) for tsfrm in [scale, crop, composed]
    ]
    out["rescaled_landmarks"] = scale(sample)["landmarks"].tolist()

    transformed_dataset = DigitLandmarksDataset(
        digits.images[:160], transform=Compose([Rescale(12), RandomCrop(10), ToTensor()])
    )
    first = transformed_dataset[torch.tensor(0)]
    out["first_sample"] = [list(first["image"].size()), list(first["landmarks"].size())]
    out["first_dtypes"] = [str(first[k].dtype).split(".")[-1] for k in ("image", "landmarks")]
    batches = list(DataLoader(transformed_dataset, batch_size=16, shuffle=False, num_workers=0))
    out["batch_sizes"] = [
        list(b["image"].size()) + list(b["landmarks"].size()) + [i_batch]
        for i_batch, b in enumerate(batches[:3])
    ]

    class LandmarkNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.utils.parametrizations.spectral_norm(nn.Conv2d(1, 8, 3, padding=1))
            self.pool = nn.AdaptiveAvgPool2d(4)
            self.hidden = nn.Linear(8 * 16, 6)
            self.head = nn.utils.parametrizations.orthogonal(nn.Linear(6, 6))

        def forward(self, x):
            x = self.pool(F.leaky_relu(self.conv(x), 0.2))
            return self.head(torch.tanh(self.hidden(x.flatten(1))))

    rng = np.random.default_rng(1)

    def draw(*shape, scale=0.3):
        return torch.from_numpy((rng.standard_normal(shape) * scale).astype(np.float32))

    model = LandmarkNet()
    with torch.no_grad():
        sn = model.conv.parametrizations.weight
        sn.original.copy_(draw(8, 1, 3, 3))
        model.conv.bias.copy_(draw(8))
        u, v = rng.standard_normal(8), rng.standard_normal(9)
        sn[0]._u.copy_(torch.from_numpy((u / np.linalg.norm(u)).astype(np.float32)))
        sn[0]._v.copy_(torch.from_numpy((v / np.linalg.norm(v)).astype(np.float32)))
        model.hidden.weight.copy_(draw(6, 128, scale=0.1))
        model.hidden.bias.zero_()
        q, _ = np.linalg.qr(rng.standard_normal((6, 6)))
        model.head.weight = torch.from_numpy(q.astype(np.float32))  # through right_inverse
        model.head.bias.zero_()
    out["state_keys"] = sorted(model.state_dict().keys())
    out["head_orthogonal"] = bool(
        torch.allclose(model.head.weight @ model.head.weight.T, torch.eye(6), atol=1e-5)
    )

    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for epoch in range(3):
        running = 0.0
        for sample_batched in batches:
            target = sample_batched["landmarks"].float().flatten(1) / 10.0
            optimizer.zero_grad()
            loss = F.mse_loss(model(sample_batched["image"].float()), target)
            loss.backward()
            optimizer.step()
            running += loss.item()
        losses.append(running / len(batches))
    out["losses"] = losses
    model.eval()
    with torch.no_grad():
        weight = model.conv.weight.reshape(8, -1)
        out["spectral_norm_sigma"] = torch.linalg.matrix_norm(weight, ord=2).item()
        out["head_still_orthogonal"] = bool(
            torch.allclose(model.head.weight @ model.head.weight.T, torch.eye(6), atol=1e-4)
        )
        out["predictions"] = model(batches[0]["image"].float())[:2].tolist()
    return out
