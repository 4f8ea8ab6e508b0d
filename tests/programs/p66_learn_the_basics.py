"""The "Learn the Basics" tutorials as written, on sklearn's digits: Tensors (ones_like,
rand_like with a dtype, tensor[:, 1] = 0, torch.cat, `@`, matmul / mul with out=, add_,
numpy() and from_numpy sharing memory), Datasets & DataLoaders with a custom Dataset whose
target_transform is Lambda(zeros(10).scatter_(0, tensor(y), value=1)), Build the Model (Flatten,
Softmax(dim=1), named_parameters), Autograd (binary_cross_entropy_with_logits, detach,
backward with retain_graph and a gradient argument), and Optimization's train_loop / test_loop
with size = len(dataloader.dataset) and (pred.argmax(1) == y).type(torch.float).sum().item()."""

import numpy as np
from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    nn = torch.nn
    Dataset, DataLoader = torch.utils.data.Dataset, torch.utils.data.DataLoader
    out = {}

    # Tensors.
    data = [[1, 2], [3, 4]]
    x_data = torch.tensor(data)
    np_array = np.array(data)
    x_np = torch.from_numpy(np_array)
    x_ones = torch.ones_like(x_data)
    x_rand = torch.rand_like(x_data, dtype=torch.float)
    shape = (2, 3)
    rand_tensor = torch.rand(shape)
    out["like"] = [str(x_ones), str(x_np.dtype == x_data.dtype), x_rand.dtype == torch.float32]
    out["shapes"] = [list(rand_tensor.shape), list(torch.zeros(shape).shape)]
    tensor = torch.ones(4, 4)
    out["rows"] = [f"First row: {tensor[0]}", f"Last column: {tensor[..., -1]}"]
    tensor[:, 1] = 0
    out["zeroed"] = str(tensor)
    t1 = torch.cat([tensor, tensor, tensor], dim=1)
    y1 = tensor @ tensor.T
    y2 = tensor.matmul(tensor.T)
    y3 = torch.rand_like(y1)
    torch.matmul(tensor, tensor.T, out=y3)
    z1 = tensor * tensor
    z2 = tensor.mul(tensor)
    z3 = torch.rand_like(tensor)
    torch.mul(tensor, tensor, out=z3)
    agg = tensor.sum()
    agg_item = agg.item()
    out["products"] = [str(t1.shape[1]), str(torch.equal(y2, y3)), str(torch.equal(z2, z3))]
    out["agg"] = [agg_item, float(isinstance(agg_item, float)), z1.sum().item()]
    out["add_"] = str(tensor.add_(5))
    t = torch.ones(5)
    n = t.numpy()
    t.add_(1)
    out["numpy_shares"] = n.tolist()
    n = np.ones(5)
    t = torch.from_numpy(n)
    np.add(n, 1, out=n)
    out["from_numpy_shares"] = t.tolist()

    # Datasets & DataLoaders, with Transforms.
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)

    class Lambda:  # torchvision.transforms.Lambda
        def __init__(self, lambd):
            self.lambd = lambd

        def __call__(self, img):
            return self.lambd(img)

    class CustomImageDataset(Dataset):
        def __init__(self, images, labels, transform=None, target_transform=None):
            self.images, self.img_labels = images, labels
            self.transform = transform
            self.target_transform = target_transform

        def __len__(self):
            return len(self.img_labels)

        def __getitem__(self, idx):
            image = self.images[idx]
            label = int(self.img_labels[idx])
            if self.transform:
                image = self.transform(image)
            if self.target_transform:
                label = self.target_transform(label)
            return image, label

    ToTensor = Lambda(lambda image: torch.from_numpy(image).unsqueeze(0))
    one_hot = Lambda(
        lambda y: torch.zeros(10, dtype=torch.float).scatter_(0, torch.tensor(y), value=1)
    )
    training_data = CustomImageDataset(images[:600], digits.target[:600], ToTensor, one_hot)
    test_data = CustomImageDataset(images[1000:1300], digits.target[1000:1300], ToTensor)
    batch_size = 64
    train_dataloader = DataLoader(training_data, batch_size=batch_size)
    test_dataloader = DataLoader(test_data, batch_size=batch_size)
    train_features, train_labels = next(iter(train_dataloader))
    img = train_features[0].squeeze()
    label = train_labels[0]
    out["first_batch"] = [list(train_features.size()), list(train_labels.size()), list(img.shape)]
    out["one_hot_label"] = label.tolist()
    for X, y in test_dataloader:
        out["test_shapes"] = f"Shape of X [N, C, H, W]: {list(X.shape)} y: {list(y.shape)}"
        out["test_dtype"] = str(y.dtype == torch.int64)
        break

    # Build the Model.
    device = "cpu"

    class NeuralNetwork(nn.Module):
        def __init__(self):
            super().__init__()
            self.flatten = nn.Flatten()
            self.linear_relu_stack = nn.Sequential(
                nn.Linear(8 * 8, 128),
                nn.ReLU(),
                nn.Linear(128, 128),
                nn.ReLU(),
                nn.Linear(128, 10),
            )

        def forward(self, x):
            x = self.flatten(x)
            logits = self.linear_relu_stack(x)
            return logits

    model = NeuralNetwork().to(device)
    init_from_numpy(torch, model, seed=66, scale=0.05)
    X = torch.from_numpy(images[:3])
    logits = model(X)
    pred_probab = nn.Softmax(dim=1)(logits)
    y_pred = pred_probab.argmax(1)
    out["model"] = str(model)
    out["pred_probab"] = pred_probab.detach().numpy()
    out["y_pred"] = y_pred.tolist()
    out["layers"] = [
        f"Layer: {name} | Size: {list(param.size())}" for name, param in model.named_parameters()
    ]
    input_image = torch.from_numpy(images[:3])
    flatten = nn.Flatten()
    flat_image = flatten(input_image)
    layer1 = nn.Linear(in_features=8 * 8, out_features=20)
    init_from_numpy(torch, layer1, seed=660)
    hidden1 = layer1(flat_image)
    hidden1 = nn.ReLU()(hidden1)
    seq_modules = nn.Sequential(flatten, layer1, nn.ReLU(), nn.Linear(20, 10))
    out["seq_shape"] = list(seq_modules(input_image).shape)
    out["hidden1"] = hidden1.detach().numpy()[0]

    # Automatic differentiation.
    x = torch.ones(5)
    y = torch.zeros(3)
    w = torch.tensor(np.linspace(-1, 1, 15).reshape(5, 3).astype(np.float32), requires_grad=True)
    b = torch.tensor([0.1, -0.2, 0.3], requires_grad=True)
    z = torch.matmul(x, w) + b
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
    out["has_grad_fn"] = [z.grad_fn is not None, loss.grad_fn is not None]
    loss.backward()
    out["w_grad"] = w.grad.numpy()
    out["b_grad"] = b.grad.numpy()
    with torch.no_grad():
        z = torch.matmul(x, w) + b
    z_det = (torch.matmul(x, w) + b).detach()
    out["requires_grad"] = [z.requires_grad, z_det.requires_grad]
    inp = torch.eye(4, 5, requires_grad=True)
    result = (inp + 1).pow(2).t()
    result.backward(torch.ones_like(result), retain_graph=True)
    first = f"First call\n{inp.grad}"
    result.backward(torch.ones_like(result), retain_graph=True)
    second = f"\nSecond call\n{inp.grad}"
    inp.grad.zero_()
    result.backward(torch.ones_like(result), retain_graph=True)
    out["calls"] = [first, second, f"\nCall after zeroing gradients\n{inp.grad}"]

    # Optimizing model parameters.
    learning_rate = 1e-1
    epochs = 3

    def train_loop(dataloader, model, loss_fn, optimizer):
        size = len(dataloader.dataset)
        model.train()
        lines = []
        for batch, (X, y) in enumerate(dataloader):
            pred = model(X)
            loss = loss_fn(pred, y)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            if batch % 4 == 0:
                loss, current = loss.item(), batch * batch_size + len(X)
                lines.append(f"loss: {loss:>4.2f}  [{current:>5d}/{size:>5d}]")
        return lines

    def test_loop(dataloader, model, loss_fn):
        model.eval()
        size = len(dataloader.dataset)
        num_batches = len(dataloader)
        test_loss, correct = 0, 0
        with torch.no_grad():
            for X, y in dataloader:
                pred = model(X)
                test_loss += loss_fn(pred, y).item()
                correct += (pred.argmax(1) == y).type(torch.float).sum().item()
        test_loss /= num_batches
        correct /= size
        return test_loss, correct

    loss_fn = nn.CrossEntropyLoss()  # probabilities as targets (the one-hot rows) in training
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    printed, tests = [], []
    for t in range(epochs):
        printed += train_loop(train_dataloader, model, loss_fn, optimizer)
        tests.append(test_loop(test_dataloader, model, loss_fn))
    out["train_lines"] = printed
    out["test_results"] = np.array(tests)
    model.eval()
    x, y = test_data[0][0], test_data[0][1]
    with torch.no_grad():
        x = x.to(device)
        pred = model(x)
        out["predicted_actual"] = [int(pred[0].argmax(0)), y]
    return out
