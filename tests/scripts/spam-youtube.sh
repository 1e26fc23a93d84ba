#!/bin/sh
# spam-youtube.sh -- spam detection quality on the YouTube comments in
# ../shared/data/youtube-spam (tests/spam/youtube_eval.py): the rules
# alone must reach precision >= 0.97, and rules + learner (trained on two
# videos, tested on the third, each way round) an average F1 >= 0.93.
# Skips when the data is absent.
bin=${NEWSGATE_BIN:?}
data=${NEWSGATE_SHARED:?}/youtube-spam
[ -d "$data" ] || { echo "skip: $data absent"; exit 77; }
python3 "$(dirname "$0")/../spam/youtube_eval.py" "$bin" "$data" \
    --rules rules --check
