# mk/mailfolders.mk - mailfolders: repairs the Sent/Trash/Drafts settings of an Android (HTC)
# mail app's SQLite database. Included by the Makefile after ALL_CFLAGS, COMMON_OBJ, LDFLAGS,
# BUILD and PKG_CONFIG are set. libsqlite3 and libcurl come through pkg-config.
MF_PKGS := sqlite3 libcurl
MF_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(MF_PKGS) 2>/dev/null)
MF_LIBS := $(shell $(PKG_CONFIG) --libs $(MF_PKGS) 2>/dev/null || echo -lsqlite3 -lcurl)

MF_LIB_SRC := $(sort $(wildcard lib/mailfolders/*.c))
MF_LIB_OBJ := $(MF_LIB_SRC:%.c=$(BUILD)/%.o)
MF_SRC := $(sort $(wildcard src/mailfolders/*.c))
MF_OBJ := $(MF_SRC:%.c=$(BUILD)/%.o)
MF_LIBA := $(BUILD)/libmailfolders.a
MF_UNIT_SRC := $(sort $(wildcard tests/unit/mailfolders/test_*.c))
MF_UNIT_BIN := $(MF_UNIT_SRC:tests/unit/mailfolders/test_%.c=$(BUILD)/tests/test_mailfolders_%)
MF_FAULT := $(BUILD)/tests/libfault_sqlite.so
MF_FAKE_IMAP := $(BUILD)/tests/mf_fake_imap

TOOL_BINS += $(BUILD)/mailfolders
TOOL_CHECK += $(MF_UNIT_BIN) $(MF_FAULT) $(MF_FAKE_IMAP)

$(MF_LIB_OBJ) $(MF_OBJ): ALL_CFLAGS += $(MF_CFLAGS)
$(MF_LIB_OBJ): lib/mailfolders/internal.h

$(MF_LIBA): $(MF_LIB_OBJ)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(BUILD)/mailfolders: $(MF_OBJ) $(COMMON_OBJ) $(MF_LIBA)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(MF_LIBS)

# Unit tests: cmocka, one binary per tests/unit/mailfolders/test_NAME.c.
$(BUILD)/tests/test_mailfolders_%: tests/unit/mailfolders/test_%.c $(MF_LIBA) \
		tests/unit/mailfolders/mftest.h tests/unit/slurp.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(ALL_CFLAGS) $(MF_CFLAGS) -Ilib/mailfolders -o $@ $< $(MF_LIBA) $(LDFLAGS) \
		-lcmocka $(MF_LIBS)

# A scripted IMAP server on the loopback (test_server.c and tests/check.d/mailfolders.sh).
$(MF_FAKE_IMAP): tests/unit/mailfolders/fake_imap.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $< $(LDFLAGS)

# The fault-injection shim for SQLite's calls (pwrite64, fdatasync, ...): the safety tests.
$(MF_FAULT): tests/fault/inject_sqlite.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) -std=c17 -O1 -g -fPIC -shared -o $@ $< -ldl

.PHONY: install-mailfolders uninstall-mailfolders
install: install-mailfolders
uninstall: uninstall-mailfolders

install-mailfolders: $(BUILD)/mailfolders $(MF_LIBA)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) \
		$(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/mailfolders $(DESTDIR)$(BINDIR)/
	install -m 644 $(MF_LIBA) $(DESTDIR)$(LIBDIR)/
	install -m 644 include/mailfolders.h $(DESTDIR)$(INCDIR)/
	install -m 644 docs/mailfolders.1 $(DESTDIR)$(MANDIR)/man1/

uninstall-mailfolders:
	rm -f $(DESTDIR)$(BINDIR)/mailfolders $(DESTDIR)$(LIBDIR)/libmailfolders.a \
		$(DESTDIR)$(INCDIR)/mailfolders.h $(DESTDIR)$(MANDIR)/man1/mailfolders.1
