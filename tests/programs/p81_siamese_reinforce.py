"""Two more pytorch/examples scripts as written. siamese_network/main.py on sklearn's digits: a
ResNet-style backbone whose last child (fc) is dropped by nn.Sequential(*(list(
resnet.children())[:-1])) after its conv1 is replaced for one channel, fc_in_features read from
resnet.fc.in_features, init_weights (xavier_uniform_, bias.data.fill_(0.01)) through apply,
forward_once / torch.cat of the two embeddings / Sigmoid, the APP_MATCHER Dataset grouping
indices by np.where per class and drawing pairs with Python's random (seeded the same for both
libraries), BCELoss on outputs.squeeze(), Adadelta with StepLR, and test() with
torch.where(outputs > 0.5, 1, 0) and pred.eq(targets.view_as(pred)). Then
reinforcement_learning/reinforce.py on a hand-written CartPole (the classic cart-pole
equations, no gym): a Policy keeping saved_log_probs and rewards lists, Categorical(probs),
returns built in a collections.deque with appendleft and made a tensor by torch.tensor(deque),
normalised with np.finfo(np.float32).eps, torch.cat(policy_loss).sum(), `del policy.rewards[:]`,
and the running reward. Actions come from numpy uniforms against the policy's probabilities
(so both libraries take the same actions; m.sample() is checked by shape and range), the
policy's Dropout(p=0.6) is set to p=0, and initial weights come from numpy."""

import random
from collections import deque

import numpy as np
from sklearn.datasets import load_digits

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    out = {}
    out.update(_siamese(torch))
    out.update(_reinforce(torch))
    return out


def _numpy_weights(torch, model, seed, scale=0.2):
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias"):
                p.fill_(0.01)
            elif p.dim() == 1:
                p.fill_(1.0)
            else:
                p.copy_(torch.from_numpy(rng.normal(0, scale, tuple(p.shape)).astype(np.float32)))


