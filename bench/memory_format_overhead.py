"""What the memory_format keyword costs the common calls: Tensor.to and Tensor.contiguous as
autograd/tensor.py defines them against memory_format.py's wrappers, interleaved in one
process, minimum per call over 30 rounds of 2000 (branch torchapi2)."""

import sys
import timeit

import chainrule as cr

wrappers = sys.modules["chainrule.memory_format"]  # chainrule.memory_format is torch's class
x = cr.randn(64, 64)
image = cr.randn(8, 16, 14, 14)
cases = {
    "to(float32), unwrapped": lambda: wrappers._tensor_to(x, cr.float32),
    "to(float32), wrapped": lambda: x.to(cr.float32),
    "contiguous(), unwrapped": lambda: wrappers._tensor_contiguous(x),
    "contiguous(), wrapped": lambda: x.contiguous(),
    "to(channels_last), (8, 16, 14, 14)": lambda: image.to(memory_format=cr.channels_last),
}
best = dict.fromkeys(cases, float("inf"))
for _ in range(30):
    for name, call in cases.items():
        best[name] = min(best[name], timeit.timeit(call, number=2000) / 2000)
for name, seconds in best.items():
    print(f"{name:36s} {seconds * 1e9:9.0f} ns")
