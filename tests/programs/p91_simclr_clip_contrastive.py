"""Contrastive learning as three widely copied repos write its loss, on sklearn's digits with two
augmented views per image (pixel noise and a torch.roll shift, the noise from numpy so both
libraries see the same views). sthalles/SimCLR's info_nce_loss: labels from
torch.cat([torch.arange(bs) for i in range(n_views)]) compared by unsqueeze, F.normalize,
torch.matmul(features, features.T), mask = torch.eye(n, dtype=torch.bool) and labels[~mask]
.view(n, -1), positives / negatives picked by a bool mask, logits from torch.cat, zero labels for
CrossEntropyLoss, and its accuracy(output, target, topk=(1, 5)) helper (topk, t(), eq, expand_as,
reshape(-1).float().sum(0, keepdim=True), mul_(100.0 / batch_size)). The UvA course's NT-Xent:
F.cosine_similarity(feats[:, None, :], feats[None, :, :], dim=-1), masked_fill_(self_mask,
-9e15), pos_mask by self_mask.roll(shifts=n // 2, dims=0), -cos_sim[pos_mask] +
torch.logsumexp(cos_sim, dim=-1), and the ranking metrics by argsort(dim=-1, descending=True)
.argmin(dim=-1). CLIP's symmetric loss: a logit_scale parameter initialised to log(1 / 0.07),
features divided by .norm(dim=1, keepdim=True), logit_scale.exp() times image @ text.t(), the
mean of the two cross-entropies, logit_scale.data.clamp_(0, 4.6052) after each step. Then the
linear-evaluation protocol: the encoder frozen under torch.no_grad(), a logistic-regression head
on its features."""

import numpy as np
from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-3, 1e-4


