#!/bin/sh
# make install into a scratch DESTDIR, then build a program against the installed header,
# static library and pkg-config file, and run it: "PASS install" or "FAIL install".
set -u
dest=$(pwd)/build/install-test
rm -rf "$dest"
if ! make -s install DESTDIR="$dest" PREFIX=/usr/local >build/install-test.log 2>&1; then
	echo "FAIL install (make install: see build/install-test.log)"
	exit 1
fi
for f in bin/cpuidmask lib/libcpuidmask.a include/cpuidmask.h lib/pkgconfig/cpuidmask.pc \
	share/man/man1/cpuidmask.1; do
	[ -e "$dest/usr/local/$f" ] || { echo "FAIL install (no $f)"; exit 1; }
done
cat >"$dest/use.c" <<'EOC'
#include <cpuidmask.h>
#include <stdio.h>
int main(void)
{
	const char dump[] = "cpuidmask-dump 1\n00000000 00000001 756e6547 6c65746e 49656e69\n"
			    "00000001 000306a9 0 0 0\n";
	cm_snap *s;
	struct cm_error err;
	struct cm_cpuinfo ci;
	if (cm_read(&s, dump, sizeof dump - 1, "x", NULL, &err))
		return 1;
	cm_decode(s, &ci);
	printf("%s %s\n", ci.vendor, ci.uarch);
	cm_snap_free(s);
	return 0;
}
EOC
export PKG_CONFIG_PATH="$dest/usr/local/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$dest"
# shellcheck disable=SC2046
if ${CC:-cc} -std=c17 -o "$dest/use" "$dest/use.c" $(pkg-config --cflags --libs --static cpuidmask) \
	>>build/install-test.log 2>&1 && [ "$("$dest/use")" = "GenuineIntel Ivy Bridge" ] &&
	"$dest/usr/local/bin/cpuidmask" --version >/dev/null; then
	echo "PASS install"
else
	echo "FAIL install (see build/install-test.log)"
	exit 1
fi
