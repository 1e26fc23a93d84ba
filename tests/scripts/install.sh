#!/bin/sh
# install.sh -- `make install` into a temporary DESTDIR, then what an
# embedder and an operator do with it:
#  - compile and run tests/install/embed.c with nothing but
#    `pkg-config --cflags --libs newsgate` (PKG_CONFIG_PATH pointing at
#    the staged pc directory), once statically (--static) and once against
#    the shared library (LD_LIBRARY_PATH);
#  - the installed binary finds the installed rules by itself;
#  - the man page renders and the completion file loads in bash.
set -u
cd "$(dirname "$0")/../.." || exit 70
command -v pkg-config > /dev/null || { echo "no pkg-config: skipped"; exit 77; }
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
D=$T/stage
P=/opt/newsgate-test
# A build of its own with the default flags (the suite may run under a
# sanitizer build, whose objects need the sanitizer's link flags).
B=$T/build
make --no-print-directory -s -j2 install BUILD="$B" BIN="$B/newsgate" \
    LIB="$B/libnewsgate.a" DESTDIR="$D" PREFIX="$P" \
    > "$T/make.log" 2>&1 || { cat "$T/make.log"; fail "make install"; }
for f in bin/newsgate lib/libnewsgate.a lib/libnewsgate.so lib/libnewsgate.so.0 \
         include/newsgate.h lib/pkgconfig/newsgate.pc share/man/man1/newsgate.1 \
         share/bash-completion/completions/newsgate \
         share/newsgate/rules/basics.lua; do
    [ -e "$D$P/$f" ] || fail "not installed: $f"
done
echo "ok: files installed under DESTDIR"
grep -q "$D" "$D$P/lib/pkgconfig/newsgate.pc" && fail "the pc file names the DESTDIR"
readelf -d "$D$P/lib/libnewsgate.so" | grep -q 'SONAME.*libnewsgate.so.0' ||
    fail "soname"
echo "ok: soname libnewsgate.so.0"

export PKG_CONFIG_PATH="$D$P/lib/pkgconfig"
pkg-config --exists newsgate || fail "pkg-config does not find newsgate"
[ "$(pkg-config --modversion newsgate)" = "$("$D$P/bin/newsgate" -V | cut -d' ' -f2)" ] ||
    fail "pc version differs from the binary's"

# Static: --static adds the private dependencies; -l:libnewsgate.a picks
# the archive over the shared library installed beside it.
cc -o "$T/embed-static" tests/install/embed.c \
    $(pkg-config --static --cflags --libs newsgate | sed 's/-lnewsgate/-l:libnewsgate.a/') \
    2> "$T/cc1" || { cat "$T/cc1"; fail "static build"; }
ldd "$T/embed-static" | grep -q libnewsgate && fail "static build needs libnewsgate.so"
"$T/embed-static" "$D$P/share/newsgate/rules" > "$T/out1" || fail "static run"
grep -q '^newsgate [0-9.]*: accept by kim {"input":"item","action":"accept",' "$T/out1" ||
    fail "static output: $(cat "$T/out1")"
echo "ok: static embedding: $(cut -c1-60 "$T/out1")"

# Shared: plain pkg-config, the library found through LD_LIBRARY_PATH.
cc -o "$T/embed-shared" tests/install/embed.c $(pkg-config --cflags --libs newsgate) \
    2> "$T/cc2" || { cat "$T/cc2"; fail "shared build"; }
LD_LIBRARY_PATH="$D$P/lib" ldd "$T/embed-shared" | grep -q "libnewsgate.so.0 => $D$P/lib" ||
    fail "shared build does not use the installed libnewsgate.so.0"
LD_LIBRARY_PATH="$D$P/lib" "$T/embed-shared" "$D$P/share/newsgate/rules" > "$T/out2" ||
    fail "shared run"
# The same verdict, timings aside.
sed -E 's/"total":[0-9]+/"total":0/' "$T/out1" > "$T/o1"
sed -E 's/"total":[0-9]+/"total":0/' "$T/out2" > "$T/o2"
cmp -s "$T/o1" "$T/o2" || fail "shared and static verdicts differ"
echo "ok: shared embedding"

# The installed binary finds the installed rules (no --rules, no ./rules,
# no $NEWSGATE_RULES).
mkdir "$T/cwd"
(cd "$T/cwd" && unset NEWSGATE_RULES &&
    echo '{"title":"A title","body":"short"}' | "$D$P/bin/newsgate" check --format json) \
    > "$T/out3" 2> "$T/err3" || [ $? -le 2 ] || fail "installed check: $(cat "$T/err3")"
grep -q '"rule":"BODY_TOO_SHORT"' "$T/out3" || fail "installed rules not used: $(cat "$T/out3" "$T/err3")"
echo "ok: installed binary uses share/newsgate/rules"

# The man page renders; the completion loads and completes.
if command -v groff > /dev/null; then
    groff -man -Tutf8 -ww -z "$D$P/share/man/man1/newsgate.1" 2> "$T/groff" ||
        fail "groff fails"
    [ -s "$T/groff" ] && { cat "$T/groff"; fail "groff warnings"; }
    echo "ok: man page renders without warnings"
fi
if command -v bash > /dev/null; then
    got=$(bash -c '. "$1"; COMP_WORDS=(newsgate queue a); COMP_CWORD=2;
                   _newsgate; echo "${COMPREPLY[*]}"' _ \
          "$D$P/share/bash-completion/completions/newsgate") || fail "completion"
    [ "$got" = "approve ack" ] || fail "completion of 'queue a': '$got'"
    echo "ok: bash completion"
fi

make --no-print-directory -s uninstall BUILD="$B" DESTDIR="$D" PREFIX="$P" > /dev/null ||
    fail "make uninstall"
left=$(find "$D" -type f | head -3)
[ -z "$left" ] || fail "left after uninstall: $left"
echo "ok: uninstall"
