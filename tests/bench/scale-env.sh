# scale-env.sh -- sourced by the scale benchmarks (scale.sh, scale-list.sh,
# scale-copy.sh) from the top of the worktree: the schema version and the
# generator's checksum that key their cached stores, and the cache
# directory ($NEWSGATE_SCALE_CACHE, default
# ${XDG_CACHE_HOME:-$HOME/.cache}/newsgate-scale).
schema=$(sed -n 's/^#define NG__SCHEMA_VERSION \([0-9]*\).*/\1/p' store/store.h)
gen=$(cksum < tests/tools/scalegen.c | cut -d' ' -f1)
cache=${NEWSGATE_SCALE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/newsgate-scale}
