# pgal: the only build entry. `make` builds, `make run` starts the local app,
# `make test` runs every test (also under ASan+UBSan), `make bench` benchmarks.
# run, serve and install need only the program's packages; test, bench, fuzz
# and soak install the tests' too (tools/deps.sh, tools/deps/*.txt).

CC      ?= gcc
BUILD   ?= build
SAN     ?= 0
PREFIX  ?= /usr/local
FIXTURES ?= build/fixtures

PKGS_CORE = vips libexif sqlite3 libcrypt openssl jansson libcurl libmariadb
PKGS_TEST = cmocka
PKGS_TUI  = ncursesw chafa

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

CFLAGS_BASE = -std=gnu11 -g -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
	-D_GNU_SOURCE -DPGAL_VERSION='"$(VERSION)"' -Icore -I$(BUILD)/gen
ifeq ($(SAN),1)
CFLAGS_OPT = -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS_SAN = -fsanitize=address,undefined
else
CFLAGS_OPT = -O2
LDFLAGS_SAN =
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS_CORE) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS_CORE) 2>/dev/null)
TUI_CFLAGS  := $(shell pkg-config --cflags $(PKGS_TUI) 2>/dev/null)
TUI_LIBS    := $(shell pkg-config --libs $(PKGS_TUI) 2>/dev/null)
TEST_CFLAGS := $(shell pkg-config --cflags $(PKGS_TEST) 2>/dev/null)
TEST_LIBS   := $(shell pkg-config --libs $(PKGS_TEST) 2>/dev/null)

CFLAGS  := $(CFLAGS_BASE) $(CFLAGS_OPT) $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS  := $(PKG_LIBS) -lm
LDFLAGS := $(LDFLAGS_SAN)

