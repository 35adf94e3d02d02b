# The README's two commands: `make run` and `make test`. Both install what is missing first.
SWIFT ?= swift
# libedit: line editing for the REPL; cmark-gfm: lesson Markdown; tmux: the terminal test;
# SQLite: the chain's database file (and its CLI, to look inside); OpenSSL's libcrypto: SHA-256 for mining;
# zlib: gzip-compressed Kafka batches.
APT_PACKAGES := libedit-dev libcmark-gfm-dev libcmark-gfm-extensions-dev tmux libsqlite3-dev sqlite3 libssl-dev zlib1g-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test build deps bench release clean test-web3 test-kafka bench-kafka

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

build: deps
	$(SWIFT) build

# A release build: proof of work at Jeiwan's default 24 bits takes seconds, not half a minute.
run: release
	@./.build/release/workbench

test: deps
	$(SWIFT) test
	$(MAKE) test-web3
	$(MAKE) test-kafka

# web3.py (the real client library, from PyPI) against `workbench serve rpc`.
VENV := .build/venv-web3
$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q "web3>=7,<9"

# confluent-kafka and kafka-python (the real clients, from PyPI) against `workbench serve kafka`.
KAFKA_VENV := .build/venv-kafka
$(KAFKA_VENV)/bin/python:
	python3 -m venv $(KAFKA_VENV)
	$(KAFKA_VENV)/bin/pip install -q "confluent-kafka>=2.3" "kafka-python>=3"

test-kafka: $(KAFKA_VENV)/bin/python
	$(SWIFT) build --product workbench
	@./.ci/kafka-check $(KAFKA_VENV)/bin/python "$$($(SWIFT) build --show-bin-path)/workbench"

test-web3: $(VENV)/bin/python
	$(SWIFT) build --product workbench
	@./.ci/web3-check $(VENV)/bin/python "$$($(SWIFT) build --show-bin-path)/workbench"

release: deps
	$(SWIFT) build -c release

bench: release
	./.build/release/workbench bench

# confluent-kafka through `workbench serve kafka` against librdkafka's own mock cluster, same run.
bench-kafka: release $(KAFKA_VENV)/bin/python
	./.ci/kafka-bench $(KAFKA_VENV)/bin/python ./.build/release/workbench

clean:
	rm -rf .build
