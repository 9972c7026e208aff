#!/usr/bin/env python3
"""gongwen against pandoc (reference.docx + Lua filter), side by side in one run.

Each run spawns the command twice: once directly, timed with a monotonic clock, and once
under GNU time, which reports the command's own peak RSS (a child forked from this Python
process would count Python's pages too). Both tools are measured the same way, and runs
alternate between the tools so that drift on the machine hits both alike.
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import shapes

REPO = Path(__file__).resolve().parent.parent


def run(cmd, stdout=subprocess.DEVNULL):
    """Runs cmd; returns (seconds, peak RSS in MiB, CPU seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    timed = subprocess.run(cmd, stdout=stdout, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], stdout=stdout, stderr=subprocess.PIPE)
    err = proc.stderr.decode(errors="replace").strip().splitlines()
    if timed.returncode != 0 or proc.returncode != 0 or not err:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n" + "\n".join(err))
    return elapsed, int(err[-1]) / 1024, cpu


def measure(commands, runs):
    """commands: {name: argv}; runs them alternately; returns {name: (median s, median MiB,
    the middle half of the times in s, median CPU s)}."""
    samples = {name: [] for name in commands}
    # Files written by an earlier phase (the 1,000 unit reports, divan's write bench) are
    # flushed first, so their writeback does not run during this phase's timings.
    os.sync()
    for _ in range(runs):
        for name, cmd in commands.items():
            samples[name].append(run(cmd))
    def summary(xs):
        times = [s for s, _, _ in xs]
        quartiles = statistics.quantiles(times, n=4) if len(times) > 1 else times * 3
        return (statistics.median(times), statistics.median(m for _, m, _ in xs),
                (quartiles[0], quartiles[2]), statistics.median(c for _, _, c in xs))
    return {name: summary(xs) for name, xs in samples.items()}


def ms(seconds, spread):
    """"3.3 ms (3.1–3.5)": the median and the middle half of the runs."""
    return f"{seconds * 1000:.1f} ms ({spread[0] * 1000:.1f}–{spread[1] * 1000:.1f})"


def paragraphs(gongwen, docx):
    out = subprocess.run([gongwen, "textconv", docx], capture_output=True, text=True, check=True)
    return sum(1 for line in out.stdout.splitlines() if line.strip())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gongwen", required=True, help="the binary to measure (make bench: the release build)")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--shape-size", type=int, default=1 << 20,
                        help="bytes of Markdown in each pathological shape")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongwen-bench-") as work:
        compare(args, Path(work))


