# Shared by the walkthroughs: sourced, never run on its own.
#
# Each walkthrough takes a case from `wbcr init` to `closed` with wbcr commands only. What arrives from
# outside (the referral, an agency's chronology) is written to a scratch folder outside the register,
# as it would arrive by secure email; no record in the register is ever edited by hand.
#
#   on DATE     -- time moves on: every later command runs as of DATE (WBCR_TODAY), and a command's
#                  --on defaults to it
#   w ARGS...   -- run `wbcr ARGS...` in the register, showing the command as a user would type it
#   render ...  -- `wbcr render ...` and print the path of the document written
#   at STAGE    -- stop unless the case is at STAGE (the walkthrough checks itself as it goes)

set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 NEW-REGISTER-FOLDER" >&2
    exit 2
fi
REGISTER=$1
if [ -e "$REGISTER" ] && [ -n "$(ls -A "$REGISTER" 2>/dev/null)" ]; then
    echo "$REGISTER exists and is not empty: give a new folder" >&2
    exit 2
fi
mkdir -p "$REGISTER"
REGISTER=$(cd "$REGISTER" && pwd)
INCOMING=$(mktemp -d "${TMPDIR:-/tmp}/wbcr-incoming.XXXXXX")
trap 'rm -rf "$INCOMING"' EXIT

on() {
    export WBCR_TODAY=$1
    printf '\n# %s\n' "$1"
}

w() {
    printf '$ wbcr'
    printf ' %q' "$@"
    printf '\n'
    (cd "$REGISTER" && wbcr "$@")
}

render() {
    w render "$@"
}

at() {
    local stage
    stage=$(cd "$REGISTER" && wbcr show "$REF" --format json | sed -n 's/^  "stage": "\(.*\)",$/\1/p')
    if [ "$stage" != "$1" ]; then
        echo "walkthrough: $REF is at $stage, expected $1" >&2
        exit 1
    fi
}

# `refer_from FILE`: register the referral and set REF to the reference wbcr allocated
refer_from() {
    printf '$ wbcr refer --from %q\n' "$1"
    local out
    if ! out=$(cd "$REGISTER" && wbcr refer --from "$1"); then
        printf '%s\n' "$out"
        exit 1
    fi
    REF=$(printf '%s\n' "$out" | tail -n 1)
    echo "$REF"
}
