#!/usr/bin/env python3
"""A terminal's text as a picture for the guide: what a command printed (stdin) laid out as a
terminal shows it, then photographed by headless Chromium.

    gongwen check DIR | python3 scripts/terminal-picture.py OUT.png "$ gongwen check DIR"
"""
import html
import subprocess
import sys
import tempfile
from pathlib import Path


def main():
    out, prompt = Path(sys.argv[1]).resolve(), sys.argv[2]
    text = sys.stdin.read().rstrip("\n")
    lines = [prompt] + text.splitlines()
    # Chinese takes two columns, as in a terminal; the widest line sets the picture's width.
    width = max(sum(2 if ord(c) > 0x2E7F else 1 for c in line) for line in lines)
    page = (
        "<!doctype html><meta charset=utf-8><style>"
        "body{margin:0;background:#1e1e1e}"
        "pre{margin:0;padding:12px 16px;color:#ddd;"
        "font:14px/1.45 'Noto Sans Mono CJK SC','Noto Sans Mono',monospace}"
        ".prompt{color:#8ec07c}</style><pre>"
        f"<span class=prompt>{html.escape(prompt)}</span>\n{html.escape(text)}</pre>"
    )
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "terminal.html"
        source.write_text(page, encoding="utf-8")
        size = f"{width * 8 + 40},{len(lines) * 20 + 28}"
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--user-data-dir={work}/profile", f"--window-size={size}",
             f"--screenshot={out}", source.as_uri()],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    print(out)


if __name__ == "__main__":
    main()
