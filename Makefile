# `make test` is the project's test command (README, .ci/run): it installs what the tests need when
# missing, then builds and runs every test against real Chromium and the real replica.
SWIFT ?= swift

.PHONY: test deps build demo bench corpus clean

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

# Installs each corpus app (corpus/README.md), runs its flows live twice, re-records the fixtures,
# checks each generated client with tsc and node against the live app, prints the accuracy table.
corpus: deps
	./scripts/corpus/run.sh

clean:
	rm -rf .build output/ai-toolkit
