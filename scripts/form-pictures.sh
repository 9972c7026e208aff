#!/usr/bin/env bash
# The guide's pictures of the 自评表 in each built-in form other than 通用 (score-table.png
# shows that one): the sample with indicators.yaml's 自评表.表样 set, the header fields the
# form asks for filled in, built with its PDF preview; page 1 as PNG.
# Usage: scripts/form-pictures.sh GONGWEN IMAGES
set -euo pipefail
gongwen=$1
images=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for pair in 重庆:chongqing 评价:evaluation; do
  form=${pair%%:*}
  picture=${pair##*:}
  cp -r content "$work/$picture"
  sed -i "0,/^自评表:/s//自评表:\n  表样: $form/" "$work/$picture/indicators.yaml"
  sed -i "0,/^自评表:.*/s//&\n  主管部门: 党工委管委会\n  财政处室: 行政政法科\n  部门联系人: 张三\n  联系电话: 027-12345678\n  年初绩效目标: 做好办文办会办事、督查督办、综合协调工作，严格执行预算。\n  全年（调整）绩效目标: 同年初绩效目标。\n  全年目标实际完成情况: 预算执行率{{ 预算执行率 }}，全年办文办会办事质量稳步提升。/" "$work/$picture/data.yaml"
  "$gongwen" build "$work/$picture" -o "$work/$picture/报告.docx" --pdf 2>/dev/null
  pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$work/$picture/报告-自评表.pdf" "$images/form-$picture"
done
