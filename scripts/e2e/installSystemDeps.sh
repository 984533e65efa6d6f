#!/usr/bin/env bash
# Debian packages the tests need: a C toolchain, python3 and Kerberos headers for code-server's
# native modules, ripgrep (code-server's search, and the archive that stands in for
# @vscode/ripgrep's download), chromium (driven by playwright), and Debian's PyTorch, numpy and
# pytest for the PyTorch recorder's tests (no PyPI is needed: /usr/bin/python3 runs them).
# Does nothing when they are all installed; runs `apt-get update` once before installing.
# With arguments, only those packages (`npm test` asks for chromium and the Python ones).
set -euo pipefail

packages=(build-essential python3 libkrb5-dev ripgrep chromium python3-torch python3-numpy python3-pytest)
if [ "$#" -gt 0 ]; then packages=("$@"); fi
missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "installSystemDeps: all present (${packages[*]})"
  exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi

echo "installSystemDeps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
