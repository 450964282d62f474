#!/usr/bin/env bash
# Regenerates the example answers in this folder: both seed questions, both audiences, as text
# and JSON, on the bundled knowledge base with the default settings (MiniLM ONNX embedder).
#   docs/examples/make-examples.sh [HOME]      (default HOME: a temporary directory)
set -euo pipefail
cd "$(dirname "$0")"
home="${1:-$(mktemp -d)}"
bedside=../../.venv/bin/bedside
"$bedside" --home "$home" ingest --bundled > /dev/null
treatment="What are the treatment options for disc space loss in the lumbar spine?"
referral="What are the next steps for a patient with a disc bulge who has not responded to initial conservative management and should I consult a spine specialist, such as an orthopedic surgeon or a neurosurgeon, for further evaluation and treatment?"
for audience in clinician patient; do
  "$bedside" --home "$home" ask "$treatment" --audience "$audience" > "disc-space-loss-$audience.txt"
  "$bedside" --home "$home" ask "$treatment" --audience "$audience" --json > "disc-space-loss-$audience.json"
  "$bedside" --home "$home" ask "$referral" --audience "$audience" > "spine-referral-$audience.txt"
  "$bedside" --home "$home" ask "$referral" --audience "$audience" --json > "spine-referral-$audience.json"
done
echo "examples written to $(pwd)"
