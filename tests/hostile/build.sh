#!/usr/bin/env bash
# Builds a hostile catalogue from an ordinary one, so each attack of issue 15 can be tried by
# hand (and the next attack is one function away):
#
#   tests/hostile/build.sh ATTACK ORDINARY.db OUT.db [ARG]
#
# OUT.db is a copy of ORDINARY.db (with its evidence store, OUT.db-evidence) with ATTACK
# planted. Attacks in SQL are the files beside this script, NAME.sql, which the tests in
# tests/cli/hostile.rs plant too; the others are functions below. `build.sh list` lists them.
# Made for a catalogue like the tests' colleague: findings in Gerbera, Lancet and Orlan-10,
# each citing a photo in the evidence store.
#
# Needs the sqlite3 command-line shell. Never run comptrace with --db on a file this built
# unless you mean to test it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() { echo "build.sh: $*" >&2; exit 2; }

# OUT as a consistent copy of ORDINARY (its write-ahead log included) and of its store.
copy() {
    local from="$1" to="$2"
    [[ -e "$to" ]] && die "$to exists; name a new file"
    sqlite3 "$from" ".backup '$to'"
    if [[ -d "$from-evidence" ]]; then cp -a "$from-evidence" "$to-evidence"; fi
}

# Runs SQL on OUT with foreign keys off, as a hand edit would, stopping at the first error.
run_sql() {
    local db="$1"
    { echo ".bail on"; echo "PRAGMA foreign_keys = OFF;"; cat; } | sqlite3 "$db"
}

# The hash of the photo cited by the finding in weapon $2.
hash_of() {
    sqlite3 "$1" "SELECT s.sha256 FROM source s JOIN observation_source x ON x.source_id = s.id
                  JOIN observation o ON o.id = x.observation_id
                  JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id WHERE ws.text = '$2'"
}

# Item 2: the Gerbera photo in the store replaced by a symbolic link to a private file
# (ARG, default ~/.ssh/id_ed25519 as a name only: nothing is read here).
attack_symlink_evidence() {
    local db="$1" target="${2:-$HOME/.ssh/id_ed25519}"
    local file="$db-evidence/$(hash_of "$db" Gerbera)"
    rm -f "$file"
    ln -s "$target" "$file"
}

# Item 2: the Lancet photo in the store replaced by other content under the same name.
attack_swapped_evidence() {
    local db="$1"
    local file="$db-evidence/$(hash_of "$db" Lancet)"
    chmod u+w "$file"
    printf 'not the photo its name promises' > "$file"
}

# Item 1 bis: a store entry that is a symbolic link to /dev/zero (`check` once hashed it forever).
attack_store_link_to_dev_zero() {
    attack_symlink_evidence "$1" /dev/zero
}

# Item 3: the spelling of STMicroelectronics given the key ARG (say the key comptrace gives
# "Murata Manufacturing Co., Ltd."), so a reader that copies keys sends that maker here.
attack_planted_spelling_key() {
    local db="$1" key="${2:?give the key to plant}"
    run_sql "$db" <<SQL
UPDATE organisation_spelling SET key = '${key//\'/\'\'}' WHERE text = 'STMicroelectronics';
SQL
}

attacks() {
    for f in "$here"/*.sql; do basename "$f" .sql; done
    declare -F | sed -n 's/^declare -f attack_//p'
}

main() {
    [[ "${1:-}" == list ]] && { attacks; exit 0; }
    [[ $# -ge 3 ]] || die "usage: build.sh ATTACK ORDINARY.db OUT.db [ARG]; build.sh list"
    local attack="$1" from="$2" to="$3"
    shift 3
    if [[ -f "$here/$attack.sql" ]]; then
        copy "$from" "$to"
        run_sql "$to" < "$here/$attack.sql"
    elif declare -F "attack_$attack" > /dev/null; then
        copy "$from" "$to"
        "attack_$attack" "$to" "$@"
    else
        die "no attack $attack (build.sh list)"
    fi
    echo "$to: $attack planted" >&2
}

main "$@"
