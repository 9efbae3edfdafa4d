"""A Bloom filter: is a word in a large list, in a few megabytes and no parsing at load.

The Romanian word list has about two million inflected forms; held as a Python set it would
take well over a hundred megabytes per process. A Bloom filter answers "certainly not in the
list" or "in the list" with a small, fixed false-positive rate (0.1 % here), and loads as one
``bytes`` read from disk. Positions come from BLAKE2b, so the file does not depend on Python's
per-process string hashing.
"""

from __future__ import annotations

import hashlib
import math
import struct
from dataclasses import dataclass

_MAGIC = b"AOBLOOM1"
_HEADER = struct.Struct("<8sQB")


@dataclass
class BloomFilter:
    size: int  # in bits
    hashes: int
    bits: bytearray | bytes

    @classmethod
    def for_items(cls, count: int, *, error_rate: float) -> BloomFilter:
        size = math.ceil(-count * math.log(error_rate) / math.log(2) ** 2)
        hashes = max(1, round(size / count * math.log(2)))
        return cls(size=size, hashes=hashes, bits=bytearray((size + 7) // 8))

    def _positions(self, word: str) -> list[int]:
        digest = hashlib.blake2b(word.encode("utf-8"), digest_size=16).digest()
        first = int.from_bytes(digest[:8], "little")
        step = int.from_bytes(digest[8:], "little") | 1
        return [(first + i * step) % self.size for i in range(self.hashes)]

    def add(self, word: str) -> None:
        assert isinstance(self.bits, bytearray)
        for position in self._positions(word):
            self.bits[position >> 3] |= 1 << (position & 7)

    def __contains__(self, word: str) -> bool:
        bits = self.bits
        return all(bits[p >> 3] & (1 << (p & 7)) for p in self._positions(word))

    def to_bytes(self) -> bytes:
        return _HEADER.pack(_MAGIC, self.size, self.hashes) + bytes(self.bits)

    @classmethod
    def from_bytes(cls, data: bytes) -> BloomFilter:
        magic, size, hashes = _HEADER.unpack_from(data)
        if magic != _MAGIC:
            raise ValueError("not a Bloom filter file")
        return cls(size=size, hashes=hashes, bits=data[_HEADER.size :])
