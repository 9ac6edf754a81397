"""Sets of documents as Python integers: bit n set means document n is in the set.

Union, intersection and difference are |, & and ~; a set's size is `bit_count()`.
"""

from __future__ import annotations


def mask_of(docnums) -> int:
    """Return the bitset of an iterable of document numbers."""
    docnums = list(docnums)
    if not docnums:
        return 0
    bits = bytearray((max(docnums) >> 3) + 1)
    for d in docnums:
        bits[d >> 3] |= 1 << (d & 7)
    return int.from_bytes(bits, "little")


# The bits set in each byte value, so a bitset is read a byte at a time.
BITS_OF_BYTE = tuple(tuple(i for i in range(8) if b >> i & 1) for b in range(256))


def docnums_of(mask: int) -> list[int]:
    """Return the document numbers set in a bitset, ascending."""
    data = mask.to_bytes((mask.bit_length() + 7) >> 3, "little")
    return [
        base + bit
        for base, byte in zip(range(0, len(data) << 3, 8), data, strict=True)
        if byte
        for bit in BITS_OF_BYTE[byte]
    ]
