//! `gongwen lsp`: the language server an editor starts, over stdin and stdout.

use std::process::ExitCode;

use clap::{ArgMatches, Command};

use gongwen::lsp::server;

use super::flag;

#[derive(Debug)]
pub struct Args;

pub fn command() -> Command {
    Command::new("lsp")
        .about("语言服务器（LSP）：供编辑器在输入时显示检查结果、数值来源和补全")
        .long_about(
            "语言服务器（LSP）：由编辑器启动，经标准输入输出通信，不必手动运行。\n\n\
             编辑器打开报告目录中的 .md、data.yaml、indicators.yaml、report.yaml 后，\
             按未保存的内容生成并检查报告：错误和检查结果标在原处（可一键改正的给出快速修复），\
             悬停在 {{ 占位符 }} 上显示填入的值和指标的公式、数据、目标、结论、得分，\
             在 {{ }} 和 {% if %} 里补全名称，从占位符跳到 data.yaml 或 indicators.yaml 中的定义，\
             大纲显示生成后的标题编号。",
        )
        .arg(flag("stdio", "经标准输入输出通信（默认，也是唯一的方式）"))
}

impl Args {
    pub fn from(_matches: &ArgMatches) -> Args {
        Args
    }
}

/// Succeeds when the editor shut the server down before telling it to exit.
pub fn run(_args: &Args) -> ExitCode {
    match server::serve_stdio() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            noteln!("gongwen lsp：与编辑器的连接中断：{err}");
            ExitCode::FAILURE
        }
    }
}
