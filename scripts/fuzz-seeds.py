#!/usr/bin/env python3
"""Writes the fuzz seed corpus (fuzz/seeds/<target>/) from the public vectors and the event
fixtures. Deterministic: rerun after adding vectors or fixtures and commit the result.

Signatures in the seeds are made with SEED_KEY, never with the key the fuzz targets verify with,
so a seed can reach deep into parsing but can never verify (the negative targets assert that).
"""
import hashlib
import hmac
import json
import pathlib
import shutil
import struct

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fuzz" / "seeds"
SEED_KEY = b"seed-key-for-the-fuzz-corpus-only"

# Provider::ALL order in crates/hookverify/src/scheme.rs.
PROVIDERS = ["standard-webhooks", "sendable", "sendpilot", "autosend", "sendkit", "sent", "stripe", "github"]
# NAMES in fuzz/fuzz_targets/verify_arbitrary.rs.
NAMES = [
    "webhook-id", "webhook-timestamp", "webhook-signature", "svix-id", "svix-timestamp", "svix-signature",
    "x-webhook-signature", "x-webhook-id", "x-webhook-timestamp", "x-webhook-event-id", "x-webhook-delivery-id",
    "x-webhook-event", "stripe-signature", "x-hub-signature-256", "x-github-delivery", "x-github-event",
]


def u16(n):
    return struct.pack("<H", min(n, 0xFFFF))


def prefixed(value: bytes) -> bytes:
    return u16(len(value)) + value


def mac(data: bytes) -> bytes:
    return hmac.new(SEED_KEY, data, hashlib.sha256).digest()


def write(target, name, data: bytes):
    directory = SEEDS / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data)


def fixtures():
    base = ROOT / "crates" / "hookverify" / "fixtures"
    for directory in sorted(base.iterdir()):
        provider = directory.name.removesuffix("-older")
        for path in sorted(directory.glob("*.json")):
            yield provider, directory.name, path.stem, path.read_bytes()


