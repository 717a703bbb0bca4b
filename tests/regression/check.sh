#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The regression_corpus test: reruns every case of tests/data/regression/cases.txt with the given
# loom and compares each layers.csv and summary.json with the recorded one byte for byte. On a
# difference it names the file and prints the first differing line of both. A change meant to
# alter numbers re-records the corpus (tests/regression/record.sh, which says when and how).
# Usage: check.sh LOOM SOURCE_ROOT SCRATCH_DIR
set -eu
loom=$1; src=$2; scratch=$3
corpus=$src/tests/data/regression
rm -rf "$scratch"
mkdir -p "$scratch"
status=0
sh "$(dirname "$0")/run_cases.sh" "$loom" "$src" "$corpus/cases.txt" "$scratch" || status=1
runs=0; differ=0
while read -r dir args; do
  case "$dir" in '' | '#'*) continue ;; esac
  runs=$((runs + 1))
  for f in layers.csv summary.json; do
    want=$corpus/$dir/$f; got=$scratch/$dir/$f
    if [ ! -f "$got" ]; then
      echo "MISSING: $dir/$f was not written"; differ=$((differ + 1)); continue
    fi
    cmp -s "$want" "$got" && continue
    differ=$((differ + 1))
    report=$(cmp "$want" "$got" 2>&1 || true)
    line=$(echo "$report" | sed -n 's/.* line \([0-9]*\).*/\1/p')
    case "$report" in
      *EOF*)  # one file is the other plus more lines
        echo "DIFFERS: tests/data/regression/$dir/$f: $(wc -l <"$want") lines recorded," \
          "$(wc -l <"$got") now (${report#cmp: })"
        continue ;;
    esac
    echo "DIFFERS: tests/data/regression/$dir/$f line $line"
    echo "  recorded: $(sed -n "${line}p" "$want")"
    echo "  now:      $(sed -n "${line}p" "$got")"
    # For a CSV row, name the first differing column.
    if [ "$f" = layers.csv ]; then
      { sed -n 1p "$want"; sed -n "${line}p" "$want"; sed -n "${line}p" "$got"; } | awk -F, '
        NR == 1 { for (i = 1; i <= NF; ++i) h[i] = $i }
        NR == 2 { for (i = 1; i <= NF; ++i) w[i] = $i }
        NR == 3 { for (i = 1; i <= NF; ++i) if ($i != w[i]) {
                    print "  first differing column: " h[i] " (" w[i] " recorded, " $i " now)"; exit } }'
    fi
  done
done <"$corpus/cases.txt"
echo "$runs runs, $differ differing files"
[ "$differ" -eq 0 ] || status=1
exit $status
