// The gongwen extension: starts `gongwen lsp` for a report's Markdown and YAML files, runs
// `gongwen build` from the command palette (生成报告), and opens the live page preview that
// `gongwen serve` gives (打开预览).

import { ChildProcess, execFile, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;
// The running `gongwen serve`, and the report folder it shows.
let preview: { process: ChildProcess; dir: string; url?: string } | undefined;

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
    vscode.commands.registerCommand("gongwen.preview", () => openPreview(output)),
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
  preview?.process.kill();
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

// Starts `gongwen serve` for the report (once; again for another report) and opens the page
// it prints, 预览地址：http://127.0.0.1:PORT/, in the editor's browser.
async function openPreview(output: vscode.OutputChannel): Promise<void> {
  const dir = await reportDir();
  if (!dir) {
    vscode.window.showErrorMessage("没有找到报告目录：报告目录里应有 report.yaml。");
    return;
  }
  if (preview?.dir === dir && preview.url && preview.process.exitCode === null) {
    show(preview.url);
    return;
  }
  preview?.process.kill();
  output.appendLine(`$ ${program()} serve ${dir}`);
  const child = spawn(program(), ["serve", dir], { cwd: path.dirname(dir) });
  const started = { process: child, dir } as { process: ChildProcess; dir: string; url?: string };
  preview = started;
  let printed = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    output.append(text);
    printed += text;
    const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(printed);
    if (found && !started.url) {
      started.url = found[0];
      show(started.url);
    }
  });
  child.stderr?.on("data", (chunk: Buffer) => output.append(chunk.toString("utf8")));
  child.on("error", (err) => {
    vscode.window.showErrorMessage(
      `无法启动 ${program()} serve：${err.message}。请确认已安装 gongwen，或在设置 gongwen.path 中写明它的路径。`,
    );
  });
  child.on("exit", (code) => {
    if (!started.url) {
      output.show(true);
      vscode.window.showErrorMessage(`预览没有打开（gongwen serve 退出，代码 ${code}）：请看“输出”面板。`);
    }
  });
}

function show(url: string): void {
  // VS Code's own browser tab when it has one, else the computer's browser.
  vscode.commands
    .executeCommand("simpleBrowser.show", url)
    .then(undefined, () => vscode.env.openExternal(vscode.Uri.parse(url)));
}
