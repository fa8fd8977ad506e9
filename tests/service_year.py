#!/usr/bin/env python3
"""A whole small year through `bangfu serve`, as a union system in Python would drive it.

Standard library only (urllib, json, subprocess). Starts `bangfu serve` on a new store
(the embedded Hainan 2018 policy, a budget without carry-over approval), files a household,
posts income, a claim, pays it, closes the year and reads the report, asserting each answer.

    python3 tests/service_year.py [path/to/bangfu]

The binary defaults to $BANGFU, else target/debug/bangfu. Exit 0 and a last line
"service_year: N passed, 0 failed" when every answer is as expected.
"""

import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HAINAN = os.path.join(ROOT, "crates", "bangfu-data", "data", "hainan-2018")
BUDGET = """year = 2018

[lines]
central_fiscal = "2700000.00"
provincial_fiscal = "2300000.00"
provincial_union_funds = "6000000.00"
"""

checks = 0


def check(condition, what):
    """Counts a check; stops the run with `what` when it fails."""
    global checks
    if not condition:
        raise AssertionError(what)
    checks += 1


def call(base, method, path, body=None):
    """One request: the HTTP status and the JSON body."""
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            status, text = resp.status, resp.read()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read()
    answer = json.loads(text)
    if not path.startswith(("/v1/schema", "/v1/openapi")):
        check(answer.get("v") == 1, f"{path}: no v in {str(answer)[:200]}")
    return status, answer


def op(base, op_id, actor, date, kind, body=None):
    """Posts one operation line."""
    line = {"v": 1, "id": op_id, "actor": actor, "date": date, "op": kind}
    if body is not None:
        line["body"] = body
    return call(base, "POST", "/v1/operations", line)


