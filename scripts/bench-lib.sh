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

# bench_tree_ready WORK HASH: writes the 50 user files the generated configs
# name; then, with GEN_ONLY=1, prints the tree and exits, else flushes it to
# disk so that its writeback does not run during the timed runs.
bench_tree_ready() {
  local work=$1 hash=$2
  for u in $(seq 0 49); do echo "$hash" > "$work/conf/users$u.htpasswd"; done
  if [ -n "${GEN_ONLY:-}" ]; then trap - EXIT; echo "$work"; exit 0; fi
  sync
}
