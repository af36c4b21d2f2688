# `make test` is the project's test command (README, .ci/run): it installs what the tests need when
# missing, then builds and runs every test against real Chromium and the real replica.
SWIFT ?= swift

.PHONY: test deps build demo bench clean

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

deps:
	@./scripts/install-deps.sh

build:
	$(SWIFT) build

demo:
	$(SWIFT) run discover demo

bench: deps
	$(SWIFT) run -c release discover-bench all

clean:
	rm -rf .build output/ai-toolkit
