# kakanai: two commands do everything on a fresh Debian 12 machine (as root).
#   make demo   install what is missing, build, and open the kiosk with a virtual card
#   make test   install what is missing, build, and run every test with its services
BUILD ?= build
CMAKE_FLAGS ?=

.PHONY: all deps build demo test test-unit bench package clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD)

demo: build
	@scripts/demo $(BUILD)

# Every CTest label (unit, pcsc, cups, ui) with pcscd, cupsd and Xvfb started
# as child processes and stopped by PID afterwards.
test: build
	scripts/with-services -- ctest --test-dir $(BUILD) --output-on-failure -j2 --timeout 300

# Unit tests only: no services needed.
test-unit: build
	ctest --test-dir $(BUILD) --output-on-failure -j2 -L unit

# Benchmarks print ratios against baselines measured in the same run.
bench: build
	scripts/with-services -- scripts/run-benchmarks $(BUILD)

# The Debian package: a release build for /usr, packed by CPack.
package: deps
	scripts/build-package

clean:
	rm -rf $(BUILD) build-package
