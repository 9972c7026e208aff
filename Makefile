# gongwen: the sample report and its tests.
#   make report   build the sample report (content/) into build/
#   make test     run every test (layout tests need LibreOffice: `make deps`)
#   make guide    the writers' guide as HTML in build/guide/

CARGO  ?= cargo
REPORT ?= content
OUT    ?= build/部门整体绩效自评报告.docx

.PHONY: program release report check test lint deps pdf watch images guide diff redline bench fuzz dist vsix clean

# The command as `make report` and the other writers' targets run it: the quick profile
# (Cargo.toml), which compiles fastest from a fresh clone. `make bench` measures the
# optimised release build; `make dist` packages the dist profile (fat LTO).
GONGWEN := target/quick/gongwen

program:
	$(CARGO) build --profile quick

release:
	$(CARGO) build --release

# Review: the last tag (or the commit before HEAD) against the working tree.
OLD ?= $(shell git describe --tags --abbrev=0 2>/dev/null || echo HEAD~1)

# The build runs the check first: an error (a wrong figure, a broken identity …) stops it.
# Beside the report: its 自评表, build/部门整体绩效自评报告-自评表.docx and .xlsx.
report: program
	@$(GONGWEN) build $(REPORT) -o $(OUT)

check: program
	@$(GONGWEN) check $(REPORT)

# The layout tests need LibreOffice and poppler, the validation tests the Open XML validators
# in .venv: installed first where possible (make deps); build.rs finds them (touched so it
# looks again), and where they are missing cargo lists those tests as ignored, with the reason.
test:
	@{ command -v soffice && command -v pdftotext && command -v chromium && test -x .venv/bin/openxml-audit; } >/dev/null || { echo "make test also runs the layout and validation tests, which need LibreOffice, poppler, CJK fonts, Chromium and the Open XML validators; installing them (make deps)"; \
	  { bash scripts/install-deps.sh && touch build.rs; } || echo "could not install them: those tests show as ignored"; }
	$(CARGO) test

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

deps:
	bash scripts/install-deps.sh

# A PDF preview next to the .docx, rendered by LibreOffice with the preview fonts.
pdf: program
	@$(GONGWEN) build $(REPORT) -o $(OUT) --pdf

# Rebuild the .docx and its PDF preview on every save, until Ctrl+C.
watch: program
	@$(GONGWEN) watch $(REPORT) -o $(OUT) --pdf

# The VS Code extension (editors/vscode: starts `gongwen lsp`, command 生成报告) packaged as
# build/gongwen.vsix with @vscode/vsce. Needs Node.js 20 or later and npm; not part of make test.
vsix:
	cd editors/vscode && npm ci --no-audit --no-fund && npm run compile && mkdir -p ../../build && npm run package

# The pictures in the guide and the README, made from the product as it is.
IMAGES := docs/guide/images
images: pdf
	pdftoppm -png -r 60 -f 1 -l 2 $(OUT:.docx=.pdf) $(IMAGES)/page
	pdftoppm -png -r 60 -f 1 -l 1 -singlefile $(OUT:.docx=-自评表.pdf) $(IMAGES)/score-table
	$(GONGWEN) check tests/fixtures/xiling-2024-defects | head -27 | python3 scripts/terminal-picture.py $(IMAGES)/check.png '$$ gongwen check 报告'
	$(GONGWEN) diff tests/fixtures/guide-rules tests/fixtures/guide-revised | head -30 | python3 scripts/terminal-picture.py $(IMAGES)/diff.png '$$ gongwen diff 旧稿 新稿'
	bash scripts/form-pictures.sh $(GONGWEN) $(IMAGES)
	@ls $(IMAGES)/page-*.png $(IMAGES)/score-table.png $(IMAGES)/form-*.png $(IMAGES)/check.png $(IMAGES)/diff.png

# The writers' guide as HTML in build/guide/, with mdBook (installed by cargo when missing:
# a slow compile, once). Not part of make test: tests/guide.rs checks the guide's text.
MDBOOK ?= $(shell command -v mdbook || echo $(or $(CARGO_HOME),$(HOME)/.cargo)/bin/mdbook)
guide:
	@test -x $(MDBOOK) || { echo "make guide needs mdBook; installing it (cargo install mdbook --locked)"; $(CARGO) install mdbook --locked; }
	$(MDBOOK) build docs/guide
	@echo build/guide/index.html

diff: program
	@$(GONGWEN) diff $(OLD) --report $(REPORT)

redline: program
	@$(GONGWEN) redline $(OLD) --report $(REPORT) -o build/修订稿.docx

# Speed and memory: each stage in process (divan), then gongwen against pandoc side by side.
bench: release
	@{ command -v pandoc && test -x /usr/bin/time; } >/dev/null || { echo "make bench compares with pandoc and measures memory with GNU time; installing them (apt-get install pandoc time)"; \
	  $$( [ "$$(id -u)" -eq 0 ] || echo sudo ) apt-get update -qq && $$( [ "$$(id -u)" -eq 0 ] || echo sudo ) apt-get install -y -qq pandoc time >/dev/null; }
	$(CARGO) bench --bench stages
	python3 benches/compare.py --gongwen target/release/gongwen

# Archives for writers without Rust (Windows x86_64, Linux x86_64 and aarch64) in target/archives/,
# built with the dist profile; the other targets' tools come from scripts/install-cross.sh.
dist:
	bash scripts/install-cross.sh
	bash scripts/dist.sh

# Fuzzing (cargo-fuzz, installed if missing): each target for FUZZ_SECONDS; crashes go to
# fuzz/artifacts/, and kept ones in fuzz/regressions/ run with every `make test`.
FUZZ_SECONDS ?= 300
fuzz:
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf build
