# `make test` is the project's test command (README, .ci/run): it installs what the tests need when
# missing, then builds and runs every test against real Chromium and the real replica.
SWIFT ?= swift

.PHONY: test deps build demo bench corpus chaos route-tables clean

# One test at a time: on this project's two-core machines, the suite's seventy-odd Chromiums started
# at once starve each other and the loopback servers into timeouts (the same tests pass alone). Serial,
# the whole suite takes about seven minutes.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --no-parallel

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

# The fault-injection suite (issue 15): signals, hangs, disk full, malformed inputs, hostile HTTP,
# secrets, against DISCOVER_BIN (default .build/release/discover, built when missing). 6 to 10
# minutes; `make chaos CHAOS_ARGS=--quick` takes about 3. Figures in /tmp/discover-chaos.
chaos: deps
	./scripts/chaos/run.sh $(CHAOS_ARGS)

# The replica's route tables (Tests/Fixtures/ai-toolkit-routes-*.txt, which ReplicaVersion.routes must
# equal) against the real source: fails when a fixture differs from what the script reads from the
# mirror (AI_TOOLKIT_MIRROR, default /work/.mirror/ostris+ai-toolkit/repo), or when the mirror is missing.
route-tables:
	./scripts/replica/check-route-tables.sh

clean:
	rm -rf .build output/ai-toolkit
