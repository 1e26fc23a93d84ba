# newsgate -- build, test and benchmark.  One plain Makefile.
#
#   make          build ./newsgate, libnewsgate.a and libnewsgate.so
#   make install  install under $(DESTDIR)$(PREFIX) (default /usr/local):
#                 bin/newsgate, lib/libnewsgate.{a,so}, include/newsgate.h,
#                 lib/pkgconfig/newsgate.pc, share/man/man1/newsgate.1,
#                 share/bash-completion/completions/newsgate,
#                 share/newsgate/rules/*.lua;  make uninstall removes them
#   make run      install what is missing, build, run the sample job
#   make test     install what is missing, build, run the whole suite
#   make bench    benchmarks over ../shared/data/bbc
#   make bench-server  the HTTP server under wrk and a fixed-rate load
#   make bench-scale  stores of 10k, 100k and 1M synthetic items (cached)
#   make bench-ui  the moderator console with 10,000 items in Chromium
#   make asan     run the suite under AddressSanitizer + UBSan
#   make valgrind run the unit and CLI tests under valgrind memcheck
#   make fuzz     build the libFuzzer targets (tests/fuzz/) with clang and
#                 run each for FUZZ_SECONDS (default 60); FUZZ_TARGETS
#                 picks some (names as in tests/fuzz/fuzz_NAME.c)
#   make faults   fault injection in full: every allocation of a check
#                 failed in turn, over every sample and the seed article
#   make deps     install the Debian packages (as root, non-interactive)

# ---- settings -------------------------------------------------------
CC      ?= cc
CFLAGS  ?= -std=c11 -O2 -g
WARN    = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wwrite-strings -Wno-unused-parameter
PKGS    = lua5.4 libpcre2-8 sqlite3 jansson libxml-2.0 libutf8proc libxxhash \
          libmicrohttpd libidn2 libpq libdeflate
DEBS    = build-essential pkg-config liblua5.4-dev libpcre2-dev \
          libsqlite3-dev sqlite3 libjansson-dev libmicrohttpd-dev \
          libxml2-dev libutf8proc-dev libxxhash-dev libidn2-dev check python3 \
          wrk time bc chromium chromium-driver python3-selenium libunistring-dev \
          libpq-dev postgresql faketime clang libclang-rt-dev valgrind \
          libdeflate-dev
# clang, libclang-rt-dev: libFuzzer and the sanitizers for `make fuzz`;
# valgrind: `make valgrind`.
# libdeflate-dev: compressed item texts in the SQLite store (schema v11;
# zlib streams, made and read with libdeflate since s5-submit).
# libunistring-dev: the static link test (pkg-config --static) needs
# libunistring.a/.so, a private dependency of libmicrohttpd's gnutls.
# faketime: `make bench-scale` (tests/bench/scale.sh sets its timed runs' clock).
SHARED ?= ../shared/data
BUILD  ?= build
BIN    ?= newsgate
LIB    ?= libnewsgate.a
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR  = $(PREFIX)/bin
LIBDIR  = $(PREFIX)/lib
INCDIR  = $(PREFIX)/include
MANDIR  = $(PREFIX)/share/man
DATADIR = $(PREFIX)/share/newsgate
COMPDIR = $(PREFIX)/share/bash-completion/completions
VERSION := $(shell sed -n 's/^\#define NG_VERSION "\(.*\)"/\1/p' core/newsgate.h)
SOMAJOR = $(firstword $(subst ., ,$(VERSION)))
SONAME  = libnewsgate.so.$(SOMAJOR)
SOLIB   = $(BUILD)/libnewsgate.so.$(VERSION)

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)
# -fPIC: the same objects make the static and the shared library.
PIC    ?= -fPIC
ALL_CFLAGS = $(CFLAGS) $(WARN) $(PIC) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
             -Icore -Istore -I$(BUILD) $(PKG_CFLAGS)
LIBS       = $(PKG_LIBS) -lm -lpthread