def compare(args, work):
    """Runs every comparison with its inputs and outputs in `work`."""
    g = args.gongwen
    content = str(REPO / "content")

    # pandoc's input: the same sections, figures filled in; its reference.docx: our output
    # for a report of one paragraph, which carries the GB/T page setup, styles and footers,
    # as a template a user would keep for pandoc.
    sample_md = work / "sample.md"
    with open(sample_md, "w") as f:
        subprocess.run([g, "markdown", content], stdout=f, check=True)
    template = work / "template"
    template.mkdir()
    shutil.copy(REPO / "content/report.yaml", template)
    (template / "正文.md").write_text("# 标题\n\n正文。\n", encoding="utf-8")
    reference = work / "reference.docx"
    subprocess.run([g, "build", template, "--style", REPO / "styles/gbt9704.yaml", "-o", reference],
                   stdout=subprocess.DEVNULL, check=True)
    lua = REPO / "benches/pandoc/numbering.lua"

    def pandoc(md, out):
        return ["pandoc", md, "-f", "markdown", "-t", "docx", "--reference-doc", reference,
                "--lua-filter", lua, "-o", out]

    print(f"{subprocess.run([g, '--version'], capture_output=True, text=True).stdout.strip()} ({g}); "
          f"{subprocess.run(['pandoc', '--version'], capture_output=True, text=True).stdout.splitlines()[0]}; "
          f"{os.cpu_count()} cores; {args.runs} alternating runs each, medians")
    print()
    result = measure({
        "gongwen build": [g, "build", content, "-o", work / "g.docx", "--no-check"],
        "pandoc": pandoc(sample_md, work / "p.docx"),
    }, args.runs)
    (gt, gm, gs, _), (pt, pm, ps, _) = result["gongwen build"], result["pandoc"]
    print("| sample report | wall time (middle half) | peak RSS |")
    print("|---|---:|---:|")
    print(f"| gongwen build | {ms(gt, gs)} | {gm:.1f} MiB |")
    print(f"| pandoc + reference.docx + Lua filter | {ms(pt, ps)} | {pm:.1f} MiB |")
    print(f"| ratio (pandoc / gongwen) | {pt / gt:.1f}× faster | {pm / gm:.1f}× less memory |")
    ct, cm, cs, _ = measure({"check": [g, "check", content]}, args.runs)["check"]
    print(f"| gongwen check | {ms(ct, cs)} | {cm:.1f} MiB |")
    print()

    # check / build in CPU time as well: on a loaded machine wall times mostly measure waiting.
    print("| size | paragraphs | gongwen build | per 1,000 paragraphs | peak RSS | gongwen check | check / build | in CPU time |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    hundred = None
    for copies in (1, 10, 100):
        report = work / f"x{copies}"
        if copies > 1:
            subprocess.run([g, "generate", report, "--from", content, "--copies", str(copies)],
                           stdout=subprocess.DEVNULL, check=True)
        else:
            report = Path(content)
        out = work / f"x{copies}.docx"
        runs = max(3, args.runs // copies)
        sized = measure({"build": [g, "build", report, "-o", out, "--no-check"], "check": [g, "check", report]}, runs)
        (t, m, _, t_cpu), (c, _, _, c_cpu) = sized["build"], sized["check"]
        n = paragraphs(g, out)
        hundred = t if copies == 100 else hundred
        check_ratio = c_cpu / t_cpu
        print(f"| {copies}× sample | {n} | {t * 1000:.1f} ms | {t * 1000 / n * 1000:.1f} ms | {m:.1f} MiB "
              f"| {c * 1000:.1f} ms | {c / t:.1f}× | {c_cpu / t_cpu:.1f}× |")
    print(f"\n100× sample: gongwen check takes {check_ratio:.1f}× the build's CPU time (target: within 3×)")
    print(f"100× sample with gongwen vs 1× sample with pandoc: {hundred / pt:.2f}× pandoc's time "
          f"(target: under 10×)")

    pathological(args, work)

    units = work / "units"
    subprocess.run([g, "generate", units, "--from", content, "--units", str(args.units)],
                   stdout=subprocess.DEVNULL, check=True)
    dirs = sorted(str(p) for p in units.iterdir())
    t, m, _, _ = measure({"units": [g, "build", *dirs, "--out-dir", work / "units-out", "--no-check"]}, 3)["units"]
    print(f"{args.units} unit reports in one `gongwen build` on {os.cpu_count()} cores: "
          f"{t:.2f} s, peak RSS {m:.1f} MiB (target: under 5 s)")


def pathological(args, work):
    """Each shape's check, and the diff of it against an edited copy, as a ratio to the build
    of the same input, in CPU time: linear rules and a bounded diff keep each within 3×."""
    g = args.gongwen
    runs = max(3, args.runs // 20)
    print(f"\n| pathological shape ({args.shape_size // 1024} KiB of Markdown) | gongwen build "
          f"| gongwen check | check / build | gongwen diff | diff / build |")
    print("|---|---:|---:|---:|---:|---:|")
    worst = 0
    for i, (name, section) in enumerate(shapes.shapes(args.shape_size).items()):
        report = shapes.write_report(work / f"shape{i}", section)
        other = shapes.write_report(work / f"shape{i}-edited", shapes.edited(section))
        # The check and diff exit 1 when they find something: measured all the same.
        result = measure({
            "build": [g, "build", report, "-o", work / f"shape{i}.docx", "--no-check"],
            "check": ["sh", "-c", '"$0" check "$1" >/dev/null; [ $? -le 1 ]', g, report],
            "diff": [g, "diff", report, other],
        }, runs)
        (b, _, _, b_cpu), (c, _, _, c_cpu), (d, _, _, d_cpu) = (
            result["build"], result["check"], result["diff"])
        worst = max(worst, c_cpu / b_cpu, d_cpu / b_cpu)
        print(f"| {name} | {b * 1000:.0f} ms | {c * 1000:.0f} ms | {c_cpu / b_cpu:.1f}× "
              f"| {d * 1000:.0f} ms | {d_cpu / b_cpu:.1f}× |")
    print(f"\nworst pathological shape: {worst:.1f}× the build's CPU time (target: within 3×)")


if __name__ == "__main__":
    main()
