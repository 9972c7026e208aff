// The gongwen extension: starts `gongwen lsp` for a report's Markdown and YAML files, and
// runs `gongwen build` from the command palette (生成报告).

import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function program(): string {
  return vscode.workspace.getConfiguration("gongwen").get<string>("path") || "gongwen";
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("gongwen");
  const server: ServerOptions = { command: program(), args: ["lsp"] };
  const options: LanguageClientOptions = {
    // The server answers only for files beside a report.yaml; others it leaves alone.
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "file", language: "yaml" },
    ],
    outputChannel: output,
    // A report's files changed by another program (a checkout, a copy) are read again.
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{md,yaml,yml}"),
    },
  };
  client = new LanguageClient("gongwen", "gongwen", server, options);
  context.subscriptions.push(
    vscode.commands.registerCommand("gongwen.build", () => build(output)),
  );
  try {
    await client.start();
  } catch (err) {
    vscode.window.showErrorMessage(
      `无法启动 ${program()} lsp：${err}。请确认已安装 gongwen，或在设置 gongwen.path 中写明它的路径。`,
    );
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

// The report folder to build: the active file's folder when it holds a report.yaml, else
// the workspace's only one, else the one the writer picks.
async function reportDir(): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === "file") {
    const dir = path.dirname(active.fsPath);
    if (fs.existsSync(path.join(dir, "report.yaml"))) {
      return dir;
    }
  }
  const found = await vscode.workspace.findFiles("**/report.yaml", "**/node_modules/**", 50);
  const dirs = found.map((uri) => path.dirname(uri.fsPath)).sort();
  if (dirs.length <= 1) {
    return dirs[0];
  }
  return vscode.window.showQuickPick(dirs, { placeHolder: "生成哪一份报告？" });
}

async function build(output: vscode.OutputChannel): Promise<void> {
  const dir = await reportDir();
  if (!dir) {
    vscode.window.showErrorMessage("没有找到报告目录：报告目录里应有 report.yaml。");
    return;
  }
  // Run beside the report folder, so that build/ is its sibling, as `make report` does.
  await vscode.workspace.saveAll(false);
  output.show(true);
  output.appendLine(`$ ${program()} build ${dir}`);
  execFile(program(), ["build", dir], { cwd: path.dirname(dir) }, (error, stdout, stderr) => {
    output.append(stderr);
    output.append(stdout);
    if (error) {
      vscode.window.showErrorMessage("报告没有生成：请看“输出”面板中 gongwen 的说明。");
    } else {
      vscode.window.showInformationMessage("报告已生成：" + stdout.trim().split("\n").join("；"));
    }
  });
}
