#!/usr/bin/env bash
# `npm test`: dependencies, local services (Redis, dockerd, the sandbox image), then every test.
# Outside CI, a missing service only skips the integration tests (and says so); under CI=true it fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
if ! bash scripts/services.sh; then
  if [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; then
    echo "[test] the services the integration tests need are not available (see above)" >&2
    exit 1
  fi
  echo "[test] continuing without them: integration tests will be reported as skipped" >&2
fi
results=$(mktemp /tmp/sensei-vitest.XXXXXX.json)
trap 'rm -f "$results"' EXIT
set +e
npx vitest run --reporter=default --reporter=json --outputFile="$results" "$@"
status=$?
set -e
# A plain closing line that any CI log reader understands.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' "$results" 2>/dev/null || true
exit $status
