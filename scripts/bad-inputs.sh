#!/usr/bin/env bash
# Feeds the burn-init binary every kind of bad input we know of and prints, as a Markdown table,
# the exit code and the message each one got. Nothing here may panic (exit 101) or hang.
#
#   cargo build --release && scripts/bad-inputs.sh [path/to/burn-init]
#
# Needs the real MNIST files in ../shared/data/mnist (or MNIST=DIR). Takes about a minute: one
# tiny training run provides the artifacts that `evaluate`, `predict` and `--resume` need.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-${CARGO_TARGET_DIR:-target}/release/burn-init}"
MNIST="${MNIST:-../shared/data/mnist}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

quiet() { "$@" >/dev/null 2>&1; }
quiet "$BIN" train --data-dir "$MNIST" --offline --epochs 2 --limit 2000 --test-limit 200 \
    --artifact-dir "$WORK/run" || { echo "setup training run failed" >&2; exit 1; }

echo "| input | exit | message |"
echo "|---|---|---|"
row() {
    local label="$1"
    shift
    local output code
    timeout 120 "$@" >"$WORK/stdout" 2>"$WORK/stderr"
    code=$?
    output="$(cat "$WORK/stderr")"
    # A command that succeeds: its warnings, then the last lines it printed.
    [ "$code" = 0 ] && output="$output $(tail -n 2 "$WORK/stdout")"
    # The first lines of the message, one line in the table, with the scratch directory hidden.
    output="$(printf '%s' "$output" | grep -v '^\s*$' | grep -v '^For more information' |
        head -n 3 | tr '\n' ' ' | sed -e "s#$WORK#\$TMP#g" -e 's/|/\\|/g' | cut -c1-300)"
    printf '| %s | %s | %s |\n' "$label" "$code" "$output"
}

# --- IDX files, through `predict FILE` --------------------------------------------------------
: >"$WORK/empty"
row "empty IDX file" "$BIN" predict "$WORK/empty" --artifact-dir "$WORK/run"
row "label file given as images (wrong magic)" \
    "$BIN" predict "$MNIST/t10k-labels-idx1-ubyte.gz" --artifact-dir "$WORK/run"
python3 - "$WORK" "$MNIST" <<'PY'
import gzip, struct, sys, os
w, mnist = sys.argv[1], sys.argv[2]
billion = struct.pack(">IIII", 2051, 10**9, 28, 28)
open(f"{w}/billion", "wb").write(billion + b"\0" * (1024 - len(billion)))
open(f"{w}/billion.gz", "wb").write(gzip.compress(billion + b"\0" * 1024))
open(f"{w}/side32", "wb").write(struct.pack(">IIII", 2051, 1, 32, 32) + b"\0" * 1024)
open(f"{w}/rank", "wb").write(struct.pack(">IIII", 0x0801, 1, 28, 28))
open(f"{w}/garbage.gz", "wb").write(b"\x1f\x8b" + os.urandom(200))
data = gzip.open(os.path.join(mnist, "t10k-images-idx3-ubyte.gz")).read()
open(f"{w}/truncated", "wb").write(data[:5000])
open(f"{w}/notpng.png", "wb").write(b"this is not a PNG")
labels = gzip.open(os.path.join(mnist, "train-labels-idx1-ubyte.gz")).read()
os.makedirs(f"{w}/label12", exist_ok=True)
bad = bytearray(labels); bad[8 + 123] = 12
open(f"{w}/label12/train-labels-idx1-ubyte", "wb").write(bad)
os.makedirs(f"{w}/short", exist_ok=True)
short = bytearray(labels[:8 + 59000]); short[4:8] = struct.pack(">I", 59000)
open(f"{w}/short/train-labels-idx1-ubyte", "wb").write(short)
PY
row "header claims 10⁹ images in a 1 KB file" "$BIN" predict "$WORK/billion" --artifact-dir "$WORK/run"
row "same, gzipped (1 KB)" "$BIN" predict "$WORK/billion.gz" --artifact-dir "$WORK/run"
row "32×32 images" "$BIN" predict "$WORK/side32" --artifact-dir "$WORK/run"
row "magic 0x0801 (rank 1) on image data" "$BIN" predict "$WORK/rank" --artifact-dir "$WORK/run"
row "gzip header then random bytes" "$BIN" predict "$WORK/garbage.gz" --artifact-dir "$WORK/run"
row "IDX cut off after 5000 bytes" "$BIN" predict "$WORK/truncated" --artifact-dir "$WORK/run"
row "text file named .png" "$BIN" predict "$WORK/notpng.png" --artifact-dir "$WORK/run"
row "--index beyond the file" \
    "$BIN" predict "$MNIST/t10k-images-idx3-ubyte.gz" --index 20000 --artifact-dir "$WORK/run"

