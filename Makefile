# dreamd: see README.md. `make` builds build/dreamd; `make check` runs every
# test under AddressSanitizer + UndefinedBehaviorSanitizer.

VERSION = 0.1.0
PREFIX ?= /usr/local
BUILD ?= build
CC ?= cc
CFLAGS ?= -O2 -g
SANITIZE ?=

PKGS = sqlite3 libpcre2-8 libzstd yaml-0.1 libcjson icu-uc icu-i18n
DEB_PKGS = build-essential pkg-config libsqlite3-dev libpcre2-dev libzstd-dev \
	libyaml-dev libcjson-dev libstemmer-dev libicu-dev zstd
# What only the tests need: jq to count independently, the sqlite3 shell for
# integrity checks, Chromium to render the HTML report, mandoc and man-db to
# check the man page.
DEB_TEST_PKGS = jq sqlite3 chromium mandoc man-db
# libFuzzer comes with clang's runtime.
DEB_FUZZ_PKGS = clang libclang-rt-dev
FUZZ_SECONDS ?= 60

# git's DEVELOPER=1 set, where it fits C11.
WARN = -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wvla \
	-Wwrite-strings -Wshadow -Wpointer-arith -Wold-style-definition \
	-Wformat-security -Wno-unused-parameter

ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -DDREAMD_VERSION='"$(VERSION)"' -I. \
	$(WARN) $(CFLAGS) $(PKG_CFLAGS)
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDSAN = -fsanitize=$(SANITIZE)
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# Snowball's libstemmer: Debian ships no pkg-config file for it.
STEMMER_LIBS = $(shell pkg-config --libs libstemmer 2>/dev/null || echo -lstemmer)
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(STEMMER_LIBS) -lpthread -lm

# The pipeline, stage by stage: see the README's "Hacking" section.
LIB_SRC = $(sort $(wildcard dreamd/common/*.c) $(filter-out dreamd/main.c,$(wildcard dreamd/*.c)) \
	$(wildcard extractors/*.c) $(wildcard store/*.c))
EMBED = $(sort $(wildcard schemas/*.sql)) $(sort $(wildcard extractors/rules/*.yaml)) \
	$(sort $(wildcard dreamd/rules/*.yaml))
UNIT_SRC = $(sort $(wildcard tests/unit/test-*.c))
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz-*.c))

OBJ = $(BUILD)/obj
LIB_OBJ = $(LIB_SRC:%.c=$(OBJ)/%.o) $(OBJ)/gen/embedded.o
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
HEADERS = $(wildcard dreamd/common/*.h dreamd/*.h extractors/*.h store/*.h schemas/*.h tests/unit/*.h)

.PHONY: all check unit unit-bins demo install clean deps deps-test deps-fuzz \
	eval bench fuzz fuzz-bins
.SUFFIXES:

all: $(BUILD)/dreamd

$(BUILD)/dreamd: $(OBJ)/dreamd/main.o $(BUILD)/libdreamd.a
	$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/libdreamd.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(OBJ)/%.o: %.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(OBJ)/gen/embedded.o: $(BUILD)/gen/embedded.c dreamd/embedded.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Schemas and default rules are compiled into the binary, so it needs no
# installed files to run.
$(BUILD)/gen/embedded.c: $(EMBED) Makefile
	@mkdir -p $(@D)
	@{ echo '#include "dreamd/embedded.h"'; i=0; \
	for f in $(EMBED); do \
		echo "static const unsigned char e$$i[] = {"; \
		od -An -v -tx1 $$f | sed -e 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
		echo "0x00};"; i=$$((i+1)); \
	done; \
	echo 'const struct embedded_file embedded_files[] = {'; i=0; \
	for f in $(EMBED); do \
		echo "{\"$$f\", e$$i, sizeof(e$$i) - 1},"; i=$$((i+1)); \
	done; \
	echo '{0, 0, 0}};'; } > $@.tmp && mv $@.tmp $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libdreamd.a tests/unit/unit.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDSAN) -o $@ $< $(BUILD)/libdreamd.a $(LIBS)

unit: $(UNIT_BIN)

# Every test, sanitized, in its own build tree so `make` output stays clean.
check: deps deps-test
	$(MAKE) BUILD=build/check SANITIZE=address,undefined CFLAGS='-O1 -g' \
		build/check/dreamd unit-bins
	DREAMD=$(CURDIR)/build/check/dreamd UNIT_DIR=$(CURDIR)/build/check/tests \
		JOBS=$${JOBS:-2} sh tests/run.sh

unit-bins: $(UNIT_BIN)

demo: deps all
	sh tests/demo.sh $(CURDIR)/$(BUILD)/dreamd

# The labelled corpus of tests/gen/eval.c: recall, precision, false positives.
eval: deps all $(BUILD)/eval-gen
	sh tests/eval.sh $(CURDIR)/$(BUILD)/dreamd $(CURDIR)/$(BUILD)/eval-gen $(CURDIR)/$(BUILD)/eval

$(BUILD)/eval-gen: tests/gen/eval.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 -o $@ $<

bench: deps all $(BUILD)/corpus-gen $(BUILD)/bench-time $(BUILD)/parse-floor $(BUILD)/redact-bench
	sh tests/bench.sh $(CURDIR)/$(BUILD)/dreamd

# Each redaction rule on lines built to hit its worst case.
$(BUILD)/redact-bench: tests/gen/redact-bench.c tests/gen/adversarial.h $(BUILD)/libdreamd.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDSAN) -o $@ $< $(BUILD)/libdreamd.a $(LIBS)

# The benchmark's corpus generator and timer: plain programs, no library.
$(BUILD)/corpus-gen: tests/gen/corpus.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 -o $@ $<

$(BUILD)/bench-time: tests/gen/rusage.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 -o $@ $<

# The second floor: zstd and cJSON alone, what no pipeline on them can beat.
$(BUILD)/parse-floor: tests/gen/parse-floor.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 $(PKG_CFLAGS) -o $@ $< \
		$(shell pkg-config --libs libzstd libcjson)

# libFuzzer targets, each run for FUZZ_SECONDS; crashes land in
# build/fuzz/crashes and become regression tests.
fuzz: deps deps-fuzz
	$(MAKE) BUILD=build/fuzz CC=clang SANITIZE=address,undefined \
		CFLAGS='-O1 -g -fsanitize=fuzzer-no-link -Wno-error' fuzz-bins
	sh tests/fuzz/run.sh $(CURDIR)/build/fuzz $(FUZZ_SECONDS)

fuzz-bins: $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzzers/%)

$(BUILD)/fuzzers/%: tests/fuzz/%.c $(BUILD)/libdreamd.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/libdreamd.a $(LIBS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/dreamd/rules
	install -m 755 $(BUILD)/dreamd $(DESTDIR)$(PREFIX)/bin/dreamd
	install -m 644 dreamd/dreamd.1 $(DESTDIR)$(PREFIX)/share/man/man1/dreamd.1
	install -m 644 extractors/rules/*.yaml dreamd/rules/*.yaml \
		$(DESTDIR)$(PREFIX)/share/dreamd/rules/

clean:
	rm -rf build demo

# Installs what is missing, through apt-get; does nothing when all is there.
deps:
	@$(MAKE) -s apt-install APT_PKGS='$(DEB_PKGS)'

deps-test:
	@$(MAKE) -s apt-install APT_PKGS='$(DEB_TEST_PKGS)'

deps-fuzz:
	@$(MAKE) -s apt-install APT_PKGS='$(DEB_FUZZ_PKGS)'

apt-install:
	@missing=; for p in $(APT_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
			grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
		echo "make deps: installing$$missing"; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi
