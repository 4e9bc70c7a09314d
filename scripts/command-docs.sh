#!/usr/bin/env bash
# Writes docs/commands/: one page per command and subcommand, each holding that command's own
# `--help`, and README.md, an index with one line per command. CommandHelpTests fails when a page
# and the command's --help differ: after changing a command's options or help, run this and
# commit the pages.
#
#   bash scripts/command-docs.sh                 builds ocoptrace (debug) and uses it
#   bash scripts/command-docs.sh PATH/ocoptrace  uses that executable
set -euo pipefail
cd "$(dirname "$0")/.."

binary=${1:-}
if [ -z "$binary" ]; then
    swift build --product ocoptrace >&2
    binary=.build/debug/ocoptrace
fi
# Help is wrapped to the terminal's width: the pages and the test use 80 columns.
export COLUMNS=80
out=docs/commands
mkdir -p "$out"
rm -f "$out"/*.md

# The names in a help text's SUBCOMMANDS section, one a line (not `help`, which every command has).
subcommands() {
    awk '/^SUBCOMMANDS:/ { on = 1; next } on && /^[^ ]/ { on = 0 } on && /^  [a-z]/ { print $1 }' | grep -vx help || true
}

# The OVERVIEW paragraph of a help text, on one line.
overview() {
    awk '/^OVERVIEW: / { sub(/^OVERVIEW: /, ""); text = $0; on = 1; next }
         on && /^$/ { exit }
         on { sub(/^ +/, ""); text = text " " $0 }
         END { print text }'
}

# The page of a command: `ocoptrace` itself is ocoptrace.md, `keys generate` keys-generate.md.
page() { if [ -z "$1" ]; then echo ocoptrace.md; else echo "${1// /-}.md"; fi; }

index="$out/README.md"
cat > "$index" <<'EOF'
# Commands

One page per command, each holding the command's own `--help`: written by
`scripts/command-docs.sh`, and checked by a test, so a page never says other than the command.
What each command does and why, with its files and reports, is in [commands.md](../commands.md);
the other pages are listed in [docs/README.md](../README.md).

EOF

document() {
    local command=$1 name file help
    name="ocoptrace${command:+ $command}"
    file=$(page "$command")
    # shellcheck disable=SC2086 # the command's words are meant to be split
    help=$("$binary" $command --help; echo x)
    help=${help%x}
    {
        printf '# `%s`\n\n' "$name"
        printf '%s\n\n' "$(printf '%s' "$help" | overview)"
        printf 'This is `%s --help`, written by `scripts/command-docs.sh`.\n\n' "$name"
        printf '```text\n%s```\n' "$help"
    } > "$out/$file"
    printf -- '- [`%s`](%s): %s\n' "$name" "$file" "$(printf '%s' "$help" | overview)" >> "$index"
    local sub
    for sub in $(printf '%s' "$help" | subcommands); do
        document "${command:+$command }$sub"
    done
}

document ""
echo "wrote $(ls "$out" | wc -l) pages into $out" >&2
