#!/usr/bin/env python3
"""Prints the verify benchmark as a Markdown table from criterion's saved estimates.

Run after `cargo bench -p hookverify-benches --bench verify`. Ratios are computed from one run
(the medians criterion saved last), so they compare like with like on a noisy machine.
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"
SIZES = ["64B", "1KiB", "64KiB", "1MiB"]
ROWS = [
    ("hmac-sha256 (bare, pre-keyed)", "bare pre-keyed HMAC-SHA256"),
    ("hookverify verify", "hookverify `verify` (reads the clock)"),
    ("hookverify verify_at", "hookverify `verify_at` (clock given)"),
    ("svix 2.x", "svix 2.x `Webhook::verify`"),
    ("standardwebhooks 1.x", "standardwebhooks 1.x `Webhook::verify`"),
]


def median_ns(size: str, name: str) -> float:
    path = ROOT / f"verify_{size}" / name / size / "new" / "estimates.json"
    return json.loads(path.read_text())["median"]["point_estimate"]


def fmt(ns: float) -> str:
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.0f} ns"


def main() -> int:
    try:
        table = {(s, n): median_ns(s, n) for s in SIZES for n, _ in ROWS}
    except FileNotFoundError as err:
        print(f"missing criterion data ({err}); run the benchmark first", file=sys.stderr)
        return 1
    print("| body | " + " | ".join(label for _, label in ROWS) + " |")
    print("|---|" + "---|" * len(ROWS))
    for size in SIZES:
        cells = [fmt(table[(size, name)]) for name, _ in ROWS]
        print(f"| {size} | " + " | ".join(cells) + " |")
    print()
    print("| body | verify / bare HMAC | verify_at / bare HMAC | svix / verify | standardwebhooks / verify |")
    print("|---|---|---|---|---|")
    for size in SIZES:
        bare = table[(size, ROWS[0][0])]
        ours = table[(size, "hookverify verify")]
        ours_at = table[(size, "hookverify verify_at")]
        svix = table[(size, "svix 2.x")]
        sw = table[(size, "standardwebhooks 1.x")]
        print(f"| {size} | {ours / bare:.2f}x | {ours_at / bare:.2f}x | {svix / ours:.1f}x | {sw / ours:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
