#!/usr/bin/env bash
# The seat example as a cluster on loopback: Redis, two seat nodes (a and b) sharing it, nginx in front on one
# port. Prints the one URL; Ctrl-C (or SIGTERM) stops all four. Run from the repository root after a build:
#
#   examples/seats/cluster/cluster.sh CLASSPATH [--port 8080] [--hold-seconds 60]
#
# The nodes listen on PORT+1 and PORT+2, Redis on PORT+3; everything they write goes to
# examples/seats/target/cluster/ (Redis's append-only file, the logs, nginx's files).
set -uo pipefail
classpath=$1; shift
port=8080
node_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --port) port=$2; shift 2;;
    *) node_args+=("$1"); shift;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
run=$(pwd)/examples/seats/target/cluster
node_a=$((port + 1)) node_b=$((port + 2)) redis_port=$((port + 3))
nginx=$(command -v nginx || echo /usr/sbin/nginx)
mkdir -p "$run/redis"
pids=()

stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  echo "cluster: stopped"
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

# Waits until something accepts on the port, or fails naming the log that says why.
await_port() {
  local what=$1 port=$2 log=$3 pid=$4
  for _ in $(seq 1 300); do
    (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { echo "cluster: $what exited; see $log"; tail -5 "$log"; exit 1; }
    sleep 0.1 # polling another process's port: there is no event to wait on
  done
  echo "cluster: $what did not listen on $port within 30 s; see $log"; exit 1
}

for p in "$port" "$node_a" "$node_b" "$redis_port"; do
  if (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null; then echo "cluster: port $p is taken"; exit 1; fi
done

# Every write on disk before Redis answers it (fsync always): a sale survives a Redis crash.
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$run/redis" --save '' --appendonly yes \
  --appendfsync always > "$run/redis.log" 2>&1 & pids+=($!)
await_port redis "$redis_port" "$run/redis.log" "${pids[-1]}"

for node in a b; do
  node_port=$([ $node = a ] && echo "$node_a" || echo "$node_b")
  java -cp "$classpath" dev.wsreactor.examples.seats.SeatsServer --host 127.0.0.1 --port "$node_port" \
    --node $node --redis "redis://127.0.0.1:$redis_port" \
    --server-name "127.0.0.1:$port" --server-name "localhost:$port" "${node_args[@]}" \
    > "$run/node-$node.log" 2>&1 & pids+=($!)
done
await_port "node a" "$node_a" "$run/node-a.log" "${pids[1]}"
await_port "node b" "$node_b" "$run/node-b.log" "${pids[2]}"

sed -e "s|@RUN@|$run|g" -e "s|@PORT@|$port|g" -e "s|@NODE_A@|$node_a|g" -e "s|@NODE_B@|$node_b|g" \
  "$here/nginx.conf" > "$run/nginx.conf"
"$nginx" -p "$run" -c "$run/nginx.conf" -e "$run/nginx-error.log" > "$run/nginx.log" 2>&1 & pids+=($!)
await_port nginx "$port" "$run/nginx.log" "${pids[-1]}"

echo "cluster: open http://127.0.0.1:$port/ (nginx -> nodes a on $node_a and b on $node_b -> Redis on $redis_port)"
echo "cluster: http://127.0.0.1:$port/?node=a and ?node=b pin a page to a node; Ctrl-C stops all"
# Until one of them ends (or a signal comes): then everything stops.
wait -n "${pids[@]}"
echo "cluster: a process ended; stopping the rest (logs in $run)"
exit 1
