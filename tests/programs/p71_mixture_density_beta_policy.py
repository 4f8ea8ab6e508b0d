"""Probabilistic models as their tutorials write them with torch.distributions: a mixture density
network (Bishop's inverted sine, one input, three possible outputs) whose head builds
MixtureSameFamily(Categorical(logits=), Normal(mu, sigma)) and trains on -log_prob; a Beta policy
for a bounded continuous action, trained by REINFORCE on logged actions with an entropy bonus; a
tanh-squashed Gaussian (TransformedDistribution with TanhTransform and AffineTransform) scored
the way SAC scores its actions; a Dirichlet-multinomial topic-proportion fit with a
kl_divergence prior term. Draws use fixed numpy noise where values are compared, so both
libraries see the same numbers; the library's own samplers are checked by shape and support."""

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    nn, F, D = torch.nn, torch.nn.functional, torch.distributions
    rng = np.random.default_rng(71)

    # mixture density network: x = y + 0.3 sin(2 pi y) + noise, predict y from x
    y_np = rng.uniform(0, 1, (256, 1))
    x_np = y_np + 0.3 * np.sin(2 * np.pi * y_np) + rng.normal(0, 0.05, (256, 1))
    x = torch.from_numpy(x_np.astype(np.float32))
    y = torch.from_numpy(y_np[:, 0].astype(np.float32))

    class MDN(nn.Module):
        def __init__(self, k=3):
            super().__init__()
            self.trunk = nn.Sequential(nn.Linear(1, 24), nn.Tanh())
            self.head = nn.Linear(24, 3 * k)

        def forward(self, inputs):
            logits, mu, log_sigma = self.head(self.trunk(inputs)).chunk(3, dim=-1)
            sigma = F.softplus(log_sigma) + 1e-3
            return D.MixtureSameFamily(D.Categorical(logits=logits), D.Normal(mu, sigma))

    mdn = MDN()
    init_from_numpy(torch, mdn, seed=71, scale=0.5)
    optimizer = torch.optim.Adam(mdn.parameters(), lr=1e-2)
    mdn_losses = []
    for _ in range(60):
        loss = -mdn(x).log_prob(y).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        mdn_losses.append(loss.item())
    mixture = mdn(x[:4])
    mixture_draws = mixture.sample((5,))

    # Beta policy: reward peaks at action 0.7; actions were logged from an earlier policy
    actions = torch.from_numpy(rng.beta(2.0, 2.0, 128).astype(np.float32))
    rewards = -((actions - 0.7) ** 2) * 10
    advantages = rewards - rewards.mean()
    raw = torch.zeros(2, requires_grad=True)
    policy_optimizer = torch.optim.SGD([raw], lr=0.2)
    policy_losses, concentrations = [], []
    for _ in range(40):
        a, b = (F.softplus(raw) + 1.0).unbind(0)
        policy = D.Beta(a, b)
        loss = -(policy.log_prob(actions) * advantages).mean() - 0.01 * policy.entropy()
        policy_optimizer.zero_grad()
        loss.backward()
        policy_optimizer.step()
        policy_losses.append(loss.item())
        concentrations.append([a.item(), b.item()])
    beta_draws = D.Beta(a.detach(), b.detach()).rsample((100,))

    # tanh-squashed Gaussian actions in [-2, 2], scored with their log-density (SAC)
    mu = torch.tensor([0.3, -1.2, 0.0], requires_grad=True)
    log_std = torch.tensor([-0.5, 0.2, -1.0], requires_grad=True)
    squash = [D.TanhTransform(cache_size=1), D.AffineTransform(0.0, 2.0)]
    squashed = D.TransformedDistribution(D.Normal(mu, log_std.exp()), squash)
    eps = torch.from_numpy(rng.standard_normal((6, 3)).astype(np.float32))
    pre_tanh = mu + log_std.exp() * eps
    act = 2.0 * torch.tanh(pre_tanh)
    log_pi = squashed.log_prob(act).sum(-1)
    log_pi.mean().backward()

    # Dirichlet-multinomial: topic proportions for 4 documents, a sparse Dirichlet prior
    counts = torch.from_numpy(rng.multinomial(30, [0.6, 0.3, 0.1], 4).astype(np.float32))
    log_alpha = torch.zeros(4, 3, requires_grad=True)
    prior = D.Dirichlet(torch.full((3,), 0.8))
    dm_optimizer = torch.optim.Adam([log_alpha], lr=0.1)
    elbo_terms = []
    for _ in range(30):
        posterior = D.Dirichlet(log_alpha.exp())
        expected_log_lik = D.Multinomial(30, probs=posterior.mean).log_prob(counts)
        loss = (D.kl_divergence(posterior, prior) - expected_log_lik).mean()
        dm_optimizer.zero_grad()
        loss.backward()
        dm_optimizer.step()
        elbo_terms.append(-loss.item())

    return {
        "mdn_losses": np.array(mdn_losses),
        "mixture_mean": mixture.mean.detach().numpy(),
        "mixture_variance": mixture.variance.detach().numpy(),
        "mixture_draw_shape": list(mixture_draws.shape),
        "policy_losses": np.array(policy_losses),
        "concentrations": np.array(concentrations),
        "beta_draws_in_unit_interval": bool(((beta_draws > 0) & (beta_draws < 1)).all()),
        "beta_draw_shape": list(beta_draws.shape),
        "log_pi": log_pi.detach().numpy(),
        "grad_mu": mu.grad.numpy(),
        "grad_log_std": log_std.grad.numpy(),
        "squashed_support": repr(squashed.support),
        "elbo": np.array(elbo_terms),
        "proportions": D.Dirichlet(log_alpha.exp()).mean.detach().numpy(),
    }
