//! `gongwen absorb EDITED.docx [REPORT_DIR]`: the edits made in Word or WPS to a .docx gongwen
//! built, written back into the report's section files; what cannot be (figures, verdicts,
//! the title, tables) and the comments listed at their file:line.

use std::path::{Path, PathBuf};

use clap::{ArgMatches, Command};

use gongwen::diag::Result;
use gongwen::document::report::{self, Options};
use gongwen::input::source;
use gongwen::render;
use gongwen::review::absorb::{self, Item};

use super::{flag, is_set, one, path, report_dir};

#[derive(Debug)]
pub struct Args {
    pub edited: PathBuf,
    pub report_dir: PathBuf,
    pub dry_run: bool,
}

pub fn command() -> Command {
    Command::new("absorb")
        .about("把审核人在 Word、WPS 里对 .docx 的修改（含修订、批注）写回报告目录的 .md 文件")
        .arg(
            path(
                "EDITED",
                "gongwen build 生成、在 Word 或 WPS 里改过的 .docx",
            )
            .required(true),
        )
        .arg(report_dir())
        .arg(flag("dry-run", "预演：只列出会改什么，不写入文件"))
}

impl Args {
    pub fn from(matches: &ArgMatches) -> Args {
        Args {
            edited: one(matches, "EDITED").unwrap_or_default(),
            report_dir: one(matches, "REPORT_DIR").unwrap_or_default(),
            dry_run: is_set(matches, "dry-run"),
        }
    }
}

pub fn run(args: &Args) -> Result<()> {
    let bytes = source::read_bytes(&args.edited, source::MAX_DOCX_BYTES)?;
    let edited = absorb::read(&bytes, &args.edited)?;
    let recorded = absorb::recorded(&edited, &args.edited)?;
    let built = report::build(&args.report_dir, &Options::default())?;
    absorb::check_origin(&recorded, &built, &args.edited)?;
    let now = render::outputs(&built, Path::new("report.docx"), render::Extras::default())?;
    let now = now.first().map(|file| file.bytes.as_slice()).unwrap_or(&[]);
    let now = absorb::read(now, Path::new("report.docx"))?;
    let plan = absorb::plan(&built, &now.lines, &now.footnotes, &edited, &recorded);

    if !plan.stale.is_empty() {
        outln!(
            "注意：生成这份 .docx 之后，报告目录里的 {} 改过；这些文件里的修改只列出，没有写入。",
            plan.stale.join("、")
        );
    }
    if plan.insertions + plan.deletions > 0 {
        outln!(
            "修改稿里有 {} 处插入、{} 处删除的修订尚未接受，已按接受处理：插入的文字写入，删除的文字删去。",
            plan.insertions,
            plan.deletions
        );
    }
    let residual = absorb::verify(&plan, &built, &edited, &args.edited)?;
    let written = if args.dry_run {
        "会写入"
    } else {
        "已写入"
    };
    let dry_run = args.dry_run;
    print_items(&format!("{written}的修改"), &plan.applied, dry_run);
    print_items("没有写入、请手工处理的修改", &plan.listed, dry_run);
    print_items("批注", &plan.comments, dry_run);
    // Compared once more with the edits made: said at the lines the files then have.
    print_items(
        "注意：写回后重新生成，这几处仍与审核稿不同，请核对",
        &residual,
        true,
    );
    if plan.applied.is_empty() && plan.listed.is_empty() && plan.comments.is_empty() {
        outln!(
            "{} 与报告目录 {} 现在生成的文字相同，没有要写回的修改。",
            args.edited.display(),
            args.report_dir.display()
        );
    }
    if args.dry_run {
        if !plan.files.is_empty() {
            outln!("预演：没有写入任何文件（去掉 --dry-run 即写入）。");
        }
        return Ok(());
    }
    absorb::write(&plan, &built)?;
    if !plan.files.is_empty() {
        let names: Vec<String> = plan
            .files
            .iter()
            .map(|(path, _)| path.display().to_string())
            .collect();
        outln!(
            "已改写 {}；请重新生成（gongwen build）并核对。",
            names.join("、")
        );
    }
    Ok(())
}

/// Each item at its file:line, as the file is after the writing (or now, in a dry run).
fn print_items(heading: &str, items: &[Item], dry_run: bool) {
    if items.is_empty() {
        return;
    }
    outln!("{heading}（{} 处）：", items.len());
    for item in items {
        let at = if dry_run { &item.now } else { &item.location };
        outln!("  {at}: {}", item.message);
    }
}
