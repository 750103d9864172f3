#!/usr/bin/env python3
"""An independent reader of Cairn repositories, written from docs/design/repository-format.md only.

It opens the frozen repository in ./repo with its password, reads every index, pack header, snapshot,
tree and data blob, and checks what the snapshots hold against manifest.txt. It proves that the
specification suffices to read a repository without Cairn. Requires Python 3.9+, the
`cryptography` package (Argon2id, HKDF, AES-GCM) and the `zstd` command. Run from this directory:

    python3 verify_repository.py
"""
import hashlib
import hmac
import json
import struct
import subprocess
import sys
from base64 import b64decode
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

HERE = Path(__file__).resolve().parent
REPO = HERE / "repo"
PASSWORD = "cairn-golden-v1"
SEG = 16384


def object_key(ikm, salt):  # §4: HKDF-SHA256, info "cairn-v1 object key", L = 32
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    return hmac.new(prk, b"cairn-v1 object key\x01", hashlib.sha256).digest()


def open_sealed(key, sealed, aad):  # §4
    if sealed[0] != 1:
        raise ValueError("unknown seal version")
    gcm = AESGCM(object_key(key, sealed[1:33]))
    body = sealed[33:]
    n = max(1, -(-len(body) // (SEG + 16)))
    if len(body) < 16 or (n > 1 and len(body) - (n - 1) * (SEG + 16) <= 16):
        raise ValueError("impossible sealed length")
    out = bytearray()
    for i in range(n):
        segment = body[i * (SEG + 16):(i + 1) * (SEG + 16)]
        out += gcm.decrypt(i.to_bytes(11, "big") + (b"\x01" if i == n - 1 else b"\x00"), segment, aad)
    return bytes(out)


def master_key():  # §6
    for path in sorted((REPO / "keys").iterdir()):
        k = json.loads(path.read_text())
        if k.get("cairn") != 1 or k.get("kdf") != "argon2id":
            continue
        wrapping = Argon2id(salt=b64decode(k["salt"]), length=32, iterations=k["iterations"], lanes=k["parallelism"],
                            memory_cost=k["memoryKiB"]).derive(PASSWORD.encode("utf-8"))
        try:
            master = open_sealed(wrapping, b64decode(k["data"]), f"cairn/v1/keys/{path.name}".encode())
        except Exception:
            continue
        return master[:32], master[32:]
    raise SystemExit("no key opens with the password")


def u32(b, pos):
    return struct.unpack_from("<I", b, pos)[0]


def read_indexes(enc):  # §8
    files = {}
    for path in sorted((REPO / "index").iterdir()):
        plain = open_sealed(enc, path.read_bytes(), f"cairn/v1/index/{path.name}".encode())
        assert plain[:4] == b"CIX1"
        supersedes_count = u32(plain, 4)
        supersedes = [plain[8 + 32 * i:40 + 32 * i].hex() for i in range(supersedes_count)]
        pos = 8 + 32 * supersedes_count
        pack_count = u32(plain, pos)
        pos += 4
        packs = {}
        for _ in range(pack_count):
            pack_id = plain[pos:pos + 32].hex()
            count = u32(plain, pos + 32)
            pos += 36
            blobs = []
            for _ in range(count):
                typ = plain[pos]
                blob_id = plain[pos + 1:pos + 33].hex()
                offset, sealed_length, plain_length = struct.unpack_from("<III", plain, pos + 33)
                blobs.append((typ, blob_id, offset, sealed_length, plain_length))
                pos += 45
            packs[pack_id] = blobs
        assert pos == len(plain), "trailing bytes in index"
        files[path.name] = (supersedes, packs)
    superseded = {s for sup, _ in files.values() for s in sup}
    index = {}
    for name, (_, packs) in files.items():
        if name in superseded:
            continue
        for pack_id, blobs in packs.items():
            for typ, blob_id, offset, sealed_length, plain_length in blobs:
                index.setdefault(blob_id, (pack_id, typ, offset, sealed_length, plain_length))
    return index, {p: b for _, (_, packs) in files.items() for p, b in packs.items()}


def check_pack_headers(enc, packs):  # §7
    for pack_id, blobs in packs.items():
        data = (REPO / "data" / pack_id[:2] / pack_id).read_bytes()
        header_length = u32(data, len(data) - 4)
        header = open_sealed(enc, data[len(data) - 4 - header_length:len(data) - 4], f"cairn/v1/pack/{pack_id}".encode())
        assert header[:4] == b"CPK1"
        entries, offset = [], 0
        for i in range(u32(header, 4)):
            e = header[8 + 41 * i:8 + 41 * (i + 1)]
            sealed_length, plain_length = struct.unpack_from("<II", e, 33)
            entries.append((e[0], e[1:33].hex(), offset, sealed_length, plain_length))
            offset += sealed_length
        assert offset + header_length + 4 == len(data), f"pack {pack_id}: header does not account for the file"
        assert sorted(entries) == sorted(blobs), f"pack {pack_id}: header and index differ"


def load_blob(enc, idk, index, blob_id, want_type):
    pack_id, typ, offset, sealed_length, plain_length = index[blob_id]
    assert typ == want_type
    with open(REPO / "data" / pack_id[:2] / pack_id, "rb") as f:
        f.seek(offset)
        sealed = f.read(sealed_length)
    label = "data" if typ == 0 else "tree"
    encoded = open_sealed(enc, sealed, f"cairn/v1/blob/{label}/{blob_id}".encode())
    if encoded[0] == 0:
        data = encoded[1:]
    elif encoded[0] == 1:
        data = subprocess.run(["zstd", "-d", "-c", "-q"], input=encoded[1:], capture_output=True, check=True).stdout
    else:
        raise ValueError("unknown encoding")
    assert len(data) == plain_length
    assert hmac.new(idk, data, hashlib.sha256).hexdigest() == blob_id, "blob id mismatch"
    return data


def walk(enc, idk, index, tree_id, prefix, snapshot_no, out, inodes):  # §9
    tree = json.loads(load_blob(enc, idk, index, tree_id, 1))
    names = [n["name"] for n in tree["nodes"]]
    assert names == sorted(names, key=lambda s: s.encode("utf-8")), "tree not sorted"
    for n in tree["nodes"]:
        path = prefix + n["name"]
        if n["type"] == "dir":
            out.add((str(snapshot_no), "dir", "%04o" % n["mode"], str(n["mtimeNs"]), "-", "-", "-", path))
            walk(enc, idk, index, n["subtree"], path + "/", snapshot_no, out, inodes)
        elif n["type"] == "symlink":
            out.add((str(snapshot_no), "symlink", "-", str(n["mtimeNs"]), "-", "-", n["linkTarget"], path))
        else:
            data = b"".join(load_blob(enc, idk, index, c, 0) for c in n.get("content") or [])
            assert len(data) == n["size"]
            out.add((str(snapshot_no), "file", "%04o" % n["mode"], str(n["mtimeNs"]), str(n["size"]),
                     hashlib.sha256(data).hexdigest(), "-", path))
            if n.get("links", 1) > 1:
                first = inodes.setdefault((n["device"], n["inode"]), path)
                if first != path:
                    out.add((str(snapshot_no), "hardlink", "-", "-", "-", "-", first, path))


def main():
    enc, idk = master_key()
    config = json.loads(open_sealed(enc, (REPO / "config").read_bytes(), b"cairn/v1/config/config"))
    assert config["version"] == 1
    index, packs = read_indexes(enc)
    check_pack_headers(enc, packs)
    snapshots = []
    for path in (REPO / "snapshots").iterdir():
        snapshots.append(json.loads(open_sealed(enc, path.read_bytes(), f"cairn/v1/snapshots/{path.name}".encode())))
    snapshots.sort(key=lambda s: s["time"])
    got = set()
    for number, snapshot in enumerate(snapshots, start=1):
        walk(enc, idk, index, snapshot["tree"], "", number, got, {})
    want = set()
    for line in (HERE / "manifest.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            want.add(tuple(line.split("\t")))
    if got != want:
        for line in sorted(want - got):
            print("missing:   ", "\t".join(line))
        for line in sorted(got - want):
            print("unexpected:", "\t".join(line))
        sys.exit(1)
    print(f"{len(snapshots)} snapshots, {len(index)} blobs in {len(packs)} packs: everything matches manifest.txt")


if __name__ == "__main__":
    main()
