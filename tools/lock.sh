#!/usr/bin/env bash
# Regenerate the hashed lock files from pyproject.toml (`make lock`):
#   requirements.lock      what `make site` installs: the dependencies and the build backend
#   requirements-zensical.lock  what `make site BUILDER=zensical` installs: the same, plus Zensical
#   requirements-dev.lock  what `make test` installs: the same, plus the test and dev extras
# pyproject.toml declares the pins; the locks add every transitive dependency and the
# sha256 of every file PyPI has for each pinned version (all platforms: one universal
# resolution), so `pip install --require-hashes` installs the same bytes on any machine.
# tests/test_lock.py keeps them in step with pyproject.toml.
#
# The resolver, uv, runs from a throwaway virtual environment, never the project's.
# A version already in a lock is kept; to move the unpinned transitive ones too:
#   tools/lock.sh --upgrade
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

UV_VERSION=0.13.9
# The oldest Python 3.11 the pins support (pymdown-extensions 13.1.2 needs 3.11.5).
PYTHON_VERSION=3.11.5

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "uv==$UV_VERSION"

# The build backend (`pip install --no-build-isolation -e .` needs it installed).
python3 -c 'import tomllib
print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))' \
    >"$work/build-requires.txt"

compile() {
    "$work/venv/bin/uv" pip compile --quiet pyproject.toml - \
        --universal --python-version "$PYTHON_VERSION" --generate-hashes \
        --custom-compile-command "make lock" "$@" <"$work/build-requires.txt"
}
compile --extra dev -o requirements-dev.lock "${@}"
compile -c requirements-dev.lock -o requirements.lock "${@}"
compile --extra zensical -c requirements-dev.lock -o requirements-zensical.lock "${@}"
echo "requirements.lock, requirements-zensical.lock and requirements-dev.lock are up to date with pyproject.toml"
