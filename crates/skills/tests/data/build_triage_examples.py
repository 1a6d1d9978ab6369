"""Gathers classify-email's word-count fallback examples (crates/skills/data/triage_examples.json)
from our own annotated email sets — never the DEV set, which the product must not carry:
python3 build_triage_examples.py [--check]"""
import json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "data", "triage_examples.json")
ROUNDS = sorted((f[:-5] for f in os.listdir(HERE) if re.fullmatch(r"emails_round\d+\.json", f)),
                key=lambda n: int(n[len("emails_round"):]))
SETS = ["emails_extra", "emails_harder"] + ROUNDS

examples = []
for name in SETS:
    for item in json.load(open(os.path.join(HERE, name + ".json")))["emails"]:
        e = item["email"]
        examples.append({"category": item["truth"]["category"], "source": f"{name}/{e['id']}",
                         "email": {k: e[k] for k in ("id", "from", "to", "subject", "date", "headers",
                                                      "body_text") if k in e}})
text = json.dumps({"about": "classify-email's fallback examples, built by "
                   "crates/skills/tests/data/build_triage_examples.py from our own sets",
                   "examples": examples}, indent=0, ensure_ascii=False) + "\n"
if "--check" in sys.argv:
    if open(OUT).read() != text:
        sys.exit("triage_examples.json is stale: run build_triage_examples.py")
else:
    open(OUT, "w").write(text)
    print(f"{len(examples)} examples")
