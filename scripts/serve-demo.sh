#!/usr/bin/env bash
# make serve: the web app over the demo archive, with a demo account, in one command.
# Builds the demo archive first when it is missing (make demo's filing steps).
set -euo pipefail
cd "$(dirname "$0")/.."
DG=".venv/bin/docgen --config examples/docgen.toml --archive demo-out/archive"
PORT="${PORT:-8080}"
LOGIN="demo"
PASSWORD="demo-docgen"

if [[ ! -d demo-out/archive ]]; then
  echo "=== Tạo kho mẫu / building the demo archive (make demo)"
  bash scripts/demo.sh >/dev/null
fi
CELL=$($DG cells list --json | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
if ! $DG users list --json | grep -q "\"login\": \"$LOGIN\""; then
  echo "$PASSWORD" | $DG users add "$LOGIN" --role admin --cell "$CELL" --password-stdin
fi
printf '\n=== Mở / open  http://127.0.0.1:%s/   tài khoản / login: %s   mật khẩu / password: %s\n\n' \
  "$PORT" "$LOGIN" "$PASSWORD"
exec $DG serve --host 127.0.0.1 --port "$PORT"
