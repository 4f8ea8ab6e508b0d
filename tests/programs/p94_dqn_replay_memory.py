"""pytorch.org's "Reinforcement Learning (DQN) Tutorial" as written, on a hand-written CartPole
(the classic cart-pole equations, no gym) at a smaller size: Transition as a namedtuple,
ReplayMemory over deque([], maxlen=capacity) sampled by random.sample, the DQN module of three
Linear layers with F.relu, select_action with the decaying epsilon threshold from math.exp and
policy_net(state).max(1).indices.view(1, 1) under no_grad (or torch.tensor([[random action]],
dtype=torch.long)), optimize_model with batch = Transition(*zip(*transitions)),
non_final_mask = torch.tensor(tuple(map(lambda s: s is not None, batch.next_state)),
dtype=torch.bool), torch.cat of the states / actions / rewards, gather(1, action_batch),
next_state_values[non_final_mask] = target_net(...).max(1).values under no_grad,
nn.SmoothL1Loss against expected values .unsqueeze(1), clip_grad_value_(..., 100),
AdamW(amsgrad=True), target_net.load_state_dict(policy_net.state_dict()) and the soft update
of every state_dict entry by TAU, states as torch.tensor(observation, dtype=torch.float32)
.unsqueeze(0), rewards as torch.tensor([reward]), episodes counted with itertools.count.
Python's random is seeded the same for both libraries; initial weights come from numpy."""

import math
import random
from collections import deque, namedtuple
from itertools import count

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-3, 2e-4


