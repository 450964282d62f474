#!/usr/bin/env bash
# Time to first answer on a fresh machine: the README's first command, step by step, in a fresh
# copy of this checkout's HEAD, a fresh venv, no pip cache and an empty data directory.
#   benchmarks/first_run.sh [PIP_TARGET]    (default: '.', the README's install)
# Prints the seconds of each step, the venv's size and whether torch or tokenizers is installed.
set -euo pipefail
target="${1:-.}"
work="$(mktemp -d)"
git -C "$(dirname "$0")/.." archive HEAD | tar -x -C "$work"
cd "$work"
export BEDSIDE_HOME="$work/home"
question="What are the treatment options for disc space loss in the lumbar spine?"
now() { date +%s.%N; }
step() { printf '%-32s %6.1f s\n' "$1" "$(echo "$3 - $2" | bc)"; }
t0=$(now)
python3 -m venv .venv && .venv/bin/pip install -q --no-cache-dir -e "$target" 2>/dev/null
t1=$(now)
.venv/bin/bedside ask "$question" > first.txt 2> first.err
t2=$(now)
.venv/bin/bedside ask "$question" > second.txt
t3=$(now)
.venv/bin/bedside ask --fresh "$question" > fresh.txt
t4=$(now)
step "install (pip, no cache)" "$t0" "$t1"
step "first ask (builds the KB)" "$t1" "$t2"
step "second ask (stored answer)" "$t2" "$t3"
step "ask --fresh (composed anew)" "$t3" "$t4"
step "install to first answer" "$t0" "$t2"
echo "site-packages: $(du -sm .venv/lib/python3.11/site-packages | cut -f1) MB," \
     "venv: $(du -sm .venv | cut -f1) MB," \
     "$(.venv/bin/pip list 2>/dev/null | tail -n +3 | wc -l) distributions"
echo "torch installed: $(.venv/bin/pip list 2>/dev/null | grep -ciE '^torch ' || true)"
echo "tokenizers or huggingface_hub installed:" \
     "$(.venv/bin/pip list 2>/dev/null | grep -ciE '^(tokenizers|huggingface[-_]hub) ' || true)"
grep "bedside:" first.err || true
rm -rf "$work"
