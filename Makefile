# FieldTrust — top-level entry points. See README.md.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
BUILD := build/default
ASAN := build/asan
FT := $(BUILD)/bin/fieldtrust

.PHONY: all build test test-asan test-device-profile demo bench fuzz-smoke cortex-m format tidy clean deps

all: build

deps:
	./scripts/install-deps.sh

build:
	cmake --preset default >/dev/null
	cmake --build --preset default -j $(JOBS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-asan:
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN) --output-on-failure -j $(JOBS)

# The core's tests with the Cortex-M switches (no messages, no RSA, ordered chains), on the host.
test-device-profile:
	JOBS=$(JOBS) ./scripts/check-device-profile.sh

demo: build
	./scripts/demo.sh $(FT) out/demo

bench: build
	./bench/run.sh $(BUILD)

fuzz-smoke:
	./scripts/fuzz-smoke.sh

cortex-m:
	cmake --preset cortex-m >/dev/null
	cmake --build --preset cortex-m -j $(JOBS)

format:
	find src bench fuzz embedded -name '*.h' -o -name '*.cc' | xargs clang-format -i

tidy: build
	run-clang-tidy -p $(BUILD) -quiet 'src/core/.*' 2>/dev/null || clang-tidy -p $(BUILD) $$(find src/core -name '*.cc' ! -name '*_test.cc')

clean:
	rm -rf build out