def household(case):
    """A household record of the Hainan year directory."""
    with open(os.path.join(HAINAN, "households.jsonl"), encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record["case"] == case:
                return record
    raise KeyError(case)


def run(bangfu, work):
    policy = subprocess.run([bangfu, "policy", "show", "hainan-2018"], check=True,
                            capture_output=True).stdout
    with open(os.path.join(work, "policy.toml"), "wb") as f:
        f.write(policy)
    with open(os.path.join(work, "budget.toml"), "w", encoding="utf-8") as f:
        f.write(BUDGET)
    store = os.path.join(work, "year.db")
    subprocess.run([bangfu, "init", store, "--policy", os.path.join(work, "policy.toml"),
                    "--budget", os.path.join(work, "budget.toml")], check=True,
                   capture_output=True)
    server = subprocess.Popen([bangfu, "serve", store, "--listen", "127.0.0.1:0", "--lang", "en"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = server.stdout.readline()
        check("listening on http://" in first, f"bangfu serve said {first!r}")
        base = first.split("listening on ")[1].split("/v1/")[0]
        year(base)
    finally:
        server.kill()
        server.wait()


def year(base):
    # Income to the provincial union funds.
    status, a = op(base, "op-1", "finance-1", "2018-01-05", "income",
                   {"id": "in-1", "date": "2018-01-05", "source": "provincial_union_funds",
                    "kind": "allocation", "amount": "50000.00"})
    check((status, a["status"], a["result"]["balance_after"]) == (201, "accepted", "50000.00"),
          f"income: {status} {a}")

    # A household filed through the seven steps.
    record = household("DS-0012/1")
    status, a = op(base, "op-2", "center-1", record["applied"], "file_household", record)
    check((status, a["result"]["effect"], a["result"]["stage"]) == (201, "case", "active"),
          f"file: {status} {a}")

    # Its file, with the procedure's history and no ID number unmasked.
    status, a = call(base, "GET", "/v1/files/DS-0012%2F1")
    check(status == 200 and a["stage"] == "active" and len(a["history"]) == 7, f"file read: {a}")
    check(a["receipt"]["position"] == 2, f"receipt: {a['receipt']}")
    check(record["household"]["worker"]["person"]["id_number"] not in json.dumps(a),
          "an ID number unmasked")

    # A medical claim, decided by the calculators.
    status, a = op(base, "op-3", "center-1", "2018-03-02", "claim",
                   {"id": "c-1", "case": "DS-0012/1", "household": "DS-0012",
                    "date": "2018-03-02",
                    "detail": {"kind": "medical", "applicant": "DS-0012-w",
                               "out_of_pocket": "8000.00"}})
    check((status, a["result"]["effect"], a["result"]["amount"]) == (201, "decided", "4000.00"),
          f"claim: {status} {a}")

    # Its payment; sent twice, paid once.
    pay = {"id": "p-1", "claim": "c-1", "date": "2018-03-05",
           "source": "provincial_union_funds", "channel": "union_member_card"}
    status, a = op(base, "op-4", "finance-1", "2018-03-05", "pay", pay)
    check((status, a["result"]["balance_after"]) == (201, "46000.00"), f"pay: {status} {a}")
    status, a = op(base, "op-4", "finance-1", "2018-03-05", "pay", pay)
    check((status, a["status"]) == (200, "duplicate"), f"pay again: {status} {a}")
    status, a = op(base, "op-5", "finance-1", "2018-03-06", "pay", dict(pay, id="p-2"))
    # A second payment of the paid claim: refused by the rules, nothing written.
    check(status == 409 and a["status"] == "refused" and a["code"].startswith("year."),
          f"pay over: {status} {a}")

    # What remains of the household's medical cap.
    status, a = call(base, "GET", "/v1/households/DS-0012/entitlement?date=2018-06-30")
    e = a["entitlement"]
    check((status, e["medical_paid"], e["medical_remaining"]) == (200, "4000.00", "11000.00"),
          f"entitlement: {status} {a}")

    # A stateless decision beside the store.
    status, a = call(base, "POST", "/v1/decisions",
                     {"kind": "sending_warmth", "id": "w-1",
                      "file": {"case": "c-9", "household": "h-9", "tier": "national",
                               "degree": "subsistence", "household_size": 3,
                               "status": "active"},
                      "claim": {"id": "w-1", "date": "2018-01-20"}})
    check((status, a["amount"]) == (200, "800.00"), f"decision: {status} {a}")

    # The close; nothing is recorded after it.
    status, a = op(base, "op-6", "center-1", "2018-12-31", "close")
    sources = a["result"]["close"]["sources"]
    check(status == 201 and sources[0]["balance"] == "46000.00", f"close: {status} {a}")
    status, a = op(base, "op-7", "finance-1", "2018-12-31", "income",
                   {"id": "in-2", "date": "2018-12-31", "source": "central_fiscal",
                    "kind": "allocation", "amount": "1.00"})
    check((status, a["code"]) == (409, "journal.year_closed"), f"after close: {status} {a}")

    # The store is its replay; the statement and the report.
    status, a = call(base, "GET", "/v1/verify")
    check((status, a["verified"], a["operations"]) == (200, True, 5), f"verify: {a}")
    status, a = call(base, "GET", "/v1/statement")
    t = a["statement"]["totals"]
    check((status, t["income"], t["spent"], t["balance"]) == (200, "50000.00", "4000.00",
                                                              "46000.00"), f"statement: {t}")
    status, a = call(base, "GET", "/v1/report?lang=en")
    check(status == 200 and a["complete"] is False and "stated.toml" in a["missing"],
          f"report: {status} {a.get('missing')}")
    check(a["report"].startswith("# Aid fund income and spending, 2018"), "the report's text")
    status, a = call(base, "GET", "/v1/report?format=html")
    check(status == 200 and a["format"] == "html", f"report html: {status}")

    # The schemas are served.
    status, a = call(base, "GET", "/v1/openapi.json")
    check(status == 200 and a["openapi"] == "3.1.0", "openapi")


def main():
    bangfu = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
        "BANGFU", os.path.join(ROOT, "target", "debug", "bangfu"))
    with tempfile.TemporaryDirectory() as work:
        try:
            run(bangfu, work)
        except AssertionError as e:
            print(f"service_year: FAILED after {checks} checks: {str(e)[:2000]}")
            print(f"service_year: {checks} passed, 1 failed")
            return 1
    print(f"service_year: {checks} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
