"""The suite's configurations B1-B5 in PyTorch: the same networks, losses (in their fused logits form), optimizers,
batches and shuffling as bench/suite.cpp, written as a PyTorch user writes a training loop."""
import time

import torch

# name: (widths, optimizer, batch, samples, inference) -- keep in step with bench/suite_configs.hpp.
CONFIGS = {
    "B1": ([30, 16, 8, 1], "sgd", 32, 32768, False),
    "B2": ([784, 256, 128, 10], "momentum", 128, 16384, False),
    "B3": ([512, 1024, 1024, 10], "adam", 256, 8192, False),
    "B4": ([784, 256, 128, 10], "momentum", 1, 2048, False),
    "B5": ([784, 256, 128, 10], "momentum", 1024, 16384, True),
}


def make_data(widths, samples):
    g = torch.Generator().manual_seed(7)
    x = torch.randn(samples, widths[0], generator=g)
    score = x @ torch.randn(widths[0], widths[-1], generator=g)
    if widths[-1] == 1:
        y = (score > 0).float()
    else:
        y = score.argmax(dim=1)
    return x, y


def make_model(widths):
    layers = []
    for i in range(1, len(widths)):
        layers.append(torch.nn.Linear(widths[i - 1], widths[i]))
        if i + 1 < len(widths):
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def seconds(name, data, epoch):
    widths, optimizer, batch, samples, inference = CONFIGS[name]
    x, y = data
    torch.manual_seed(1)
    model = make_model(widths)
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
    data = make_data(CONFIGS[name][0], CONFIGS[name][3])
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
