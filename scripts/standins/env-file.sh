#!/usr/bin/env bash
# Sets KEY=VALUE lines read from stdin in an env file (docker-compose's .env): a key already there is replaced
# where it stands, a new key is appended, every other line (the Discord token, comments) is kept as it was.
# The file is created (mode 600: it holds the token) when missing, and replaced in one step.
# Usage: printf 'NODE_IMAGE=…\n' | scripts/standins/env-file.sh .env
set -euo pipefail
file=${1:?usage: env-file.sh FILE < KEY=VALUE lines}
lines=$(cat)
# With no lines awk would take the file itself for them.
[ -n "$lines" ] || { echo "env-file.sh: no KEY=VALUE lines on stdin" >&2; exit 2; }
new=$(mktemp "$(dirname "$file")/.env-file.XXXXXX")
trap 'rm -f "$new"' EXIT
if [ -e "$file" ]; then chmod --reference="$file" "$new"; else chmod 600 "$new"; touch "$file"; fi
awk '
  NR == FNR { if (match($0, /^[A-Za-z_][A-Za-z0-9_]*=/)) { key = substr($0, 1, RLENGTH - 1); value[key] = $0; order[++n] = key } ; next }
  { if (match($0, /^[A-Za-z_][A-Za-z0-9_]*=/)) { key = substr($0, 1, RLENGTH - 1); if (key in value) { print value[key]; done[key] = 1; next } } print }
  END { for (i = 1; i <= n; i++) if (!(order[i] in done)) print value[order[i]] }
' <(printf '%s\n' "$lines") "$file" > "$new"
mv "$new" "$file"
trap - EXIT
