#!/bin/sh
# The npm that `pip install` runs (pyproject.toml, hatch-jupyter-builder): its "install"
# becomes `npm ci`, which installs exactly the lockfile and never rewrites it.
if [ "$1" = "install" ]; then
    shift
    exec npm ci "$@"
fi
exec npm "$@"
