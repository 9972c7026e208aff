//! `gongwen style`: the built-in styles, and `--dump` to start a local variant from one.

use std::path::PathBuf;

use gongwen::error::{Error, Result};
use gongwen::output;
use gongwen::style::{self, BUILTIN};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The built-in style.
    #[arg(default_value = style::DEFAULT.name)]
    pub name: String,
    /// Print the style's YAML (or write it with -o), to copy and change: 样式: 本单位.yaml.
    #[arg(long)]
    pub dump: bool,
    /// With --dump: write to this file instead of the terminal (a Windows console redirect
    /// would save it as UTF-16, which no YAML reader takes).
    #[arg(short, long, requires = "dump")]
    pub output: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<()> {
    let Some(builtin) = BUILTIN.iter().find(|b| b.name == args.name) else {
        return Err(Error::Usage(format!(
            "没有名为“{}”的内置样式。内置样式：{}",
            args.name,
            style::builtin_names()
        )));
    };
    match (&args.output, args.dump) {
        (Some(path), _) => {
            output::write_atomically(path, builtin.yaml.as_bytes())?;
            println!("已生成 {}", path.display());
        }
        (None, true) => print!("{}", builtin.yaml),
        (None, false) => {
            for b in &BUILTIN {
                let name = b.yaml.lines().find_map(|l| l.strip_prefix("name: "));
                println!("{}  {}", b.name, name.unwrap_or_default());
            }
            println!(
                "用 gongwen style --dump -o 本单位.yaml 导出，修改后在 report.yaml 中写 样式: 本单位.yaml。"
            );
        }
    }
    Ok(())
}
