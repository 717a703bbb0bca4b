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

- encoder_2l_seqfirst_pt.onnx: the same encoder with batch_first=False (PyTorch's default), on
  a [16, 1, 64] input (sequence, batch, d).
- encoder_2l_masks_pt.onnx: the batch_first encoder called with a causal mask made inside the
  model (nn.Transformer.generate_square_subsequent_mask: a constant Trilu) and a bool
  src_key_padding_mask input [1, 16].
- encoder_2l_boolmasks_pt.onnx: the same with the causal mask as a bool [16, 16] input too (the
  export combines the two with Or).
- encoder_2l_floatmask_pt.onnx: the same with only a float [16, 16] causal mask input (added to
  the attention scores).

All at opset 14, batch 1, eval mode, random weights from a fixed seed.
"""
import sys

import torch
from torchvision.models.vision_transformer import VisionTransformer


def export(model, x, path, input_names=("input",)):
    model.eval()
    # Left with gradients on: under no_grad, torch 1.13's eval-mode nn.MultiheadAttention takes
    # its fused fast path (aten::_native_multi_head_attention), which has no ONNX export.
    torch.onnx.export(model, x, path, opset_version=14, input_names=list(input_names),
                      output_names=["output"], do_constant_folding=True)


class Masked(torch.nn.Module):
    """An encoder called with masks: `mask` None makes the causal one inside the model."""

    def __init__(self, encoder, causal_inside):
        super().__init__()
        self.encoder = encoder
        self.causal_inside = causal_inside

    def forward(self, x, *masks):
        if self.causal_inside:
            causal = torch.nn.Transformer.generate_square_subsequent_mask(x.shape[1])
            return self.encoder(x, mask=causal, src_key_padding_mask=masks[0])
        return self.encoder(x, mask=masks[0], src_key_padding_mask=masks[1] if len(masks) > 1
                            else None)


def encoder(batch_first):
    layer = torch.nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128,
                                             activation="gelu", batch_first=batch_first)
    return torch.nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)


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
    export(encoder(batch_first=False), torch.randn(16, 1, 64), f"{out}/encoder_2l_seqfirst_pt.onnx")
    padding = torch.zeros(1, 16, dtype=torch.bool)
    padding[0, 12:] = True  # the last four tokens are padding
    x = torch.randn(1, 16, 64)
    export(Masked(encoder(batch_first=True), causal_inside=True), (x, padding),
           f"{out}/encoder_2l_masks_pt.onnx", ("input", "padding_mask"))
    bool_causal = torch.triu(torch.ones(16, 16, dtype=torch.bool), diagonal=1)
    export(Masked(encoder(batch_first=True), causal_inside=False), (x, bool_causal, padding),
           f"{out}/encoder_2l_boolmasks_pt.onnx", ("input", "mask", "padding_mask"))
    float_causal = torch.nn.Transformer.generate_square_subsequent_mask(16)
    export(Masked(encoder(batch_first=True), causal_inside=False), (x, float_causal),
           f"{out}/encoder_2l_floatmask_pt.onnx", ("input", "mask"))


if __name__ == "__main__":
    main()
