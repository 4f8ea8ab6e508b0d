"""A physics-informed neural network (Raissi et al.'s PINNs, in the PyTorch ports of their Burgers
notebook) at a small size: a DNN whose layers are an OrderedDict of ('layer_%d', Linear) and
('activation_%d', Tanh) fed to nn.Sequential, inputs torch.cat([x, t], dim=1), collocation
points as tensors with requires_grad=True, the residual u_t + u * u_x - nu * u_xx from
torch.autograd.grad(u, t, grad_outputs=torch.ones_like(u), retain_graph=True,
create_graph=True)[0] and a second grad of u_x for u_xx, the loss
torch.mean((u_train - u_pred) ** 2) + torch.mean(f_pred ** 2), Adam for a few steps, then
optim.LBFGS(max_iter=, history_size=50, tolerance_grad=1e-5, tolerance_change=1.0 *
np.finfo(float).eps, line_search_fn="strong_wolfe") driven by a loss_func closure counting
self.iter; the prediction under model.eval() with the residual still computed (gradients on),
u_pred.detach().cpu().numpy(); and the classic first PINN, an ODE du/dx = -2 x u with u(0) = 1,
checked against exp(-x^2). Points come from a seeded numpy Generator."""

from collections import OrderedDict

import numpy as np

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    nn = torch.nn
    rng = np.random.default_rng(96)
    device = torch.device("cpu")
    nu = 0.01 / np.pi
    out = {}

    class DNN(torch.nn.Module):
        def __init__(self, layers):
            super(DNN, self).__init__()
            # parameters
            self.depth = len(layers) - 1
            # set up layer order dict
            self.activation = torch.nn.Tanh
            layer_list = list()
            for i in range(self.depth - 1):
                layer_list.append(("layer_%d" % i, torch.nn.Linear(layers[i], layers[i + 1])))
                layer_list.append(("activation_%d" % i, self.activation()))
            layer_list.append(
                ("layer_%d" % (self.depth - 1), torch.nn.Linear(layers[-2], layers[-1]))
            )
            layerDict = OrderedDict(layer_list)
            # deploy layers
            self.layers = torch.nn.Sequential(layerDict)

        def forward(self, x):
            return self.layers(x)

    # initial and boundary data: u(x, 0) = -sin(pi x), u(+-1, t) = 0
    n_u, n_f = 40, 120
    x0 = rng.uniform(-1, 1, (n_u // 2, 1))
    tb = rng.uniform(0, 1, (n_u // 2, 1))
    X_u_train = np.vstack(
        [np.hstack([x0, np.zeros_like(x0)]), np.hstack([np.sign(tb - 0.5), tb])]
    ).astype(np.float32)
    u_train = np.vstack([-np.sin(np.pi * x0), np.zeros_like(tb)]).astype(np.float32)
    X_f_train = np.hstack([rng.uniform(-1, 1, (n_f, 1)), rng.uniform(0, 1, (n_f, 1))]).astype(
        np.float32
    )

    class PhysicsInformedNN:
        def __init__(self, X_u, u, X_f, layers, nu):
            # data
            self.x_u = torch.tensor(X_u[:, 0:1], requires_grad=True).float().to(device)
            self.t_u = torch.tensor(X_u[:, 1:2], requires_grad=True).float().to(device)
            self.x_f = torch.tensor(X_f[:, 0:1], requires_grad=True).float().to(device)
            self.t_f = torch.tensor(X_f[:, 1:2], requires_grad=True).float().to(device)
            self.u = torch.tensor(u).float().to(device)
            self.layers = layers
            self.nu = nu
            # deep neural networks
            self.dnn = DNN(layers).to(device)
            with torch.no_grad():
                for p in self.dnn.parameters():
                    p.copy_(
                        torch.from_numpy(
                            (rng.standard_normal(tuple(p.shape)) * 0.5).astype(np.float32)
                        )
                    )
            self.optimizer = torch.optim.LBFGS(
                self.dnn.parameters(),
                lr=1.0,
                max_iter=15,
                max_eval=20,
                history_size=50,
                tolerance_grad=1e-5,
                tolerance_change=1.0 * np.finfo(float).eps,
                line_search_fn="strong_wolfe",  # can be "strong_wolfe"
            )
            self.iter = 0
            self.log = []

        def net_u(self, x, t):
            u = self.dnn(torch.cat([x, t], dim=1))
            return u

        def net_f(self, x, t):
            """The pytorch autograd version of calculating residual"""
            u = self.net_u(x, t)
            u_t = torch.autograd.grad(
                u, t, grad_outputs=torch.ones_like(u), retain_graph=True, create_graph=True
            )[0]
            u_x = torch.autograd.grad(
                u, x, grad_outputs=torch.ones_like(u), retain_graph=True, create_graph=True
            )[0]
            u_xx = torch.autograd.grad(
                u_x, x, grad_outputs=torch.ones_like(u_x), retain_graph=True, create_graph=True
            )[0]
            f = u_t + u * u_x - self.nu * u_xx
            return f

        def loss_func(self):
            self.optimizer.zero_grad()
            u_pred = self.net_u(self.x_u, self.t_u)
            f_pred = self.net_f(self.x_f, self.t_f)
            loss_u = torch.mean((self.u - u_pred) ** 2)
            loss_f = torch.mean(f_pred**2)
            loss = loss_u + loss_f
            loss.backward()
            self.iter += 1
            if self.iter % 5 == 0:
                self.log.append([self.iter, loss.item(), loss_u.item(), loss_f.item()])
            return loss

        def train(self, adam_steps):
            self.dnn.train()
            adam = torch.optim.Adam(self.dnn.parameters(), lr=5e-3)
            for _ in range(adam_steps):
                adam.zero_grad()
                self.loss_func()
                adam.step()
            # Backward and optimize
            self.optimizer.step(self.loss_func)

        def predict(self, X):
            x = torch.tensor(X[:, 0:1], requires_grad=True).float().to(device)
            t = torch.tensor(X[:, 1:2], requires_grad=True).float().to(device)
            self.dnn.eval()
            u = self.net_u(x, t)
            f = self.net_f(x, t)
            u = u.detach().cpu().numpy()
            f = f.detach().cpu().numpy()
            return u, f

    layers = [2, 16, 16, 1]
    model = PhysicsInformedNN(X_u_train, u_train, X_f_train, layers, nu)
    out["layer_names"] = [name for name, _ in model.dnn.layers.named_children()]
    model.train(adam_steps=10)
    out["log"] = model.log
    out["iters"] = model.iter
    grid = np.stack(np.meshgrid(np.linspace(-1, 1, 5), np.linspace(0, 1, 3)), -1).reshape(-1, 2)
    u_pred, f_pred = model.predict(grid.astype(np.float32))
    out["u_pred"] = u_pred
    out["f_pred_rms"] = float(np.sqrt((f_pred**2).mean()))
    out["pred_dtype"] = str(u_pred.dtype)

    # the classic first PINN: du/dx = -2 x u, u(0) = 1, whose solution is exp(-x^2)
    net = nn.Sequential(nn.Linear(1, 12), nn.Tanh(), nn.Linear(12, 1))
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(
                torch.from_numpy((rng.standard_normal(tuple(p.shape)) * 0.5).astype(np.float32))
            )
    x = torch.linspace(0, 1.5, 30).reshape(-1, 1).requires_grad_(True)
    x0 = torch.zeros(1, 1)
    optimizer = torch.optim.Adam(net.parameters(), lr=2e-2)
    ode_losses = []
    for epoch in range(60):
        optimizer.zero_grad()
        u = net(x)
        du_dx = torch.autograd.grad(u.sum(), x, create_graph=True)[0]
        residual = du_dx + 2 * x * u
        loss = residual.pow(2).mean() + (net(x0) - 1).pow(2).mean()
        loss.backward()
        optimizer.step()
        ode_losses.append(loss.item())
    out["ode_losses"] = ode_losses[::10] + [ode_losses[-1]]
    with torch.no_grad():
        xs = torch.linspace(0, 1.5, 7).reshape(-1, 1)
        out["ode_error"] = (net(xs) - torch.exp(-(xs**2))).abs().max().item()
    out["x_grad_after"] = x.grad is not None
    return out
