/** Renders a version summary for the hover as parts: our own Markdown, and registry text that can only ever show as text or code. */

import semver from 'semver';
import { packagePageUrl } from '../core/docs';
import { formatAge } from '../core/format';
import type { VersionSummary } from '../core/summary';

/**
 * One piece of a hover. `markdown` is syntax this module writes itself and never holds text from a
 * package; `text` and `code` may hold anything a publisher wrote and are rendered inert by
 * `partToMarkdown`.
 */
export type HoverPart =
  | { readonly kind: 'markdown'; readonly value: string }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'code'; readonly value: string; readonly language: string };

const markdown = (value: string): HoverPart => ({ kind: 'markdown', value });
const text = (value: string): HoverPart => ({ kind: 'text', value });

/**
 * The hover for one dependency: name and version, publish age, newest version, install scripts,
 * publisher, provenance, deprecation and a link to the package page. Every value from the registry
 * or the lockfile (names, versions, script text, publishers, repository, deprecation) is a `text` or
 * `code` part. Pure: `now` is the clock.
 */
export function renderHover(s: VersionSummary, declaredRange: string | undefined, locked: boolean, now: Date): HoverPart[] {
  const age = (iso?: string) => (iso ? `${formatAge(now.getTime() - Date.parse(iso))} (${iso.slice(0, 16).replace('T', ' ')} UTC)` : 'unknown');
  const parts: HoverPart[] = [markdown('**'), text(`${s.name} ${s.version}`), markdown('**')];
  parts.push(text(locked ? ' (locked)' : declaredRange === s.version ? ' (pinned)' : ' (newest admitted; no lockfile entry)'), markdown('\n\n'));
  const line = (label: string, value: string) => parts.push(markdown(`${label}: `), text(value), markdown('  \n'));
  line('Published', s.present ? age(s.publishedAt) : `removed from the registry${s.publishedAt ? `; was published ${age(s.publishedAt)}` : ''}`);
  if (s.latest && s.latest.version !== s.version) line('Newest', `${s.latest.version}, ${age(s.latest.publishedAt)}`);
  if (s.installScripts && Object.keys(s.installScripts).length > 0) {
    line('Install scripts', describeScriptChange(s));
    parts.push({ kind: 'code', language: 'sh', value: Object.entries(s.installScripts).map(([hook, command]) => `${hook}: ${command}`).join('\n') });
  } else if (s.installScripts) {
    line('Install scripts', 'none');
  }
  if (s.publisher) {
    const known = s.publisherPublishedBefore === undefined ? '' : s.publisherPublishedBefore ? ', who published earlier versions' : ', who had not published this package before';
    line('Published by', `${s.publisher}${s.trustedPublisher ? ` (trusted publisher: ${s.trustedPublisher})` : ''}${known}`);
  }
  if (s.trust) line('Provenance', s.trust === 'none' ? 'none' : `${s.trust.replace('-', ' ')}${s.repository ? ` from ${s.repository}` : ''}`);
  if (s.deprecated) line('Deprecated', s.deprecated);
  // The link is ours: a version goes into it only when it is plain semver (the lockfile may say anything).
  const name = s.name.replace(LONE_SURROGATE, '\ufffd'); // encodeURIComponent throws on one
  parts.push(markdown(`\n[View on npm](${linkTarget(packagePageUrl(name, semver.valid(s.version) ?? undefined))})`));
  return parts;
}

/**
 * One line per content finding of the hovered version ("Contents (contents-obfuscated): …"): the
 * message's first sentence, as text, since it quotes file names and scripts from the package.
 */
export function renderContentLines(findings: readonly { readonly rule: string; readonly message: string }[]): HoverPart[] {
  return findings.flatMap((finding) => {
    const first = /^.*?[.!?](?=\s|$)/s.exec(finding.message)?.[0] ?? finding.message;
    return [markdown(`Contents (\`${finding.rule}\`): `), text(first.length > 300 ? `${first.slice(0, 299)}…` : first), markdown('  \n')];
  });
}

/**
 * The Markdown for one part. `markdown` is used as is. `text` has every character that can start
 * Markdown syntax backslash-escaped (CommonMark then renders it literally): no emphasis, code span,
 * link, image, HTML, entity, heading, list, table or setext underline can form, and neither can GFM's
 * autolinks (`https://…`, `www.…`, `a@b.c`), since `/` and `.` are escaped. VS Code's `appendText`
 * leaves those autolinks live and entities (`&#x202e;`) decoding. `code` is fenced with
 * more backticks than any run inside it, so no line can close the block early: VS Code's
 * `appendCodeblock` counts only backticks at the very start of a line, but a closing fence may be
 * indented by up to three spaces (CommonMark 4.5). Controls and bidirectional overrides, which could
 * hide or reorder what the hover shows, become visible `\u` escapes in both.
 */
export function partToMarkdown(part: HoverPart): string {
  switch (part.kind) {
    case 'markdown':
      return part.value;
    case 'text':
      return visible(part.value)
        .replace(MARKDOWN_SYNTAX, '\\$&')
        .replace(/\r\n?|\n/g, '  \n');
    case 'code': {
      const code = visible(part.value.replace(/\r\n?/g, '\n'));
      const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
      const fence = '`'.repeat(Math.max(3, longest + 1));
      return `\n${fence}${part.language}\n${code}\n${fence}\n`;
    }
  }
}

/** What `text` parts escape: VS Code's own set, plus `&` (entities), `=` (setext headings) and `/` (autolinks). */
const MARKDOWN_SYNTAX = /[\\`*_{}[\]()#+\-.!~|<>&=/]/g;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// C0 controls but tab and line feed, DEL, C1 controls, zero-width and bidi controls, line/paragraph separators, lone surrogates.
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function visible(value: string): string {
  return value.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A URL as a Markdown link destination: characters that could end it or break out of it are percent-encoded. */
function linkTarget(url: string): string {
  return url.replace(/[()<>\s\\`[\]"']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** "since 5.0.1 (changed then)", "added in 4.1.2": when the scripts took their present form, and how. */
function describeScriptChange(s: VersionSummary): string {
  const when = s.installScriptsSince ?? s.version;
  if (s.installScriptsChange === 'first') return `since the first release, ${when}`;
  const how = s.installScriptsChange === 'changed' ? 'changed' : 'added';
  return when === s.version ? `${how} in ${when}` : `since ${when} (${how} then)`;
}
