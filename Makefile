# tsfc — quick start: `make demo` and `make test` on a fresh machine.
SWIFT ?= swift
# librsvg2-bin: rsvg-convert, through which the plot tests render every figure to PNG.
APT_PACKAGES := libopenblas-dev libcsv-dev libhdf5-dev pkg-config librsvg2-bin libopenmpi-dev openmpi-bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build release test demo bench clean readme-images

# Installs the system libraries tsfc links against when any of them is missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product tsfc

# Every test. While they run, a throwaway package that uses tsfc by version builds in
# .build/versioned-dependency (Tests/Packaging); its report is printed last. It costs a cold run
# about 35 CPU-seconds (BENCHMARKS.md, "Without unsafeFlags"), a rerun about 3 s.
test: deps
	$(SWIFT) build --build-tests
	@mkdir -p .build
	@echo "$(SWIFT) test --skip-build  (meanwhile: Tests/Packaging/versioned-dependency.sh)"
	@SWIFT=$(SWIFT) bash Tests/Packaging/versioned-dependency.sh > .build/versioned-dependency.log 2>&1 & packaging=$$!; \
	$(SWIFT) test --skip-build; tests=$$?; \
	wait $$packaging; packaged=$$?; cat .build/versioned-dependency.log; \
	[ $$tests -eq 0 ] && [ $$packaged -eq 0 ]

# Forecasts the next 96 hours of ETTh1's oil temperature with the shipped model.
demo: release
	.build/release/tsfc self-check
	.build/release/tsfc forecast Data/ETTh1.csv --horizon 96 --columns OT --output /tmp/tsfc-demo-forecast.csv
	@echo "forecast written to /tmp/tsfc-demo-forecast.csv (long format: unique_id,ds,tsfc); first rows:"
	@head -n 8 /tmp/tsfc-demo-forecast.csv

# Redraws the README's figures (docs/images/*.svg) with the real CLI's --plot on the bundled data.
readme-images: deps
	SWIFT=$(SWIFT) bash Scripts/readme-images.sh

clean:
	rm -rf .build