def _siamese(torch):
    nn, optim = torch.nn, torch.optim
    Dataset = torch.utils.data.Dataset
    StepLR = torch.optim.lr_scheduler.StepLR
    digits = load_digits()

    class BasicBlock(nn.Module):
        def __init__(self, planes):
            super().__init__()
            self.conv1 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(planes)
            self.relu = nn.ReLU(inplace=True)
            self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(planes)

        def forward(self, x):
            identity = x
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            out += identity
            return self.relu(out)

    class TinyResNet(nn.Module):
        """Stands in for torchvision.models.resnet18(weights=None): the same child order."""

        def __init__(self, width=8):
            super().__init__()
            self.conv1 = nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
            self.bn1 = nn.BatchNorm2d(width)
            self.relu = nn.ReLU(inplace=True)
            self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
            self.layer1 = nn.Sequential(BasicBlock(width))
            self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
            self.fc = nn.Linear(width, 1000)

    class SiameseNetwork(nn.Module):
        def __init__(self):
            super(SiameseNetwork, self).__init__()
            self.resnet = TinyResNet()
            self.resnet.conv1 = nn.Conv2d(
                1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False
            )
            self.fc_in_features = self.resnet.fc.in_features
            self.resnet = torch.nn.Sequential(*(list(self.resnet.children())[:-1]))
            self.fc = nn.Sequential(
                nn.Linear(self.fc_in_features * 2, 16),
                nn.ReLU(inplace=True),
                nn.Linear(16, 1),
            )
            self.sigmoid = nn.Sigmoid()
            self.resnet.apply(self.init_weights)
            self.fc.apply(self.init_weights)

        def init_weights(self, m):
            if isinstance(m, nn.Linear):
                torch.nn.init.xavier_uniform_(m.weight)
                m.bias.data.fill_(0.01)

        def forward_once(self, x):
            output = self.resnet(x)
            output = output.view(output.size()[0], -1)
            return output

        def forward(self, input1, input2):
            output1 = self.forward_once(input1)
            output2 = self.forward_once(input2)
            output = torch.cat((output1, output2), 1)
            output = self.fc(output)
            output = self.sigmoid(output)
            return output

    class APP_MATCHER(Dataset):
        def __init__(self, train):
            super(APP_MATCHER, self).__init__()
            part = slice(0, 200) if train else slice(1000, 1100)
            self.targets = torch.tensor(digits.target[part])
            self.data = torch.tensor(digits.images[part], dtype=torch.uint8).unsqueeze(1).clone()
            self.group_examples()

        def group_examples(self):
            np_arr = np.array(self.targets.clone().numpy())  # torch 2.13 + numpy 2.4 warn without
            self.grouped_examples = {}
            for i in range(0, 10):
                self.grouped_examples[i] = np.where((np_arr == i))[0]

        def __len__(self):
            return self.data.shape[0]

        def __getitem__(self, index):
            selected_class = random.randint(0, 9)
            random_index_1 = random.randint(0, self.grouped_examples[selected_class].shape[0] - 1)
            index_1 = self.grouped_examples[selected_class][random_index_1]
            image_1 = self.data[index_1].clone().float()
            if index % 2 == 0:
                random_index_2 = random.randint(
                    0, self.grouped_examples[selected_class].shape[0] - 1
                )
                while random_index_2 == random_index_1:
                    random_index_2 = random.randint(
                        0, self.grouped_examples[selected_class].shape[0] - 1
                    )
                index_2 = self.grouped_examples[selected_class][random_index_2]
                image_2 = self.data[index_2].clone().float()
                target = torch.tensor(1, dtype=torch.float)
            else:
                other_selected_class = random.randint(0, 9)
                while other_selected_class == selected_class:
                    other_selected_class = random.randint(0, 9)
                random_index_2 = random.randint(
                    0, self.grouped_examples[other_selected_class].shape[0] - 1
                )
                index_2 = self.grouped_examples[other_selected_class][random_index_2]
                image_2 = self.data[index_2].clone().float()
                target = torch.tensor(0, dtype=torch.float)
            return image_1, image_2, target

    log = []

    def train(model, device, train_loader, optimizer, epoch, log_interval=2):
        model.train()
        criterion = nn.BCELoss()
        for batch_idx, (images_1, images_2, targets) in enumerate(train_loader):
            images_1, images_2 = images_1.to(device), images_2.to(device)
            targets = targets.to(device)
            optimizer.zero_grad()
            outputs = model(images_1, images_2).squeeze()
            loss = criterion(outputs, targets)
            loss.backward()
            optimizer.step()
            if batch_idx % log_interval == 0:
                log.append(
                    "Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}".format(
                        epoch,
                        batch_idx * len(images_1),
                        len(train_loader.dataset),
                        100.0 * batch_idx / len(train_loader),
                        loss.item(),
                    )
                )

    def test(model, device, test_loader):
        model.eval()
        test_loss = 0
        correct = 0
        criterion = nn.BCELoss()
        with torch.no_grad():
            for images_1, images_2, targets in test_loader:
                images_1, images_2 = images_1.to(device), images_2.to(device)
                targets = targets.to(device)
                outputs = model(images_1, images_2).squeeze()
                test_loss += criterion(outputs, targets).sum().item()
                pred = torch.where(outputs > 0.5, 1, 0)
                correct += pred.eq(targets.view_as(pred)).sum().item()
        test_loss /= len(test_loader.dataset)
        return {"loss": test_loss, "correct": correct, "dtype": str(pred.dtype).split(".")[-1]}

    random.seed(81)
    device = torch.device("cpu")
    train_kwargs, test_kwargs = {"batch_size": 25}, {"batch_size": 50}
    train_loader = torch.utils.data.DataLoader(APP_MATCHER(train=True), **train_kwargs)
    test_loader = torch.utils.data.DataLoader(APP_MATCHER(train=False), **test_kwargs)
    model = SiameseNetwork().to(device)
    fc_bias = model.fc[0].bias.detach().clone()
    _numpy_weights(torch, model, 81)
    optimizer = optim.Adadelta(model.parameters(), lr=1.0)
    scheduler = StepLR(optimizer, step_size=1, gamma=0.7)
    tests = []
    for epoch in range(1, 3):
        train(model, device, train_loader, optimizer, epoch)
        tests.append(test(model, device, test_loader))
        scheduler.step()
    return {
        "siamese_children": [type(m).__name__ for m in model.resnet.children()],
        "siamese_fc_in": model.fc_in_features,
        "siamese_bias_fill": fc_bias.numpy(),
        "siamese_log": log,
        "siamese_tests": {str(epoch): result for epoch, result in enumerate(tests, 1)},
        "siamese_lr": scheduler.get_last_lr(),
    }


