#!/usr/bin/env bash
# What sdkgen as a build dependency adds to a user's clean build: the same small project (a
# one-operation spec, the generated crate as its library) built from scratch without and with
# a `build.rs` that calls `sdkgen::Config` (sdkgen with `default-features = false`), each in a
# target directory of its own, alternating, `rounds` times (default 2). Prints wall and CPU
# seconds per build. Run from the repository root:
#
#     bash generator/benches/build_dependency_cost.sh [rounds]
set -euo pipefail
rounds=${1:-2}
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build -q -p sdkgen
mkdir -p "$work/user/spec"
cd "$work/user"
cat > spec/greetings.yaml <<'SPEC'
openapi: 3.0.3
info: {title: Greetings, version: '1'}
paths:
  /greetings/{name}:
    get:
      operationId: getGreeting
      tags: [greetings]
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: a greeting
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Greeting'}
components:
  schemas:
    Greeting:
      type: object
      required: [message]
      properties:
        message: {type: string}
SPEC
printf '[crate]\nname = "greetings"\n' > spec/sdkgen.toml
"$repo/target/debug/sdkgen" generate spec/greetings.yaml --out generated > /dev/null
tables=$(sed -n '/^\[dependencies\]/,$p' generated/Cargo.toml)
package='[package]
name = "greetings"
version = "0.1.0"
edition = "2024"'
printf '%s\n\n[lib]\npath = "generated/src/lib.rs"\n\n%s\n\n[workspace]\n' \
  "$package" "$tables" > Cargo.toml.without
printf '%s\nbuild = "build.rs"\n\n[lib]\npath = "generated/src/lib.rs"\n\n%s\n\n[build-dependencies]\nsdkgen = { path = "%s", default-features = false }\n\n[workspace]\n' \
  "$package" "$tables" "$repo/generator" > Cargo.toml.with
printf 'fn main() -> Result<(), sdkgen::Error> {\n    sdkgen::Config::new("spec/greetings.yaml", "generated").generate()?;\n    Ok(())\n}\n' > build.rs.with
cp "$repo/Cargo.lock" .
for round in $(seq 1 "$rounds"); do
  for mode in without with; do
    cp "Cargo.toml.$mode" Cargo.toml
    if [ "$mode" = with ]; then cp build.rs.with build.rs; else rm -f build.rs; fi
    rm -rf "$work/target-$mode"
    /usr/bin/time -f "$mode sdkgen, round $round: %e s wall, %U s CPU" \
      env CARGO_TARGET_DIR="$work/target-$mode" CARGO_INCREMENTAL=0 cargo build -q
  done
done
