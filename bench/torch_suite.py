"""The suite's configurations B1-B8 in PyTorch: the same networks, losses (in their fused logits form), optimizers,
batches and shuffling as bench/suite.cpp, written as a PyTorch user writes a training loop. The convnets (B6-B8) take
their images in PyTorch's own layout, NCHW, and leave the convolutions to PyTorch's default path (oneDNN in Debian's
build): the images are drawn channels last as Descent's, then transposed. B8's Keras layers become what a PyTorch user
writes for them: DepthwiseConv2D a Conv2d with groups=channels, SeparableConv2D that (without bias) then a 1x1 Conv2d,
Conv2DTranspose a ConvTranspose2d; "same" padding becomes the padding (and output_padding) that gives TensorFlow's
output sizes, which make_model checks layer by layer. (For stride 2 TensorFlow pads the extra row and column at the
bottom and right, PyTorch on both sides: the windows sit one pixel apart, the work is the same.)"""
import collections
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
    "B8": ([4096, 10], "adam", 64, 1024, False),
}
# One convolution with relu (Keras's class as kind: conv2d, separable, depthwise or transpose), then a 2x2 max pool
# when pool; a depthwise convolution's filters equal its input's channels.
Conv = collections.namedtuple("Conv", "filters pool kind kernel strides padding",
                              defaults=(False, "conv2d", 3, 1, "valid"))
# The convnets: name: (image (height, width, channels), convolutions (Conv fields; B6's and B7's are 3x3 "valid"
# Conv2D), dropout before the first Linear).
CONVNETS = {
    "B6": ((28, 28, 1), [(32, True), (64, True)], 0.5),
    "B7": ((32, 32, 3), [(32, False), (32, True), (64, False), (64, True)], 0.0),
    "B8": ((32, 32, 3), [Conv(32, kind="separable", padding="same"),
                         Conv(32, kind="depthwise", strides=2, padding="same"),
                         Conv(64, kind="conv2d", kernel=1),
                         Conv(32, True, kind="transpose", strides=2, padding="same"),
                         Conv(64, True, kind="separable", padding="same")], 0.0),
}
# The convnets' parameter counts, as Keras's model.summary() and Descent's count_params() give them (keras.io's MNIST
# convnet, B6, has 34,826): the PyTorch networks must have the same.
PARAMETERS = {"B6": 34_826, "B7": 271_786, "B8": 64_421}


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


def keras_length(length, conv):
    """An output length along one axis, as Keras's conv_output_length and deconv_output_length (no output_padding)
    give it."""
    k, s, same = conv.kernel, conv.strides, conv.padding == "same"
    if conv.kind == "transpose":
        return length * s if same else (length - 1) * s + k
    return (length + s - 1) // s if same else (length - k) // s + 1


def conv_layers(conv, channels):
    """The PyTorch modules of one Keras convolution on `channels` input channels, relu included."""
    k, s, same = conv.kernel, conv.strides, conv.padding == "same"
    assert not same or k % 2 == 1, "TensorFlow's 'same' needs an odd kernel to be a symmetric padding"
    pad = (k - 1) // 2 if same else 0  # out = floor((in + 2 pad - k) / s) + 1 = ceil(in / s) when "same"
    if conv.kind == "conv2d":
        layers = [torch.nn.Conv2d(channels, conv.filters, k, stride=s, padding=pad)]
    elif conv.kind == "depthwise":
        assert conv.filters == channels
        layers = [torch.nn.Conv2d(channels, channels, k, stride=s, padding=pad, groups=channels)]
    elif conv.kind == "separable":
        layers = [torch.nn.Conv2d(channels, channels, k, stride=s, padding=pad, groups=channels, bias=False),
                  torch.nn.Conv2d(channels, conv.filters, 1)]
    else:
        # out = (in - 1) s - 2 pad + k + output_padding: in * s when "same" (k odd), Keras's (in - 1) s + k when not.
        layers = [torch.nn.ConvTranspose2d(channels, conv.filters, k, stride=s, padding=pad,
                                           output_padding=s - 1 if same else 0)]
    return layers + [torch.nn.ReLU()]


def make_model(name):
    widths = CONFIGS[name][0]
    layers = []
    if name in CONVNETS:
        (height, width, channels), convs, dropout = CONVNETS[name]
        x = torch.zeros(1, channels, height, width)  # one sample through each layer, to check its output shape
        for conv in (Conv(*c) for c in convs):
            block = conv_layers(conv, channels)
            height, width, channels = keras_length(height, conv), keras_length(width, conv), conv.filters
            if conv.pool:
                block.append(torch.nn.MaxPool2d(2))
                height, width = height // 2, width // 2
            with torch.no_grad():
                x = torch.nn.Sequential(*block)(x)
            assert x.shape[1:] == (channels, height, width), (name, conv, tuple(x.shape[1:]))
            layers += block
        layers.append(torch.nn.Flatten())
        if dropout > 0:
            layers.append(torch.nn.Dropout(dropout))
    for i in range(1, len(widths)):
        layers.append(torch.nn.Linear(widths[i - 1], widths[i]))
        if i + 1 < len(widths):
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    if name in PARAMETERS:
        count = sum(p.numel() for p in model.parameters())
        assert count == PARAMETERS[name], f"{name}: {count} parameters; Keras's network has {PARAMETERS[name]}"
    return model


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
