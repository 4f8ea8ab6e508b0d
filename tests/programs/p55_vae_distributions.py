"""A variational autoencoder written with torch.distributions, as in the Pyro-free VAE
tutorials: the encoder returns a Normal posterior, the prior is Independent(Normal(0, 1), 1),
the KL term is kl_divergence(posterior, prior), the decoder's Bernoulli(logits=) gives the
reconstruction log-likelihood; the reparameterised sample uses fixed noise (mean + std * eps) so
both libraries see the same numbers, while rsample's gradient path and shapes are checked
without comparing its values. NAdam trains it; a MultivariateNormal with scale_tril and a
Uniform are scored the way density-model code scores them, and torch.special functions
(logit, expit, xlogy, log_ndtr) sit on the side."""

import numpy as np
from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4


def main(torch):
    nn, D = torch.nn, torch.distributions
    X, _ = load_digits(return_X_y=True)
    X = torch.from_numpy((X[:256] > 7).astype(np.float32))
    eps_all = torch.from_numpy(
        np.random.default_rng(55).standard_normal((256, 4)).astype(np.float32)
    )

    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = nn.Sequential(nn.Linear(64, 32), nn.SiLU(), nn.Linear(32, 8))
            self.decoder = nn.Sequential(nn.Linear(4, 32), nn.SiLU(), nn.Linear(32, 64))

        def posterior(self, x):
            mean, log_var = self.encoder(x).chunk(2, dim=-1)
            return D.Normal(mean, torch.exp(0.5 * log_var))

        def forward(self, x, eps):
            q = self.posterior(x)
            z = q.loc + q.scale * eps
            return q, z, D.Independent(D.Bernoulli(logits=self.decoder(z)), 1)

    model = VAE()
    init_from_numpy(torch, model, seed=55, scale=0.2)
    optimizer = torch.optim.NAdam(model.parameters(), lr=5e-3)
    prior = D.Independent(D.Normal(torch.zeros(4), torch.ones(4)), 1)
    elbos, kls = [], []
    for epoch in range(4):
        for start in range(0, 256, 64):
            x, eps = X[start : start + 64], eps_all[start : start + 64]
            q, z, likelihood = model(x, eps)
            kl = D.kl_divergence(D.Independent(q, 1), prior)
            elbo = (likelihood.log_prob(x) - kl).mean()
            optimizer.zero_grad()
            (-elbo).backward()
            optimizer.step()
        elbos.append(elbo.item())
        kls.append(kl.mean().item())

    q = model.posterior(X[:5])
    z = q.rsample()
    z.sum().backward()
    rsample_has_grad = model.encoder[2].weight.grad is not None
    closed_kl = D.kl_divergence(q, D.Normal(0.0, 1.0)).detach()
    by_hand = 0.5 * (q.scale**2 + q.loc**2 - 1) - torch.log(q.scale)

    scale_tril = torch.tensor([[1.0, 0.0, 0.0], [0.5, 0.8, 0.0], [-0.3, 0.2, 0.6]])
    mvn = D.MultivariateNormal(torch.tensor([0.0, 1.0, -1.0]), scale_tril=scale_tril)
    points = torch.tensor([[0.1, 0.9, -1.2], [1.0, 0.0, 0.0]])
    uniform = D.Uniform(torch.tensor([0.0, -1.0]), torch.tensor([2.0, 1.0]))
    p = torch.tensor([0.05, 0.3, 0.9])
    return {
        "elbos": np.array(elbos),
        "kls": np.array(kls),
        "rsample_shape": list(z.shape),
        "rsample_has_grad": rsample_has_grad,
        "closed_kl_matches": bool(torch.allclose(closed_kl, by_hand.detach(), atol=1e-5)),
        "posterior_mean": q.mean.detach().numpy(),
        "posterior_var": q.variance.detach().numpy(),
        "mvn_log_prob": mvn.log_prob(points).numpy(),
        "mvn_entropy": mvn.entropy().item(),
        "mvn_cov": mvn.covariance_matrix.numpy(),
        "mvn_kl": D.kl_divergence(mvn, D.MultivariateNormal(torch.zeros(3), torch.eye(3))).item(),
        "posterior_quantiles": q.icdf(torch.tensor(0.975)).detach().numpy(),
        "uniform_cdf": uniform.cdf(torch.tensor([1.0, 0.5])).numpy(),
        "uniform_log_prob": uniform.log_prob(torch.tensor([1.0, 0.5])).numpy(),
        "uniform_entropy": uniform.entropy().numpy(),
        "uniform_mean": uniform.mean.numpy(),
        "bernoulli_entropy": D.Bernoulli(probs=p).entropy().numpy(),
        "logit": torch.special.logit(p).numpy(),
        "expit": torch.special.expit(torch.tensor([-2.0, 0.0, 3.0])).numpy(),
        "xlogy": torch.special.xlogy(torch.tensor([0.0, 2.0]), torch.tensor([0.0, 3.0])).numpy(),
        "log_ndtr": torch.special.log_ndtr(torch.tensor([-3.0, 0.0, 2.0])).numpy(),
    }
