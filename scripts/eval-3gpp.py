#!/usr/bin/env python3
"""Recall of the 3GPP extraction against sets derived from the specs themselves.

usage: eval-3gpp.py EXTRACTIONS.jsonl SPEC.(zip|docx)... [--min 0.95]

Reads each specification's word/document.xml directly (its paragraphs, by
simple rules that share nothing with the extraction code) and derives:
  asn1       type names assigned (Name ::=) between -- ASN1START and -- ASN1STOP
  timers     T-numbers of the timer clauses (38.331 7.1, 24.301 10.x) tables
  events     measurement events of clause headings "N.N Event A3 (...)"
  messages   NAS messages of clause 8: headings whose next heading is
             "Message definition", upper-cased
  references specifications of the reference list of clause 2 ([n] 3GPP TS x)
then prints, per document and set, how many of them the extraction holds, and
exits 1 when a recall is below --min.
"""
import io
import json
import re
import sys
import zipfile

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_bytes(path):
    if path.lower().endswith(".docx"):
        return open(path, "rb").read()
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if n.lower().endswith(".docx"):
                return z.read(n)
    raise SystemExit(f"{path}: no .docx inside")


def paragraphs(path):
    import xml.etree.ElementTree as ET
    with zipfile.ZipFile(io.BytesIO(docx_bytes(path))) as z:
        root = ET.fromstring(z.read("word/document.xml"))
    out = []
    for p in root.iter(W + "p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        style = style.get(W + "val") if style is not None else ""
        parts = []
        for el in p.iter():
            if el.tag == W + "t" and el.text:
                parts.append(el.text)
            elif el.tag in (W + "tab",):
                parts.append("\t")
            elif el.tag in (W + "br", W + "cr"):
                parts.append("\n")
            elif el.tag == W + "delText":
                pass
        # deleted runs (tracked changes) are skipped: w:del wraps w:r with w:delText
        out.append((style, "".join(parts)))
    return out


def derive(path):
    ps = paragraphs(path)
    sets = {k: set() for k in ("asn1", "timers", "events", "messages", "references")}
    in_asn1 = False
    clause = ""
    headings = [(i, t) for i, (s, t) in enumerate(ps) if s.lower().startswith("heading") or s in ("H6",)]
    heading_idx = {i for i, _ in headings}
    for i, (style, text) in enumerate(ps):
        t = text.strip()
        if i in heading_idx:
            m = re.match(r"^(\d+(?:\.\d+)*)\s", t)
            clause = m.group(1) if m else ""  # an annex heading ends the clause
        for line in text.split("\n"):
            s = line.strip()
            if s.startswith("-- ASN1START"):
                in_asn1 = True
                continue
            if s.startswith("-- ASN1STOP"):
                in_asn1 = False
                continue
            if in_asn1:
                m = re.match(r"^([A-Z][A-Za-z0-9-]*)\s*(?:\{[^}]*\}\s*)?::=", s)
                if m:
                    sets["asn1"].add(m.group(1))
        if (clause.startswith("7.1") and "38331" in path) or (clause.startswith("10.") and "24301" in path):
            m = re.match(r"^(T\d{3,4}[a-z]?)\b", t)
            if m and i not in heading_idx:
                sets["timers"].add(m.group(1))
        m = re.match(r"^\d+(?:\.\d+)+\s+Event\s+([A-Z]\d[A-Z0-9]*)\b", t)
        if m and i in heading_idx:
            sets["events"].add("Event " + m.group(1))
        if clause.startswith("2") and clause in ("2",):
            m = re.match(r"^\[(\d+[a-z]?)\]\s*((?:3GPP|ETSI)\s+(?:TS|TR)\s+\d{2}\.\d{3}(?:-\d+)?)", t)
            if m:
                sets["references"].add(re.sub(r"\s+", " ", m.group(2)))
    for k, (i, t) in enumerate(headings):
        m = re.match(r"^8\.\d+\.\d+[A-Z]?\s+(.+)$", t.strip())
        if m and k + 1 < len(headings) and "message definition" in headings[k + 1][1].lower():
            sets["messages"].add(re.sub(r"\s+", " ", m.group(1)).upper())
    if "24301" not in path:
        sets["messages"] = set()
    if "38331" not in path:
        sets["events"] = set()
    return sets


def extracted(doc):
    e = doc["extraction"]
    return {
        "asn1": {p["name"] for p in e["parameters"] if p.get("kind") == "ie"},
        "timers": {p["name"] for p in e["parameters"] if p.get("kind") == "timer"},
        "events": {x["name"] for x in e["events"] if x.get("kind") == "measurement_event"},
        "messages": {x["name"].upper() for x in e["events"] if x.get("kind") == "message"},
        "references": {r.get("spec", "") for r in e["related_features"] if r.get("relationship") == "references"},
    }


def main():
    args = sys.argv[1:]
    need = 0.95
    if "--min" in args:
        k = args.index("--min")
        need = float(args[k + 1])
        del args[k:k + 2]
    jsonl, specs = args[0], args[1:]
    docs = [json.loads(l) for l in open(jsonl)]
    failed = False
    print(f"{'document':34} {'set':11} {'expected':>8} {'found':>6} {'recall':>7}  missing (first)")
    for spec in specs:
        base = re.sub(r"\.(zip|docx)$", "", spec.split("/")[-1])
        doc = next((d for d in docs if base in d["source"] and d["source"].endswith(".docx")), None)
        if doc is None:
            print(f"{base}: not in {jsonl}")
            failed = True
            continue
        want, got = derive(spec), extracted(doc)
        for k, exp in want.items():
            if not exp:
                continue
            hit = exp & got[k]
            r = len(hit) / len(exp)
            miss = sorted(exp - got[k])[:4]
            print(f"{doc['source'][:34]:34} {k:11} {len(exp):8} {len(hit):6} {r:7.3f}  {', '.join(miss)}")
            failed |= r < need
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
