# tsfc — quick start: `make demo` and `make test` on a fresh machine.
SWIFT ?= swift
APT_PACKAGES := libopenblas-dev libcsv-dev libhdf5-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build release test demo bench clean

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

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

demo: release
	.build/release/tsfc --version
	.build/release/tsfc self-check

clean:
	rm -rf .build
