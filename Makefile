# cpuidmask - plain GNU make. Targets: all check demo install clean fuzz bench deps.
#   make CC=clang             build with clang instead of gcc
#   make BUILD=dir SAN=1      build into dir with AddressSanitizer + UBSan
#   make check                every test, then again under ASan+UBSan, then the fuzzers
#   make install PREFIX=/usr/local DESTDIR=

CC ?= cc
BUILD ?= build
PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
LIBDIR = $(PREFIX)/lib
INCDIR = $(PREFIX)/include
MANDIR = $(PREFIX)/share/man
FUZZ_SECONDS ?= 10

PKG_CONFIG ?= pkg-config
XML_CFLAGS := $(shell $(PKG_CONFIG) --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
# libxml2 is loaded with dlopen when XML is read (lib/fmt_libvirt.c): only its headers at build time
LIB_LIBS := -ldl -pthread
XML_LIBS := $(shell $(PKG_CONFIG) --libs libxml-2.0 2>/dev/null || echo -lxml2)

CFLAGS ?= -O2 -g
WARN = -std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wformat=2 -Wvla -Wpointer-arith -Wno-format-nonliteral
ifeq ($(SAN),1)
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
ALL_CFLAGS = $(WARN) -D_DEFAULT_SOURCE $(CFLAGS) $(SANFLAGS) -Iinclude -MMD -MP
LDFLAGS += $(SANFLAGS)

LIB_SRC := $(sort $(wildcard lib/*.c))
COMMON_SRC := $(sort $(wildcard src/common/*.c))
CPUIDMASK_SRC := $(sort $(wildcard src/cpuidmask/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/%.o)
CPUIDMASK_OBJ := $(CPUIDMASK_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIBA := $(BUILD)/libcpuidmask.a
BINS := $(BUILD)/cpuidmask

# The other tools (hostacl, mailfolders) each bring their rules in mk/<tool>.mk, appending
# to TOOL_BINS (programs) and TOOL_CHECK (test-only binaries), and hooking install/uninstall
# with extra prerequisites (install: install-<tool>).
.DEFAULT_GOAL := all
TOOL_BINS :=
TOOL_CHECK :=
include $(sort $(wildcard mk/*.mk))

.PHONY: all check check-build demo install uninstall clean fuzz bench deps deps-quiet deps-build
.DELETE_ON_ERROR:

all: deps-build
	@$(MAKE) --no-print-directory build-all

.PHONY: build-all
build-all: $(BINS) $(TOOL_BINS) $(BUILD)/cpuidmask.pc

# Missing Debian packages: installed when root, else the apt-get line is printed. A build
# needs only the build packages; the tests need them all.
deps-quiet:
	@sh scripts/install-deps.sh -q
deps-build:
	@sh scripts/install-deps.sh -q build

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(ALL_CFLAGS) $(if $(filter lib/fmt_libvirt.c,$<),$(XML_CFLAGS)) -c -o $@ $<

$(LIBA): $(LIB_OBJ)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(BUILD)/cpuidmask: $(CPUIDMASK_OBJ) $(COMMON_OBJ) $(LIBA)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LIB_LIBS)

$(BUILD)/cpuidmask.pc: cpuidmask.pc.in Makefile
	@mkdir -p $(dir $@)
	@sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(shell sed -n 's/^#define CM_VERSION_STRING "\(.*\)"/\1/p' include/cpuidmask.h)|g' $< > $@

# Unit tests: cmocka, linked with the library (and lib/ internals they test).
$(BUILD)/tests/%: tests/unit/%.c $(LIBA) $(COMMON_OBJ) tests/unit/testutil.h tests/unit/slurp.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(ALL_CFLAGS) $(XML_CFLAGS) -Ilib -Isrc -o $@ $< $(LIBA) $(COMMON_OBJ) $(LDFLAGS) -lcmocka $(LIB_LIBS) $(XML_LIBS)

# A preloaded library that makes write/fsync/rename fail on demand (tests of apply).
$(BUILD)/tests/libfault.so: tests/fault/inject.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) -std=c17 -O1 -g -fPIC -shared -o $@ $< -ldl

# Bench tools: a host generator (also used by the tests), a timer, reader throughput.
$(BUILD)/gen_hosts $(BUILD)/bench_read: $(BUILD)/%: bench/%.c $(LIBA)
	@echo "  CC      $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBA) $(LDFLAGS) $(LIB_LIBS)

$(BUILD)/measure: bench/measure.c
	@echo "  CC      $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $< $(LDFLAGS)

check-build: build-all $(UNIT_BIN) $(TOOL_CHECK) $(BUILD)/tests/libfault.so $(BUILD)/gen_hosts \
	$(BUILD)/bench_read $(BUILD)/measure

check: deps-quiet
	@sh tests/check.sh

demo: all
	@sh scripts/demo.sh $(BUILD)/cpuidmask

# libFuzzer targets need clang; each runs FUZZ_SECONDS seconds from its seed corpus.
FUZZ_BUILD = $(BUILD)/fuzz
fuzz:
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: build-all $(BUILD)/gen_hosts $(BUILD)/bench_read $(BUILD)/measure
	@sh bench/run.sh $(BUILD)

deps:
	@sh scripts/install-deps.sh

install: build-all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR) \
		$(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)/
	install -m 644 $(LIBA) $(DESTDIR)$(LIBDIR)/
	install -m 644 include/cpuidmask.h $(DESTDIR)$(INCDIR)/
	install -m 644 $(BUILD)/cpuidmask.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 644 docs/cpuidmask.1 $(DESTDIR)$(MANDIR)/man1/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/cpuidmask $(DESTDIR)$(LIBDIR)/libcpuidmask.a \
		$(DESTDIR)$(INCDIR)/cpuidmask.h $(DESTDIR)$(LIBDIR)/pkgconfig/cpuidmask.pc \
		$(DESTDIR)$(MANDIR)/man1/cpuidmask.1

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