def main():
    if SEEDS.exists():
        shutil.rmtree(SEEDS)
    vectors = json.loads((ROOT / "testdata" / "vectors" / "public.json").read_text())["vectors"]

    # signature_standard: <u16 len><signature><body>
    for i, v in enumerate(vectors):
        sig = v["headers"].get("webhook-signature") or v["headers"].get("svix-signature")
        if v["scheme"] == "standard-webhooks" and sig is not None:
            write("signature_standard", f"vector-{i:02}", prefixed(sig.encode()) + v["body"].encode())
    tag = mac(b"msg_fuzz.1700000000.{}")
    import base64
    b64 = base64.b64encode(tag)
    for name, sig in {
        "two": b"v1," + b64 + b" v1," + b64[::-1],
        "v1a": b"v1a," + b64 + b" v1," + b64,
        "unpadded": b"v1," + b64.rstrip(b"="),
        "empty-entry": b"v1, v1,,",
        "many": b" ".join([b"v1," + b64] * 40),
    }.items():
        write("signature_standard", f"hand-{name}", prefixed(sig) + b"{}")

    # signature_sendpilot / signature_stripe / signature_hex_prefix / events / verify_structured
    for provider, directory, event, body in fixtures():
        hexmac = mac(b"1700000000." + body).hex().encode()
        if provider == "sendpilot":
            write("signature_sendpilot", f"{event}", prefixed(b"t=1700000000,s=" + hexmac) + body)
            write("signature_sendpilot", f"{event}-v1", prefixed(b"v1,t=1700000000,s=" + hexmac + b",s=" + hexmac) + body)
        if provider == "stripe":
            write("signature_stripe", f"{event}", prefixed(b"t=1700000000,v1=" + hexmac + b",v0=" + hexmac) + body)
        if provider in ("github", "autosend", "sendkit"):
            selector = {"github": 0, "autosend": 1, "sendkit": 2}[provider]
            prefix = {"github": b"sha256=", "autosend": b"hmac-sha256=", "sendkit": b"sha256="}[provider]
            write("signature_hex_prefix", f"{directory}-{event}", bytes([selector]) + prefixed(prefix + mac(body).hex().encode()) + body)
            if provider != "github":
                write("signature_hex_prefix", f"{directory}-{event}-bare", bytes([selector]) + prefixed(mac(body).hex().encode()) + body)
        write("events", f"{directory}-{event}", bytes([PROVIDERS.index(provider)]) + event.encode() + b"\n" + body)
        write("verify_structured", f"{directory}-{event}", body)
    write("signature_stripe", "hand-many", prefixed(b",".join([b"t=1700000000"] + [b"v1=" + b"ab" * 32] * 30)) + b"{}")

    # verify_arbitrary: <provider><i64 now ms><records: name u16 value>*<0xff><body>
    for i, v in enumerate(vectors):
        provider = PROVIDERS.index(v["scheme"])
        data = bytes([provider]) + struct.pack("<q", int(v["now"]) * 1000)
        for name, value in v["headers"].items():
            if name.lower() in NAMES:
                data += bytes([NAMES.index(name.lower())]) + prefixed(value.encode())
        write("verify_arbitrary", f"vector-{i:02}", data + b"\xff" + v["body"].encode())

    # ... and one delivery per provider, headers shaped as the provider sends them.
    seen = set()
    for provider, directory, event, body in fixtures():
        if provider in seen:
            continue
        seen.add(provider)
        ts = b"1700000000"
        hexmac = mac(body).hex().encode()
        headers = {
            "standard-webhooks": [("webhook-id", b"msg_1"), ("webhook-timestamp", ts), ("webhook-signature", b"v1," + b64)],
            "sendable": [("svix-id", b"msg_1"), ("svix-timestamp", ts), ("svix-signature", b"v1," + b64)],
            "sent": [("webhook-id", b"msg_1"), ("webhook-timestamp", ts), ("webhook-signature", b"v1," + b64)],
            "sendpilot": [("webhook-signature", b"v1,t=" + ts + b",s=" + hexmac)],
            "autosend": [("x-webhook-signature", b"hmac-sha256=" + hexmac), ("x-webhook-timestamp", ts + b"000"),
                         ("x-webhook-delivery-id", b"job_1"), ("x-webhook-event", event.encode())],
            "sendkit": [("x-webhook-signature", b"sha256=" + hexmac), ("x-webhook-event", event.encode())],
            "stripe": [("stripe-signature", b"t=" + ts + b",v1=" + hexmac)],
            "github": [("x-hub-signature-256", b"sha256=" + hexmac), ("x-github-delivery", b"d-1"), ("x-github-event", event.encode())],
        }[provider]
        data = bytes([PROVIDERS.index(provider)]) + struct.pack("<q", 1_700_000_000_000)
        for name, value in headers:
            data += bytes([NAMES.index(name)]) + prefixed(value)
        write("verify_arbitrary", f"{provider}", data + b"\xff" + body)

    # timestamp: raw header values
    for name, value in {
        "seconds": b"1700000000", "millis": b"1700000000000", "zero": b"0", "empty": b"", "negative": b"-1",
        "plus": b"+1700000000", "space": b" 1700000000", "huge": b"9" * 40, "i64-max": b"9223372036854775807",
        "leading-zeros": b"0001700000000", "float": b"1700000000.5", "twelve": b"170000000000",
    }.items():
        write("timestamp", name, value)

    # secret: <min length byte><secret text>
    for i, v in enumerate(vectors):
        write("secret", f"vector-{i:02}", bytes([16]) + v["secret"].encode())
    for name, value in {
        "whsec": b"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "raw": b"raw_secret_0123456789abcdef",
        "padded": b" whsec_abc ", "short": b"whsec_", "no-prefix": b"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "urlsafe": b"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw_-", "unicode": "whsec_é漢字".encode(),
    }.items():
        write("secret", name, bytes([16]) + value)


if __name__ == "__main__":
    main()
