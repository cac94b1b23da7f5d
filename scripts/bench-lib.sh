# Sourced by the bench-*.sh scripts.

# bench_ratio NAME SERVER_CMD AUTHLINT_CMD RESULT_JSON: times both commands in
# one hyperfine run and prints authlint's mean time divided by the server's.
bench_ratio() {
  local name=$1 server=$2 authlint=$3 json=$4
  hyperfine -N --warmup 2 --runs 10 --export-json "$json" "$server" "$authlint" >&2
  python3 - "$json" "$name" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
server, authlint = r[0]["mean"], r[1]["mean"]
print(f"{sys.argv[2]}: {server*1000:.0f} ms  authlint: {authlint*1000:.0f} ms  ratio: {authlint/server:.2f} (target <= 0.3)")
PY
}
