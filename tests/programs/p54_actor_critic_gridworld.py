"""Policy-gradient reinforcement learning as in the actor-critic tutorials: a tiny deterministic
corridor world, a shared-trunk policy / value net, torch.distributions.Categorical(logits=) for
log_prob and entropy, discounted returns, advantages against a value baseline trained with
smooth_l1_loss, RAdam; a Gaussian policy head with Normal and Independent(Normal) for continuous
actions, kl_divergence between old and new policies (as PPO logs it), and sampled action
frequencies compared as statistics since the two RNG streams differ."""

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4


def _rollout(policy_actions, start):
    """A 6-cell corridor: action 1 moves right, 0 left; reaching the right end pays 1."""
    states, rewards, position = [], [], start
    for action in policy_actions:
        states.append(position)
        position = min(5, position + 1) if action == 1 else max(0, position - 1)
        rewards.append(1.0 if position == 5 else -0.05)
        if position == 5:
            break
    return states, rewards


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    D = torch.distributions

    class ActorCritic(nn.Module):
        def __init__(self):
            super().__init__()
            self.trunk = nn.Sequential(nn.Linear(6, 16), nn.Tanh())
            self.actor = nn.Linear(16, 2)
            self.critic = nn.Linear(16, 1)

        def forward(self, x):
            h = self.trunk(x)
            return self.actor(h), self.critic(h).squeeze(-1)

    model = ActorCritic()
    init_from_numpy(torch, model, seed=54, scale=0.3)
    optimizer = torch.optim.RAdam(model.parameters(), lr=0.01)
    rng = np.random.default_rng(54)
    eye = torch.eye(6)
    gamma, losses, entropies, kls, returns_log = 0.9, [], [], [], []
    for episode in range(25):
        # actions come from numpy so both libraries walk the same trajectory
        states, rewards = _rollout(rng.integers(0, 2, size=12), start=int(rng.integers(0, 5)))
        returns, running = [], 0.0
        for r in reversed(rewards):
            running = r + gamma * running
            returns.insert(0, running)
        actions = torch.tensor([1 if b > a else 0 for a, b in zip(states, states[1:] + [5])])
        obs = eye[torch.tensor(states)]
        returns_t = torch.tensor(returns)
        logits, values = model(obs)
        dist = D.Categorical(logits=logits)
        advantages = returns_t - values.detach()
        policy_loss = -(dist.log_prob(actions) * advantages).mean()
        value_loss = F.smooth_l1_loss(values, returns_t)
        entropy = dist.entropy().mean()
        loss = policy_loss + 0.5 * value_loss - 0.01 * entropy
        old = D.Categorical(logits=logits.detach())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            new = D.Categorical(logits=model(obs)[0])
            kls.append(D.kl_divergence(old, new).mean().item())
        losses.append(loss.item())
        entropies.append(entropy.item())
        returns_log.append(returns[0])

    with torch.no_grad():
        logits, values = model(eye)
        greedy = D.Categorical(logits=logits).probs.argmax(-1)
        probs = D.Categorical(probs=torch.tensor([0.1, 0.6, 0.3])).probs

    torch.manual_seed(54)
    draws = D.Categorical(probs=torch.tensor([0.1, 0.6, 0.3])).sample((4000,))
    freq = torch.bincount(draws, minlength=3).float() / 4000

    mean = torch.tensor([[0.5, -1.0], [0.0, 2.0]], requires_grad=True)
    log_std = torch.tensor([-0.5, 0.2], requires_grad=True)
    gauss = D.Normal(mean, log_std.exp())
    taken = torch.tensor([[0.4, -0.7], [0.3, 1.5]])
    joint = D.Independent(gauss, 1)
    log_prob = joint.log_prob(taken)
    (-(log_prob * torch.tensor([1.0, -0.5])).sum() - 0.1 * joint.entropy().sum()).backward()
    return {
        "losses": np.array(losses),
        "entropies": np.array(entropies),
        "kls": np.array(kls),
        "returns": np.array(returns_log),
        "values": values.numpy(),
        "greedy": greedy.numpy(),
        "probs": probs.numpy(),
        "freq_close": bool((freq - probs).abs().max() < 0.04),
        "draw_shape": list(draws.shape),
        "normal_log_prob": gauss.log_prob(taken).detach().numpy(),
        "normal_entropy": gauss.entropy().detach().numpy(),
        "joint_log_prob": log_prob.detach().numpy(),
        "batch_event": [list(joint.batch_shape), list(joint.event_shape)],
        "mean_grad": mean.grad.numpy(),
        "log_std_grad": log_std.grad.numpy(),
    }
