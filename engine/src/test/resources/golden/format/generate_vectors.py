#!/usr/bin/env python3
"""Independent implementation of the byte formats in docs/design/repository-format.md, used to
write the golden vectors in this directory. It follows the specification text only (not the Java
code), so the Java tests that compare against these files prove that code and specification agree.

Requires Python 3.9+ and the `cryptography` package. Run from this directory:

    python3 generate_vectors.py            # checks the files in this directory, changes nothing
    python3 generate_vectors.py --write    # (re)writes them: only for a deliberate format change

Conventions shared by every vector (also stated in each file):
  * master key: encryption key = bytes 0x00..0x1f, id key = bytes 0x20..0x3f
  * "counter random": a stand-in for the secure random generator; the n-th byte it hands out
    (n = 0, 1, ...) is (start + n) mod 256. Each vector says its start; a seal draws exactly its
    32 salt bytes from it, in order.
"""
import hashlib
import json
import hmac
import struct
import sys
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SEG = 16384
HERE = Path(__file__).resolve().parent
ENC_KEY = bytes(range(0x00, 0x20))
ID_KEY = bytes(range(0x20, 0x40))


class CounterRandom:
    def __init__(self, start):
        self.next = start

    def take(self, n):
        out = bytes((self.next + i) % 256 for i in range(n))
        self.next = (self.next + n) % 256
        return out


def hkdf_object_key(ikm, salt):
    """HKDF-SHA256 (RFC 5869), info "cairn-v1 object key", L = 32 (one output block)."""
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    return hmac.new(prk, b"cairn-v1 object key" + b"\x01", hashlib.sha256).digest()


