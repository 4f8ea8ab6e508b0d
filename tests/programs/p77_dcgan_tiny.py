"""pytorch/examples' dcgan/main.py as written, at 16x16 on sklearn's digits (each 8x8 image
repeated to 16x16 and normalised to [-1, 1] as transforms.Normalize((0.5,), (0.5,)) does):
weights_init dispatching on m.__class__.__name__.find('Conv') / ('BatchNorm') through
model.apply, the Generator's nn.Sequential of ConvTranspose2d(bias=False) + BatchNorm2d +
ReLU(True) ending in Tanh, the Discriminator's Conv2d + LeakyReLU(0.2, inplace=True) ending in
Sigmoid with output.view(-1, 1).squeeze(1), nn.BCELoss, labels from torch.full((b,), real_label,
dtype=real_cpu.dtype) refilled with label.fill_, fake.detach() for the D step, two Adam with
betas=(0.5, 0.999), the '[%d/%d][%d/%d] Loss_D: %.4f ...' log line, and state_dict checkpoints
per epoch loaded back into a fresh generator. Noise comes from numpy so both libraries see the
same; the loader does not shuffle, and the library's own init is checked by its statistics."""

import os
import tempfile

import numpy as np
from sklearn.datasets import load_digits

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    nn, optim = torch.nn, torch.optim
    nz, ngf, ndf, nc, batchSize, niter, ngpu = 8, 8, 8, 1, 16, 2, 1
    digits = load_digits().data[:64].reshape(-1, 1, 8, 8) / 16.0
    images = np.kron(digits, np.ones((1, 1, 2, 2))).astype(np.float32)
    images = (images - 0.5) / 0.5
    dataset = torch.utils.data.TensorDataset(
        torch.from_numpy(images), torch.zeros(len(images), dtype=torch.long)
    )
    dataloader = torch.utils.data.DataLoader(dataset, batch_size=batchSize, shuffle=False)
    device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
    out = {}

    def weights_init(m):
        classname = m.__class__.__name__
        if classname.find("Conv") != -1:
            torch.nn.init.normal_(m.weight, 0.0, 0.02)
        elif classname.find("BatchNorm") != -1:
            torch.nn.init.normal_(m.weight, 1.0, 0.02)
            torch.nn.init.zeros_(m.bias)

    class Generator(nn.Module):
        def __init__(self, ngpu):
            super(Generator, self).__init__()
            self.ngpu = ngpu
            self.main = nn.Sequential(
                nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0, bias=False),
                nn.BatchNorm2d(ngf * 2),
                nn.ReLU(True),
                nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ngf),
                nn.ReLU(True),
                nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),
                nn.Tanh(),
            )

        def forward(self, input):
            if input.is_cuda and self.ngpu > 1:
                output = nn.parallel.data_parallel(self.main, input, range(self.ngpu))
            else:
                output = self.main(input)
            return output

    class Discriminator(nn.Module):
        def __init__(self, ngpu):
            super(Discriminator, self).__init__()
            self.ngpu = ngpu
            self.main = nn.Sequential(
                nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
                nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ndf * 2),
                nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(ndf * 2, 1, 4, 1, 0, bias=False),
                nn.Sigmoid(),
            )

        def forward(self, input):
            if input.is_cuda and self.ngpu > 1:
                output = nn.parallel.data_parallel(self.main, input, range(self.ngpu))
            else:
                output = self.main(input)
            return output.view(-1, 1).squeeze(1)

    def numpy_init(model, seed):
        rng = np.random.default_rng(seed)
        with torch.no_grad():
            for m in model.modules():
                name = m.__class__.__name__
                if name.find("Conv") != -1:
                    w = rng.normal(0.0, 0.05, tuple(m.weight.shape))
                    m.weight.copy_(torch.from_numpy(w.astype(np.float32)))
                elif name.find("BatchNorm") != -1:
                    w = rng.normal(1.0, 0.02, tuple(m.weight.shape))
                    m.weight.copy_(torch.from_numpy(w.astype(np.float32)))

    netG = Generator(ngpu).to(device)
    netG.apply(weights_init)
    netD = Discriminator(ngpu).to(device)
    netD.apply(weights_init)
    conv_std = netG.main[0].weight.std().item()
    bn_mean = netD.main[3].weight.mean().item()
    out["init_ok"] = [
        abs(conv_std - 0.02) < 0.005,
        abs(bn_mean - 1.0) < 0.02,
        netD.main[3].bias.abs().sum().item() == 0.0,
    ]
    numpy_init(netG, 77)
    numpy_init(netD, 78)
    out["shapes"] = [list(p.shape) for p in netG.parameters()]

    criterion = nn.BCELoss()
    noise_rng = np.random.default_rng(0)

    def randn(*shape):
        return torch.from_numpy(noise_rng.standard_normal(shape).astype(np.float32)).to(device)

    fixed_noise = randn(batchSize, nz, 1, 1)
    real_label = 1
    fake_label = 0
    optimizerD = optim.Adam(netD.parameters(), lr=0.0002 * 10, betas=(0.5, 0.999))
    optimizerG = optim.Adam(netG.parameters(), lr=0.0002 * 10, betas=(0.5, 0.999))
    log, stats = [], []
    with tempfile.TemporaryDirectory() as outf:
        for epoch in range(niter):
            for i, data in enumerate(dataloader, 0):
                netD.zero_grad()
                real_cpu = data[0].to(device)
                batch_size = real_cpu.size(0)
                label = torch.full((batch_size,), real_label, dtype=real_cpu.dtype, device=device)
                output = netD(real_cpu)
                errD_real = criterion(output, label)
                errD_real.backward()
                D_x = output.mean().item()

                noise = randn(batch_size, nz, 1, 1)
                fake = netG(noise)
                label.fill_(fake_label)
                output = netD(fake.detach())
                errD_fake = criterion(output, label)
                errD_fake.backward()
                D_G_z1 = output.mean().item()
                errD = errD_real + errD_fake
                optimizerD.step()

                netG.zero_grad()
                label.fill_(real_label)
                output = netD(fake)
                errG = criterion(output, label)
                errG.backward()
                D_G_z2 = output.mean().item()
                optimizerG.step()

                log.append(
                    "[%d/%d][%d/%d] Loss_D: %.4f Loss_G: %.4f D(x): %.4f D(G(z)): %.4f / %.4f"
                    % (
                        epoch,
                        niter,
                        i,
                        len(dataloader),
                        errD.item(),
                        errG.item(),
                        D_x,
                        D_G_z1,
                        D_G_z2,
                    )
                )
                stats.append([errD.item(), errG.item(), D_x, D_G_z1, D_G_z2])
                if i % 100 == 0:
                    fake = netG(fixed_noise)
                    out[f"fake_range_{epoch}"] = [fake.min().item(), fake.max().item()]
            torch.save(netG.state_dict(), "%s/netG_epoch_%d.pth" % (outf, epoch))
            torch.save(netD.state_dict(), "%s/netD_epoch_%d.pth" % (outf, epoch))
        out["files"] = sorted(os.listdir(outf))
        restored = Generator(ngpu)
        restored.load_state_dict(torch.load("%s/netG_epoch_%d.pth" % (outf, niter - 1)))
    out["log"], out["stats"] = log, stats
    restored.eval()
    netG.eval()
    with torch.no_grad():
        a, b = restored(fixed_noise), netG(fixed_noise)
    out["restored_equal"] = bool(torch.equal(a, b))
    out["samples"] = a[:2, 0, ::4, ::4].numpy()
    out["running_var"] = netG.main[1].running_var.numpy()
    out["num_batches_tracked"] = netG.main[1].num_batches_tracked.item()
    return out
