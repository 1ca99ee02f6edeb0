# Clinic Journey. `make run` starts the app, `make test` runs every test; both set up a fresh
# Debian/Ubuntu machine themselves (system libraries, npm packages, tauri-driver).

SHELL := /bin/bash
APP_LIBS := build-essential pkg-config libwebkit2gtk-4.1-dev
# The end-to-end tests: a display (Xvfb, xauth), the WebKit driver, and a D-Bus session bus
# for the single-instance test. Fonts are not needed: the app carries its own (fonts/).
TEST_LIBS := xvfb xauth webkit2gtk-driver dbus
# The clinic-server tests start a throwaway PostgreSQL cluster of their own (initdb, pg_ctl),
# with a self-signed certificate made by openssl.
SERVER_LIBS := postgresql openssl
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
UI_SOURCES := $(shell find ui/src ui/public fonts -type f) ui/index.html ui/vite.config.ts ui/package.json

# CI builds a fresh clone every time: incremental compilation state would be written, never read.
ifdef CI
export CARGO_INCREMENTAL := 0
endif

.PHONY: run demo measure test lint e2e-app test-rust test-ui test-e2e test-exports build build-debug system-libs test-libs server-libs ui-deps tauri-driver bindings bench validators validators-selftest clean

## Start the desktop app on its database in the OS app-data folder.
run: build
	./target/release/clinic-journey

## Fill the app's (empty) database with the demo clinic.
demo: build
	./target/release/clinic-journey demo

## Startup time to the first painted window with data, and idle memory of the release build
## beside a Tauri hello-world's (tests/hello-world, built here with the same target folder).
measure: build test-libs
	cargo build --release --manifest-path tests/hello-world/Cargo.toml --target-dir target
	tests/measure-startup.sh

## Every test: the house rules (fmt, clippy), Rust (domain, store, commands), UI unit tests,
## end-to-end in a real window, and every export kind through the offline validators.
test: lint test-rust test-ui test-e2e test-exports

# Clippy's lints (and the [workspace.lints] table in Cargo.toml) are checked as `cargo clippy`
# checks them, with clippy-driver compiling the workspace's own crates, but in the debug builds
# the tests need anyway: a separate `cargo clippy` would check every dependency once more (about
# five minutes on a new machine). Every warning is an error.
CLIPPY_BUILD := RUSTC_WORKSPACE_WRAPPER="$(shell rustc --print sysroot)/bin/clippy-driver" \
	CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

## Formatting, and clippy over every target (tests and benches too), warnings as errors.
lint: system-libs ui/dist/index.html
	@cargo clippy --version >/dev/null 2>&1 && cargo fmt --version >/dev/null 2>&1 || rustup component add clippy rustfmt
	cargo fmt --all -- --check
	$(CLIPPY_BUILD) cargo test --workspace --all-targets --no-run

# The store's test suite runs once more on the clinic server (`store::tests::store()` moves each
# test's clinic onto a new database of the throwaway cluster); the tests of what only a desk's
# file has (backups of the file, encryption, damaged files) stay on the file. `--workspace` builds
# the crate with the features the workspace build gave it: `-p` alone would build it again.
STORE_SUITE := store::tests:: store::task_tests:: store::visit_tests:: store::resource_tests:: \
	store::blueprint_tests:: store::insight_figures_tests:: store::access_tests:: store::interchange_tests::

test-rust: system-libs server-libs ui/dist/index.html
	$(CLIPPY_BUILD) cargo test --workspace
	CLINIC_JOURNEY_TEST_ENGINE=server $(CLIPPY_BUILD) cargo test --workspace --lib -- $(STORE_SUITE)

test-ui: ui-deps
	cd ui && npm run check && npm test

test-e2e: test-libs tauri-driver e2e-app
	tests/run-e2e.sh target/debug/clinic-journey

# The validators check themselves first (good samples pass, broken ones are caught), then the
# app's exports of a demo clinic.
test-exports: validators-selftest e2e-app
	tests/validate-exports.sh target/debug/clinic-journey

# The debug app the end-to-end tests drive is the one `cargo test` builds for the CLI tests:
# `cargo build -p clinic-journey` would build it again with other dependency features (the
# tests' dev-dependencies unify them), which took 3 minutes on a fresh clone.
e2e-app: system-libs ui/dist/index.html
	$(CLIPPY_BUILD) cargo test --workspace --all-targets --no-run

build: system-libs ui/dist/index.html
	cargo build --release -p clinic-journey

build-debug: system-libs ui/dist/index.html
	$(CLIPPY_BUILD) cargo build -p clinic-journey

ui/dist/index.html: ui/node_modules/.package-lock.json $(UI_SOURCES)
	cd ui && npm run build

ui/node_modules/.package-lock.json: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund

ui-deps: ui/node_modules/.package-lock.json

# System libraries Tauri needs on Linux, installed only when missing.
system-libs:
	@missing=$$(for p in $(APP_LIBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

test-libs: system-libs
	@missing=$$(for p in $(TEST_LIBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

server-libs:
	@missing=$$(for p in $(SERVER_LIBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

tauri-driver:
	@command -v tauri-driver >/dev/null || cargo install --locked tauri-driver

## Benchmarks of the core (criterion): slot finding and the week view on a year of bookings.
bench:
	cargo bench -p clinic-journey-core

## Offline validators for the export files (tests/validators/validate-fhir: FHIR R4 JSON and
## NDJSON; validate-ics: iCalendar): a Python venv and npm packages, installed when missing or
## when their pinned lists change.
validators: target/validators/venv/.installed tests/validators/node_modules/.package-lock.json

# A fresh venv each time requirements.txt changes, so no package of an older list stays behind.
target/validators/venv/.installed: tests/validators/requirements.txt
	rm -rf target/validators/venv
	python3 -m venv target/validators/venv
	target/validators/venv/bin/pip install -q --disable-pip-version-check -r $<
	touch $@

tests/validators/node_modules/.package-lock.json: tests/validators/package.json tests/validators/package-lock.json
	cd tests/validators && npm ci --no-audit --no-fund

## The validators' own test: the samples pass, deliberately broken files are caught.
validators-selftest: validators
	tests/validators/selftest.sh

## Rewrite ui/src/lib/bindings.ts from the Rust types.
bindings:
	UPDATE_BINDINGS=1 cargo test -p clinic-journey-core bindings

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules tests/validators/node_modules
