#!/usr/bin/env python3
"""Export a timm ViT/DeiT classifier to ONNX for `vitforge --model FILE.onnx`.

Not run by vitforge's tests or CI (PyTorch is not installed there); this is how a user produces
an ONNX file from their own trained model. Requirements: torch >= 2.1, timm, onnx (and
onnxscript for --dynamo).

    python scripts/export_timm_onnx.py deit_tiny_patch16_224 deit-t.onnx
    python scripts/export_timm_onnx.py vit_small_patch16_224 vit-s.onnx --dynamo
    python scripts/export_timm_onnx.py my_vit out.onnx --checkpoint my.pth --image-size 224

vitforge needs a fixed image size (the batch may be dynamic) and the weights inside the file
(no external data: models under 2 GB). It then checks itself: `vitforge run --model out.onnx
--image x.f32 --dump y.f32` gives the logits onnxruntime gives for the same input.
"""
import argparse

import torch
import timm


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("model", help="timm model name, e.g. deit_tiny_patch16_224")
    p.add_argument("out", help="output .onnx file")
    p.add_argument("--checkpoint", help="state dict (.pth/.safetensors) to load instead of pretrained weights")
    p.add_argument("--image-size", type=int, default=224)
    p.add_argument("--opset", type=int, default=None, help="default 17 (TorchScript) / 18 (dynamo)")
    p.add_argument("--dynamo", action="store_true", help="use the torch.export-based exporter")
    p.add_argument("--dynamic-batch", action="store_true", help="keep the batch dimension symbolic")
    a = p.parse_args()

    model = timm.create_model(a.model, pretrained=a.checkpoint is None)
    if a.checkpoint:
        if a.checkpoint.endswith(".safetensors"):
            from safetensors.torch import load_file
            state = load_file(a.checkpoint)
        else:
            state = torch.load(a.checkpoint, map_location="cpu")
        model.load_state_dict(state.get("model", state) if isinstance(state, dict) else state)
    model.eval()
    x = torch.randn(1, 3, a.image_size, a.image_size)
    kwargs = dict(input_names=["input"], output_names=["logits"])
    if a.dynamo:
        kwargs["dynamo"] = True
        kwargs["opset_version"] = a.opset or 18
        if a.dynamic_batch:
            kwargs["dynamic_shapes"] = {"x": {0: torch.export.Dim("batch")}}
    else:
        kwargs["opset_version"] = a.opset or 17
        kwargs["do_constant_folding"] = True
        if a.dynamic_batch:
            kwargs["dynamic_axes"] = {"input": {0: "batch"}, "logits": {0: "batch"}}
        if "dynamo" in torch.onnx.export.__code__.co_varnames:
            kwargs["dynamo"] = False
    with torch.no_grad():
        torch.onnx.export(model, (x,), a.out, **kwargs)
        ref = model(x)
    # Write the input and PyTorch's logits next to the file, for `vitforge run --image/--dump`.
    x.numpy().astype("<f4").tofile(a.out + ".input.f32")
    ref.numpy().astype("<f4").tofile(a.out + ".logits.f32")
    cfg = model.pretrained_cfg if hasattr(model, "pretrained_cfg") else {}
    print(f"wrote {a.out}; eval preprocessing: mean {cfg.get('mean')}, std {cfg.get('std')}, "
          f"crop_pct {cfg.get('crop_pct')}, interpolation {cfg.get('interpolation')}")


if __name__ == "__main__":
    main()
