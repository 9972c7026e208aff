# gongwen: the sample report and its tests.
#   make report   build the sample report (content/) into build/
#   make test     run every test (layout tests need LibreOffice: `make deps`)

CARGO  ?= cargo
REPORT ?= content
OUT    ?= build/部门整体绩效自评报告.docx

.PHONY: release report check test lint deps pdf images diff redline bench clean

# On Linux the release binary is static and not position-independent: nothing for a dynamic
# loader to do and no relocations to apply at start, and it runs on any Linux of its
# architecture. It is built on musl where rustup can add that target (src/platform.rs says
# why; scripts/release-target.sh chooses), and installed as $(GONGWEN) with a copy, as
# `cargo install` does (the README's Performance section gives the figures for both).
# With --target, RUSTFLAGS reach our code and not proc macros.
GONGWEN := target/gongwen
STATIC  := -C relocation-model=static -C target-feature=+crt-static

release:
	@target=$$(bash scripts/release-target.sh) && \
	case $$target in *-linux-*) flags="$(STATIC)" ;; *) flags="" ;; esac && \
	RUSTFLAGS="$$flags" $(CARGO) build --release --quiet --target $$target && \
	{ cmp -s target/$$target/release/gongwen $(GONGWEN) || install -m 755 target/$$target/release/gongwen $(GONGWEN); }

# Review: the last tag (or the commit before HEAD) against the working tree.
OLD ?= $(shell git describe --tags --abbrev=0 2>/dev/null || echo HEAD~1)

# The check runs first: an error (a wrong figure, a broken identity …) stops the build.
# Beside the report: its 自评表, build/部门整体绩效自评报告-自评表.docx and .xlsx.
report: release
	@$(GONGWEN) check $(REPORT)
	@$(GONGWEN) build $(REPORT) -o $(OUT)

check: release
	@$(GONGWEN) check $(REPORT)

test:
	$(CARGO) test

# Clippy also reads the code only the release target compiles (the musl allocator).
lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --all-targets --target $$(bash scripts/release-target.sh) -- -D warnings

deps:
	bash scripts/install-deps.sh

# A PDF preview next to the .docx, rendered by LibreOffice with the preview fonts.
pdf: release
	@$(GONGWEN) build $(REPORT) -o $(OUT) --pdf

# The pictures in the README, made from the product as it is.
images: pdf
	pdftoppm -png -r 60 -f 1 -l 2 $(OUT:.docx=.pdf) docs/images/page
	pdftoppm -png -r 60 -f 1 -l 1 -singlefile $(OUT:.docx=-自评表.pdf) docs/images/score-table
	@ls docs/images/page-*.png docs/images/score-table.png

diff: release
	@$(GONGWEN) diff $(OLD) --report $(REPORT)

redline: release
	@$(GONGWEN) redline $(OLD) --report $(REPORT) -o build/修订稿.docx

# Speed and memory: each stage in process (divan), then gongwen against pandoc side by side.
bench: release
	@{ command -v pandoc && test -x /usr/bin/time; } >/dev/null || { echo "make bench compares with pandoc and measures memory with GNU time; installing them (apt-get install pandoc time)"; \
	  $$( [ "$$(id -u)" -eq 0 ] || echo sudo ) apt-get update -qq && $$( [ "$$(id -u)" -eq 0 ] || echo sudo ) apt-get install -y -qq pandoc time >/dev/null; }
	$(CARGO) bench --bench stages
	python3 benches/compare.py --gongwen $(GONGWEN)

clean:
	rm -rf build
