# hostacl - access lists that stay correct on dual-stack sockets (issue 6).
# Included by the Makefile: libhostacl.a from lib/hostacl/, the hostacl CLI from
# src/hostacl/ and the shared src/common/, cmocka tests from tests/unit/hostacl/.
# Objects come from the Makefile's generic $(BUILD)/%.o rule.

HOSTACL_LIB_SRC := $(sort $(wildcard lib/hostacl/*.c))
HOSTACL_LIB_OBJ := $(HOSTACL_LIB_SRC:%.c=$(BUILD)/%.o)
HOSTACL_SRC := $(sort $(wildcard src/hostacl/*.c))
HOSTACL_OBJ := $(HOSTACL_SRC:%.c=$(BUILD)/%.o)
HOSTACL_LIBA := $(BUILD)/libhostacl.a
HOSTACL_UNIT_SRC := $(sort $(wildcard tests/unit/hostacl/test_*.c))
HOSTACL_UNIT_BIN := $(HOSTACL_UNIT_SRC:tests/unit/hostacl/test_%.c=$(BUILD)/tests/test_hostacl_%)

$(HOSTACL_LIBA): $(HOSTACL_LIB_OBJ)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(BUILD)/hostacl: $(HOSTACL_OBJ) $(COMMON_OBJ) $(HOSTACL_LIBA)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^

# The tests link the library only; test_probe runs the hostacl beside it (../hostacl).
$(BUILD)/tests/test_hostacl_%: tests/unit/hostacl/test_%.c $(HOSTACL_LIBA) | $(BUILD)/hostacl
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $< $(HOSTACL_LIBA) $(LDFLAGS) -lcmocka

TOOL_BINS += $(BUILD)/hostacl
TOOL_CHECK += $(HOSTACL_UNIT_BIN)

.PHONY: install-hostacl uninstall-hostacl
install: install-hostacl
uninstall: uninstall-hostacl

install-hostacl: build-all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/hostacl $(DESTDIR)$(BINDIR)/
	install -m 644 $(HOSTACL_LIBA) $(DESTDIR)$(LIBDIR)/
	install -m 644 include/hostacl.h $(DESTDIR)$(INCDIR)/
	install -m 644 docs/hostacl.1 $(DESTDIR)$(MANDIR)/man1/

uninstall-hostacl:
	rm -f $(DESTDIR)$(BINDIR)/hostacl $(DESTDIR)$(LIBDIR)/libhostacl.a \
		$(DESTDIR)$(INCDIR)/hostacl.h $(DESTDIR)$(MANDIR)/man1/hostacl.1
