# bash completion for newsgate                             -*- shell-script -*-
# Installed by `make install` as share/bash-completion/completions/newsgate.
# Completes commands, queue subcommands, every option of each command (as
# listed in its --help) and the values of --format, --color and --status.

_newsgate()
{
    local cur prev cmd sub i
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=${COMP_WORDS[1]}
    sub=${COMP_WORDS[2]}
    COMPREPLY=()

    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "check submit queue learn serve sources test lint replay stats rules help version -h --help -V --version" -- "$cur"))
        return 0
    fi
    case $prev in
        -f|--format) COMPREPLY=($(compgen -W "json text" -- "$cur")); return 0 ;;
        --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return 0 ;;
        -s|--status) COMPREPLY=($(compgen -W "accepted review rejected published" -- "$cur")); return 0 ;;
        -r|--rules) COMPREPLY=($(compgen -d -- "$cur")); return 0 ;;
        -d|--db) COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
        -l|--limit)
            [ "$cmd" = queue ] && return 0
            COMPREPLY=($(compgen -W "item= title= field= body= batch= images=" -- "$cur"))
            compopt -o nospace 2> /dev/null
            return 0 ;;
        -t|--deadline|--rule|--since|--by|--note|--reason|--lease|--submitter|--offset) return 0 ;;
    esac
    case $cmd in
        help)
            [ "$COMP_CWORD" -eq 2 ] &&
                COMPREPLY=($(compgen -W "check submit queue learn serve sources test lint replay stats rules" -- "$cur"))
            ;;
        check)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "-r --rules -f --format -d --db -l --limit -t --deadline --color -h --help" -- "$cur"))
            else
                COMPREPLY=($(compgen -f -- "$cur"))
            fi
            ;;
        submit)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "-d --db -r --rules -f --format -l --limit -t --deadline --color -h --help" -- "$cur"))
            else
                COMPREPLY=($(compgen -f -- "$cur"))
            fi
            ;;
        learn)
            if [ "$COMP_CWORD" -eq 2 ]; then
                COMPREPLY=($(compgen -W "spam ham --help" -- "$cur"))
            elif [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "-d --db -l --limit -h --help" -- "$cur"))
            else
                COMPREPLY=($(compgen -f -- "$cur"))
            fi
            ;;
        queue)
            if [ "$COMP_CWORD" -eq 2 ]; then
                COMPREPLY=($(compgen -W "list show approve reject claim ack release --help" -- "$cur"))
                return 0
            fi
            [[ $cur == -* ]] || return 0
            case $sub in
                list) i="-s --status --rule --since --limit --offset" ;;
                approve) i="-s --status --rule --submitter --since --limit --by --note --force" ;;
                reject) i="-s --status --rule --submitter --since --limit --by --note --reason --force --spam" ;;
                claim) i="--lease --by" ;;
                ack|release) i="--by" ;;
                *) i="" ;;
            esac
            COMPREPLY=($(compgen -W "$i -d --db -f --format --color -h --help" -- "$cur"))
            ;;
        sources|rules)
            if [ "$COMP_CWORD" -eq 2 ]; then
                [ "$cmd" = sources ] && i="add list remove" || i="list enable"
                COMPREPLY=($(compgen -W "$i --help" -- "$cur"))
                return 0
            fi
            ;&
        serve|test|lint|replay|stats)
            # Options as the command's own --help lists them.
            if [[ $cur == -* ]]; then
                i=$("${COMP_WORDS[0]}" "$cmd" --help 2>/dev/null |
                    grep -o -- ' --\?-[a-z][a-z-]*' | tr -d ' ' | sort -u)
                COMPREPLY=($(compgen -W "$i" -- "$cur"))
            else
                COMPREPLY=($(compgen -f -- "$cur"))
            fi
            ;;
    esac
    return 0
}
complete -F _newsgate newsgate
