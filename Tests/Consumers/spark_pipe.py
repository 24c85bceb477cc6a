#!/usr/bin/env python3
"""Runs the RDD.pipe recipe of Docs/scaling.md in Spark's local mode.

Usage: spark_pipe.py MARGINALIA_BINARY SAMPLE_FILE
Prints {"sent": N, "received": N, "in_order": true|false, "entities": N}; exits 3 when pyspark is missing.
"""
import json
import sys

try:
    from pyspark import SparkContext
except ImportError:
    print(json.dumps({"skipped": "pyspark is not installed"}))
    sys.exit(3)

binary, sample = sys.argv[1], sys.argv[2]
with open(sample, encoding="utf-8") as handle:
    paragraphs = [p for p in handle.read().split("\n\n") if p.strip()]
requests = [json.dumps({"id": f"p{index}", "text": text}) for index, text in enumerate(paragraphs)]
sc = SparkContext("local[2]", "marginalia-pipe")
sc.setLogLevel("ERROR")
lines = sc.parallelize(requests, 2).pipe(binary + " annotate --input jsonl --format jsonl --jobs 1").collect()
sc.stop()
documents = [json.loads(line) for line in lines]
ids = [d["document"]["id"] for d in documents]
print(json.dumps({
    "sent": len(requests), "received": len(documents), "in_order": ids == [f"p{i}" for i in range(len(requests))],
    "entities": sum(1 for d in documents for a in d["annotations"] if a["layer"] == "entity"),
}))
