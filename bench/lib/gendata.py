#!/usr/bin/env python3
"""gendata.py OUT SIZE: write SIZE bytes of deterministic, compressible but
not trivial data (pseudo-English text with numbers, some log-like lines and
~6% incompressible bytes) to OUT.  Same bytes on every machine."""
import sys


def lcg(seed):
    x = seed
    while True:
        x = (x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        yield x >> 33


def main():
    out, size = sys.argv[1], int(sys.argv[2])
    r = lcg(20261123)
    letters = "etaoinshrdlcumwfgypbvkjxqz"
    vocab = []
    for _ in range(3000):
        n = 2 + next(r) % 9
        vocab.append("".join(letters[min(25, int((next(r) % 1000) ** 2 / 38000))] for _ in range(n)))
    chunks, total = [], 0
    line = 0
    while total < size:
        line += 1
        k = next(r) % 100
        if k < 70:  # a sentence, Zipf-ish word choice
            words = []
            for _ in range(5 + next(r) % 12):
                u = (next(r) % 100000) / 100000.0
                words.append(vocab[int(len(vocab) * u ** 3)])
            s = " ".join(words).capitalize() + ".\n"
        elif k < 94:  # a log line
            s = "2026-11-%02d %02d:%02d:%02d host%d svc[%d]: req=%x status=%d bytes=%d\n" % (
                1 + next(r) % 28, next(r) % 24, next(r) % 60, next(r) % 60, next(r) % 16,
                next(r) % 4000, next(r), (200, 200, 200, 404, 500)[next(r) % 5], next(r) % 100000)
        else:  # noise
            s = "".join(chr(33 + next(r) % 94) for _ in range(40 + next(r) % 80)) + "\n"
        chunks.append(s)
        total += len(s)
    data = "".join(chunks).encode()[:size]
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
