"""Knowledge distillation on digits: a SiLU teacher, a student trained on KL(teacher || student)
at a temperature plus cross-entropy; cosine similarity of their embeddings."""

from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-5


def main(torch):
    nn = torch.nn
    F = torch.nn.functional
    digits = load_digits()
    X = torch.tensor(digits.data[:400], dtype=torch.float32) / 16.0
    y = torch.tensor(digits.target[:400], dtype=torch.long)

    teacher = nn.Sequential(
        nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 32), nn.Mish(), nn.Linear(32, 10)
    )
    student = nn.Sequential(nn.Linear(64, 16), nn.ReLU6(), nn.Linear(16, 10))
    init_from_numpy(torch, teacher, seed=15, scale=0.3)
    init_from_numpy(torch, student, seed=16, scale=0.3)
    teacher.eval()
    for p in teacher.parameters():
        p.requires_grad = False

    T, alpha = 3.0, 0.7
    kl = nn.KLDivLoss(reduction="batchmean")
    optimizer = torch.optim.Adam(student.parameters(), lr=5e-3)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1e-2, total_steps=40)
    losses = []
    for step in range(40):
        with torch.no_grad():
            soft_targets = F.softmax(teacher(X) / T, dim=-1)
        logits = student(X)
        distill = kl(F.log_softmax(logits / T, dim=-1), soft_targets) * (T * T)
        loss = alpha * distill + (1 - alpha) * F.cross_entropy(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        losses.append(loss.item())

    with torch.no_grad():
        t_emb = F.normalize(teacher[:2](X), dim=1)
        s_emb = student[:2](X)
        agreement = (student(X).argmax(-1) == teacher(X).argmax(-1)).float().mean()
        cos = F.cosine_similarity(t_emb[:, :16], s_emb, dim=1)
        smooth = nn.SmoothL1Loss(beta=0.5)(student(X), teacher(X))
        sims = nn.CosineSimilarity(dim=0)(t_emb[:, 0], t_emb[:, 1])
        log_probs = F.logsigmoid(student(X)).mean()
    return {
        "losses": losses,
        "agreement": agreement.item(),
        "cos_mean": cos.mean().item(),
        "smooth_l1": smooth.item(),
        "emb_norms": t_emb.norm(dim=1)[:5].numpy(),
        "sims": sims.item(),
        "logsigmoid": log_probs.item(),
        "momentum": optimizer.param_groups[0]["betas"][0],
    }
