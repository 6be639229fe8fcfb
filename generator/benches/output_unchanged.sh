#!/usr/bin/env bash
# Output unchanged: a change that only reorganizes the generator must leave what it writes byte
# for byte as it was. This generates every spec of `../shared/specs/corpus`, Stytch's file and
# its history, and the repository's own spec, with the release build of a git revision (default
# `HEAD`) and with the release build of the working tree, each spec three ways (plain, with the
# example and call checks, and in module mode), then compares the two folders. A spec that
# fails must fail the same way with both. It also compares the `sdkgen diff` reports (text,
# Markdown, JSON) of each consecutive pair of Stytch's history. Prints one line per difference
# and a total; exits 1 if anything differs. Run from the repository root (it takes a few
# minutes):
#
#     bash generator/benches/output_unchanged.sh [<rev>]
#
# `BASE_SDKGEN=<path>` uses an already built `sdkgen` as the base instead of building `<rev>`.
set -euo pipefail
rev=${1:-HEAD}
root=$(git rev-parse --show-toplevel)
shared=$(cd "$root/../shared/specs" && pwd)
work="$root/target/output-unchanged"
rm -rf "$work/base" "$work/new"
mkdir -p "$work/base" "$work/new"

if [ -z "${BASE_SDKGEN:-}" ]; then
    rm -rf "$work/base-src"
    git -C "$root" worktree prune
    git -C "$root" worktree add --detach --quiet "$work/base-src" "$rev"
    (cd "$work/base-src" && CARGO_TARGET_DIR="$work/base-target" \
        cargo build --release --quiet -p sdkgen --bin sdkgen)
    git -C "$root" worktree remove --force "$work/base-src"
    BASE_SDKGEN="$work/base-target/release/sdkgen"
fi
(cd "$root" && cargo build --release --quiet -p sdkgen --bin sdkgen)
NEW_SDKGEN="$root/target/release/sdkgen"

specs=("$root/spec/stytch-magic-links.yaml" "$shared/stytch/openapi.yml")
specs+=("$shared"/stytch/history/*.yml)
for spec in "$shared"/corpus/*; do
    case "$spec" in *.json | *.yaml | *.yml) specs+=("$spec") ;; esac
done

# generate <sdkgen> <side> <spec> <variant>: the crate in <side>/<variant>/<name>, and the
# command's exit code and diagnostics beside it.
generate() {
    local tool=$1 side=$2 spec=$3 variant=$4
    local name
    name=$(basename "$(dirname "$spec")")__$(basename "$spec")
    local out="$work/$side/$variant/$name"
    local flags=()
    case "$variant" in
        checks) flags=(--example-check --call-check) ;;
        module) flags=(--module api) ;;
    esac
    mkdir -p "$work/$side/$variant"
    local code=0
    (cd "$(dirname "$spec")" && "$tool" generate "$(basename "$spec")" --out "$out" \
        --name generated-crate "${flags[@]}") >"$out.raw" 2>&1 || code=$?
    # The messages name the output folder, which differs between the two sides.
    sed "s#$work/$side/#<out>/#g" "$out.raw" >"$out.log"
    rm "$out.raw"
    echo "exit $code" >>"$out.log"
}

for spec in "${specs[@]}"; do
    for variant in plain checks module; do
        generate "$BASE_SDKGEN" base "$spec" "$variant"
        generate "$NEW_SDKGEN" new "$spec" "$variant"
    done
done

# diff <sdkgen> <side> <old> <new>: the three reports of one pair.
diff_reports() {
    local tool=$1 side=$2 old=$3 new=$4
    local name
    name=$(basename "$old" .yml)__$(basename "$new" .yml)
    mkdir -p "$work/$side/diff"
    for format in text markdown json; do
        local code=0
        "$tool" diff "$old" "$new" --format "$format" >"$work/$side/diff/$name.$format" 2>&1 ||
            code=$?
        echo "exit $code" >>"$work/$side/diff/$name.$format"
    done
}

history=("$shared"/stytch/history/*.yml)
pairs=0
for ((i = 1; i < ${#history[@]}; i++)); do
    diff_reports "$BASE_SDKGEN" base "${history[i - 1]}" "${history[i]}"
    diff_reports "$NEW_SDKGEN" new "${history[i - 1]}" "${history[i]}"
    pairs=$((pairs + 1))
done

differing=0
for report in "$work/base/diff"/*; do
    if ! cmp -s "$report" "$work/new/diff/$(basename "$report")"; then
        echo "differs: diff/$(basename "$report")"
        differing=$((differing + 1))
    fi
done
for variant in plain checks module; do
    for log in "$work/base/$variant"/*.log; do
        name=$(basename "$log" .log)
        if ! diff -r -q "$work/base/$variant/$name" "$work/new/$variant/$name" >/dev/null 2>&1 ||
            ! cmp -s "$log" "$work/new/$variant/$name.log"; then
            echo "differs: $variant/$name"
            differing=$((differing + 1))
        fi
    done
done
echo "${#specs[@]} specs, 3 ways each, and $pairs diff reports in 3 formats: $differing output(s) differ"
[ "$differing" -eq 0 ]