class CartPole:
    """The classic cart-pole (Barto, Sutton and Anderson, 1983), Euler steps of 0.02 s."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.gravity, self.masscart, self.masspole, self.length = 9.8, 1.0, 0.1, 0.5
        self.total_mass = self.masscart + self.masspole
        self.polemass_length = self.masspole * self.length
        self.force_mag, self.tau = 10.0, 0.02
        self.theta_limit, self.x_limit = 12 * 2 * np.pi / 360, 2.4

    def reset(self):
        self.state = self.rng.uniform(-0.05, 0.05, size=(4,))
        return np.array(self.state, dtype=np.float32), {}

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = self.force_mag if action == 1 else -self.force_mag
        costheta, sintheta = np.cos(theta), np.sin(theta)
        temp = (force + self.polemass_length * theta_dot**2 * sintheta) / self.total_mass
        thetaacc = (self.gravity * sintheta - costheta * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * costheta**2 / self.total_mass)
        )
        xacc = temp - self.polemass_length * thetaacc * costheta / self.total_mass
        x, x_dot = x + self.tau * x_dot, x_dot + self.tau * xacc
        theta, theta_dot = theta + self.tau * theta_dot, theta_dot + self.tau * thetaacc
        self.state = np.array([x, x_dot, theta, theta_dot])
        done = bool(abs(x) > self.x_limit or abs(theta) > self.theta_limit)
        return np.array(self.state, dtype=np.float32), 1.0, done, False, {}


def _reinforce(torch):
    nn, optim, F = torch.nn, torch.optim, torch.nn.functional
    Categorical = torch.distributions.Categorical
    gamma, seed, log_interval = 0.99, 543, 3
    env = CartPole(seed)
    torch.manual_seed(seed)
    uniforms = np.random.default_rng(seed)

    class Policy(nn.Module):
        def __init__(self):
            super(Policy, self).__init__()
            self.affine1 = nn.Linear(4, 32)
            self.dropout = nn.Dropout(p=0.6)
            self.affine2 = nn.Linear(32, 2)

            self.saved_log_probs = []
            self.rewards = []

        def forward(self, x):
            x = self.affine1(x)
            x = self.dropout(x)
            x = F.relu(x)
            action_scores = self.affine2(x)
            return F.softmax(action_scores, dim=1)

    policy = Policy()
    policy.dropout.p = 0.0
    _numpy_weights(torch, policy, 543, scale=0.3)
    optimizer = optim.Adam(policy.parameters(), lr=1e-2)
    eps = np.finfo(np.float32).eps.item()
    sampled = []

    def select_action(state):
        state = torch.from_numpy(state).float().unsqueeze(0)
        probs = policy(state)
        m = Categorical(probs)
        drawn = m.sample()
        sampled.append(tuple(drawn.shape) == (1,) and 0 <= drawn.item() <= 1)
        action = torch.tensor([int(uniforms.random() > probs[0, 0].item())])
        policy.saved_log_probs.append(m.log_prob(action))
        return action.item()

    def finish_episode():
        R = 0
        policy_loss = []
        returns = deque()
        for r in policy.rewards[::-1]:
            R = r + gamma * R
            returns.appendleft(R)
        returns = torch.tensor(returns)
        returns = (returns - returns.mean()) / (returns.std() + eps)
        for log_prob, R in zip(policy.saved_log_probs, returns):
            policy_loss.append(-log_prob * R)
        optimizer.zero_grad()
        policy_loss = torch.cat(policy_loss).sum()
        policy_loss.backward()
        optimizer.step()
        del policy.rewards[:]
        del policy.saved_log_probs[:]
        return policy_loss.item()

    running_reward = 10
    log, losses, lengths = [], [], []
    for i_episode in range(1, 10):
        state, _ = env.reset()
        ep_reward = 0
        for t in range(1, 200):
            action = select_action(state)
            state, reward, done, _, _ = env.step(action)
            policy.rewards.append(reward)
            ep_reward += reward
            if done:
                break
        running_reward = 0.05 * ep_reward + (1 - 0.05) * running_reward
        losses.append(finish_episode())
        lengths.append(t)
        if i_episode % log_interval == 0:
            log.append(
                "Episode {}\tLast reward: {:.2f}\tAverage reward: {:.2f}".format(
                    i_episode, ep_reward, running_reward
                )
            )
    return {
        "rl_lengths": lengths,
        "rl_losses": losses,
        "rl_log": log,
        "rl_sampled_ok": all(sampled),
        "rl_lists_emptied": [len(policy.rewards), len(policy.saved_log_probs)],
        "rl_weight": policy.affine2.weight.detach().numpy(),
    }
