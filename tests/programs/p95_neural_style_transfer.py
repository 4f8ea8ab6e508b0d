"""pytorch.org's "Neural Transfer Using PyTorch" tutorial as written, at 16x16 with a small
random-weight CNN standing in for VGG19's features (its weights from numpy, its layers the same
kinds: Conv2d, ReLU, MaxPool2d): ContentLoss and StyleLoss modules that keep
self.target = ....detach() and set self.loss in forward while returning the input unchanged,
gram_matrix by input.size(), view(a * b, c * d), torch.mm(features, features.t()) and
G.div(a * b * c * d), a Normalization module with mean / std as .view(-1, 1, 1) tensors,
get_style_model_and_losses walking cnn.children() with isinstance checks, naming layers by a
counter, replacing ReLU by nn.ReLU(inplace=False), model.add_module of the loss modules right
after the chosen layers, and trimming with model[:(i + 1)]; then run_style_transfer:
input_img = content_img.clone(), input_img.requires_grad_(True), model.eval(),
model.requires_grad_(False), optim.LBFGS([input_img]) stepped with a closure that clamps the
image under no_grad, sums the losses with +=, scales them by style_weight / content_weight,
counts calls in run = [0] and returns the loss; the final clamp_ under no_grad. Content is a
digit repeated on three channels, style a stripe pattern; LBFGS stops at max_iter=12."""