# --- MNIST directories ---------------------------------------------------------------------------
for dir in label12 short; do
    for name in train-images-idx3-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
        cp "$MNIST/$name" "$WORK/$dir/"
    done
done
row "training labels with a 12" "$BIN" train --data-dir "$WORK/label12" --offline --epochs 1 \
    --artifact-dir "$WORK/x"
row "59,000 labels for 60,000 images" "$BIN" train --data-dir "$WORK/short" --offline \
    --epochs 1 --artifact-dir "$WORK/x"
row "no MNIST files, --offline" "$BIN" train --data-dir "$WORK/nowhere" --offline \
    --artifact-dir "$WORK/x"

# --- Model configs -------------------------------------------------------------------------------
config() {
    local label="$1" json="$2"
    printf '%s' "$json" >"$WORK/model.json"
    row "$label" "$BIN" train --model-config "$WORK/model.json" --data-dir "$MNIST" --offline \
        --artifact-dir "$WORK/x"
}
config "negative units" '{"layers": [{"units": -5}, {"units": 10}]}'
config "zero units" '{"layers": [{"units": 0}, {"units": 10}]}'
config "unknown activation" '{"layers": [{"units": 10, "activation": "swish"}]}'
config "scale = 0" '{"layers": [{"units": 10, "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 0.0}}}]}'
config "scale < 0" '{"layers": [{"units": 10, "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": -2.0}}}]}'
config "stddev NaN (bare)" '{"layers": [{"units": 10, "kernel_initializer": {"class_name": "RandomNormal", "config": {"stddev": NaN}}}]}'
config "stddev \"NaN\" (string)" '{"layers": [{"units": 10, "kernel_initializer": {"class_name": "RandomNormal", "config": {"stddev": "NaN"}}}]}'
config "unknown initializer" '{"layers": [{"units": 10, "kernel_initializer": "glorot_gaussian"}]}'
config "unknown mode" '{"layers": [{"units": 10, "kernel_initializer": {"class_name": "VarianceScaling", "config": {"mode": "fan_max"}}}]}'
config "input 32×32 (1024 ≠ 784)" '{"input_shape": [32, 32]}'
config "5 output units (MNIST has 10)" '{"layers": [{"units": 64}, {"units": 5, "activation": "softmax"}]}'
config "softmax on a hidden layer" '{"layers": [{"units": 64, "activation": "softmax"}, {"units": 10, "activation": "softmax"}]}'
config "no layers" '{"layers": []}'
config "layer without units" '{"layers": [{"activation": "relu"}]}'
config "not JSON" 'layers: 3'
row "config file missing" "$BIN" summary --model-config "$WORK/missing.json"

# --- Command line --------------------------------------------------------------------------------
row "--epochs 0" "$BIN" train --epochs 0
row "--epochs many" "$BIN" train --epochs many
row "--batch-size 0" "$BIN" train --batch-size 0
row "--lr -1" "$BIN" train --lr -1
row "--lr NaN" "$BIN" train --lr NaN
row "--device tpu" "$BIN" train --device tpu
row "unknown command" "$BIN" frobnicate
row "predict --count 0" "$BIN" predict x.png --count 0
row "diagnose --depth 0" "$BIN" diagnose --depth 0

# --- Artifacts and training ----------------------------------------------------------------------
row "evaluate without a trained model" "$BIN" evaluate --artifact-dir "$WORK/nowhere"
cp -r "$WORK/run" "$WORK/damaged"
head -c 1000 "$WORK/run/model.bpk" >"$WORK/damaged/model.bpk"
row "evaluate with a truncated model.bpk" "$BIN" evaluate --artifact-dir "$WORK/damaged" \
    --data-dir "$MNIST" --offline
cp -r "$WORK/run" "$WORK/resume"
newest="$(ls "$WORK/resume/checkpoint"/model-*.bpk | sort -V | tail -n 1)"
head -c 1000 "$newest" >"$newest.tmp" && mv "$newest.tmp" "$newest"
row "--resume with the newest checkpoint truncated" "$BIN" train --data-dir "$MNIST" --offline \
    --epochs 3 --limit 2000 --test-limit 200 --resume --artifact-dir "$WORK/resume"
cp -r "$WORK/run" "$WORK/diverge"
row "--resume at --lr 1e30" "$BIN" train --data-dir "$MNIST" --offline --epochs 3 \
    --limit 2000 --test-limit 200 --resume --lr 1e30 --artifact-dir "$WORK/diverge"
