#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""How vit_tiny_tv.onnx and encoder_2l_pt.onnx were made (tests never run this).

Debian bookworm: apt-get install python3-torch python3-torchvision (torch 1.13.1, torchvision
0.14.1), then, from any directory but the repository root (its onnx/ folder shadows the onnx
package): /usr/bin/python3 tests/data/onnx/make_transformer_exports.py <out_dir>

- vit_tiny_tv.onnx: torchvision's VisionTransformer class itself (the class vit_b_16 builds), at
  small dimensions so the file stays small: 32x32 image, 16x16 patches (4 patches + class token),
  2 layers, 2 heads, hidden 64, MLP 128, 10 classes.
- encoder_2l_pt.onnx: nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model=64, nhead=4,
  dim_feedforward=128, activation="gelu", batch_first=True), num_layers=2) on a [1, 16, 64] input.

Both at opset 14, batch 1, eval mode, random weights from a fixed seed.
"""
import sys

import torch
from torchvision.models.vision_transformer import VisionTransformer


def export(model, x, path):
    model.eval()
    # Left with gradients on: under no_grad, torch 1.13's eval-mode nn.MultiheadAttention takes
    # its fused fast path (aten::_native_multi_head_attention), which has no ONNX export.
    torch.onnx.export(model, x, path, opset_version=14, input_names=["input"],
                      output_names=["output"], do_constant_folding=True)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    torch.manual_seed(0)
    vit = VisionTransformer(image_size=32, patch_size=16, num_layers=2, num_heads=2,
                            hidden_dim=64, mlp_dim=128, num_classes=10)
    export(vit, torch.randn(1, 3, 32, 32), f"{out}/vit_tiny_tv.onnx")
    layer = torch.nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128,
                                             activation="gelu", batch_first=True)
    enc = torch.nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
    export(enc, torch.randn(1, 16, 64), f"{out}/encoder_2l_pt.onnx")


if __name__ == "__main__":
    main()
