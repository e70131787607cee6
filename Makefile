# kakanai: two commands do everything on a fresh Debian 12 machine (as root).
#   make demo   install what is missing, build, and open the kiosk with a virtual card
#   make test   install what is missing, build, and run every test with its services
BUILD ?= build
CMAKE_FLAGS ?=

.PHONY: all deps build demo test test-unit test-asan test-tsan valgrind fuzz bench package clean staff-screens

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

# The staff station's screens for docs/staff.md, regenerated from the scripted sessions.
staff-screens: build
	scripts/with-services -- scripts/staff-screens $(BUILD)

# Every parser of outside data under libFuzzer, FUZZ_SECONDS each (default 60).
FUZZ_SECONDS ?= 60
fuzz: deps
	scripts/run-fuzzers $(FUZZ_SECONDS)

# Unit and integration tests built with AddressSanitizer + UBSan.
test-asan: deps
	cmake -S . -B build-asan -G Ninja -DKAKANAI_SANITIZE=address,undefined >/dev/null
	cmake --build build-asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp:print_suppressions=0 \
	  scripts/with-services -- ctest --test-dir build-asan --output-on-failure -j2 -L 'unit|pcsc|cups'

# Unit and pcsc tests built with ThreadSanitizer: only those test programs and
# what they run (the card tools, the kiosk) are built, a full TSan build is slow.
# TMPDIR is private: the store's plaintext scan reads the whole temp folder.
# The store's kill -9 test is left out: its kill window fits unsanitized speed.
TSAN_TARGETS = cardreader_unit_tests forms_unit_tests forms_cli_tests printing_unit_tests \
  store_unit_tests kiosk_unit_tests pcsc_integration_tests pcsc_fault_tests
test-tsan: deps
	cmake -S . -B build-tsan -G Ninja -DKAKANAI_SANITIZE=thread >/dev/null
	cmake --build build-tsan --target $(TSAN_TARGETS)
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  TSAN_OPTIONS=second_deadlock_stack=1:suppressions=$(CURDIR)/scripts/tsan.supp \
	  scripts/with-services --no-cups -- env TMPDIR=$$tmp \
	  ctest --test-dir build-tsan --output-on-failure -j2 -L 'unit|pcsc' -E '^StoreSuite\.KillNineDuringSubmitAndPrint'

# The card read path (kakanai-card through pcscd + the virtual card, and the
# in-process reads of the cardreader unit tests) under valgrind memcheck.
valgrind: build
	scripts/with-services --no-xvfb --no-cups -- scripts/run-valgrind $(BUILD)

# Benchmarks print ratios against baselines measured in the same run.
bench: build
	scripts/with-services -- scripts/run-benchmarks $(BUILD)

# The Debian package: a release build for /usr, packed by CPack.
package: deps
	scripts/build-package

clean:
	rm -rf $(BUILD) build-package build-fuzz build-asan build-tsan
