# story.sh -- test items, sourced by scripts (sh): store-pg.sh,
# dup-flood.sh, brake.sh, sources.sh, dup-migrate.sh, store-v11-migrate.sh,
# store-v13-migrate.sh.
#
# story TAG COUNT [EXTID-PREFIX]: NDJSON items of 70 words drawn from a
# fixed vocabulary, seeded by TAG and the item's number: the same
# arguments give the same texts, different items share no run of words.
story() {
    awk -v tag="$1" -v n="$2" -v ext="${3:-}" 'BEGIN {
        nv = split("council river budget school harbour museum railway " \
            "bridge hospital market festival library police farmers " \
            "teachers nurses drivers engineers minister mayor residents " \
            "storm flood fire drought harvest election strike protest " \
            "agreed rejected delayed approved announced confirmed warned " \
            "opened closed repaired expanded funded cancelled moved " \
            "north south east west old new small large local national " \
            "morning evening weekend spring summer autumn winter " \
            "plan report study survey vote meeting hearing inquiry", v, " ")
        seed = 0
        for (k = 1; k <= length(tag); k++) seed = seed * 31 + index("abcdefghijklmnopqrstuvwxyz", substr(tag, k, 1))
        for (i = 1; i <= n; i++) {
            srand(seed * 100003 + i)
            printf "{\"title\":\"Story %s %d\",\"body\":\"", tag, i
            for (w = 1; w <= 70; w++) printf "%s%s", v[int(rand() * nv) + 1], w % 10 ? " " : ". "
            printf "\",\"submitter\":\"s%s%d\"", tag, i % 7
            if (ext != "") printf ",\"external_id\":\"%s-%d\"", ext, i
            printf "}\n" } }'
}

items() { # FROM TO: one item per line; every tenth mentions an alert
    i=$1
    while [ "$i" -le "$2" ]; do
        w=calm; [ $((i % 10)) = 0 ] && w=alert
        echo "{\"title\":\"Story $i\",\"body\":\"Story number $i of the day: $w.\",\"url\":\"https://news.example.org/$i\"}"
        i=$((i + 1))
    done
}

# words SEED N [VOCAB [BREAK]]: N words "wK" (K below VOCAB, default
# 40000) drawn with SEED, a space between them and BREAK after every
# 20th (default a blank line; '\\n\\n' writes it escaped, for a JSON
# string).  The same arguments give the same text.
words() {
    awk -v seed="$1" -v n="$2" -v vocab="${3:-40000}" -v brk="${4:-\n\n}" \
        'BEGIN { srand(seed);
        for (i = 1; i <= n; i++)
            printf "w%d%s", int(rand() * vocab), (i % 20 == 0) ? brk : " " }'
}
