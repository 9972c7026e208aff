//! `gongwen absorb`: a built .docx edited as a reviewer edits it in Word (plain edits, tracked
//! changes still pending, a comment), written back into a copy of the sample's section files.

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{gongwen, repo, stderr};

/// The sample `content/` copied into a temporary directory.
fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("content");
    std::fs::create_dir(&dir).unwrap();
    for entry in std::fs::read_dir(repo().join("content")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
    }
    (work, dir)
}

fn run(args: &[&str]) -> Output {
    gongwen(args)
}

fn build(dir: &Path, docx: &Path) {
    let output = run(&["build", dir.to_str().unwrap(), "-o", docx.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
}

fn absorb(docx: &Path, dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["absorb", docx.to_str().unwrap(), dir.to_str().unwrap()];
    args.extend(extra);
    run(&args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn textconv(docx: &Path) -> String {
    let output = run(&["textconv", docx.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

/// Every file of a directory and its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

/// `text` with its one `from` replaced by `to`.
fn once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "“{from}” is not there once");
    text.replacen(from, to, 1)
}

/// The .docx `from` with its document.xml changed by `edit` and `parts` added, as Word
/// saves an edited document: every other part kept.
fn edit_docx(from: &Path, to: &Path, edit: impl Fn(&str) -> String, parts: &[(&str, &str)]) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        let name = entry.name().to_string();
        let text = match name.as_str() {
            "word/document.xml" => edit(&text),
            "[Content_Types].xml" => parts.iter().fold(text, |text, (part, _)| {
                text.replace(
                    "</Types>",
                    &format!("<Override PartName=\"/{part}\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml\"/></Types>"),
                )
            }),
            _ => text,
        };
        out.start_file(name, options).unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    for (part, text) in parts {
        out.start_file(*part, options).unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.finish().unwrap();
}

/// The paragraph of document.xml holding `text`, taken out.
fn without_paragraph(xml: &str, text: &str) -> String {
    let at = xml.find(text).unwrap();
    let start = xml[..at].rfind("<w:p>").unwrap();
    let end = at + xml[at..].find("</w:p>").unwrap() + "</w:p>".len();
    format!("{}{}", &xml[..start], &xml[end..])
}

/// `xml` with a paragraph of `text` after the paragraph holding `after`.
fn with_paragraph_after(xml: &str, after: &str, text: &str) -> String {
    let at = xml.find(after).unwrap();
    let end = at + xml[at..].find("</w:p>").unwrap() + "</w:p>".len();
    format!(
        "{}<w:p><w:pPr><w:pStyle w:val=\"BodyText\"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>{}",
        &xml[..end],
        &xml[end..]
    )
}

/// The run holding `from` ended after `before`, `between` put in the gap, and the text
/// going on as `after` in a run of its own.
fn split_run(xml: &str, from: &str, before: &str, between: &str, after: &str) -> String {
    once(
        xml,
        from,
        &format!("{before}</w:t></w:r>{between}<w:r><w:t xml:space=\"preserve\">{after}"),
    )
}

const REVIEWER: &str = "w:author=\"张科长\" w:date=\"2024-03-20T00:00:00Z\"";

const COMMENTS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:comment w:id="0" w:author="张科长" w:date="2024-03-20T00:00:00Z" w:initials="张"><w:p><w:r><w:t>请补充党建工作的具体数字</w:t></w:r></w:p></w:comment></w:comments>"#;

/// The sample's .docx as a section chief returns it: a word changed, a sentence added, a
/// paragraph deleted and one added, a heading renamed, a figure changed, a tracked
/// insertion and a tracked deletion still pending, a comment.
fn reviewed(xml: &str) -> String {
    let xml = once(xml, "党工委办公室严格按照", "党工委办公室严格遵照");
    let xml = once(
        &xml,
        "<w:t xml:space=\"preserve\">基本情况</w:t>",
        "<w:t xml:space=\"preserve\">单位基本情况</w:t>",
    );
    let xml = once(&xml, "预算执行率为90.54%", "预算执行率为91.20%");
    let xml = once(
        &xml,
        "提高部门和单位整体绩效水平。",
        "提高部门和单位整体绩效水平。全年未发生重大问题。",
    );
    let xml = without_paragraph(&xml, "对本部门2023年度整体绩效情况开展自评。");
    let xml = with_paragraph_after(
        &xml,
        "全年未发生重大问题。",
        "同时加强资产管理，做到账实相符。",
    );
    let xml = split_run(
        &xml,
        "评价小组从公用经费控制",
        "评价小组",
        &format!("<w:ins w:id=\"9001\" {REVIEWER}><w:r><w:t>认真</w:t></w:r></w:ins>"),
        "从公用经费控制",
    );
    let xml = split_run(
        &xml,
        "本次部门整体绩效评价",
        "本次部门",
        &format!("<w:del w:id=\"9002\" {REVIEWER}><w:r><w:delText>整体</w:delText></w:r></w:del>"),
        "绩效评价",
    );
    split_run(
        &xml,
        "；高标准推进党建工作，为全区高质量发展提供组织保障。",
        "；",
        "<w:commentRangeStart w:id=\"0\"/><w:r><w:t>高标准推进党建工作</w:t></w:r><w:commentRangeEnd w:id=\"0\"/><w:r><w:commentReference w:id=\"0\"/></w:r>",
        "，为全区高质量发展提供组织保障。",
    )
}

#[test]
fn a_reviewed_docx_is_written_back_into_the_sections_it_came_from() {
    let (work, dir) = sample_copy();
    let built = work.path().join("报告.docx");
    build(&dir, &built);
    let before = files(&dir);
    let edited = work.path().join("报告-审核.docx");
    edit_docx(
        &built,
        &edited,
        reviewed,
        &[("word/comments.xml", COMMENTS)],
    );

    let output = absorb(&edited, &dir, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let said = stdout(&output);

    let original = |name: &str| String::from_utf8(before[name].clone()).unwrap();
    let basic = "01-基本情况.md";
    let expected = once(&original(basic), "严格按照", "严格遵照");
    let expected = once(&expected, "# 基本情况\n", "# 单位基本情况\n");
    assert_eq!(read(&dir, basic), expected);
    let work_done = "02-部门自评工作开展情况.md";
    assert_eq!(
        read(&dir, work_done),
        once(
            &original(work_done),
            "对本部门{{ 年度 }}年度整体绩效情况开展自评。\n\n",
            ""
        )
    );
    let goals = "03-部门整体绩效目标完成情况.md";
    assert_eq!(
        read(&dir, goals),
        once(
            &original(goals),
            "评价小组从公用经费",
            "评价小组认真从公用经费"
        )
    );
    let next = "05-下一步拟改进措施.md";
    let expected = once(
        &original(next),
        "整体绩效水平。\n",
        "整体绩效水平。全年未发生重大问题。\n\n同时加强资产管理，做到账实相符。\n",
    );
    let expected = once(&expected, "本次部门整体绩效评价", "本次部门绩效评价");
    assert_eq!(read(&dir, next), expected);
    // Nothing else was touched: no other file changed, none was added.
    let after = files(&dir);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    for name in [
        "04-主要成效、存在的突出问题和原因.md",
        "data.yaml",
        "indicators.yaml",
        "report.yaml",
    ] {
        assert_eq!(after[name], before[name], "{name} changed");
    }

    // The figure is listed at its placeholder with what to change instead, not typed in.
    let goals_text = read(&dir, goals);
    let (line, text) = goals_text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("预算执行率为{{ 预算执行率 }}"))
        .unwrap();
    let column = text[..text.find("{{ 预算执行率 }}").unwrap()]
        .chars()
        .count()
        + 1;
    let figure = format!(
        "{}:{}:{column}: “90.54%”改成了“91.20%”",
        dir.join(goals).display(),
        line + 1
    );
    assert!(said.contains(&figure), "{figure} not in:\n{said}");
    assert!(said.contains("indicators.yaml:"), "{said}");
    // The comment, at the text it marks.
    let basic_text = read(&dir, basic);
    let (line, text) = basic_text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("高标准推进党建工作"))
        .unwrap();
    let column = text[..text.find("高标准推进党建工作").unwrap()]
        .chars()
        .count()
        + 1;
    let comment = format!(
        "{}:{}:{column}: 批注（张科长）：“请补充党建工作的具体数字”，批注的文字：“高标准推进党建工作”",
        dir.join(basic).display(),
        line + 1
    );
    assert!(said.contains(&comment), "{comment} not in:\n{said}");
    assert!(said.contains("1 处插入、1 处删除的修订尚未接受"), "{said}");
    // Each change written is said at its line.
    let heading = format!("{}:5:", dir.join(basic).display());
    assert!(said.contains(&heading), "{heading} not in:\n{said}");

    // Built again, the report says what the reviewer's copy says, the figure aside.
    let rebuilt = work.path().join("重新生成.docx");
    build(&dir, &rebuilt);
    assert_eq!(
        textconv(&rebuilt),
        once(
            &textconv(&edited),
            "预算执行率为91.20%",
            "预算执行率为90.54%"
        )
    );
    // Absorbed once more, there is nothing left to write but the figure and the comment.
    let again = absorb(&edited, &dir, &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    let said = stdout(&again);
    assert!(!said.contains("已写入的修改"), "{said}");
    assert!(said.contains(&figure), "{said}");
}

#[test]
fn a_dry_run_lists_the_changes_and_writes_nothing() {
    let (work, dir) = sample_copy();
    let built = work.path().join("报告.docx");
    build(&dir, &built);
    let edited = work.path().join("审核.docx");
    edit_docx(
        &built,
        &edited,
        |xml| {
            let xml = once(xml, "党工委办公室严格按照", "党工委办公室严格遵照");
            with_paragraph_after(&xml, "为全区高质量发展提供组织保障。", "新加的一段。")
        },
        &[],
    );
    let before = files(&dir);
    let output = absorb(&edited, &dir, &["--dry-run"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let said = stdout(&output);
    let at = format!("{}:7:", dir.join("01-基本情况.md").display());
    assert!(said.contains("会写入的修改（2 处）"), "{said}");
    // Said where it is now: after line 8, the last of the file.
    let added = format!(
        "{}:9:1: 加了一段：“新加的一段。”",
        dir.join("01-基本情况.md").display()
    );
    assert!(said.contains(&added), "{added} not in:\n{said}");
    assert!(
        said.contains(&at) && said.contains("[-按-]{+遵+}"),
        "{said}"
    );
    assert!(said.contains("预演：没有写入任何文件"), "{said}");
    assert_eq!(files(&dir), before);
}

/// A section edited after the build: the reviewer's edits in the other sections are written,
/// those in that section listed, and the writer's own edit stays.
#[test]
fn edits_in_a_section_changed_since_the_build_are_listed_not_written() {
    let (work, dir) = sample_copy();
    let built = work.path().join("报告.docx");
    build(&dir, &built);
    let next = dir.join("05-下一步拟改进措施.md");
    let writer = once(
        &std::fs::read_to_string(&next).unwrap(),
        "作为重要参考",
        "作为重要依据",
    );
    std::fs::write(&next, &writer).unwrap();
    let basic = dir.join("01-基本情况.md");
    let basic_before = std::fs::read_to_string(&basic).unwrap();
    let edited = work.path().join("审核.docx");
    edit_docx(
        &built,
        &edited,
        |xml| {
            let xml = once(xml, "党工委办公室严格按照", "党工委办公室严格遵照");
            once(&xml, "减少资金结余", "压减资金结余")
        },
        &[],
    );
    let output = absorb(&edited, &dir, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let said = stdout(&output);
    assert_eq!(
        std::fs::read_to_string(&basic).unwrap(),
        once(&basic_before, "严格按照", "严格遵照")
    );
    assert_eq!(std::fs::read_to_string(&next).unwrap(), writer);
    assert!(
        said.contains("05-下一步拟改进措施.md 改过；这些文件里的修改只列出"),
        "{said}"
    );
    let listed = format!("{}:9:", next.display());
    let held = said
        .lines()
        .find(|line| line.contains(&listed))
        .unwrap_or_else(|| panic!("{listed} not in:\n{said}"));
    assert!(
        held.contains("这个章节文件在生成 .docx 之后改过，这处修改未写入"),
        "{held}"
    );
    assert!(held.contains("压"), "{held}");
}

/// What absorb refuses: the directory is left exactly as it was, and the writer is told to
/// use import instead.
fn assert_refused(docx: &Path, dir: &Path) -> String {
    let before = files(dir);
    let output = absorb(docx, dir, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert_eq!(files(dir), before);
    let said = stderr(&output);
    assert!(said.contains(&format!("{}:1:1", docx.display())), "{said}");
    said
}

#[test]
fn a_docx_gongwen_did_not_build_is_refused_and_nothing_is_written() {
    let (work, dir) = sample_copy();
    // A package with a body and no properties, as any program could write.
    let hand_made = work.path().join("手工.docx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&hand_made).unwrap());
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>一、基本情况</w:t></w:r></w:p></w:body></w:document>"#
            .as_bytes(),
    )
    .unwrap();
    zip.finish().unwrap();
    let said = assert_refused(&hand_made, &dir);
    assert!(
        said.contains("不是 gongwen 生成的") && said.contains("gongwen import"),
        "{said}"
    );

    let not_a_docx = work.path().join("不是.docx");
    std::fs::write(&not_a_docx, "这不是 zip").unwrap();
    let said = assert_refused(&not_a_docx, &dir);
    assert!(
        said.contains("不是 .docx（zip）文件") && said.contains("gongwen import"),
        "{said}"
    );
}

/// The seed report as pandoc writes it: a Word document of a real report, which gongwen did
/// not build.
#[test]
#[cfg_attr(not(pandoc), ignore = "needs pandoc")]
fn a_docx_pandoc_made_from_the_seed_is_refused() {
    let (work, dir) = sample_copy();
    let docx = work.path().join("seed.docx");
    let made = common::run(
        Command::new("pandoc")
            .args(["-f", "markdown"])
            .arg(repo().join("tests/fixtures/seed-verbatim/seed.txt"))
            .arg("-o")
            .arg(&docx),
    );
    assert!(made.status.success(), "{}", stderr(&made));
    let said = assert_refused(&docx, &dir);
    assert!(said.contains("gongwen import"), "{said}");
}

/// A list item deleted (the items after it renumbered by the build), a paragraph added after
/// the list, and a verdict changed: the verdict is listed with the indicator to change, its
/// whole wording shown.
#[test]
fn a_list_item_deleted_a_paragraph_added_after_the_list_and_a_verdict_changed() {
    let (work, dir) = sample_copy();
    let built = work.path().join("报告.docx");
    build(&dir, &built);
    let results = "04-主要成效、存在的突出问题和原因.md";
    let before = read(&dir, results);
    let edited = work.path().join("审核.docx");
    edit_docx(
        &built,
        &edited,
        |xml| {
            let xml = without_paragraph(xml, "积极发声，提高主流媒体关注度。");
            let xml = with_paragraph_after(
                &xml,
                "凝聚合力，发挥统战群团积极性。",
                "宣传工作另有专项报告。",
            );
            once(
                &xml,
                "预算执行率为90.54%，未达到年初目标",
                "预算执行率为90.54%，基本达到年初目标",
            )
        },
        &[],
    );
    let output = absorb(&edited, &dir, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let said = stdout(&output);
    let expected = once(&before, "2. 积极发声，提高主流媒体关注度。\n", "");
    let expected = once(
        &expected,
        "3. 凝聚合力，发挥统战群团积极性。\n",
        "3. 凝聚合力，发挥统战群团积极性。\n\n宣传工作另有专项报告。\n",
    );
    assert_eq!(read(&dir, results), expected);
    assert!(
        said.contains(
            "“未达到年初目标”改成了“基本达到年初目标”：这是 {{ 预算执行率.结论 }} 填入的文字"
        ) && said.contains("的 目标"),
        "{said}"
    );
}

/// The reviewer's copy saved again by LibreOffice, which writes the document its own way
/// (runs, properties, styles): the edit is still found and written back.
#[test]
#[cfg_attr(not(soffice), ignore = "needs soffice")]
fn a_copy_saved_again_by_libreoffice_is_absorbed() {
    let (work, dir) = sample_copy();
    let built = work.path().join("报告.docx");
    build(&dir, &built);
    let edited = work.path().join("审核.docx");
    edit_docx(
        &built,
        &edited,
        |xml| once(xml, "党工委办公室严格按照", "党工委办公室严格遵照"),
        &[],
    );
    let out = work.path().join("lo");
    let saved = common::run(
        Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}/profile",
                work.path().display()
            ))
            .args([
                "--headless",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
            ])
            .arg(&out)
            .arg(&edited),
    );
    assert!(saved.status.success(), "{}", stderr(&saved));
    let basic = read(&dir, "01-基本情况.md");
    let output = absorb(&out.join("审核.docx"), &dir, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        read(&dir, "01-基本情况.md"),
        once(&basic, "严格按照", "严格遵照")
    );
    assert!(!stdout(&output).contains("没有写入"), "{}", stdout(&output));
}

/// A .docx gongwen built from another report is not absorbed into this one.
#[test]
fn a_docx_built_from_another_report_is_refused() {
    let (work, dir) = sample_copy();
    let other = common::report(&[("01-甲.md", "# 甲\n\n另一份报告的正文。\n")]);
    let docx = work.path().join("另一份.docx");
    build(other.path(), &docx);
    let said = assert_refused(&docx, &dir);
    assert!(said.contains("不是由报告目录"), "{said}");
}

/// A section that is a link to a file elsewhere: the file is rewritten, the link stays.
#[cfg(unix)]
#[test]
fn a_section_that_is_a_link_keeps_its_link() {
    let (work, dir) = sample_copy();
    let name = "05-下一步拟改进措施.md";
    let elsewhere = work.path().join("别处.md");
    std::fs::rename(dir.join(name), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.join(name)).unwrap();
    let built = work.path().join("报告.docx");
    build(&dir, &built);
    let edited = work.path().join("审核.docx");
    edit_docx(
        &built,
        &edited,
        |xml| once(xml, "减少资金结余", "压减资金结余"),
        &[],
    );
    let before = std::fs::read_to_string(&elsewhere).unwrap();
    let output = absorb(&edited, &dir, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        std::fs::symlink_metadata(dir.join(name))
            .unwrap()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(&elsewhere).unwrap(),
        once(&before, "减少资金结余", "压减资金结余")
    );
}

/// A paragraph with figures filled in, rewritten past recognition: the new paragraph is
/// added, the old one kept (its placeholders would be lost) and listed.
#[test]
fn a_paragraph_with_placeholders_rewritten_throughout_is_kept_and_listed() {
    let (work, dir) = sample_copy();
    let built = work.path().join("报告.docx");
    build(&dir, &built);
    let goals = "03-部门整体绩效目标完成情况.md";
    let before = read(&dir, goals);
    let edited = work.path().join("审核.docx");
    edit_docx(
        &built,
        &edited,
        |xml| {
            once(
                xml,
                "2023年部门公用经费预算240.63万元，实际支出210.18万元，则公用经费控制率为87.35%，达到了年初目标。",
                "公用经费全年控制良好。",
            )
        },
        &[],
    );
    let output = absorb(&edited, &dir, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let said = stdout(&output);
    let kept = "{{ 公用经费控制率 }}，{{ 公用经费控制率.结论 }}。\n";
    assert_eq!(
        read(&dir, goals),
        once(&before, kept, &format!("{kept}\n公用经费全年控制良好。\n"))
    );
    let listed = format!("{}:15:1: 这一段在审核稿里改写了", dir.join(goals).display());
    assert!(said.contains(&listed), "{listed} not in:\n{said}");
}

/// A footnote changed in Word is listed at the paragraph citing it (a footnote's definition
/// keeps no map to where it was typed); the paragraph's own edit is written.
#[test]
fn a_footnote_changed_is_listed_at_the_paragraph_citing_it() {
    let dir = common::report(&[(
        "01-甲.md",
        "# 基本情况\n\n这一段有脚注[^来源]，后面还有字。\n\n[^来源]: 财政部门的批复。\n",
    )]);
    let work = tempfile::tempdir().unwrap();
    let built = work.path().join("报告.docx");
    build(dir.path(), &built);
    let edited = work.path().join("审核.docx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&built).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(&edited).unwrap());
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        let text = match entry.name() {
            "word/footnotes.xml" => once(&text, "财政部门的批复。", "区财政部门的批复。"),
            "word/document.xml" => once(&text, "后面还有字", "后面还有一些字"),
            _ => text,
        };
        out.start_file(entry.name(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.finish().unwrap();
    let output = absorb(&edited, dir.path(), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let said = stdout(&output);
    let listed = format!(
        "{}:3:1: 这一段所引的第 1 条脚注改了，请在它的定义（[^名称]: ）里修改：{{+区+}}财政部门的批复。",
        dir.path().join("01-甲.md").display()
    );
    assert!(said.contains(&listed), "{listed} not in:\n{said}");
    assert_eq!(
        read(dir.path(), "01-甲.md"),
        "# 基本情况\n\n这一段有脚注[^来源]，后面还有一些字。\n\n[^来源]: 财政部门的批复。\n"
    );
}

/// Paragraphs rewritten throughout (no placeholder in them), one after another: each new one
/// takes the place of the one it replaces.
#[test]
fn paragraphs_rewritten_throughout_take_the_place_of_the_old_ones() {
    let (work, dir) = sample_copy();
    let built = work.path().join("报告.docx");
    build(&dir, &built);
    let next = "05-下一步拟改进措施.md";
    let before = read(&dir, next);
    let first = "科学编制预算、合理分配预算资金，减少资金结余，加强人才培训学习，完善部门整体绩效目标，提高部门和单位整体绩效水平。";
    let edited = work.path().join("审核.docx");
    edit_docx(
        &built,
        &edited,
        |xml| {
            let xml = once(xml, first, "今后要做好三件事情。");
            with_paragraph_after(&xml, "今后要做好三件事情。", "一是编好预算。")
        },
        &[],
    );
    let output = absorb(&edited, &dir, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        read(&dir, next),
        once(&before, first, "今后要做好三件事情。\n\n一是编好预算。")
    );
    let said = stdout(&output);
    let second = format!(
        "{}:11:1: 加了一段：“一是编好预算。”",
        dir.join(next).display()
    );
    assert!(said.contains(&second), "{second} not in:\n{said}");
}

/// Every paragraph of the report deleted in Word: written back, the report would not build,
/// so nothing is written and the writer is told why.
#[test]
fn edits_that_would_leave_a_report_that_cannot_build_are_not_written() {
    let dir = common::report(&[("01-甲.md", "# 甲部分\n\n唯一的一段正文。\n")]);
    let work = tempfile::tempdir().unwrap();
    let built = work.path().join("报告.docx");
    build(dir.path(), &built);
    let edited = work.path().join("审核.docx");
    edit_docx(
        &built,
        &edited,
        |xml| without_paragraph(&without_paragraph(xml, "唯一的一段正文。"), "甲部分"),
        &[],
    );
    let before = files(dir.path());
    let output = absorb(&edited, dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert_eq!(files(dir.path()), before);
    let said = stderr(&output);
    assert!(said.contains("把这些修改写回后，报告无法生成"), "{said}");
}
