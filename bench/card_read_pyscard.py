"""Baseline for bench_card_read: the same APDUs sent from Python with pyscard.

usage: /usr/bin/python3 card_read_pyscard.py READER COUNT "HEX APDU,HEX APDU,..."
Prints the median microseconds per read over 5 rounds of COUNT/5 reads.
"""
import sys
import time

from smartcard.System import readers
from smartcard.scard import SCARD_LEAVE_CARD


def main():
    name, count, hexes = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    apdus = [list(bytes.fromhex(h)) for h in hexes.split(",") if h.strip()]
    reader = next(r for r in readers() if str(r) == name)
    conn = reader.createConnection()
    # Leave the card as it is: the default resets it under the other connections.
    conn.connect(disposition=SCARD_LEAVE_CARD)
    per_round = max(1, count // 5)
    results = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(per_round):
            for apdu in apdus:
                conn.transmit(apdu)
        results.append((time.perf_counter() - t0) / per_round * 1e6)
    conn.disconnect()
    results.sort()
    print(f"{results[len(results) // 2]:.1f}")


if __name__ == "__main__":
    main()
