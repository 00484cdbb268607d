#!/usr/bin/env bash
# make demo: the main job end to end on the embedded examples:
# render → file in the archive → index → search → import old papers → print a minutes book PDF.
set -euo pipefail
cd "$(dirname "$0")/.."
DG=".venv/bin/docgen --config examples/docgen.toml --archive demo-out/archive"
# One example per kind of the registry (docgen/kinds/), in the registry's order.
INPUTS=$(.venv/bin/python -c 'from docgen.kinds import KINDS; print(" ".join("examples/" + k.example_name for k in KINDS.values()))')

rm -rf demo-out
mkdir -p demo-out/rendered

step() { printf '\n=== %s\n' "$*"; }

step "Các loại văn bản / document kinds"
$DG kinds

step "Soạn văn bản từ dữ liệu mẫu / render the examples → demo-out/rendered/"
$DG render $INPUTS -o demo-out/rendered
ls -1 demo-out/rendered

step "Lưu vào kho / file into the archive (demo-out/archive)"
$DG new $INPUTS
$DG list

step "Lập lại chỉ mục tìm kiếm / rebuild the search index"
$DG reindex

for q in "vệ sinh môi trường" "ve sinh moi truong" "VSMT" '"nông thôn mới"' "an ninh trật tự"; do
  step "Tìm / search: $q"
  $DG search "$q" --limit 5
done

step "Trích biên bản cho hồ sơ kết nạp / extract a filed minutes' vote"
$DG extract 07-BB/CB --vote 1 -o demo-out/trich-bien-ban.yaml
$DG render demo-out/trich-bien-ban.yaml -o demo-out/rendered/trich-bien-ban-tu-kho.docx

step "Báo cáo lấy số liệu từ kho / a report prefilled from the archive"
$DG form bao-cao --date 30/6/2026 -o demo-out/bao-cao-6-thang.yaml
grep -A6 "^archive_figures:" demo-out/bao-cao-6-thang.yaml || true

step "Nhập giấy tờ cũ, chạy thử / import old papers, dry run (examples/giay-to-cu: TCVN3, VNI, bản quét)"
$DG import examples/giay-to-cu --dry-run

step "Nhập giấy tờ cũ / import them (a second run finds them all already there)"
$DG import examples/giay-to-cu
$DG import examples/giay-to-cu

step "Tìm giấy tờ cũ không dấu / find an imported VNI paper without accents"
$DG search "kiem diem danh gia xep loai" --limit 3
$DG show 44-BB/CB --text | head -12

step "In sổ biên bản / print the minutes book"
$DG print --kind bien-ban-thuong-ky --kind bien-ban-chuyen-de -o demo-out/so-bien-ban.pdf
$DG verify

printf '\nVăn bản Word: %s\nKho lưu trữ:  %s\nSổ biên bản:  %s\n' \
  "$(pwd)/demo-out/rendered" "$(pwd)/demo-out/archive" "$(pwd)/demo-out/so-bien-ban.pdf"
