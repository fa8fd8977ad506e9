#!/usr/bin/env bash
# Checks that every library crate of bangfu, and the `bangfu` command, would package for
# crates.io and builds alone from its package. The workspace keeps `publish = false`, so
# nothing is published by accident; this script switches publishing on in a scratch copy of
# the tree and runs `cargo package` there, which builds each packaged crate on its own
# (sibling crates come from the other packages, through cargo's local overlay, not from the
# tree). Before that it checks what a package must carry: README.md and both licence files
# (copies of the top-level ones), and no `include_str!`/`include_bytes!` that leaves the
# crate. Usage: tools/package-check.sh (from anywhere; CARGO_TARGET_DIR is honoured, else the
# tree's target/ is used, so the dependencies built by earlier steps are reused).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# The crates that are meant for crates.io, in dependency order.
crates=(bangfu-core bangfu-funding bangfu-eligibility bangfu-aid bangfu-scoring bangfu-year bangfu-data bangfu-journal bangfu bangfu-office bangfu-serve bangfu-cli)
failed=0
fail() {
    echo "package-check: $*" >&2
    failed=1
}

echo "-- README, licence files and embedded paths"
for c in "${crates[@]}"; do
    dir="crates/$c"
    test -f "$dir/README.md" || fail "$dir/README.md is missing"
    for f in LICENSE-MIT LICENSE-APACHE; do
        if ! cmp -s "$f" "$dir/$f"; then
            fail "$dir/$f is missing or differs from the top-level $f"
        fi
    done
    # Every include_str!/include_bytes! path must stay inside the crate: relative to the
    # including file, or after CARGO_MANIFEST_DIR relative to the crate. Code, doc comments
    # and doctests alike.
    while IFS=: read -r file line text; do
        if [[ "$text" == *CARGO_MANIFEST_DIR* ]]; then
            base="$dir"
            path="$(sed -E 's/.*CARGO_MANIFEST_DIR"\), *"\/?([^"]*)".*/\1/' <<<"$text")"
        else
            base="$(dirname "$file")"
            path="$(sed -E 's/.*include_(str|bytes)!\( *"([^"]*)".*/\2/' <<<"$text")"
        fi
        target="$(realpath -m "$base/$path")"
        case "$target" in
            "$root/$dir"/*) ;;
            *) fail "$file:$line: include reaches outside $dir: $path" ;;
        esac
    done < <(grep -rnE 'include_(str|bytes)!' "$dir" --include='*.rs' --include='*.md' || true)
done
if [[ "$failed" != 0 ]]; then
    exit 1
fi

# A scratch copy of the tree as it stands (tracked files and new ones git does not ignore).
scratch="$(mktemp -d "${TMPDIR:-/tmp}/bangfu-package.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do
        if [[ -e "$f" ]]; then printf '%s\0' "$f"; fi
    done |
    tar --null -T - -cf - | tar -xf - -C "$scratch"

# Publishing on: the workspace's `publish = false` line only (tests/ and benches/ keep theirs).
sed -i 's/^publish = false$/publish = true/' "$scratch/Cargo.toml"
grep -q '^publish = true$' "$scratch/Cargo.toml" || {
    echo "package-check: no 'publish = false' line in [workspace.package] to switch" >&2
    exit 1
}

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
packages=()
for c in "${crates[@]}"; do packages+=(-p "$c"); done

# Cargo keeps the sources it unpacked from the local registry of an earlier run, keyed by name
# and version, and never unpacks the same version again: a second run on one machine would
# verify against the first run's sources. Drop them (no crate of crates.io we use is named
# bangfu-*).
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
rm -rf "$cargo_home"/registry/src/*/bangfu-*[0-9] "$cargo_home"/registry/cache/*/bangfu-*.crate
# For the same reason, what an earlier run compiled from those packages (a registry crate is
# never rebuilt for changed sources); the tree's own crates rebuild from their sources anyway.
rm -rf "$CARGO_TARGET_DIR"/debug/.fingerprint/bangfu-* "$CARGO_TARGET_DIR"/debug/deps/libbangfu_* \
    "$CARGO_TARGET_DIR"/debug/deps/bangfu_*
echo "-- cargo package ${packages[*]} (each verified by building it alone)"
(cd "$scratch" && cargo package --locked "${packages[@]}")

version="$(sed -nE 's/^version = "([^"]+)"$/\1/p' Cargo.toml | head -n 1)"
for c in "${crates[@]}"; do
    crate_file="$CARGO_TARGET_DIR/package/$c-$version.crate"
    listing="$(tar -tzf "$crate_file")"
    for f in README.md LICENSE-MIT LICENSE-APACHE Cargo.toml; do
        grep -qx "$c-$version/$f" <<<"$listing" || fail "$crate_file lacks $f"
    done
    printf '%-20s %6s KiB packed, %3d files\n' "$c" "$(($(stat -c %s "$crate_file") / 1024))" \
        "$(wc -l <<<"$listing")"
done
if [[ "$failed" != 0 ]]; then
    exit 1
fi
echo "-- every crate packages and builds alone"
