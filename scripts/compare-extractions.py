#!/usr/bin/env python3
"""compare-extractions: are two extractions.jsonl files the same, document by document?

Documents are matched by source (then doc_id). Every field of a record is
compared; --ignore drops fields (e.g. modes_tried, when the start mode changed
on purpose). Prints one line per differing document (the fields that differ,
and for `extraction` the categories and items), then a summary; exits 1 when
anything differs or a document is missing on one side.

  scripts/compare-extractions.py [--ignore F,...] [--show N] BEFORE.jsonl AFTER.jsonl
"""
import argparse
import json
import sys


def load(path):
    docs = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            key = r.get("source") or r.get("doc_id") or f"line {n}"
            if key in docs:
                key = f"{key} ({r.get('doc_id', n)})"
            docs[key] = r
    return docs


def item_key(it):
    return json.dumps(it, sort_keys=True, ensure_ascii=False)


def diff_extraction(a, b, show):
    out = []
    for cat in sorted(set(a or {}) | set(b or {})):
        xa = [item_key(i) for i in (a or {}).get(cat) or []]
        xb = [item_key(i) for i in (b or {}).get(cat) or []]
        if xa == xb:
            continue
        sa, sb = set(xa), set(xb)
        gone, new = [x for x in xa if x not in sb], [x for x in xb if x not in sa]
        if not gone and not new:
            out.append(f"    {cat}: same items, order differs")
            continue
        out.append(f"    {cat}: -{len(gone)} +{len(new)}")
        for x in gone[:show]:
            out.append(f"      - {x}")
        for x in new[:show]:
            out.append(f"      + {x}")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ignore", default="", help="comma-separated fields not compared")
    ap.add_argument("--show", type=int, default=3, help="items shown per category and side")
    ap.add_argument("before")
    ap.add_argument("after")
    args = ap.parse_args()
    ignore = {f for f in args.ignore.split(",") if f}
    a, b = load(args.before), load(args.after)
    missing = sorted(set(a) - set(b))
    extra = sorted(set(b) - set(a))
    differ = 0
    for key in sorted(set(a) & set(b)):
        ra, rb = a[key], b[key]
        fields = [f for f in sorted(set(ra) | set(rb)) if f not in ignore and ra.get(f) != rb.get(f)]
        if not fields:
            continue
        differ += 1
        print(f"{key}: {', '.join(fields)}")
        for f in fields:
            if f == "extraction":
                print("\n".join(diff_extraction(ra.get(f), rb.get(f), args.show)))
            else:
                print(f"    {f}: {json.dumps(ra.get(f))} -> {json.dumps(rb.get(f))}")
    for key in missing:
        print(f"{key}: only in {args.before}")
    for key in extra:
        print(f"{key}: only in {args.after}")
    same = len(set(a) & set(b)) - differ
    print(f"documents {len(set(a) | set(b))}: identical {same}, differ {differ}, "
          f"only before {len(missing)}, only after {len(extra)}"
          + (f" (ignored: {', '.join(sorted(ignore))})" if ignore else ""))
    return 1 if differ or missing or extra else 0


if __name__ == "__main__":
    sys.exit(main())
