#!/usr/bin/env python3
"""A Marginalia analyzer in Python: uranium enrichment levels ("60 percent", "enriched to 20%").

It speaks the JSON-lines protocol of Docs/plugin-protocol.md on stdin and stdout, with the standard library
only. Declare it with

    marginalia annotate notes.md --plugin 'enrichment=python3 Plugins/Examples/python/enrichment.py'

or, in the REPL, `plugin add enrichment=python3 Plugins/Examples/python/enrichment.py`.
"""
import json
import re
import sys

DESCRIPTOR = {
    "protocol": "marginalia-plugin/1",
    "name": "enrichment",
    "version": "1.0.0",
    "summary": "Uranium enrichment levels near words about enrichment",
    "requires": ["sentence"],
    "produces": ["nuclear"],
    "options": [
        {"name": "window", "type": "int", "default": 80,
         "help": "characters around a percentage searched for an enrichment word"},
    ],
}

LEVEL = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent|per cent)")
ENRICH = re.compile(r"enrich|uranium|centrifuge", re.IGNORECASE)


def annotate(request):
    document = request["document"]
    text = document["document"]["text"]
    window = int(request.get("options", {}).get("window", 80))
    annotations = []
    for match in LEVEL.finditer(text):
        context = text[max(0, match.start() - window): match.end() + window]
        if not ENRICH.search(context):
            continue
        level = float(match.group(1))
        annotations.append({
            "layer": "nuclear",
            "label": "ENRICHMENT",
            # Offsets are in Unicode code points, which is how Python indexes strings.
            "start": match.start(),
            "end": match.end(),
            "features": {"level": level, "weaponsGrade": level >= 90},
        })
    return {"annotations": annotations}


def main():
    print(json.dumps(DESCRIPTOR), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            response = annotate(json.loads(line))
        except Exception as error:  # the host reports it and goes on with the next document
            response = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(response), flush=True)


if __name__ == "__main__":
    main()
