"""PyTorch's transfer-learning tutorial, "ConvNet as fixed feature extractor", on a folder of class folders: the
base's parameters frozen, a new final layer trained with SGD (lr 0.001, momentum 0.9, StepLR 7/0.1), the frozen base
running on every image of every epoch, train with RandomResizedCrop + flip, val with Resize + CenterCrop. MobileNetV2
as the base (Transfer Lab's experiment uses it), random weights (no download here). Prints one JSON line."""
import argparse
import json
import time

import torch
import torch.nn as nn
import torchvision
from torchvision import datasets, transforms

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def loaders(train, val, size, batch, workers):
    train_tf = transforms.Compose([transforms.RandomResizedCrop(size), transforms.RandomHorizontalFlip(),
                                   transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
    val_tf = transforms.Compose([transforms.Resize(int(size * 256 / 224)), transforms.CenterCrop(size),
                                 transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
    sets = {'train': datasets.ImageFolder(train, train_tf), 'val': datasets.ImageFolder(val, val_tf)}
    return {phase: torch.utils.data.DataLoader(s, batch_size=batch, shuffle=phase == 'train', num_workers=workers)
            for phase, s in sets.items()}, len(sets['train'].classes)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--train', required=True)
    parser.add_argument('--val', required=True)
    parser.add_argument('--size', type=int, default=160)
    parser.add_argument('--epochs', type=int, default=10)
    parser.add_argument('--batch', type=int, default=32)
    parser.add_argument('--threads', type=int, default=2)
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    data, classes = loaders(args.train, args.val, args.size, args.batch, args.threads)
    model = torchvision.models.mobilenet_v2(weights=None)
    for param in model.parameters():
        param.requires_grad = False
    model.classifier[1] = nn.Linear(model.last_channel, classes)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.classifier[1].parameters(), lr=0.001, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=7, gamma=0.1)
    val_accuracy = 0.0
    for _ in range(args.epochs):
        for phase in ('train', 'val'):
            model.train(phase == 'train')
            correct = total = 0
            for inputs, labels in data[phase]:
                optimizer.zero_grad()
                with torch.set_grad_enabled(phase == 'train'):
                    outputs = model(inputs)
                    loss = criterion(outputs, labels)
                    if phase == 'train':
                        loss.backward()
                        optimizer.step()
                correct += int((outputs.argmax(1) == labels).sum())
                total += len(labels)
            if phase == 'train':
                scheduler.step()
            else:
                val_accuracy = correct / total
    print(json.dumps({'seconds': time.perf_counter() - started, 'val_accuracy': val_accuracy, 'torch': torch.__version__,
                      'threads': torch.get_num_threads(), 'epochs': args.epochs}))


if __name__ == '__main__':
    main()
