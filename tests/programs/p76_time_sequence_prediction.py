"""pytorch/examples' time_sequence_prediction as written, at a smaller size: generate_sine_wave's
shifted sines (from a numpy Generator, not the global seed) saved with torch.save and read back
with torch.load, the Sequence model of two nn.LSTMCell layers and a Linear stepping through
input.split(1, dim=1) with float64 zeros for the states, outputs joined by torch.cat, the
`future` loop feeding each prediction back in, seq.double(), nn.MSELoss, optim.LBFGS(lr=0.8,
max_iter=8 here to stay quick) driven by a closure that zeroes, logs loss.item() and returns
the loss, and the no_grad test prediction sliced by pred[:, :-future]; then the same model run
with float32 and Adam, as people adapt it."""

import os
import tempfile

import numpy as np

RTOL, ATOL = 1e-5, 1e-7


def main(torch):
    nn, optim = torch.nn, torch.optim
    rng = np.random.default_rng(2)
    T, L, N, H = 20, 30, 7, 12
    x = np.empty((N, L), "int64")
    x[:] = np.array(range(L)) + rng.integers(-4 * T, 4 * T, N).reshape(N, 1)
    data = np.sin(x / 1.0 / T).astype("float64")
    out = {}

    class Sequence(nn.Module):
        def __init__(self, dtype=torch.double):
            super(Sequence, self).__init__()
            self.lstm1 = nn.LSTMCell(1, H)
            self.lstm2 = nn.LSTMCell(H, H)
            self.linear = nn.Linear(H, 1)
            self.dtype = dtype

        def forward(self, input, future=0):
            outputs = []
            h_t = torch.zeros(input.size(0), H, dtype=self.dtype)
            c_t = torch.zeros(input.size(0), H, dtype=self.dtype)
            h_t2 = torch.zeros(input.size(0), H, dtype=self.dtype)
            c_t2 = torch.zeros(input.size(0), H, dtype=self.dtype)

            for input_t in input.split(1, dim=1):
                h_t, c_t = self.lstm1(input_t, (h_t, c_t))
                h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
                output = self.linear(h_t2)
                outputs += [output]
            for i in range(future):  # if we should predict the future
                h_t, c_t = self.lstm1(output, (h_t, c_t))
                h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
                output = self.linear(h_t2)
                outputs += [output]
            outputs = torch.cat(outputs, dim=1)
            return outputs

    def set_weights(seq, dtype):
        weights = np.random.default_rng(76)
        with torch.no_grad():
            for p in seq.parameters():
                bound = 1 / np.sqrt(H)
                p.copy_(
                    torch.from_numpy(weights.uniform(-bound, bound, tuple(p.shape)).astype(dtype))
                )

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "traindata.pt")
        torch.save(torch.from_numpy(data), path)
        data = torch.load(path).numpy()
    torch.manual_seed(0)
    input = torch.from_numpy(data[3:, :-1])
    target = torch.from_numpy(data[3:, 1:])
    test_input = torch.from_numpy(data[:3, :-1])
    test_target = torch.from_numpy(data[:3, 1:])
    out["input"] = [list(input.shape), str(input.dtype).split(".")[-1]]
    seq = Sequence()
    seq.double()
    out["param_dtypes"] = sorted({str(p.dtype).split(".")[-1] for p in seq.parameters()})
    set_weights(seq, "float64")
    criterion = nn.MSELoss()
    optimizer = optim.LBFGS(seq.parameters(), lr=0.8, max_iter=8)
    losses, test_losses = [], []
    for i in range(2):

        def closure():
            optimizer.zero_grad()
            out = seq(input)
            loss = criterion(out, target)
            losses.append(loss.item())
            loss.backward()
            return loss

        optimizer.step(closure)
        with torch.no_grad():
            future = 20
            pred = seq(test_input, future=future)
            loss = criterion(pred[:, :-future], test_target)
            test_losses.append(loss.item())
            y = pred.detach().numpy()
    out["losses"], out["test_losses"] = losses, test_losses
    out["evaluations"] = len(losses)
    out["pred"] = [list(y.shape), str(y.dtype)]
    out["future_tail"] = y[:, -5:]
    state = optimizer.state[optimizer._params[0]]
    out["lbfgs_state"] = [state["func_evals"], state["n_iter"]]

    seq32 = Sequence(dtype=torch.float32)
    set_weights(seq32, "float32")
    adam = optim.Adam(seq32.parameters(), lr=0.01)
    adam_losses = []
    for step in range(8):
        adam.zero_grad()
        loss = criterion(seq32(input.float()), target.float())
        loss.backward()
        adam.step()
        adam_losses.append(loss.item())
    out["adam_losses"] = adam_losses
    return out
