#!/usr/bin/env python3
"""Generate customs-style shipment records for `comptrace shipments import` load tests.

usage: gen_shipments.py ROWS OUT.csv [--seed N] [--parts-from FINDINGS.csv] [--parts P]
       [--traders T] [--importers I]

Part numbers and brands are taken from a findings file (the shared generator's output) when
--parts-from is given, so records join the catalogue's parts by exact keys; else they are made
up (and join nothing). Each record moves a part one step of a chain: a distributor in the
maker's world ships to a trader in a third country (Hong Kong, China, Turkey, the UAE,
Kazakhstan, Armenia), or a trader ships to an importer in Russia or Belarus, so `report route`
finds chains two links deep with branches. A tenth of the records name only a brand.
Columns: the shipments import format (docs/supply-chain.md). Standard library only;
deterministic for a given seed.
"""
import csv, random, sys

HEADER = ["date", "hs_code", "description", "part_number", "brand", "quantity", "value", "currency",
          "exporter", "exporter_country", "importer", "importer_country", "source_url"]
THIRD = ["HK", "CN", "TR", "AE", "KZ", "AM"]
HS = ["854231", "854232", "854239", "854129", "853669", "852692"]


def args(argv):
    rows, out = int(argv[1]), argv[2]
    opts = {"--seed": "1", "--parts-from": None, "--parts": None, "--traders": "2000", "--importers": "1000"}
    i = 3
    while i < len(argv):
        opts[argv[i]] = argv[i + 1]
        i += 2
    return rows, out, opts


def parts_from(path, limit):
    seen, out = set(), []
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            pn, maker = (r.get("part_number") or "").strip(), (r.get("manufacturer") or "").strip()
            if pn and maker and (pn, maker) not in seen:
                seen.add((pn, maker))
                out.append((pn, maker))
                if len(out) >= limit:
                    break
    return out


def main():
    rows, out, o = args(sys.argv)
    rnd = random.Random(int(o["--seed"]))
    n_parts = int(o["--parts"] or max(rows // 100, 10))
    if o["--parts-from"]:
        parts = parts_from(o["--parts-from"], n_parts)
    else:
        parts = [("PX%05d" % i, "Maker %d" % (i % 97)) for i in range(n_parts)]
    traders = [("Trader %04d Ltd" % i, rnd.choice(THIRD)) for i in range(int(o["--traders"]))]
    importers = [("OOO Importer %04d" % i, rnd.choice(["RU"] * 9 + ["BY"])) for i in range(int(o["--importers"]))]
    distributors = [("Distributor %03d Inc" % i, rnd.choice(["US", "DE", "JP", "GB", "NL"])) for i in range(200)]
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(rows):
            pn, brand = parts[rnd.randrange(len(parts))]
            if rnd.random() < 0.3:
                (exp, ec), (imp, ic) = rnd.choice(distributors), rnd.choice(traders)
            else:
                (exp, ec), (imp, ic) = rnd.choice(traders), rnd.choice(importers)
            brand_only = rnd.random() < 0.1
            qty = rnd.randint(1, 5000)
            w.writerow([
                "20%02d-%02d-%02d" % (rnd.randint(22, 25), rnd.randint(1, 12), rnd.randint(1, 28)),
                rnd.choice(HS), "Integrated circuits", "" if brand_only else pn, brand, qty,
                "%.2f" % (qty * rnd.uniform(0.2, 40)), "USD", exp, ec, imp, ic,
                "https://example.org/customs/%d" % i,
            ])


if __name__ == "__main__":
    main()