# ---- sources --------------------------------------------------------
CLI_SRC  = core/main.c $(wildcard core/cli_*.c)
LIB_SRC  = $(filter-out $(CLI_SRC),$(wildcard core/*.c)) $(wildcard store/*.c)
LIB_OBJ  = $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC)) $(BUILD)/scripts_embed.o \
           $(BUILD)/ui_embed.o
UI_FILES = $(wildcard ui/*.html ui/*.css ui/*.js ui/*.svg)
CLI_OBJ  = $(patsubst %.c,$(BUILD)/%.o,$(CLI_SRC))
HDRS     = $(wildcard core/*.h store/*.h)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
TOOL_SRC = $(wildcard tests/tools/*.c)
TOOL_BIN = $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRC))
# Fault-injection shims, preloaded by tests (tests/faults/, docs/hardening-faults.md).
FAULT_SRC = $(wildcard tests/faults/*.c)
FAULT_SO  = $(patsubst tests/faults/%.c,$(BUILD)/faults/%.so,$(FAULT_SRC))
# Fuzz targets: each tests/fuzz/fuzz_NAME.c is linked with libFuzzer by
# `make fuzz`, and with tests/fuzz/replay.c (a plain main over its seed
# corpus and regression inputs) for `make test`.
FUZZ_NAMES = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY = $(patsubst %,$(BUILD)/fuzz/replay_%,$(FUZZ_NAMES))
FUZZ_HELP = tests/fuzz/util.c tests/fuzz/fuzz.h

.PHONY: all deps run test bench bench-server bench-scale bench-ui asan \
        valgrind fuzz faults clean check-deps install uninstall

all: $(BIN) $(LIB) $(SOLIB)

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LIBS)

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

# The shared library exports the public ng_* names only (not ng__*).
$(SOLIB): $(LIB_OBJ) core/newsgate.map
	$(CC) $(CFLAGS) -shared -Wl,-soname,$(SONAME) \
	    -Wl,--version-script=core/newsgate.map -o $@ $(LIB_OBJ) $(LIBS)

# libpq goes in Libs.private, not Requires.private: Debian's libpq.pc
# lists static-only libraries (-lpgcommon -lpgport) that libpq-dev does
# not ship, so `pkg-config --static` through it could not link.
$(BUILD)/newsgate.pc: Makefile
	@mkdir -p $(BUILD)
	@{ echo '# Relocatable: paths follow where this file is installed, so a'; \
	   echo '# tree installed with DESTDIR works through PKG_CONFIG_PATH too.'; \
	   echo 'prefix=$${pcfiledir}/../..'; \
	   echo 'libdir=$${prefix}/lib'; \
	   echo 'includedir=$${prefix}/include'; \
	   echo ''; \
	   echo 'Name: newsgate'; \
	   echo 'Description: moderation filter for news submissions (Lua rules, SQLite queue)'; \
	   echo 'Version: $(VERSION)'; \
	   echo 'Requires.private: $(filter-out libpq,$(PKGS))'; \
	   echo 'Libs: -L$${libdir} -lnewsgate'; \
	   echo 'Libs.private: -lpq -lm -lpthread'; \
	   echo 'Cflags: -I$${includedir}'; } > $@

$(BUILD)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The Lua half of the engine is compiled into the library so an embedding
# program needs no files at run time.
$(BUILD)/scripts_embed.c: $(wildcard scripts/*.lua) scripts/embed.sh
	@mkdir -p $(BUILD)
	sh scripts/embed.sh $(wildcard scripts/*.lua) > $@

$(BUILD)/scripts_embed.o: $(BUILD)/scripts_embed.c
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

# The moderator console (ui/) likewise: served at /ui/ from the binary.
$(BUILD)/ui_embed.c: $(UI_FILES) ui/embed.sh
	@mkdir -p $(BUILD)
	sh ui/embed.sh $(UI_FILES) > $@

$(BUILD)/ui_embed.o: $(BUILD)/ui_embed.c core/ui_files.h
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $(LIB) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(LIB) \
	    $(LIBS) $(CHECK_LIBS)

$(BUILD)/tools/%: tests/tools/%.c $(LIB) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(LIB) $(LIBS)

$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(FUZZ_HELP) \
                       $(LIB) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/fuzz -o $@ $< tests/fuzz/replay.c \
	    tests/fuzz/util.c $(LIB) $(LIBS)

# Only in the fuzz build (CC=clang, CFLAGS with -fsanitize=fuzzer-no-link).
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_HELP) $(LIB) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -Itests/fuzz -o $@ $< \
	    tests/fuzz/util.c $(LIB) $(LIBS)

# The shims are plain shared objects with fixed flags: never built with a
# sanitizer (an interposed malloc cannot sit under ASan's).
$(BUILD)/faults/%.so: tests/faults/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 -g -Wall -Wextra -shared -fPIC -o $@ $<

# ---- set-up ---------------------------------------------------------
deps:
	@missing=""; for p in $(DEBS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" \
	        || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root to install:$$missing" >&2; exit 1; fi; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	        apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# ---- jobs -----------------------------------------------------------
run: deps
	@$(MAKE) --no-print-directory all
	@sh tests/tools/run-samples.sh

test: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN) $(TOOL_BIN) $(FUZZ_REPLAY) \
	    $(FAULT_SO)
	@BUILD=$(BUILD) NEWSGATE_BIN=$(abspath $(BIN)) sh tests/run.sh

bench: deps
	@$(MAKE) --no-print-directory all $(TOOL_BIN)
	@BUILD=$(BUILD) NEWSGATE_BIN=$(abspath $(BIN)) sh tests/bench/run.sh $(SHARED)

bench-server: deps
	@$(MAKE) --no-print-directory all $(TOOL_BIN)
	@BUILD=$(BUILD) NEWSGATE_BIN=$(abspath $(BIN)) \
	    NEWSGATE_TOOLS=$(abspath $(BUILD)/tools) sh tests/bench/server/run.sh

bench-scale: deps
	@$(MAKE) --no-print-directory all $(TOOL_BIN)
	@BUILD=$(BUILD) NEWSGATE_BIN=$(abspath $(BIN)) NEWSGATE_SHARED=$(SHARED) \
	    NEWSGATE_TOOLS=$(abspath $(BUILD)/tools) sh tests/bench/scale.sh $(SIZES)
bench-ui: deps
	@$(MAKE) --no-print-directory all
	@NEWSGATE_BIN=$(abspath $(BIN)) /usr/bin/python3 tests/ui/bench_ui.py 10000 5

faults: deps
	@$(MAKE) --no-print-directory all $(TOOL_BIN) $(FAULT_SO)
	@NEWSGATE_BIN=$(abspath $(BIN)) NEWSGATE_TOOLS=$(abspath $(BUILD)/tools) \
	    NEWSGATE_SHARED=$(abspath $(SHARED)) FAULTS_FULL=1 \
	    sh tests/scripts/fault-alloc.sh

ASAN_DIR = build-asan
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer
asan: deps
	@$(MAKE) --no-print-directory BUILD=$(ASAN_DIR) BIN=$(ASAN_DIR)/newsgate \
	    LIB=$(ASAN_DIR)/libnewsgate.a \
	    CFLAGS="-std=c11 -O1 -g $(SAN_FLAGS)" \
	    all $(patsubst $(BUILD)/%,$(ASAN_DIR)/%,$(UNIT_BIN) $(TOOL_BIN) \
	        $(FUZZ_REPLAY))
	@BUILD=$(ASAN_DIR) NEWSGATE_BIN=$(abspath $(ASAN_DIR)/newsgate) \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    sh tests/run.sh

# valgrind runs the normal build's unit tests (in-process: CK_FORK=no,
# so check's timeouts do not fire under the slow-down), CLI cases and
# fuzz replays under memcheck (tests/valgrind/).  Skipped: the scenario
# scripts (servers, hundreds of runs, timing), and lint-limits, which
# expects a looping rule to run out of instructions before the 250 ms
# deadline that `lint` (no --deadline) gives it; under memcheck the
# deadline comes first.
VG_SKIP = script/* cli/lint-limits
valgrind: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN) $(TOOL_BIN) $(FUZZ_REPLAY)
	@BUILD=$(BUILD) NEWSGATE_REAL_BIN=$(abspath $(BIN)) \
	    NEWSGATE_BIN=$(abspath tests/valgrind/newsgate) \
	    TEST_WRAP=$(abspath tests/valgrind/vg) TEST_SKIP="$(VG_SKIP)" \
	    TEST_OUT=valgrind CK_FORK=no sh tests/run.sh

FUZZ_DIR = build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(FUZZ_NAMES)
fuzz: deps
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_DIR) CC=clang \
	    LIB=$(FUZZ_DIR)/libnewsgate.a \
	    CFLAGS="-std=c11 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    $(patsubst %,$(FUZZ_DIR)/fuzz/fuzz_%,$(FUZZ_TARGETS))
	@FUZZ_DIR=$(FUZZ_DIR) FUZZ_SECONDS=$(FUZZ_SECONDS) \
	    sh tests/fuzz/run.sh $(FUZZ_TARGETS)

install: all $(BUILD)/newsgate.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
	    $(DESTDIR)$(INCDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(COMPDIR) \
	    $(DESTDIR)$(DATADIR)/rules
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/newsgate
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libnewsgate.a
	install -m 755 $(SOLIB) $(DESTDIR)$(LIBDIR)/libnewsgate.so.$(VERSION)
	ln -sf libnewsgate.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libnewsgate.so
	install -m 644 core/newsgate.h $(DESTDIR)$(INCDIR)/newsgate.h
	install -m 644 $(BUILD)/newsgate.pc $(DESTDIR)$(LIBDIR)/pkgconfig/newsgate.pc
	install -m 644 docs/newsgate.1 $(DESTDIR)$(MANDIR)/man1/newsgate.1
	install -m 644 completion/newsgate.bash $(DESTDIR)$(COMPDIR)/newsgate
	cd rules && find . -type f | while read -r f; do \
	    install -D -m 644 "$$f" "$(DESTDIR)$(DATADIR)/rules/$$f" || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/newsgate $(DESTDIR)$(LIBDIR)/libnewsgate.a \
	    $(DESTDIR)$(LIBDIR)/libnewsgate.so* $(DESTDIR)$(INCDIR)/newsgate.h \
	    $(DESTDIR)$(LIBDIR)/pkgconfig/newsgate.pc \
	    $(DESTDIR)$(MANDIR)/man1/newsgate.1 $(DESTDIR)$(COMPDIR)/newsgate
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf $(BUILD) $(ASAN_DIR) $(FUZZ_DIR) $(BIN) $(LIB) tests/out
