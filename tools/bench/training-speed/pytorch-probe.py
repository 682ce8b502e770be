"""Times one training step (forward + backward + Adam) of the probe network in PyTorch.

Reads {"layers": [...], "outputs": [...], "batch": B, "size": S, "threads": T, "steps": K} on stdin
(the same layer list the tfjs benchmark builds) and prints {"stepMs": [...]} as JSON.
"""
import json
import sys
import time

import torch
from torch import nn


class ConvBnSilu(nn.Module):
    def __init__(self, cin, cout, k, s, p, bn_act=True):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, s, p, bias=not bn_act)
        self.bn = nn.BatchNorm2d(cout, eps=1e-3) if bn_act else None
        self.act = nn.SiLU() if bn_act else None

    def forward(self, x):
        x = self.conv(x)
        return self.act(self.bn(x)) if self.bn is not None else x


class C3(nn.Module):
    def __init__(self, cin, cout, n, shortcut):
        super().__init__()
        h = cout // 2
        self.cv1, self.cv2 = ConvBnSilu(cin, h, 1, 1, 0), ConvBnSilu(cin, h, 1, 1, 0)
        self.m = nn.ModuleList(nn.Sequential(ConvBnSilu(h, h, 1, 1, 0), ConvBnSilu(h, h, 3, 1, 1)) for _ in range(n))
        self.cv3 = ConvBnSilu(2 * h, cout, 1, 1, 0)
        self.shortcut = shortcut

    def forward(self, x):
        a = self.cv1(x)
        for block in self.m:
            y = block(a)
            a = a + y if self.shortcut else y
        return self.cv3(torch.cat([a, self.cv2(x)], 1))


class Sppf(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.cv1, self.cv2 = ConvBnSilu(cin, cin // 2, 1, 1, 0), ConvBnSilu(cin * 2, cout, 1, 1, 0)
        self.pool = nn.MaxPool2d(5, 1, 2)

    def forward(self, x):
        a = self.cv1(x)
        p1 = self.pool(a)
        p2 = self.pool(p1)
        return self.cv2(torch.cat([a, p1, p2, self.pool(p2)], 1))


class Probe(nn.Module):
    def __init__(self, layers, outputs):
        super().__init__()
        self.layers, self.outputs = layers, outputs
        self.mods = nn.ModuleList()
        channels = []
        for i, layer in enumerate(layers):
            src = lambda f: i + f if f < 0 else f
            cin = channels[src(layer["from"])] if isinstance(layer.get("from"), int) and channels else 3
            op = layer["op"]
            if op == "conv":
                k = layer["k"]
                self.mods.append(ConvBnSilu(cin, layer["out"], k, layer["s"], layer.get("p", k // 2), layer.get("bnAct", True)))
                channels.append(layer["out"])
            elif op == "c3":
                self.mods.append(C3(cin, layer["out"], layer["n"], layer["shortcut"]))
                channels.append(layer["out"])
            elif op == "sppf":
                self.mods.append(Sppf(cin, layer["out"]))
                channels.append(layer["out"])
            elif op == "up":
                self.mods.append(nn.Upsample(scale_factor=2, mode="nearest"))
                channels.append(cin)
            else:
                self.mods.append(nn.Identity())
                channels.append(sum(channels[src(f)] for f in layer["from"]))

    def forward(self, x):
        outs = []
        for i, (layer, mod) in enumerate(zip(self.layers, self.mods)):
            src = lambda f: i + f if f < 0 else f
            if layer["op"] == "cat":
                x = torch.cat([outs[src(f)] for f in layer["from"]], 1)
            else:
                f = layer.get("from", -1)
                x = mod(x if src(f) == i - 1 else outs[src(f)])
            outs.append(x)
        return [outs[i] for i in self.outputs]


def main():
    spec = json.load(sys.stdin)
    torch.set_num_threads(spec["threads"])
    torch.manual_seed(0)
    model = Probe(spec["layers"], spec["outputs"])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    images = torch.rand(spec["batch"], 3, spec["size"], spec["size"])
    times = []
    for step in range(spec["steps"] + 2):
        started = time.perf_counter()
        optimizer.zero_grad()
        loss = sum((out ** 2).mean() for out in model(images))
        loss.backward()
        optimizer.step()
        if step >= 2:
            times.append((time.perf_counter() - started) * 1000)
    print(json.dumps({"stepMs": times, "torch": torch.__version__, "threads": torch.get_num_threads()}))


main()