# core/ and its family folders (store/sqlite, blobs, mail, image, aws, cmd...)
CORE_SRC := $(wildcard core/*.c core/*/*.c core/*/*/*.c)
CORE_HDR := $(wildcard core/*.h core/*/*.h core/*/*/*.h)
GEN_SRC  := $(BUILD)/gen/sql_sqlite.c $(BUILD)/gen/sql_mysql.c
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o) $(GEN_SRC:%.c=%.o)
CLI_SRC  := $(wildcard cli/*.c)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
# the TUI as a library (tui/main.c excluded) so the SSH server runs the same code
TUI_SRC  := $(filter-out tui/main.c,$(wildcard tui/*.c))
TUI_OBJ  := $(TUI_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/banner.o
TUI_LIB  := $(BUILD)/libpgaltui.a
PGAL_TUI := $(BUILD)/pgal-tui
SSHD_SRC := $(wildcard sshd/*.c)
SSHD_OBJ := $(SSHD_SRC:%.c=$(BUILD)/%.o)
PGAL_SSHD := $(BUILD)/pgal-sshd
PKGS_SSHD = libssh
SSHD_CFLAGS := $(shell pkg-config --cflags $(PKGS_SSHD) 2>/dev/null)
SSHD_LIBS   := $(shell pkg-config --libs $(PKGS_SSHD) 2>/dev/null) -lutil
UNIT_SRC := $(wildcard tests/unit/test-*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TESTLIB_SRC := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))
TESTLIB_OBJ := $(TESTLIB_SRC:%.c=$(BUILD)/%.o)

LIB  := $(BUILD)/libpgal.a
GEN_MAN := $(BUILD)/gen-man
MAN_PAGES := $(BUILD)/man/pgal.1 $(BUILD)/man/pgal.conf.5 $(BUILD)/man/pgal-tui.1 \
	$(BUILD)/man/pgal-sshd.8
PGAL := $(BUILD)/pgal

.PHONY: all programs deps deps-test fixtures run serve test unit bench clean install uninstall man
# the programs and their man pages: no test library needed to build them
PROGRAMS := $(PGAL) $(PGAL_TUI) $(PGAL_SSHD) $(MAN_PAGES)
all: $(PROGRAMS) $(UNIT_BIN)
programs: $(PROGRAMS)

# Missing Debian packages are installed first (a fresh machine has none).
deps:
	@sh tools/deps.sh program
deps-test:
	@sh tools/deps.sh test

$(BUILD)/%.o: %.c $(CORE_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TEST_CFLAGS) -c $< -o $@

# tui/ sees core's public headers and its own, nothing else
$(BUILD)/tui/%.o: tui/%.c $(CORE_HDR) $(wildcard tui/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TUI_CFLAGS) -Itui -c $< -o $@

# SQL migrations are compiled in, so the binary needs no files beside it.
$(BUILD)/gen/sql_sqlite.c: $(sort $(wildcard sql/sqlite/*.sql)) tools/embed-sql.sh
	@mkdir -p $(dir $@)
	sh tools/embed-sql.sh sqlite $(sort $(wildcard sql/sqlite/*.sql)) > $@

$(BUILD)/gen/sql_mysql.c: $(sort $(wildcard sql/mysql/*.sql)) tools/embed-sql.sh
	@mkdir -p $(dir $@)
	sh tools/embed-sql.sh mysql $(sort $(wildcard sql/mysql/*.sql)) > $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(CFLAGS) -c $< -o $@

# the welcome screen's banner is an asset, compiled in like the SQL
$(BUILD)/gen/banner.c: assets/banner.txt tools/embed-banner.sh
	@mkdir -p $(dir $@)
	sh tools/embed-banner.sh assets/banner.txt > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/banner.o: $(BUILD)/gen/banner.c tui/banner.h
	$(CC) $(CFLAGS) -Itui -c $< -o $@

# the DynamoDB table definitions are embedded with .incbin
$(BUILD)/core/store/dynamodb/dynamodb.o: $(wildcard sql/dynamodb/*.json)

$(LIB): $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(PGAL): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

# sshd/ sees core's and the TUI's public headers
$(BUILD)/sshd/%.o: sshd/%.c $(CORE_HDR) $(wildcard tui/tui.h sshd/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SSHD_CFLAGS) -Itui -Isshd -c $< -o $@

$(PGAL_SSHD): $(SSHD_OBJ) $(TUI_LIB) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(SSHD_OBJ) $(TUI_LIB) $(LIB) $(LDLIBS) $(TUI_LIBS) $(SSHD_LIBS)

$(TUI_LIB): $(TUI_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(PGAL_TUI): $(BUILD)/tui/main.o $(TUI_LIB) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/tui/main.o $(TUI_LIB) $(LIB) $(LDLIBS) $(TUI_LIBS)

$(BUILD)/tests/test-%: $(BUILD)/tests/unit/test-%.o $(TESTLIB_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(TESTLIB_OBJ) $(LIB) $(LDLIBS) $(TEST_LIBS)

fixtures:
	@sh tools/fixtures.sh $(FIXTURES)

run: deps
	@$(MAKE) --no-print-directory programs
	@sh tools/run.sh $(BUILD)

# the SSH server on 127.0.0.1:2222 with the local embedded default
serve: deps
	@$(MAKE) --no-print-directory programs
	PGAL_HOME=$${PGAL_HOME:-$$(pwd)/var} $(PGAL_SSHD) -D -p $${PORT:-2222}

# both builds at once, one job per CPU; the test files then run in parallel
NPROC := $(shell nproc 2>/dev/null || echo 2)
test: deps-test
	@$(MAKE) --no-print-directory -j$(NPROC) all fixtures
	@$(MAKE) --no-print-directory -j$(NPROC) BUILD=build-asan SAN=1 all
	@sh tests/run.sh build build-asan

bench: deps-test
	@$(MAKE) --no-print-directory all fixtures
	@sh bench/run.sh $(BUILD)

# The man pages: pgal(1)'s commands, pgal.conf(5)'s keys and pgal-tui(1)'s
# keys are made from the programs' own tables, so they cannot drift from them.
man: $(MAN_PAGES)
$(GEN_MAN): tools/gen-man.c $(LIB) $(TUI_LIB) tui/screens.h
	$(CC) $(CFLAGS) $(TUI_CFLAGS) -Itui $(LDFLAGS) -o $@ tools/gen-man.c $(TUI_LIB) $(LIB) \
		$(LDLIBS) $(TUI_LIBS)
$(BUILD)/man/pgal.1: assets/pgal.1.in $(GEN_MAN)
	@mkdir -p $(dir $@)
	$(GEN_MAN) commands > $@.part
	sed -e '/^@COMMANDS@$$/{r $@.part' -e 'd;}' assets/pgal.1.in > $@ && rm -f $@.part
$(BUILD)/man/pgal.conf.5: assets/pgal.conf.5.in $(GEN_MAN) tools/man-keys.sh core/config.h
	@mkdir -p $(dir $@)
	$(GEN_MAN) keys | sh tools/man-keys.sh core/config.h > $@.part
	sed -e '/^@KEYS@$$/{r $@.part' -e 'd;}' assets/pgal.conf.5.in > $@ && rm -f $@.part
$(BUILD)/man/pgal-tui.1: assets/pgal-tui.1.in $(GEN_MAN)
	@mkdir -p $(dir $@)
	$(GEN_MAN) tui-keys > $@.part
	sed -e '/^@KEYS@$$/{r $@.part' -e 'd;}' assets/pgal-tui.1.in > $@ && rm -f $@.part
$(BUILD)/man/%: assets/%
	@mkdir -p $(dir $@)
	cp $< $@

# `make install` (PREFIX, DESTDIR) builds what it installs; `make uninstall`
# removes exactly that list.
INSTALLED = $(PREFIX)/bin/pgal $(PREFIX)/bin/pgal-tui $(PREFIX)/sbin/pgal-sshd \
	$(PREFIX)/share/man/man1/pgal.1 $(PREFIX)/share/man/man1/pgal-tui.1 \
	$(PREFIX)/share/man/man5/pgal.conf.5 $(PREFIX)/share/man/man8/pgal-sshd.8 \
	$(PREFIX)/share/doc/pgal/examples/pgal.conf.sqlite \
	$(PREFIX)/share/doc/pgal/examples/pgal.conf.sql-rds \
	$(PREFIX)/share/doc/pgal/examples/pgal.conf.nosql-dynamodb \
	$(PREFIX)/lib/systemd/system/pgal-sshd.service
install: deps
	@$(MAKE) --no-print-directory programs
	install -D -m 0755 $(PGAL) $(DESTDIR)$(PREFIX)/bin/pgal
	install -D -m 0755 $(PGAL_TUI) $(DESTDIR)$(PREFIX)/bin/pgal-tui
	install -D -m 0755 $(PGAL_SSHD) $(DESTDIR)$(PREFIX)/sbin/pgal-sshd
	install -D -m 0644 $(BUILD)/man/pgal.1 $(DESTDIR)$(PREFIX)/share/man/man1/pgal.1
	install -D -m 0644 $(BUILD)/man/pgal-tui.1 $(DESTDIR)$(PREFIX)/share/man/man1/pgal-tui.1
	install -D -m 0644 $(BUILD)/man/pgal.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/pgal.conf.5
	install -D -m 0644 $(BUILD)/man/pgal-sshd.8 $(DESTDIR)$(PREFIX)/share/man/man8/pgal-sshd.8
	for f in pgal.conf.sqlite pgal.conf.sql-rds pgal.conf.nosql-dynamodb; do \
		install -D -m 0644 assets/$$f $(DESTDIR)$(PREFIX)/share/doc/pgal/examples/$$f || exit 1; \
	done
	sed 's|/usr/local/|$(PREFIX)/|g' contrib/pgal-sshd.service > $(BUILD)/pgal-sshd.service
	install -D -m 0644 $(BUILD)/pgal-sshd.service $(DESTDIR)$(PREFIX)/lib/systemd/system/pgal-sshd.service

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	-rmdir $(DESTDIR)$(PREFIX)/share/doc/pgal/examples $(DESTDIR)$(PREFIX)/share/doc/pgal 2>/dev/null

clean:
	rm -rf build build-asan

# ---- fuzzing ----
# Each fuzz/NAME.c is a libFuzzer harness for one parser of outside bytes.
# Every build links them with a main that replays files
# (tests/fuzz/test-replay.sh runs them over fuzz/corpus and
# fuzz/regressions); `make fuzz` builds them with clang's libFuzzer in
# build-fuzz and runs each for FUZZ_SECS (tools/fuzz.sh).
FUZZ_SRC := $(wildcard fuzz/*.c)
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%)
# the server's objects as an archive: a harness takes only what it calls
SSHD_LIB := $(BUILD)/libpgalsshd.a
FUZZ_SECS ?= 60
ifeq ($(FUZZER),1)
FUZZ_DRIVER :=
FUZZ_LDFLAGS := -fsanitize=fuzzer
else
FUZZ_DRIVER := $(BUILD)/tests/fuzz/replay-main.o
FUZZ_LDFLAGS :=
endif
.PHONY: fuzz fuzz-bin
all: $(FUZZ_BIN)
fuzz-bin: $(FUZZ_BIN)

$(SSHD_LIB): $(filter-out $(BUILD)/sshd/main.o,$(SSHD_OBJ))
	@rm -f $@
	ar rcs $@ $^

# kept: make would delete it as an intermediate of the harness; the sshd
# sources too, since a harness may include one whole (its static parsers)
.PRECIOUS: $(BUILD)/fuzz/%.o
$(BUILD)/fuzz/%.o: fuzz/%.c $(CORE_HDR) $(SSHD_SRC) $(wildcard fuzz/*.h sshd/*.h tui/tui.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SSHD_CFLAGS) -Itui -Isshd -c $< -o $@

$(BUILD)/fuzz/%: $(BUILD)/fuzz/%.o $(FUZZ_DRIVER) $(SSHD_LIB) $(TUI_LIB) $(LIB)
	$(CC) $(LDFLAGS) $(FUZZ_LDFLAGS) -o $@ $< $(FUZZ_DRIVER) $(SSHD_LIB) $(TUI_LIB) $(LIB) \
		$(LDLIBS) $(TUI_LIBS) $(SSHD_LIBS)

fuzz: deps-test
	@$(MAKE) --no-print-directory -j2 BUILD=build-fuzz CC=clang SAN=1 FUZZER=1 \
		EXTRA_CFLAGS=-fsanitize=fuzzer-no-link fuzz-bin
	@sh tools/fuzz.sh build-fuzz $(FUZZ_SECS)

# ---- soak ----
# SOAK_SESSIONS (500) sessions at once for SOAK_SECS (600) against one
# server; fails if the listener's peak RSS or descriptors grow by > 5 %.
.PHONY: soak
soak: deps-test
	@$(MAKE) --no-print-directory all fixtures
	@PGAL_BUILD=$(CURDIR)/$(BUILD) PGAL_FIXTURES=$(CURDIR)/$(FIXTURES) sh tests/soak/soak.sh
