"""The suite's configurations B1-B7 in PyTorch: the same networks, losses (in their fused logits form), optimizers,
batches and shuffling as bench/suite.cpp, written as a PyTorch user writes a training loop. The convnets (B6, B7) take
their images in PyTorch's own layout, NCHW, and leave the convolutions to PyTorch's default path (oneDNN in Debian's
build): the images are drawn channels last as Descent's, then transposed."""
import time

import torch

# name: (widths, optimizer, batch, samples, inference) -- keep in step with bench/suite_configs.hpp.
CONFIGS = {
    "B1": ([30, 16, 8, 1], "sgd", 32, 32768, False),
    "B2": ([784, 256, 128, 10], "momentum", 128, 16384, False),
    "B3": ([512, 1024, 1024, 10], "adam", 256, 8192, False),
    "B4": ([784, 256, 128, 10], "momentum", 1, 2048, False),
    "B5": ([784, 256, 128, 10], "momentum", 1024, 16384, True),
    "B6": ([1600, 10], "adam", 128, 2048, False),
    "B7": ([1600, 128, 10], "momentum", 64, 1024, False),
}
# The convnets: name: (image (height, width, channels), convolutions (filters, then a 2x2 max pool?), dropout before
# the first Linear). Every convolution is 3x3, "valid", relu.
CONVNETS = {
    "B6": ((28, 28, 1), [(32, True), (64, True)], 0.5),
    "B7": ((32, 32, 3), [(32, False), (32, True), (64, False), (64, True)], 0.0),
}


def make_data(name):
    widths, samples = CONFIGS[name][0], CONFIGS[name][3]
    image = CONVNETS[name][0] if name in CONVNETS else (widths[0],)
    g = torch.Generator().manual_seed(7)
    x = torch.randn(samples, *image, generator=g)
    inputs = x[0].numel()
    score = x.reshape(samples, inputs) @ torch.randn(inputs, widths[-1], generator=g)
    if widths[-1] == 1:
        y = (score > 0).float()
    else:
        y = score.argmax(dim=1)
    if name in CONVNETS:
        x = x.permute(0, 3, 1, 2).contiguous()  # NHWC -> NCHW
    return x, y


def make_model(name):
    widths = CONFIGS[name][0]
    layers = []
    if name in CONVNETS:
        (_, _, channels), convs, dropout = CONVNETS[name]
        for filters, pool in convs:
            layers += [torch.nn.Conv2d(channels, filters, 3), torch.nn.ReLU()]
            if pool:
                layers.append(torch.nn.MaxPool2d(2))
            channels = filters
        layers.append(torch.nn.Flatten())
        if dropout > 0:
            layers.append(torch.nn.Dropout(dropout))
    for i in range(1, len(widths)):
        layers.append(torch.nn.Linear(widths[i - 1], widths[i]))
        if i + 1 < len(widths):
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def seconds(name, data, epoch):
    widths, optimizer, batch, samples, inference = CONFIGS[name]
    x, y = data
    torch.manual_seed(1)
    model = make_model(name)
    start = time.perf_counter()
    if inference:
        with torch.no_grad():
            for first in range(0, samples, batch):
                p = torch.softmax(model(x[first:first + batch]), dim=1)
        assert torch.isfinite(p).all()
        return time.perf_counter() - start
    if optimizer == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)  # Keras's epsilon
    else:
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9 if optimizer == "momentum" else 0.0)
    loss_fn = torch.nn.BCEWithLogitsLoss() if widths[-1] == 1 else torch.nn.CrossEntropyLoss()
    order = torch.randperm(samples, generator=torch.Generator().manual_seed(epoch))
    total = 0.0
    for first in range(0, samples, batch):
        rows = order[first:first + batch]
        opt.zero_grad()
        loss = loss_fn(model(x[rows]), y[rows])
        loss.backward()
        opt.step()
        total += loss.item()
    assert total == total
    return time.perf_counter() - start


if __name__ == "__main__":
    import sys
    name, threads, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    data = make_data(name)
    if runs == 0:
        sys.exit(0)  # the memory floor: the interpreter, PyTorch and the data set, no training
    seconds(name, data, 0)
    # At least `runs` timed epochs and half a second of them, as bench/suite.cpp does.
    r, total = 1, 0.0
    while r <= runs or total < 0.5:
        s = seconds(name, data, r)
        total += s
        print("pytorch", name, threads, int(CONFIGS[name][3] / s), flush=True)
        r += 1
