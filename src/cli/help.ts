/** The `--help` text: commands, options, environment and exit codes. */

export const HELP_TEXT = `Usage: dependency-risk audit [folder] [options]
       dependency-risk diff [folder] --base <ref> [--head <ref> | --staged | --worktree] [options]
       dependency-risk inspect <name>@<version> [--against <version>] [options]

Flags risky npm dependency versions before they are installed: fresh releases,
new or changed install scripts, and publisher, maintainer or provenance changes.

Commands:
  audit [folder]        Audit the folder's package.json and lockfile (default: .)
  diff [folder]         Review what a change does to the dependencies: packages
                        added, removed, upgraded, downgraded or re-sourced in each
                        lockfile, the rules on what is new, tampering and policy
                        changes. --base <ref> alone compares the merge base of <ref>
                        and HEAD with HEAD (a pull request); --head <ref> compares
                        <ref> itself; --staged the index, --worktree the working
                        tree with HEAD (or --base). Reads git; runs nothing.
  inspect <name>@<version>
                        Compare the version's published tarball with the release
                        it followed (or --against <version>): files added, removed
                        and grown, what install scripts run, content findings.
                        Tarballs are read in memory, never extracted or run.

Options:
  --format <format>     text (default), json or sarif (inspect: text or json;
                        diff: also markdown)
  --fail-on <level>     error (default), warning or never: the severity that makes
                        the exit code 1
  --now <date>          Evaluate as of this ISO 8601 date, e.g. 2025-08-04 or
                        2025-08-04T04:18:16Z (a time without a zone is UTC)
  --min-age <days>      Minimum release age in days (default: .npmrc
                        min-release-age, else 7)
  --registry <url>      Registry URL (default: from .npmrc, else the npm registry)
  --offline             Use only cached registry data; never touch the network
  --refresh             Ignore cached registry data and ask the registry again
  --include <kinds>     Comma-separated dependency kinds to check:
                        prod,dev,optional,peer (default: all)
  --fix                 Include fix plans (the version to pin to) in the report
  --contents[=all]      Also inspect the published contents of every version
                        another rule flags (=all: of every direct dependency);
                        diff: against the version each change replaces
  --against <version>   inspect: the version to compare with
  --base <ref>          diff: the revision the change starts from
  --head <ref>          diff: the revision the change ends at (default: HEAD)
  --staged, --worktree  diff: compare with the index or the working tree
  --color, --no-color   Force colour on or off (default: off when NO_COLOR is set,
                        on when FORCE_COLOR is set, else on for a terminal)
  -h, --help            Show this help
  --version             Show the version

The report goes to stdout; progress, warnings and errors go to stderr, so
\`--format json > report.json\` always writes valid JSON.

Environment:
  DEPENDENCY_RISK_CACHE_DIR  Cache folder (default: the platform's user cache
                             folder, e.g. ~/.cache/dependency-risk)
  NO_COLOR, FORCE_COLOR      Colour, as above
  CI                         When set, no progress line is drawn

Exit codes:
  0    No finding reaches --fail-on
  1    At least one finding reaches --fail-on
  2    Usage or configuration error, a fatal audit error (such as a folder
       without package.json, or for diff a revision a shallow clone lacks),
       or an internal error
  3    diff: nothing reaches --fail-on, but the review is incomplete (a lockfile
       could not be read or the registry did not answer for a new package)
  130  Interrupted
`;
