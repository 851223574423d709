# Sourced by the jdk-*-cost.sh scripts: runs a JVM per configuration, round-robin so that machine
# noise spreads evenly, and prints the median wall time and the median CPU time (user + system:
# less disturbed than wall time on a machine others load) of each configuration.

# run_round_robin RUNS AGENT WORK COMMAND...: runs COMMAND (a java command line without "java")
# RUNS times for each configuration of the array "configs", with the agent and the configuration
# as its options ("bare": without the agent); records the times in WORK/times.
run_round_robin() {
  local runs=$1 agent=$2 work=$3
  shift 3
  local i config args
  for ((i = 0; i < runs; i++)); do
    for config in "${configs[@]}"; do
      if [ "$config" = bare ]; then args=(); else args=("-javaagent:$agent=$config,watchdog=0"); fi
      /usr/bin/time -o "$work/one" -f '%e %U %S' java "${args[@]}" "$@" > /dev/null 2>&1
      awk -v c="$config" '{printf "%s %d %d\n", c, $1 * 1000, ($2 + $3) * 1000}' "$work/one" \
        >> "$work/times"
    done
  done
}

# print_medians WORK TITLE WIDTH: one line per configuration of "configs".
print_medians() {
  local work=$1 title=$2 width=$3 config wall cpu
  printf "%-${width}s %-8s %s\n" "configuration" "wall ms" "cpu ms ($title)"
  for config in "${configs[@]}"; do
    wall=$(grep "^$config " "$work/times" | awk '{print $2}' | median)
    cpu=$(grep "^$config " "$work/times" | awk '{print $3}' | median)
    printf "%-${width}s %-8s %s\n" "$config" "$wall" "$cpu"
  done
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
