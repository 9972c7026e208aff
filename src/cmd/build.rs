//! `gongwen build`: a report directory in, a GB/T 9704 .docx out.

use std::path::{Path, PathBuf};

use gongwen::error::Result;
use gongwen::output;
use gongwen::preview::Preview;
use gongwen::render::Renderer;
use gongwen::render::docx::DocxRenderer;
use gongwen::report::{self, Options};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The report directory (report.yaml, data, one .md file per part).
    #[arg(default_value = "content")]
    pub report_dir: PathBuf,
    /// Where to write the .docx (default: build/<directory name>.docx).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// A layout file to use instead of the one report.yaml names.
    #[arg(long)]
    pub style: Option<PathBuf>,
    /// Also write a PDF preview next to the .docx (needs LibreOffice).
    #[arg(long)]
    pub pdf: bool,
}

pub fn run(args: &Args) -> Result<()> {
    let options = Options {
        style: args.style.clone(),
    };
    let built = report::build(&args.report_dir, &options)?;
    for warning in &built.warnings {
        eprintln!("警告：{warning}");
    }
    let bytes = DocxRenderer {
        style: &built.style,
        reviser: None,
    }
    .render(&built.document)?;
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| default_output(&args.report_dir));
    if let Some(parent) = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty() && !p.exists())
    {
        std::fs::create_dir_all(parent).map_err(|source| gongwen::error::Error::Write {
            path: output.clone(),
            source,
        })?;
    }
    output::write_atomically(&output, &bytes)?;
    println!("已生成 {}", output.display());
    if args.pdf {
        let pdf = output.with_extension("pdf");
        // The style's folder may carry a fontconfig file for previews (styles/fonts/fonts.conf).
        let fonts = built
            .style_path
            .parent()
            .map(|dir| dir.join("fonts/fonts.conf"));
        Preview { fonts }.render(&bytes, &pdf)?;
        println!("已生成 {}", pdf.display());
    }
    Ok(())
}

fn default_output(report_dir: &Path) -> PathBuf {
    let name = std::fs::canonicalize(report_dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "report".into());
    Path::new("build").join(format!("{name}.docx"))
}
