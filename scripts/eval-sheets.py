#!/usr/bin/env python3
"""Recall of the records of parameter, counter, event, feature-state and alarm
sheets in ranstream's extractions.jsonl.

Reads every sheet with Python's own csv module (independent of the Go
extraction code), builds the set of records of each kind, and compares it with
the items extracted for the document of the same source name:

  parameters      (MO class, parameter name), struct members (MO class, struct,
                  member); an MO class cell "Child(Parent::X)" names Child
  counters        (MO class, counter name) per class of "A/B" cells, or the
                  bare counter name when the row names no class
  events          the PM event name
  feature_states  (CXC code, description)
  alarms          (specific problem, MO class)

usage: eval-sheets.py [--min 0.99] extractions.jsonl SHEET.csv...
Exits 1 when a kind of a sheet has recall below --min.
"""
import argparse
import csv
import json
import os
import re
import sys

csv.field_size_limit(1 << 30)


def norm(name):
    return re.sub(r"[^0-9a-z]", "", name.lower())


def classes(cell):
    cell = cell.split("(")[0]
    return [c for c in re.split(r"[/,; ]+", cell) if c]


def read(path):
    raw = open(path, "rb").read().decode("utf-8-sig", errors="replace")
    first = raw.split("\n", 1)[0]
    delim = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(raw.splitlines(), delimiter=delim))
    header = [norm(h) for h in rows[0]]
    return [dict(zip(header, r)) for r in rows[1:] if any(c.strip() for c in r)]


def col(row, *names):
    for n in names:
        v = row.get(n, "").strip()
        if v:
            return " ".join(v.split())
    return ""


def expected(rows):
    """Records by kind, from the column names of the header."""
    out = {}
    for r in rows:
        cls = col(r, "moclassname", "moclass")
        if col(r, "specificproblem"):
            for c in classes(cls) or [""]:
                out.setdefault("alarms", set()).add((col(r, "specificproblem"), c))
        elif re.fullmatch(r"CXC\d+", col(r, "featurestateid")):
            out.setdefault("feature_states", set()).add((col(r, "featurestateid"), col(r, "description")))
        elif col(r, "counter"):
            for c in classes(cls) or [""]:
                out.setdefault("counters", set()).add((c, col(r, "counter")))
        elif col(r, "pmeventname"):
            out.setdefault("events", set()).add(col(r, "pmeventname"))
        elif cls and col(r, "parametername"):
            st = col(r, "structname")
            for c in classes(cls):
                out.setdefault("parameters", set()).add((c, st, col(r, "parametername")))
    return out


def found(ext):
    out = {"parameters": set(), "counters": set(), "events": set(), "feature_states": set(), "alarms": set()}
    for p in ext.get("parameters") or []:
        out["parameters"].add((p.get("mo_class", ""), p.get("struct", ""), p.get("attribute", "")))
    for c in ext.get("counters") or []:
        cls, _, name = c["name"].rpartition(".")
        out["counters"].add((cls, name))
    for e in ext.get("events") or []:
        if e.get("kind") == "alarm":
            out["alarms"].add((e["name"], e.get("mo_class", "")))
        else:
            out["events"].add(e["name"])
    for f in ext.get("main_features") or []:
        if f.get("cxc"):
            out["feature_states"].add((f["cxc"], f.get("name", "")))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--min", type=float, default=0.99)
    ap.add_argument("extractions")
    ap.add_argument("sheets", nargs="+")
    a = ap.parse_args()
    docs = {}
    for line in open(a.extractions):
        d = json.loads(line)
        docs[d["source"]] = d
    bad = 0
    print(f"{'sheet':36} {'kind':15} {'records':>8} {'found':>8} {'recall':>7}  missing (first)")
    for path in a.sheets:
        name = os.path.basename(path)
        want = expected(read(path))
        doc = docs.get(name)
        got = found(doc["extraction"]) if doc else {}
        for kind, recs in sorted(want.items()):
            hit = recs & got.get(kind, set())
            recall = len(hit) / len(recs)
            miss = sorted(recs - hit, key=str)[:3]
            flag = "" if recall >= a.min else "  BELOW"
            print(f"{name:36} {kind:15} {len(recs):8d} {len(hit):8d} {recall:7.3f}  {miss if miss else ''}{flag}")
            bad += recall < a.min
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
