#!/usr/bin/env python3
"""A bangfu ledger file (JSON Lines) as an hledger journal, for the side-by-side statement run
(tools/statement-scale.sh): tools/ledger-to-hledger.py LEDGER.jsonl > ledger.journal

Each posting is one transaction of two postings, so that `hledger balance` sums what bangfu's
statement sums:
- an income: `fund:SOURCE` receives the amount from `income:SOURCE:KIND`;
- a payment: `aid:SOURCE:CATEGORY[:campaign]` (the category as posted) receives it from
  `fund:SOURCE`;
- a reversal: the reversed transaction's postings with the amounts negated.
Amounts stay exact (two decimals, written as read). Standard library only.
"""
import json
import sys


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    accounts = {}
    out = sys.stdout
    write = out.write
    with open(sys.argv[1], encoding="utf-8-sig") as f:
        for line in f:
            if not line.strip():
                continue
            p = json.loads(line)
            kind = p["type"]
            source = p["source"]
            if kind == "income":
                pair = ("fund:" + source, "income:" + source + ":" + p["kind"])
            elif kind == "disbursement":
                account = "aid:" + source + ":" + p["category"]
                if p.get("campaign") or p.get("kind", "regular") != "regular":
                    account += ":" + p.get("kind", "regular")
                pair = (account, "fund:" + source)
            else:
                pair = accounts[p["reverses"]]
                pair = (pair[1], pair[0])
            accounts[p["id"]] = pair
            amount = p["amount"]
            write(p["date"] + " " + p["id"] + "\n    " + pair[0] + "  " + amount
                  + " CNY\n    " + pair[1] + "  -" + amount + " CNY\n\n")


if __name__ == "__main__":
    main()
