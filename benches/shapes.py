#!/usr/bin/env python3
"""Pathological shapes of a report, each about SIZE bytes of Markdown: what makes a check rule
or the diff slow when the work grows faster than the input. compare.py times each shape's
check (and diff) against the build of the same input; run alone, this writes the shapes:

    python3 benches/shapes.py OUT_DIR [SIZE_BYTES]
"""
import random
import sys
from pathlib import Path

REPORT_YAML = """标题: "{{ 年度 }}年度{{ 单位 }}整体绩效自评结果"
单位: 某某单位
年度: 2023
样式: gbt9704
日期: 2024-03-15
"""

# Common characters: random text over them has few repeated bigrams, as distinct prose does.
HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]


def prose(rng, chars):
    """Random Chinese sentences with commas, full stops and now and then a figure."""
    out = []
    n = 0
    while n < chars:
        clause = "".join(rng.choice(HAN) for _ in range(rng.randint(6, 14)))
        if rng.random() < 0.1:
            clause += f"{rng.randint(1, 999)}.{rng.randint(10, 99)}%"
        out.append(clause + ("。" if rng.random() < 0.3 else "，"))
        n += len(clause) + 1
    return "".join(out)[:chars].rstrip("，") + "。"


def repeat_until(size, make):
    """Joins make(i) for i = 0, 1, … until the text reaches `size` bytes."""
    parts, total, i = [], 0, 0
    while total < size:
        part = make(i)
        parts.append(part)
        total += len(part.encode())
        i += 1
    return "".join(parts)


def shapes(size, seed=1):
    """{name: section Markdown} of about `size` bytes each."""
    rng = random.Random(seed)
    # A Chinese character is 3 bytes of UTF-8.
    chars = size // 3
    near = prose(rng, 120)
    return {
        "one huge paragraph": "# 情况\n\n" + prose(rng, chars) + "\n",
        "many paragraphs": "# 情况\n\n" + repeat_until(size, lambda i: prose(rng, 200) + "\n\n"),
        "many tiny paragraphs": "# 情况\n\n" + repeat_until(size, lambda i: prose(rng, 21) + "\n\n"),
        "near copies": "# 情况\n\n"
        + repeat_until(size, lambda i: near[: i % 100] + HAN[i % 3000] + near[i % 100 + 1 :] + "\n\n"),
        # Sibling headings, as many under one parent as Chinese numbering goes (9,999).
        "many headings": repeat_until(
            size, lambda i: ("# 情况\n\n" if i % 9999 == 0 else "") + f"## {prose(rng, 8)[:-1]}\n\n"
        ),
        "deep headings": "# 情况\n\n"
        + repeat_until(size, lambda i: f"{'#' * (i % 4 + 1)} {prose(rng, 8)[:-1]}\n\n"),
        "many tables": "# 情况\n\n"
        + repeat_until(
            size,
            lambda i: "| 项目 | 金额 | 说明 |\n|---|---:|---|\n"
            + f"| {prose(rng, 4)[:-1]} | {rng.randint(1, 9999)}.{rng.randint(10, 99)} | {prose(rng, 6)} |\n\n",
        ),
        # A finding every dozen characters in one paragraph (a half-width comma between Chinese).
        "findings in one paragraph": "# 情况\n\n"
        + repeat_until(size, lambda i: prose(rng, 11)[:-1] + ",")
        + "。\n",
        "many placeholders": "# 情况\n\n"
        + repeat_until(size, lambda i: "{{ 年度 }}年{{ 单位 }}" + ("。\n\n" if i % 20 == 19 else "，")),
    }


def write_report(directory, section):
    """A report directory with the one section."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "report.yaml").write_text(REPORT_YAML, encoding="utf-8")
    (directory / "01-正文.md").write_text(section, encoding="utf-8")
    return directory


def edited(section, seed=2):
    """The section with a character changed every 2,000 or so: a second version to diff."""
    rng = random.Random(seed)
    chars = list(section)
    for at in range(len(chars) // 4, len(chars), 2000):
        # Not inside a placeholder: the edited copy must still build.
        if chars[at] in HAN and "{" not in section[at - 12 : at + 12]:
            chars[at] = rng.choice(HAN)
    return "".join(chars)


def main():
    out = Path(sys.argv[1])
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 1 << 20
    for i, (name, section) in enumerate(shapes(size).items()):
        print(write_report(out / f"{i}-{name.replace(' ', '-')}", section))


if __name__ == "__main__":
    main()