def nonce(i, last):
    return i.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def seal(key, plaintext, aad, rnd):
    salt = rnd.take(32)
    gcm = AESGCM(hkdf_object_key(key, salt))
    n = max(1, -(-len(plaintext) // SEG))
    out = bytearray([1]) + salt
    for i in range(n):
        out += gcm.encrypt(nonce(i, i == n - 1), plaintext[i * SEG:(i + 1) * SEG], aad)
    return bytes(out), salt


def u32(v):
    return struct.pack("<I", v)


def pattern(length, modulus):
    return bytes(i % modulus for i in range(length))


HEADER = """# Cairn repository-format golden vector: {title}
# Written once by generate_vectors.py (an independent implementation of the specification) and
# checked by the engine's tests. Never regenerate it to make a test pass: a difference means the
# code no longer writes repository format version 1.
# Master key: encryption key = 00..1f, id key = 20..3f. counter random: byte n = (start + n) mod 256.
"""


def seal_vector(title, plaintext, plaintext_desc, aad, start):
    salt_rnd = CounterRandom(start)
    sealed, salt = seal(ENC_KEY, plaintext, aad, salt_rnd)
    lines = [HEADER.format(title=title).rstrip("\n")]
    lines.append(f"encryption-key = {ENC_KEY.hex()}")
    lines.append(f"random-start = {start}")
    lines.append(f"salt = {salt.hex()}")
    lines.append(f"object-key = {hkdf_object_key(ENC_KEY, salt).hex()}")
    lines.append(f"aad = {aad.decode('ascii')}")
    lines.append(f"plaintext-length = {len(plaintext)}")
    lines.append(f"plaintext = {plaintext_desc}")
    lines.append(f"sealed-length = {len(sealed)}")
    lines.append(f"sealed-sha256 = {hashlib.sha256(sealed).hexdigest()}")
    lines.append(f"sealed = {sealed.hex()}")
    return "\n".join(lines) + "\n"


def hkdf_vectors():
    lines = [HEADER.format(title="per-object keys (HKDF-SHA256, info 'cairn-v1 object key', L = 32)").rstrip("\n"),
             "# one vector per line: vector = ikm <hex> salt <hex> key <hex>"]
    cases = [
        (ENC_KEY, bytes(range(0xa0, 0xc0))),
        (ENC_KEY, bytes(32)),
        (bytes(32), ENC_KEY),
        (bytes([0xff]) * 32, bytes(range(0x40, 0x60))),
    ]
    for ikm, salt in cases:
        lines.append(f"vector = ikm {ikm.hex()} salt {salt.hex()} key {hkdf_object_key(ikm, salt).hex()}")
    return "\n".join(lines) + "\n"


def blob_id_vectors():
    lines = [HEADER.format(title="blob ids (HMAC-SHA256 under the id key)").rstrip("\n"),
             "# one vector per line: vector = data <description> id <hex>; descriptions: 'empty', 'ascii:<text>',",
             "# 'pattern:<length>:<modulus>' (byte i = i mod modulus)"]
    cases = [("empty", b""), ("ascii:cairn", b"cairn"), ("pattern:16385:251", pattern(16385, 251)),
             ("pattern:1048576:256", pattern(1 << 20, 256))]
    lines.append(f"id-key = {ID_KEY.hex()}")
    for desc, data in cases:
        lines.append(f"vector = data {desc} id {hmac.new(ID_KEY, data, hashlib.sha256).hexdigest()}")
    return "\n".join(lines) + "\n"


def ids(first):
    return bytes([first]) * 32


def index_plaintext():
    """Two superseded index ids, two packs (3 + 1 blobs)."""
    supersedes = [ids(0x11), ids(0x12)]
    packs = [
        (ids(0xa1), [(0, ids(0x01), 0, 1000, 980), (0, ids(0x02), 1000, 65585, 65536), (1, ids(0x03), 66585, 300, 1200)]),
        (ids(0xb2), [(1, bytes(range(32)), 0, 49, 0)]),
    ]
    out = bytearray(b"CIX1") + u32(len(supersedes))
    for s in supersedes:
        out += s
    out += u32(len(packs))
    for pack_id, blobs in packs:
        out += pack_id + u32(len(blobs))
        for typ, blob_id, offset, sealed_length, plain_length in blobs:
            out += bytes([typ]) + blob_id + u32(offset) + u32(sealed_length) + u32(plain_length)
    return bytes(out)


def index_vector():
    plain = index_plaintext()
    index_id = ids(0xc3).hex()
    aad = f"cairn/v1/index/{index_id}".encode("ascii")
    sealed, salt = seal(ENC_KEY, plain, aad, CounterRandom(0x40))
    lines = [HEADER.format(title="an index file").rstrip("\n"),
             "# supersedes: 1111..11, 1212..12 (32 bytes each). packs, in this order:",
             "#   a1a1..a1: data 0101..01 @0 sealed 1000 plain 980; data 0202..02 @1000 sealed 65585 plain 65536;",
             "#             tree 0303..03 @66585 sealed 300 plain 1200",
             "#   b2b2..b2: tree 000102..1f @0 sealed 49 plain 0",
             f"index-id = {index_id}",
             "random-start = 64",
             f"plaintext = {plain.hex()}",
             f"sealed = {sealed.hex()}"]
    return "\n".join(lines) + "\n"


def pack_vector():
    """A pack of two raw-encoded data blobs and one raw-encoded tree blob, sealed in that order,
    then the header; every seal draws its salt from one counter random (start 0x61)."""
    rnd = CounterRandom(0x61)
    blobs = [(0, b"first data blob"), (0, pattern(20000, 253)), (1, b'{"nodes":[]}')]
    body = bytearray()
    entries = bytearray()
    for typ, data in blobs:
        blob_id = hmac.new(ID_KEY, data, hashlib.sha256).digest()
        label = "data" if typ == 0 else "tree"
        sealed, _ = seal(ENC_KEY, b"\x00" + data, f"cairn/v1/blob/{label}/{blob_id.hex()}".encode("ascii"), rnd)
        body += sealed
        entries += bytes([typ]) + blob_id + u32(len(sealed)) + u32(len(data))
    pack_id = ids(0xd4).hex()
    header_plain = b"CPK1" + u32(len(blobs)) + bytes(entries)
    header, _ = seal(ENC_KEY, header_plain, f"cairn/v1/pack/{pack_id}".encode("ascii"), rnd)
    pack = bytes(body) + header + u32(len(header))
    lines = [HEADER.format(title="a pack").rstrip("\n"),
             "# blobs, sealed in this order with encoding byte 0x00 (stored as is):",
             "#   data 'first data blob' (ascii); data pattern:20000:253 (byte i = i mod 253); tree '{\"nodes\":[]}'",
             f"pack-id = {pack_id}",
             "random-start = 97",
             f"header-plaintext = {header_plain.hex()}",
             f"pack-length = {len(pack)}",
             f"pack-sha256 = {hashlib.sha256(pack).hexdigest()}",
             f"pack = {pack.hex()}"]
    return "\n".join(lines) + "\n"


def tree_vector():
    """A tree as its JSON bytes: nodes sorted by the UTF-8 bytes of their names, fields in the order
    of the table in §9, absent (null) fields left out, compact separators, non-ASCII as UTF-8."""
    def node(name, typ, **fields):
        order = ["mode", "uid", "gid", "user", "group", "mtimeNs", "ctimeNs", "inode", "device", "links", "size",
                 "content", "subtree", "linkTarget"]
        out = {"name": name, "type": typ}
        for key in order:
            if fields.get(key) is not None:
                out[key] = fields[key]
        return out
    common = dict(uid=1000, gid=100, user="ann", group="users", mtimeNs=1620284889123456789,
                  ctimeNs=1620284890000000001, device=2049)
    nodes = [
        node("\U0001f600", "file", mode=0o644, inode=11, links=1, size=0, content=[], **common),
        node("Zeta", "dir", mode=0o2775, inode=12, links=2, size=0, subtree="ab" * 32, **common),
        node("a", "symlink", mode=0o777, inode=13, links=1, size=0, linkTarget="../target with space", **common),
        node("b.txt", "file", mode=0o600, inode=14, links=2, size=70000, content=["01" * 32, "02" * 32], **common),
        node("\u00e9t\u00e9", "file", mode=0o755, inode=15, links=1, size=5, content=["03" * 32], **common),
        node("\ufb00", "file", mode=0o644, inode=16, links=1, size=1, content=["04" * 32], **common),
    ]
    nodes.sort(key=lambda n: n["name"].encode("utf-8"))
    text = json.dumps({"nodes": nodes}, separators=(",", ":"), ensure_ascii=False)
    lines = [HEADER.format(title="a tree blob's plaintext (JSON)").rstrip("\n"),
             "# Equal directories must give equal bytes (they deduplicate), so the exact bytes are pinned.",
             "# The names include U+FB00 and U+1F600, which sort differently in UTF-8 than in UTF-16.",
             f"json-sha256 = {hashlib.sha256(text.encode('utf-8')).hexdigest()}",
             f"json = {text}"]
    return "\n".join(lines) + "\n"


def all_files():
    return {
        "seal-empty.txt": seal_vector("sealed empty object", b"", "empty", b"cairn/v1/config/config", 0xa0),
        "seal-short.txt": seal_vector("sealed short object", b'{"hello":"cairn"}', 'ascii:{"hello":"cairn"}',
                                      ("cairn/v1/snapshots/" + "ab" * 32).encode("ascii"), 0x30),
        "seal-one-full-segment.txt": seal_vector("sealed object of exactly one segment (16384 bytes)",
                                                 pattern(SEG, 251), "pattern:16384:251",
                                                 ("cairn/v1/locks/" + "ef" * 32).encode("ascii"), 0x10),
        "seal-three-segments.txt": seal_vector("sealed object of three segments (2 * 16384 + 100 bytes)",
                                               pattern(2 * SEG + 100, 251), "pattern:32868:251",
                                               ("cairn/v1/index/" + "cd" * 32).encode("ascii"), 0xf0),
        "hkdf-object-key.txt": hkdf_vectors(),
        "blob-id.txt": blob_id_vectors(),
        "index-file.txt": index_vector(),
        "pack.txt": pack_vector(),
        "tree.txt": tree_vector(),
    }


def main():
    write = "--write" in sys.argv[1:]
    differ = []
    for name, text in all_files().items():
        path = HERE / name
        if write:
            path.write_text(text, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            differ.append(name)
    if differ:
        print("differs from this implementation: " + ", ".join(differ))
        sys.exit(1)
    print("written" if write else "all vectors agree")


if __name__ == "__main__":
    main()
