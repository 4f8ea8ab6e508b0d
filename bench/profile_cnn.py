"""Where chainrule's time goes in W5 and W6: cProfile of one run, the functions with most own time.

python bench/profile_cnn.py [--top 8]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import w5_cnn_digits  # noqa: E402
import w6_cnn_mnist  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args()
    for module in (w5_cnn_digits, w6_cnn_mnist):
        data = module.setup()
        module.chainrule_run(*data)  # warm-up
        profile = cProfile.Profile()
        profile.runcall(module.chainrule_run, *data)
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats("tottime")
        total = stats.total_tt
        print(f"{module.NAME}: {total * 1e3:.0f} ms in all")
        for (path, line, name), (_, calls, own, _, _) in sorted(
            stats.stats.items(), key=lambda kv: -kv[1][2]
        )[: args.top]:
            where = f"{Path(path).parent.name}/{Path(path).name}:{line}({name})" if line else name
            print(f"  {own / total:6.1%}  {own * 1e3:8.1f} ms  {calls:6d} calls  {where}")


if __name__ == "__main__":
    main()
