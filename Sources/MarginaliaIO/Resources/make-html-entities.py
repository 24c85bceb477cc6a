#!/usr/bin/env python3
"""Writes html-entities.tsv from the HTML5 named character references that Python's standard library ships
(html.entities.html5, taken from the WHATWG HTML specification)."""
import html.entities
import sys

out = sys.stdout
out.write("# HTML5 named character references: name, code points (hex), legacy (usable without ';').\n")
out.write("# Source: WHATWG HTML Living Standard, via Python %s html.entities.html5.\n" % sys.version.split()[0])
out.write("# Regenerate: python3 make-html-entities.py > html-entities.tsv\n")
table = html.entities.html5
for key in sorted(k for k in table if k.endswith(";")):
    name = key[:-1]
    points = " ".join("%X" % ord(c) for c in table[key])
    legacy = "legacy" if name in table else ""
    out.write("%s\t%s\t%s\n" % (name, points, legacy))
