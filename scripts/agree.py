#!/usr/bin/env python3
"""agree.py: how far the extractions of documents printed as PDF agree with
the extractions of the same documents' markdown, category by category
(precision, recall and F1 of the PDF's items against the markdown's), and
the documents that differ. Documents are matched by file name stem.

    scripts/agree.py [--min F1] MARKDOWN.jsonl PDF.jsonl

Exit status 1 when a category's F1 is below --min.
"""
import argparse
import collections
import json
import os
import sys

CATEGORIES = ["main_features", "parameters", "counters", "events", "related_features", "activation_procedures"]


def load(path):
    out = {}
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            out[os.path.splitext(os.path.basename(r["source"]))[0]] = r
    return out


def keys(r, cat):
    ks = set()
    for it in r["extraction"].get(cat) or []:
        if cat in ("main_features", "related_features"):
            ks.add((it.get("faj") or it.get("spec") or it.get("name", "")).replace(" ", ""))
        elif cat == "activation_procedures":
            ks.update(c.replace(" ", "") for c in it.get("cxc") or [])
        else:
            ks.add(it["name"])
    return ks


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--min", type=float, default=0.0)
    ap.add_argument("markdown")
    ap.add_argument("pdf")
    a = ap.parse_args()
    md, pdf = load(a.markdown), load(a.pdf)
    tot = collections.defaultdict(lambda: [0, 0, 0])
    diffs = []
    for stem, m in sorted(md.items()):
        p = pdf.get(stem)
        if p is None:
            diffs.append((stem, "document", ["no PDF result"], []))
            continue
        for cat in CATEGORIES:
            x, y = keys(m, cat), keys(p, cat)
            t = tot[cat]
            t[0] += len(x & y)
            t[1] += len(y - x)
            t[2] += len(x - y)
            if x != y:
                diffs.append((stem, cat, sorted(x - y)[:3], sorted(y - x)[:3]))
    print("%d documents\n" % len(md))
    print("%-22s %9s %9s %9s %6s %6s %6s" % ("category", "precision", "recall", "F1", "TP", "FP", "FN"))
    worst = 1.0
    for cat in CATEGORIES:
        tp, fp, fn = tot[cat]
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        worst = min(worst, f1)
        print("%-22s %9.3f %9.3f %9.3f %6d %6d %6d" % (cat, p, r, f1, tp, fp, fn))
    for stem, cat, missed, extra in diffs:
        print("  %s %s: missed %s, extra %s" % (stem, cat, missed, extra))
    if worst < a.min:
        print("min F1 %.3f below %.2f" % (worst, a.min))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
