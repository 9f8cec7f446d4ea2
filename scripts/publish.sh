#!/usr/bin/env bash
# The publish job's command sequence: fetch -> resolve -> check -> generate -> commit data/ -> build.
# .github/workflows/publish.yml runs exactly this; uploading and deploying the built
# site/ are the workflow's own steps. Run it by hand with --dry-run (nothing is
# committed or pushed), for example against the local test server:
#
#     scripts/publish.sh --dry-run --base-url http://127.0.0.1:8000
#
# A failed fetch does not stop the run: the existing data is still published. The
# outcome is printed in the summary and written as `fetch=ok|failed` to
# $GITHUB_OUTPUT, so the workflow can fail visibly after deploying. The exit code is
# non-zero only when the site cannot be built (a broken store or a failed build).
set -uo pipefail

PYTHON=${PYTHON:-.venv/bin/python}
dry_run=0
# The job has 30 minutes (publish.yml): fetch gets half, resolve a sixth, the rest is for
# generate and the build. resolve asks about new papers only (misses again after 7 days).
fetch_args=(--deadline 900)
resolve_args=(--deadline 300 --limit 500)
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1 ;;
    --base-url) fetch_args+=(--base-url "$2"); resolve_args+=(--base-url "$2"); shift ;;
    --arxiv-url) resolve_args+=(--arxiv-url "$2"); shift ;;
    --pause) fetch_args+=(--pause "$2"); resolve_args+=(--pause "$2" --arxiv-pause "$2"); shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "publish.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

step() { printf '\n==> %s\n' "$*"; }

step "fetch"
if "$PYTHON" -m generator fetch "${fetch_args[@]}"; then fetch=ok; else fetch=failed; fi

# Like a failed fetch, a failed resolve does not stop the publish: it asks again next time.
step "resolve"
if ! "$PYTHON" -m generator resolve "${resolve_args[@]}"; then fetch=failed; fi

step "check"
"$PYTHON" -m generator check || { echo "publish: data/ has errors; not publishing" >&2; exit 1; }

step "generate"
"$PYTHON" -m generator generate || exit 1

step "commit data/"
changed=$(git status --porcelain -- data 2>/dev/null | wc -l | tr -d ' ')
if [ "$changed" = "0" ]; then
  echo "data/ unchanged: nothing to commit"
elif [ "$dry_run" = 1 ]; then
  echo "dry run: would commit $changed changed path(s) in data/"
else
  git add -- data
  git -c user.name="paper-digest-bot" -c user.email="41898282+github-actions[bot]@users.noreply.github.com" \
    commit --quiet -m "data: fetch of $(date -u +%Y-%m-%d)"
  # Another push may have landed while we fetched (a merged pull request): rebase onto it.
  git push --quiet || { git pull --quiet --rebase origin HEAD && git push --quiet; } || exit 1
  echo "committed and pushed $changed changed path(s) in data/"
fi

step "build"
"$PYTHON" -m generator build || exit 1

echo "fetch=$fetch" >> "${GITHUB_OUTPUT:-/dev/null}"
printf '\npublish: fetch %s; data/ %s changed path(s); site built in site/%s\n' \
  "$fetch" "$changed" "$([ "$dry_run" = 1 ] && echo ' (dry run: nothing committed, uploaded or deployed)')"
