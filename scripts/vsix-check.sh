#!/usr/bin/env bash
# CI: the VS Code extension (editors/vscode) compiled and packaged by `make vsix`, and the
# package checked for what an editor needs: the server command and the two commands.
# Node.js and npm come from apt when the machine has none. A TypeScript error or a package
# without those fails. A machine that cannot get Node.js or the npm packages says so in
# one line and leaves the rest of CI standing: the extension is not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null; then
  bash scripts/apt-install.sh vsix nodejs npm || { echo "vsix: NOT CHECKED: Node.js and npm could not be installed"; exit 0; }
fi
(cd editors/vscode && npm ci --no-audit --no-fund) || { echo "vsix: NOT CHECKED: the npm packages could not be fetched"; exit 0; }
(cd editors/vscode && npm run compile)
# vsce needs Node.js 20; Debian 12's own is 18, on which the TypeScript above still compiles.
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "vsix: compiled; NOT PACKAGED: Node.js $node_major is older than the 20 that vsce needs"
  exit 0
fi
mkdir -p build
(cd editors/vscode && npm run package)
listing=$(mktemp -d)
trap 'rm -rf "$listing"' EXIT
unzip -q build/gongwen.vsix -d "$listing"
for wanted in '"gongwen.build"' '"gongwen.preview"' '"生成报告"' '"打开预览"'; do
  grep -q "$wanted" "$listing/extension/package.json" || { echo "vsix: package.json lacks $wanted"; exit 1; }
done
grep -q '"lsp"' "$listing/extension/out/extension.js" || { echo "vsix: the extension does not start gongwen lsp"; exit 1; }
grep -q '"serve"' "$listing/extension/out/extension.js" || { echo "vsix: the extension does not start gongwen serve"; exit 1; }
echo "vsix: build/gongwen.vsix compiled and packaged, with gongwen lsp, 生成报告 and 打开预览"
