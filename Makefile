# gongwen: the sample report and its tests.
#   make report   build the sample report (content/) into build/
#   make test     run every test (layout tests need LibreOffice: `make deps`)

CARGO  ?= cargo
REPORT ?= content
OUT    ?= build/部门整体绩效自评报告.docx

.PHONY: release report check test lint deps pdf images diff redline bench clean

# The release binary is linked statically where the C library allows it (Linux with glibc):
# nothing for the dynamic loader to do at start (about 0.5 ms of a 4 ms build), and it runs on
# any Linux of its architecture. It is not position-independent either, so start-up has no
# relocations to apply (0.1 ms, and fewer pages written). With --target, RUSTFLAGS reach our
# code and not proc macros.
HOST    := $(shell rustc -vV 2>/dev/null | sed -n 's/^host: //p')
GONGWEN := target/$(HOST)/release/gongwen
ifneq (,$(findstring linux-gnu,$(HOST)))
STATIC  := RUSTFLAGS="-C target-feature=+crt-static -C relocation-model=static"
endif

release:
	@$(STATIC) $(CARGO) build --release --quiet --target $(HOST)

# Review: the last tag (or the commit before HEAD) against the working tree.
OLD ?= $(shell git describe --tags --abbrev=0 2>/dev/null || echo HEAD~1)

# The check runs first: an error (a wrong figure, a broken identity …) stops the build.
report: release
	@$(GONGWEN) check $(REPORT)
	@$(GONGWEN) build $(REPORT) -o $(OUT)

check: release
	@$(GONGWEN) check $(REPORT)

test:
	$(CARGO) test

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

deps:
	bash scripts/install-deps.sh

# A PDF preview next to the .docx, rendered by LibreOffice with the preview fonts.
pdf: release
	@$(GONGWEN) build $(REPORT) -o $(OUT) --pdf

# The pictures in the README, made from the product as it is.
images: pdf
	pdftoppm -png -r 60 -f 1 -l 2 $(OUT:.docx=.pdf) docs/images/page
	@ls docs/images/page-*.png

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