import numpy as np
from sklearn.datasets import load_digits

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    nn, optim = torch.nn, torch.optim
    F = torch.nn.functional
    rng = np.random.default_rng(95)
    out = {}

    digit = load_digits().images[3] / 16.0
    content_np = np.repeat(np.repeat(digit, 2, axis=0), 2, axis=1)  # 16x16
    content_img = torch.from_numpy(np.stack([content_np] * 3)[None].astype(np.float32))
    stripes = (np.sin(np.arange(16) * 1.3)[None, :] * np.cos(np.arange(16) * 0.7)[:, None] + 1) / 2
    style_img = torch.from_numpy(
        np.stack([stripes, stripes.T, 1 - stripes])[None].astype(np.float32)
    )
    assert style_img.size() == content_img.size(), (
        "we need to import style and content images of the same size"
    )

    class ContentLoss(nn.Module):
        def __init__(self, target):
            super(ContentLoss, self).__init__()
            # we 'detach' the target content from the tree used
            # to dynamically compute the gradient: this is a stated value,
            # not a variable. Otherwise the forward method of the criterion
            # will throw an error.
            self.target = target.detach()

        def forward(self, input):
            self.loss = F.mse_loss(input, self.target)
            return input

    def gram_matrix(input):
        a, b, c, d = input.size()  # a=batch size(=1)
        # b=number of feature maps
        # (c,d)=dimensions of a f. map (N=c*d)
        features = input.view(a * b, c * d)  # resize F_XL into \\hat F_XL
        G = torch.mm(features, features.t())  # compute the gram product
        # we 'normalize' the values of the gram matrix
        # by dividing by the number of element in each feature maps.
        return G.div(a * b * c * d)

    class StyleLoss(nn.Module):
        def __init__(self, target_feature):
            super(StyleLoss, self).__init__()
            self.target = gram_matrix(target_feature).detach()

        def forward(self, input):
            G = gram_matrix(input)
            self.loss = F.mse_loss(G, self.target)
            return input

    # a VGG-like feature extractor: the kinds of layer the tutorial's loop recognises
    cnn = nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1),
        nn.ReLU(inplace=True),
        nn.Conv2d(8, 8, 3, padding=1),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(2, 2),
        nn.Conv2d(8, 12, 3, padding=1),
        nn.ReLU(inplace=True),
        nn.Conv2d(12, 12, 3, padding=1),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(2, 2),
        nn.Conv2d(12, 16, 3, padding=1),
        nn.ReLU(inplace=True),
        nn.Conv2d(16, 16, 3, padding=1),
    ).eval()
    with torch.no_grad():
        for p in cnn.parameters():
            fan_in = p[0].numel() if p.dim() > 1 else 1
            p.copy_(
                torch.from_numpy(
                    (rng.standard_normal(tuple(p.shape)) * np.sqrt(2.0 / fan_in)).astype(np.float32)
                )
            )

    cnn_normalization_mean = torch.tensor([0.485, 0.456, 0.406])
    cnn_normalization_std = torch.tensor([0.229, 0.224, 0.225])

    # create a module to normalize input image so we can easily put it in a
    # ``nn.Sequential``
    class Normalization(nn.Module):
        def __init__(self, mean, std):
            super(Normalization, self).__init__()
            # .view the mean and std to make them [C x 1 x 1] so that they can
            # directly work with image Tensor of shape [B x C x H x W].
            # B is batch size. C is number of channels. H is height and W is width.
            self.mean = mean.clone().detach().view(-1, 1, 1)
            self.std = std.clone().detach().view(-1, 1, 1)

        def forward(self, img):
            # normalize ``img``
            return (img - self.mean) / self.std

    # desired depth layers to compute style/content losses :
    content_layers_default = ["conv_4"]
    style_layers_default = ["conv_1", "conv_2", "conv_3", "conv_4", "conv_5"]

    def get_style_model_and_losses(
        cnn,
        normalization_mean,
        normalization_std,
        style_img,
        content_img,
        content_layers=content_layers_default,
        style_layers=style_layers_default,
    ):
        # normalization module
        normalization = Normalization(normalization_mean, normalization_std)

        # just in order to have an iterable access to or list of content/style
        # losses
        content_losses = []
        style_losses = []

        # assuming that ``cnn`` is a ``nn.Sequential``, so we make a new ``nn.Sequential``
        # to put in modules that are supposed to be activated sequentially
        model = nn.Sequential(normalization)

        i = 0  # increment every time we see a conv
        for layer in cnn.children():
            if isinstance(layer, nn.Conv2d):
                i += 1
                name = "conv_{}".format(i)
            elif isinstance(layer, nn.ReLU):
                name = "relu_{}".format(i)
                # The in-place version doesn't play very nicely with the ``ContentLoss``
                # and ``StyleLoss`` we insert below. So we replace with out-of-place
                # ones here.
                layer = nn.ReLU(inplace=False)
            elif isinstance(layer, nn.MaxPool2d):
                name = "pool_{}".format(i)
            elif isinstance(layer, nn.BatchNorm2d):
                name = "bn_{}".format(i)
            else:
                raise RuntimeError("Unrecognized layer: {}".format(layer.__class__.__name__))

            model.add_module(name, layer)

            if name in content_layers:
                # add content loss:
                target = model(content_img).detach()
                content_loss = ContentLoss(target)
                model.add_module("content_loss_{}".format(i), content_loss)
                content_losses.append(content_loss)

            if name in style_layers:
                # add style loss:
                target_feature = model(style_img).detach()
                style_loss = StyleLoss(target_feature)
                model.add_module("style_loss_{}".format(i), style_loss)
                style_losses.append(style_loss)

        # now we trim off the layers after the last content and style losses
        for i in range(len(model) - 1, -1, -1):
            if isinstance(model[i], ContentLoss) or isinstance(model[i], StyleLoss):
                break

        model = model[: (i + 1)]

        return model, style_losses, content_losses

    input_img = content_img.clone()

    def get_input_optimizer(input_img):
        # this line to show that input is a parameter that requires a gradient
        # max_iter=12 (torch's default is 20): from about the 15th evaluation on, float32
        # rounding grows through L-BFGS's curvature pairs until the two libraries' images part
        # (in float64 they agree to 1e-10 over 40 evaluations)
        optimizer = optim.LBFGS([input_img], max_iter=12)
        return optimizer

    log = []

    def run_style_transfer(
        cnn,
        normalization_mean,
        normalization_std,
        content_img,
        style_img,
        input_img,
        num_steps=10,
        style_weight=1000,
        content_weight=1,
    ):
        """Run the style transfer."""
        model, style_losses, content_losses = get_style_model_and_losses(
            cnn, normalization_mean, normalization_std, style_img, content_img
        )
        out["model_names"] = [name for name, _ in model.named_children()]

        # We want to optimize the input and not the model parameters so we
        # update all the requires_grad fields accordingly
        input_img.requires_grad_(True)
        # We also put the model in evaluation mode, so that specific layers
        # such as dropout or batch normalization layers behave correctly.
        model.eval()
        model.requires_grad_(False)

        optimizer = get_input_optimizer(input_img)

        run = [0]
        while run[0] <= num_steps:

            def closure():
                # correct the values of updated input image
                with torch.no_grad():
                    input_img.clamp_(0, 1)

                optimizer.zero_grad()
                model(input_img)
                style_score = 0
                content_score = 0

                for sl in style_losses:
                    style_score += sl.loss
                for cl in content_losses:
                    content_score += cl.loss

                style_score *= style_weight
                content_score *= content_weight

                loss = style_score + content_score
                loss.backward()

                run[0] += 1
                if run[0] % 5 == 0:
                    log.append(
                        "Style Loss : {:4f} Content Loss: {:4f}".format(
                            style_score.item(), content_score.item()
                        )
                    )
                    out.setdefault("scores", []).append([style_score.item(), content_score.item()])

                return style_score + content_score

            optimizer.step(closure)

        # a last correction...
        with torch.no_grad():
            input_img.clamp_(0, 1)

        return input_img

    output = run_style_transfer(
        cnn, cnn_normalization_mean, cnn_normalization_std, content_img, style_img, input_img
    )
    out["log_lines"] = len(log)
    out["calls_multiple_of_ten"] = len(out["scores"])
    out["output_range"] = [float(output.min().item()), float(output.max().item())]
    out["output_mean_per_channel"] = output.detach().mean(dim=(0, 2, 3)).numpy()
    out["moved_from_content"] = (output.detach() - content_img).abs().mean().item()
    out["same_tensor"] = output is input_img
    out["cnn_untouched"] = all(p.grad is None for p in cnn.parameters())
    return out