def main(torch):
    nn = torch.nn
    F = torch.nn.functional
    rng = np.random.default_rng(91)
    digits = load_digits()
    images = (digits.data[:256] / 16.0).astype(np.float32)
    targets = torch.from_numpy(digits.target[:256])
    out = {}

    def augment(batch_np, shift):
        noisy = batch_np + 0.1 * rng.standard_normal(batch_np.shape).astype(np.float32)
        x = torch.from_numpy(noisy.astype(np.float32)).view(-1, 8, 8)
        return torch.roll(x, shifts=shift, dims=2).reshape(-1, 64)

    class ResNetSimCLR(nn.Module):  # an MLP backbone in place of the ResNet
        def __init__(self, out_dim=16):
            super().__init__()
            self.backbone = nn.Sequential(nn.Linear(64, 48), nn.ReLU())
            dim_mlp = self.backbone[0].out_features
            # add mlp projection head
            self.projection = nn.Sequential(
                nn.Linear(dim_mlp, dim_mlp), nn.ReLU(), nn.Linear(dim_mlp, out_dim)
            )

        def forward(self, x):
            return self.projection(self.backbone(x))

    batch_size, n_views, temperature = 32, 2, 0.07

    def info_nce_loss(features):
        labels = torch.cat([torch.arange(batch_size) for i in range(n_views)], dim=0)
        labels = (labels.unsqueeze(0) == labels.unsqueeze(1)).float()
        features = F.normalize(features, dim=1)
        similarity_matrix = torch.matmul(features, features.T)
        # discard the main diagonal from both: the labels and similarities matrix
        mask = torch.eye(labels.shape[0], dtype=torch.bool)
        labels = labels[~mask].view(labels.shape[0], -1)
        similarity_matrix = similarity_matrix[~mask].view(similarity_matrix.shape[0], -1)
        # select and combine multiple positives
        positives = similarity_matrix[labels.bool()].view(labels.shape[0], -1)
        # select only the negatives
        negatives = similarity_matrix[~labels.bool()].view(similarity_matrix.shape[0], -1)
        logits = torch.cat([positives, negatives], dim=1)
        labels = torch.zeros(logits.shape[0], dtype=torch.long)
        logits = logits / temperature
        return logits, labels

    def accuracy(output, target, topk=(1,)):
        """Computes the accuracy over the k top predictions for the specified values of k"""
        with torch.no_grad():
            maxk = max(topk)
            batch_size = target.size(0)
            _, pred = output.topk(maxk, 1, True, True)
            pred = pred.t()
            correct = pred.eq(target.view(1, -1).expand_as(pred))
            res = []
            for k in topk:
                correct_k = correct[:k].reshape(-1).float().sum(0, keepdim=True)
                res.append(correct_k.mul_(100.0 / batch_size))
            return res

    model = ResNetSimCLR()
    init_from_numpy(torch, model, seed=91, scale=0.2)
    optimizer = torch.optim.Adam(model.parameters(), 3e-3, weight_decay=1e-4)
    criterion = torch.nn.CrossEntropyLoss()
    simclr = []
    for epoch in range(2):
        for start in range(0, 128, batch_size):
            batch = images[start : start + batch_size]
            views = torch.cat([augment(batch, 1), augment(batch, -1)], dim=0)
            features = model(views)
            logits, labels = info_nce_loss(features)
            loss = criterion(logits, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            top1, top5 = accuracy(logits, labels, topk=(1, 5))
            simclr.append([loss.item(), top1[0].item(), top5[0].item()])
    out["simclr"] = simclr
    out["logits_shape"] = list(logits.shape)

    # the UvA tutorial's NT-Xent, on the same model
    def info_nce_uva(feats, temperature=0.07):
        cos_sim = F.cosine_similarity(feats[:, None, :], feats[None, :, :], dim=-1)
        # Mask out cosine similarity to itself
        self_mask = torch.eye(cos_sim.shape[0], dtype=torch.bool)
        cos_sim.masked_fill_(self_mask, -9e15)
        # Find positive example -> batch_size//2 away from the original example
        pos_mask = self_mask.roll(shifts=cos_sim.shape[0] // 2, dims=0)
        # InfoNCE loss
        cos_sim = cos_sim / temperature
        nll = -cos_sim[pos_mask] + torch.logsumexp(cos_sim, dim=-1)
        nll = nll.mean()
        # Get ranking position of positive example
        comb_sim = torch.cat(
            [cos_sim[pos_mask][:, None], cos_sim.masked_fill(pos_mask, -9e15)],  # first: positive
            dim=-1,
        )
        sim_argsort = comb_sim.argsort(dim=-1, descending=True).argmin(dim=-1)
        return nll, [
            (sim_argsort == 0).float().mean().item(),
            (sim_argsort < 5).float().mean().item(),
            1 + sim_argsort.float().mean().item(),
        ]

    uva = []
    for start in range(128, 192, batch_size):
        batch = images[start : start + batch_size]
        feats = model(torch.cat([augment(batch, 1), augment(batch, -1)], dim=0))
        nll, metrics = info_nce_uva(feats)
        optimizer.zero_grad()
        nll.backward()
        optimizer.step()
        uva.append([nll.item()] + metrics)
    out["uva"] = uva

    # CLIP's symmetric loss: "images" are the left half of each digit, "texts" the right half
    class CLIP(nn.Module):
        def __init__(self, embed_dim=12):
            super().__init__()
            self.visual = nn.Linear(32, embed_dim)
            self.text = nn.Sequential(nn.Linear(32, 24), nn.GELU(), nn.Linear(24, embed_dim))
            self.logit_scale = nn.Parameter(torch.ones([]) * np.log(1 / 0.07))

        def forward(self, image, text):
            image_features = self.visual(image)
            text_features = self.text(text)
            # normalized features
            image_features = image_features / image_features.norm(dim=1, keepdim=True)
            text_features = text_features / text_features.norm(dim=1, keepdim=True)
            # cosine similarity as logits
            logit_scale = self.logit_scale.exp()
            logits_per_image = logit_scale * image_features @ text_features.t()
            logits_per_text = logits_per_image.t()
            return logits_per_image, logits_per_text

    clip = CLIP()
    with torch.no_grad():
        for name, p in clip.named_parameters():
            if name != "logit_scale":
                p.copy_(
                    torch.from_numpy(rng.standard_normal(tuple(p.shape)).astype(np.float32) * 0.2)
                )
    out["logit_scale_init"] = clip.logit_scale.item()
    opt = torch.optim.AdamW(clip.parameters(), lr=5e-2, weight_decay=0.2)
    pixels = torch.from_numpy(images).view(-1, 8, 8)
    left = pixels[:, :, :4].reshape(-1, 32)
    right = pixels[:, :, 4:].reshape(-1, 32)
    clip_log = []
    for start in range(0, 256, 64):
        logits_per_image, logits_per_text = clip(
            left[start : start + 64], right[start : start + 64]
        )
        ground_truth = torch.arange(len(logits_per_image), dtype=torch.long)
        total_loss = (
            F.cross_entropy(logits_per_image, ground_truth)
            + F.cross_entropy(logits_per_text, ground_truth)
        ) / 2
        opt.zero_grad()
        total_loss.backward()
        opt.step()
        clip.logit_scale.data.clamp_(0, 4.6052)
        clip_log.append([total_loss.item(), clip.logit_scale.item()])
    out["clip"] = clip_log

    # linear evaluation: a frozen encoder, a logistic-regression head on its features
    with torch.no_grad():
        train_feats = model.backbone(torch.from_numpy(images[:192]))
        test_feats = model.backbone(torch.from_numpy(images[192:]))
    head = nn.Linear(48, 10)
    init_from_numpy(torch, head, seed=92, scale=0.1)
    head_opt = torch.optim.SGD(head.parameters(), lr=0.5)
    for _ in range(30):
        loss = F.cross_entropy(head(train_feats), targets[:192])
        head_opt.zero_grad()
        loss.backward()
        head_opt.step()
    out["linear_eval_loss"] = loss.item()
    out["linear_eval_acc"] = (head(test_feats).argmax(dim=1) == targets[192:]).float().mean().item()
    out["frozen"] = train_feats.requires_grad
    return out
