# dryport — the two commands a new machine needs: `make demo` and `make test`.
BUILD      ?= build
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc)
WERROR     ?= $(if $(CI),ON,OFF)
FUZZ_SECONDS ?= 60
SHARED     ?= $(abspath ../shared)

.PHONY: deps configure build test demo bench fuzz format clean

deps:
	@tools/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DDRYPORT_WERROR=$(WERROR) -DDRYPORT_SHARED_DIR=$(SHARED) > /dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) --timeout 900

demo: build
	@tools/demo.sh $(BUILD)/dryport

bench: build
	$(BUILD)/dryport bench codec

fuzz: deps
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DDRYPORT_FUZZ=ON -DDRYPORT_BUILD_TESTS=OFF -DDRYPORT_WERROR=$(WERROR) -DDRYPORT_SHARED_DIR=$(SHARED) > /dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@tools/run-fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(SHARED)

format:
	@find src tests bench fuzz tools -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(FUZZ_BUILD)
