"""Dev Nag's "Generative Adversarial Networks (GANs) in 50 lines of code (PyTorch)"
(gan_pytorch.py) as written, at a smaller size: a generator fed uniform noise learns
N(4, 1.25) against a discriminator that sees a whole minibatch at once as one row, preprocessed
three of the script's ways (get_moments' mean, std, skew and excess kurtosis joined by torch.cat
of reshape(1,)s; decorate_with_diffs with torch.mul(torch.ones(data.size()),
mean.tolist()[0][0]); the raw data). Variable wrappers, torch.Tensor(ndarray) samplers,
extract(v) by v.data.storage().tolist(), BCELoss against torch.ones([1, 1]), D.zero_grad(),
G(...).detach() for the discriminator step, the generator's output transposed by .t(), SGD with
momentum, and the print line's stats. The samplers draw from a seeded numpy Generator (the
script used np.random's global state and torch.rand) so both libraries see the same data."""

import warnings

import numpy as np

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    nn, optim = torch.nn, torch.optim
    Variable = torch.autograd.Variable
    rng = np.random.default_rng(0)

    data_mean = 4
    data_stddev = 1.25

    # .astype(np.float32): torch.Tensor(ndarray) is always float32, chainrule.Tensor keeps
    # the array's dtype (see the report; Tensor's constructor lives in autograd/)
    def get_distribution_sampler(mu, sigma):
        return lambda n: torch.Tensor(rng.normal(mu, sigma, (1, n)).astype(np.float32))

    def get_generator_input_sampler():
        return lambda m, n: torch.Tensor(rng.random((m, n)).astype(np.float32))

    class Generator(nn.Module):
        def __init__(self, input_size, hidden_size, output_size, f):
            super(Generator, self).__init__()
            self.map1 = nn.Linear(input_size, hidden_size)
            self.map2 = nn.Linear(hidden_size, hidden_size)
            self.map3 = nn.Linear(hidden_size, output_size)
            self.f = f

        def forward(self, x):
            x = self.map1(x)
            x = self.f(x)
            x = self.map2(x)
            x = self.f(x)
            x = self.map3(x)
            return x

    class Discriminator(nn.Module):
        def __init__(self, input_size, hidden_size, output_size, f):
            super(Discriminator, self).__init__()
            self.map1 = nn.Linear(input_size, hidden_size)
            self.map2 = nn.Linear(hidden_size, hidden_size)
            self.map3 = nn.Linear(hidden_size, output_size)
            self.f = f

        def forward(self, x):
            x = self.f(self.map1(x))
            x = self.f(self.map2(x))
            return self.f(self.map3(x))

    def extract(v):
        with warnings.catch_warnings():  # torch 2 says TypedStorage is deprecated, once
            warnings.filterwarnings("ignore", "TypedStorage is deprecated")
            return v.data.storage().tolist()

    def stats(d):
        return [np.mean(d), np.std(d)]

    def get_moments(d):
        mean = torch.mean(d)
        diffs = d - mean
        var = torch.mean(torch.pow(diffs, 2.0))
        std = torch.pow(var, 0.5)
        zscores = diffs / std
        skews = torch.mean(torch.pow(zscores, 3.0))
        kurtoses = torch.mean(torch.pow(zscores, 4.0)) - 3.0  # excess kurtosis
        final = torch.cat(
            (
                mean.reshape(
                    1,
                ),
                std.reshape(
                    1,
                ),
                skews.reshape(
                    1,
                ),
                kurtoses.reshape(
                    1,
                ),
            )
        )
        return final

    def decorate_with_diffs(data, exponent, remove_raw_data=False):
        mean = torch.mean(data.data, 1, keepdim=True)
        mean_broadcast = torch.mul(torch.ones(data.size()), mean.tolist()[0][0])
        diffs = torch.pow(data - Variable(mean_broadcast), exponent)
        if remove_raw_data:
            return torch.cat([diffs], 1)
        else:
            return torch.cat([data, diffs], 1)

    def numpy_init(model, seed):
        weights = np.random.default_rng(seed)
        with torch.no_grad():
            for p in model.parameters():
                p.copy_(torch.Tensor(weights.normal(0, 0.5, tuple(p.shape)).astype(np.float32)))

    def train(preprocess, d_input_func, num_epochs=12, print_interval=4):
        g_input_size, g_hidden_size, g_output_size = 1, 5, 1
        d_input_size, d_hidden_size, d_output_size = 100, 10, 1
        minibatch_size = d_input_size
        d_learning_rate = g_learning_rate = 1e-3
        sgd_momentum = 0.9
        d_steps = g_steps = 5

        d_sampler = get_distribution_sampler(data_mean, data_stddev)
        gi_sampler = get_generator_input_sampler()
        G = Generator(input_size=g_input_size, hidden_size=g_hidden_size,
                      output_size=g_output_size, f=torch.tanh)  # fmt: skip
        D = Discriminator(input_size=d_input_func(d_input_size), hidden_size=d_hidden_size,
                          output_size=d_output_size, f=torch.sigmoid)  # fmt: skip
        numpy_init(G, 1)
        numpy_init(D, 2)
        criterion = nn.BCELoss()
        d_optimizer = optim.SGD(D.parameters(), lr=d_learning_rate, momentum=sgd_momentum)
        g_optimizer = optim.SGD(G.parameters(), lr=g_learning_rate, momentum=sgd_momentum)
        log = []
        for epoch in range(num_epochs):
            for d_index in range(d_steps):
                D.zero_grad()
                d_real_data = Variable(d_sampler(d_input_size))
                d_real_decision = D(preprocess(d_real_data))
                d_real_error = criterion(d_real_decision, Variable(torch.ones([1, 1])))
                d_real_error.backward()

                d_gen_input = Variable(gi_sampler(minibatch_size, g_input_size))
                d_fake_data = G(d_gen_input).detach()
                d_fake_decision = D(preprocess(d_fake_data.t()))
                d_fake_error = criterion(d_fake_decision, Variable(torch.zeros([1, 1])))
                d_fake_error.backward()
                d_optimizer.step()
                dre, dfe = extract(d_real_error)[0], extract(d_fake_error)[0]

            for g_index in range(g_steps):
                G.zero_grad()
                gen_input = Variable(gi_sampler(minibatch_size, g_input_size))
                g_fake_data = G(gen_input)
                dg_fake_decision = D(preprocess(g_fake_data.t()))
                g_error = criterion(dg_fake_decision, Variable(torch.ones([1, 1])))
                g_error.backward()
                g_optimizer.step()
                ge = extract(g_error)[0]

            if epoch % print_interval == 0:
                real, fake = stats(extract(d_real_data)), stats(extract(g_fake_data))
                log.append([epoch, dre, dfe, ge] + [float(v) for v in real + fake])
        return log

    out = {}
    variants = [
        # a (1, 4) row: today's BCELoss refuses the (1,) decision against a (1, 1) target
        ("Only 4 moments", lambda data: get_moments(data).unsqueeze(0), lambda x: 4),
        ("Data and variances", lambda data: decorate_with_diffs(data, 2.0), lambda x: x * 2),
        ("Raw data", lambda data: data, lambda x: x),
    ]
    for name, preprocess, d_input_func in variants:
        out[name] = train(preprocess, d_input_func)
    sample = torch.Tensor(np.linspace(-1.0, 2.0, 7, dtype=np.float32)[None, :])
    out["moments"] = get_moments(sample).tolist()
    out["diffs"] = decorate_with_diffs(sample, 1.0, remove_raw_data=True).tolist()
    out["tensor_dtype"] = str(torch.Tensor(np.zeros(2, np.float32)).dtype).split(".")[-1]
    return out
