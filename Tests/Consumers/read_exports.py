#!/usr/bin/env python3
"""Reads Marginalia's exports back with the real consumer of each format and prints what each consumer saw.

Usage: read_exports.py DIRECTORY DOCUMENT_ID
The directory holds DOCUMENT_ID.spacy.json, .conll, .jsonld, a brat/ folder (.ann + .txt) and a csv/ folder.
Prints one JSON object; a consumer whose package is missing is reported as {"skipped": "reason"}.
"""
import csv
import glob
import json
import os
import sys

directory, doc_id = sys.argv[1], sys.argv[2]
report = {}


def attempt(name, function):
    try:
        report[name] = function()
    except ImportError as error:
        report[name] = {"skipped": f"{error}"}


def read_spacy():
    import spacy
    from spacy.tokens import Doc
    with open(os.path.join(directory, doc_id + ".spacy.json"), encoding="utf-8") as handle:
        data = json.load(handle)
    doc = Doc(spacy.blank("en").vocab).from_json(data)
    return {
        "tokens": len(doc), "sents": len(list(doc.sents)), "ents": len(doc.ents),
        "ent_texts": [ent.text for ent in doc.ents][:5],
        "span_groups": {key: len(group) for key, group in doc.spans.items()},
    }


def read_brat():
    from pybrat.parser import BratParser
    examples = BratParser(error="raise").parse(os.path.join(directory, "brat"))
    example = examples[0]
    text = example.text
    mismatched = [e.mention for e in example.entities
                  if text[e.spans[0].start:e.spans[-1].end].replace("\n", " ") != e.mention]
    return {"entities": len(example.entities), "events": len(example.events), "mismatched": mismatched[:5]}


def read_conll():
    from seqeval.metrics.sequence_labeling import get_entities
    sentences, current = [], []
    with open(os.path.join(directory, doc_id + ".conll"), encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line or line.startswith("-DOCSTART-"):
                if current:
                    sentences.append(current)
                current = []
                continue
            current.append(line.split("\t")[-1])
    if current:
        sentences.append(current)
    entities = get_entities(sentences)
    return {"sentences": len(sentences), "entities": len(entities), "tokens": sum(map(len, sentences))}


def read_w3c():
    from pyld import jsonld
    with open(os.path.join(directory, doc_id + ".jsonld"), encoding="utf-8") as handle:
        data = json.load(handle)
    # No network here: the terms of http://www.w3.org/ns/anno.jsonld that the export uses, mapped to the same
    # IRIs, so the processor expands the document as it would with the published context.
    oa, activity = "http://www.w3.org/ns/oa#", "http://www.w3.org/ns/activitystreams#"
    context = {
        "oa": oa, "as": activity, "dc": "http://purl.org/dc/terms/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "id": "@id", "type": "@type",
        "Annotation": "oa:Annotation", "AnnotationCollection": "as:OrderedCollection", "AnnotationPage": "as:OrderedCollectionPage",
        "TextualBody": "oa:TextualBody", "SpecificResource": "oa:SpecificResource", "Software": "as:Application",
        "TextPositionSelector": "oa:TextPositionSelector", "TextQuoteSelector": "oa:TextQuoteSelector",
        "body": {"@id": "oa:hasBody", "@type": "@id"}, "target": {"@id": "oa:hasTarget", "@type": "@id"},
        "source": {"@id": "oa:hasSource", "@type": "@id"}, "selector": {"@id": "oa:hasSelector", "@type": "@id"},
        "motivation": {"@id": "oa:motivatedBy", "@type": "@vocab"}, "purpose": {"@id": "oa:hasPurpose", "@type": "@vocab"},
        "tagging": "oa:tagging", "linking": "oa:linking", "classifying": "oa:classifying", "describing": "oa:describing",
        "creator": {"@id": "dc:creator", "@type": "@id"}, "generator": {"@id": "as:generator", "@type": "@id"},
        "name": "as:name", "label": "rdfs:label", "value": "rdf:value", "exact": "oa:exact", "prefix": "oa:prefix",
        "suffix": "oa:suffix", "start": "oa:start", "end": "oa:end", "total": "as:totalItems",
        "first": {"@id": "as:first", "@type": "@id"}, "items": {"@id": "as:items", "@container": "@list"},
        "startIndex": "as:startIndex", "confidence": "http://marginalia.invalid/ns#confidence",
    }
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    data["@context"] = context
    expanded = jsonld.expand(data)
    flat = jsonld.flatten(data)
    graph = flat["@graph"] if isinstance(flat, dict) else flat
    annotations = [node for node in graph if oa + "Annotation" in node.get("@type", [])]
    positions = [node for node in graph if oa + "TextPositionSelector" in node.get("@type", [])]
    return {"expanded_nodes": len(expanded), "annotations": len(annotations), "position_selectors": len(positions)}


def read_csv():
    tables = {}
    for path in sorted(glob.glob(os.path.join(directory, "csv", "*.csv"))):
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        tables[os.path.basename(path)[len(doc_id) + 1:]] = {"columns": rows[0], "rows": len(rows) - 1}
    return tables


attempt("spacy", read_spacy)
attempt("brat", read_brat)
attempt("conll", read_conll)
attempt("w3c", read_w3c)
attempt("csv", read_csv)
print(json.dumps(report))
