"""Frozen-base forward throughput in PyTorch on the CPU, the way a PyTorch user would run it: eager NCHW,
eager channels-last, and TorchScript frozen + optimize_for_inference (channels-last). Prints one JSON line.

Random weights (no download here): speed does not depend on their values. The classifier is removed and the last
feature map average-pooled, as Transfer Lab's frozen base computes features."""
import argparse
import copy
import json
import time

import torch
import torch.nn as nn
import torchvision


def mobilenet_v1(alpha=1.0):
    """Keras' MobileNet (v1): torchvision has none. Conv 3x3/2, then 13 depthwise-separable blocks."""
    def ch(c):
        return int(c * alpha)

    def conv_bn(cin, cout, stride):
        return [nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU6(inplace=True)]

    def separable(cin, cout, stride):
        return [nn.Conv2d(cin, cin, 3, stride, 1, groups=cin, bias=False), nn.BatchNorm2d(cin), nn.ReLU6(inplace=True),
                nn.Conv2d(cin, cout, 1, 1, 0, bias=False), nn.BatchNorm2d(cout), nn.ReLU6(inplace=True)]

    plan = [(32, 64, 1), (64, 128, 2), (128, 128, 1), (128, 256, 2), (256, 256, 1), (256, 512, 2)] + [(512, 512, 1)] * 5 \
        + [(512, 1024, 2), (1024, 1024, 1)]
    layers = conv_bn(3, ch(32), 2)
    for cin, cout, stride in plan:
        layers += separable(ch(cin), ch(cout), stride)
    return nn.Sequential(*layers)


def frozen_base(name):
    """The base without its classifier, ending in global average pooling: features as a transfer run uses them."""
    if name == 'mobilenet':
        body = mobilenet_v1()
    elif name == 'mobilenet_v2':
        body = torchvision.models.mobilenet_v2(weights=None).features
    elif name == 'vgg16':
        body = torchvision.models.vgg16(weights=None).features
    elif name == 'resnet50':
        model = torchvision.models.resnet50(weights=None)
        body = nn.Sequential(*list(model.children())[:-2])
    elif name == 'inception_v3':
        model = torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=False)
        model.fc = nn.Identity()
        model.dropout = nn.Identity()
        return model.eval()
    else:
        raise SystemExit(f'unknown base {name}')
    return nn.Sequential(body, nn.AdaptiveAvgPool2d(1), nn.Flatten()).eval()


def images_per_second(run, batch, images, rounds):
    """Median over `rounds` of `images` images in batches of `batch`, after one warm-up batch."""
    run(batch)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(images // batch):
            run(batch)
        times.append(time.perf_counter() - started)
    times.sort()
    return (images // batch) * batch / times[len(times) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--model', required=True)
    parser.add_argument('--size', type=int, default=224)
    parser.add_argument('--batch', type=int, default=32)
    parser.add_argument('--images', type=int, default=64)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--rounds', type=int, default=3)
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    model = frozen_base(args.model)
    inputs = torch.rand(args.batch, 3, args.size, args.size)
    channels_last = inputs.contiguous(memory_format=torch.channels_last)
    result = {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'model': args.model, 'size': args.size,
              'batch': args.batch}
    for param in model.parameters():
        param.requires_grad_(False)
    with torch.inference_mode():
        result['eager'] = images_per_second(lambda b: model(inputs), args.batch, args.images, args.rounds)
    # Converted outside inference mode: TorchScript's oneDNN pass cannot take inference tensors (VGG16 asserts).
    model_cl = copy.deepcopy(model).to(memory_format=torch.channels_last)
    with torch.inference_mode():
        result['channels_last'] = images_per_second(lambda b: model_cl(channels_last), args.batch, args.images, args.rounds)
    with torch.no_grad():
        scripted = torch.jit.optimize_for_inference(torch.jit.freeze(torch.jit.script(model_cl.eval())))
        result['torchscript'] = images_per_second(lambda b: scripted(channels_last), args.batch, args.images, args.rounds)
    result['best'] = max(result['eager'], result['channels_last'], result['torchscript'])
    print(json.dumps(result))


if __name__ == '__main__':
    main()