class CartPole:
    """The classic cart-pole (Barto, Sutton & Anderson), Euler steps, gym's constants."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.gravity, self.masscart, self.masspole, self.length = 9.8, 1.0, 0.1, 0.5
        self.force_mag, self.tau = 10.0, 0.02
        self.state = None

    def reset(self):
        self.state = self.rng.uniform(-0.05, 0.05, 4)
        return self.state.astype(np.float32), {}

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = self.force_mag if action == 1 else -self.force_mag
        total_mass = self.masspole + self.masscart
        polemass_length = self.masspole * self.length
        costheta, sintheta = math.cos(theta), math.sin(theta)
        temp = (force + polemass_length * theta_dot**2 * sintheta) / total_mass
        thetaacc = (self.gravity * sintheta - costheta * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * costheta**2 / total_mass)
        )
        xacc = temp - polemass_length * thetaacc * costheta / total_mass
        x, x_dot = x + self.tau * x_dot, x_dot + self.tau * xacc
        theta, theta_dot = theta + self.tau * theta_dot, theta_dot + self.tau * thetaacc
        self.state = np.array([x, x_dot, theta, theta_dot])
        terminated = bool(abs(x) > 2.4 or abs(theta) > 12 * 2 * math.pi / 360)
        return self.state.astype(np.float32), 1.0, terminated, False, {}


def main(torch):
    nn, optim = torch.nn, torch.optim
    F = torch.nn.functional
    device = torch.device("cpu")
    random.seed(94)
    env = CartPole(94)

    Transition = namedtuple("Transition", ("state", "action", "next_state", "reward"))

    class ReplayMemory(object):
        def __init__(self, capacity):
            self.memory = deque([], maxlen=capacity)

        def push(self, *args):
            """Save a transition"""
            self.memory.append(Transition(*args))

        def sample(self, batch_size):
            return random.sample(self.memory, batch_size)

        def __len__(self):
            return len(self.memory)

    class DQN(nn.Module):
        def __init__(self, n_observations, n_actions):
            super(DQN, self).__init__()
            self.layer1 = nn.Linear(n_observations, 32)
            self.layer2 = nn.Linear(32, 32)
            self.layer3 = nn.Linear(32, n_actions)

        # Called with either one element to determine next action, or a batch
        # during optimization. Returns tensor([[left0exp,right0exp]...]).
        def forward(self, x):
            x = F.relu(self.layer1(x))
            x = F.relu(self.layer2(x))
            return self.layer3(x)

    BATCH_SIZE = 16
    GAMMA = 0.99
    EPS_START = 0.9
    EPS_END = 0.05
    EPS_DECAY = 200
    TAU = 0.005
    LR = 1e-3

    n_actions = 2
    state, info = env.reset()
    n_observations = len(state)

    policy_net = DQN(n_observations, n_actions).to(device)
    init_from_numpy(torch, policy_net, seed=94, scale=0.3)
    target_net = DQN(n_observations, n_actions).to(device)
    target_net.load_state_dict(policy_net.state_dict())

    optimizer = optim.AdamW(policy_net.parameters(), lr=LR, amsgrad=True)
    memory = ReplayMemory(500)

    steps_done = 0
    greedy_choices = []

    def select_action(state):
        nonlocal steps_done
        sample = random.random()
        eps_threshold = EPS_END + (EPS_START - EPS_END) * math.exp(-1.0 * steps_done / EPS_DECAY)
        steps_done += 1
        if sample > eps_threshold:
            with torch.no_grad():
                # t.max(1) will return the largest column value of each row.
                # second column on max result is index of where max element was
                # found, so we pick action with the larger expected reward.
                q = policy_net(state)
                greedy_choices.append(abs((q[0, 0] - q[0, 1]).item()))
                return q.max(1).indices.view(1, 1)
        else:
            return torch.tensor([[random.randrange(n_actions)]], device=device, dtype=torch.long)

    losses = []

    def optimize_model():
        if len(memory) < BATCH_SIZE:
            return
        transitions = memory.sample(BATCH_SIZE)
        # Transpose the batch (see https://stackoverflow.com/a/19343/3343043 for detailed
        # explanation). This converts batch-array of Transitions to Transition of batch-arrays.
        batch = Transition(*zip(*transitions))

        # Compute a mask of non-final states and concatenate the batch elements
        # (a final state would've been the one after which simulation ended)
        non_final_mask = torch.tensor(
            tuple(map(lambda s: s is not None, batch.next_state)), device=device, dtype=torch.bool
        )
        non_final_next_states = torch.cat([s for s in batch.next_state if s is not None])
        state_batch = torch.cat(batch.state)
        action_batch = torch.cat(batch.action)
        reward_batch = torch.cat(batch.reward)

        # Compute Q(s_t, a) - the model computes Q(s_t), then we select the
        # columns of actions taken. These are the actions which would've been taken
        # for each batch state according to policy_net
        state_action_values = policy_net(state_batch).gather(1, action_batch)

        # Compute V(s_{t+1}) for all next states.
        next_state_values = torch.zeros(BATCH_SIZE, device=device)
        with torch.no_grad():
            next_state_values[non_final_mask] = target_net(non_final_next_states).max(1).values
        # Compute the expected Q values
        expected_state_action_values = (next_state_values * GAMMA) + reward_batch

        # Compute Huber loss
        criterion = nn.SmoothL1Loss()
        loss = criterion(state_action_values, expected_state_action_values.unsqueeze(1))

        # Optimize the model
        optimizer.zero_grad()
        loss.backward()
        # In-place gradient clipping
        torch.nn.utils.clip_grad_value_(policy_net.parameters(), 100)
        optimizer.step()
        losses.append(loss.item())

    num_episodes = 6
    episode_durations = []
    for i_episode in range(num_episodes):
        # Initialize the environment and get its state
        state, info = env.reset()
        state = torch.tensor(state, dtype=torch.float32, device=device).unsqueeze(0)
        for t in count():
            action = select_action(state)
            observation, reward, terminated, truncated, _ = env.step(action.item())
            reward = torch.tensor([reward], device=device)
            done = terminated or truncated or t >= 40

            if terminated:
                next_state = None
            else:
                next_state = torch.tensor(
                    observation, dtype=torch.float32, device=device
                ).unsqueeze(0)

            # Store the transition in memory
            memory.push(state, action, next_state, reward)

            # Move to the next state
            state = next_state

            # Perform one step of the optimization (on the policy network)
            optimize_model()

            # Soft update of the target network's weights
            # θ′ ← τ θ + (1 −τ )θ′
            target_net_state_dict = target_net.state_dict()
            policy_net_state_dict = policy_net.state_dict()
            for key in policy_net_state_dict:
                target_net_state_dict[key] = policy_net_state_dict[
                    key
                ] * TAU + target_net_state_dict[key] * (1 - TAU)
            target_net.load_state_dict(target_net_state_dict)

            if done:
                episode_durations.append(t + 1)
                break

    out = {
        "episode_durations": episode_durations,
        "steps_done": steps_done,
        "memory": len(memory),
        "losses": losses,
        # greedy picks decided by a margin far above float rounding, so both runs agree
        "smallest_greedy_margin_ok": min(greedy_choices) > 1e-4 if greedy_choices else True,
        "reward_dtype": str(memory.memory[0].reward.dtype).split(".")[-1],
        "action_shape": list(memory.memory[0].action.shape),
        "target_layer3_bias": target_net.layer3.bias.detach().numpy(),
        "policy_layer3_bias": policy_net.layer3.bias.detach().numpy(),
    }
    with torch.no_grad():
        start = torch.tensor(env.reset()[0]).unsqueeze(0)
        out["q_start"] = policy_net(start).numpy()
    return out
