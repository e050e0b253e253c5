/** What a user sees on test/fixtures/projects/risky-app/package.json when its registry serves the shifted fixture packuments. */

import { rangeIn, type SeenDiagnostic } from './diagnostics';

/** Each rule's page, as diagnostics link it. */
export const ruleDocsUrl = (rule: string) => `https://github.com/dependency-risk/dependency-risk/blob/main/docs/rules/${rule}.md`;

const WAIT = 'Wait until it is 7 days old or stay on the version you had: hijacked releases are usually found and removed within days.';

/** A finding as package.json shows it; `via` names the direct dependency that brings a transitive package in. */
export interface RiskyAppFinding {
  readonly package: string;
  readonly version: string;
  readonly via?: string;
  readonly rule: string;
  readonly severity: SeenDiagnostic['severity'];
  readonly message: string;
}

/** Each finding of the fixture, in the words the core gives it (see the packuments' README for why each fires). */
export const RISKY_APP_FINDINGS: readonly RiskyAppFinding[] = [
  {
    package: 'evil-patch', version: '4.1.2', via: 'app-framework', rule: 'fresh-release', severity: 'warning',
    message: `evil-patch@4.1.2 was published 3 h ago (policy: 7 days). ${WAIT}`,
  },
  {
    package: 'evil-patch', version: '4.1.2', via: 'app-framework', rule: 'install-script-added', severity: 'error',
    message: 'evil-patch@4.1.2 adds a postinstall script ("node bundle.js") that 4.1.1 did not have, in a patch release. npm runs it on every install, which is how most hijacked releases steal credentials: read the script before installing, or stay on 4.1.1.',
  },
  {
    package: 'new-publisher', version: '2.1.1', rule: 'maintainer-added', severity: 'info',
    message: 'new-publisher@2.1.1 lists a new maintainer, "mallory", who was not listed when 2.1.0 was published. Check that the change is expected (release notes, the repository) before relying on this version; a takeover often starts by adding a maintainer.',
  },
  {
    package: 'new-publisher', version: '2.1.1', rule: 'publisher-changed', severity: 'warning',
    message: 'new-publisher@2.1.1 was published by "mallory", who published none of its 3 earlier versions (recent publishers: carol and dave). A new publisher can mean a hijacked account or token: check the release against the repository and its announcements before installing it.',
  },
  {
    package: 'lost-provenance', version: '3.1.2', rule: 'fresh-release', severity: 'warning',
    message: `lost-provenance@3.1.2 was published 24 h ago (policy: 7 days). ${WAIT}`,
  },
  {
    package: 'lost-provenance', version: '3.1.2', rule: 'provenance-dropped', severity: 'warning',
    message: 'lost-provenance@3.1.2 was published with no provenance, but 3.1.1, published before it, had trusted publishing with provenance. A release that skips the usual publishing pipeline can mean a stolen token: check it against the repository and its CI runs before installing, or stay on 3.1.1.',
  },
  {
    package: 'old-deprecated', version: '1.0.0', rule: 'deprecated', severity: 'info',
    message: 'old-deprecated@1.0.0 is marked deprecated in the registry: "1.0.0 corrupts files on Windows; upgrade to 1.0.1". Move to a version that is not deprecated; the note may say which, or why.',
  },
  {
    // 123 ms short of 6 h at the fixtures' clock (the CLI says "5 h"); a minute older here, see helpers/registry.ts.
    package: 'mirror-style', version: '1.1.0', rule: 'fresh-release', severity: 'warning',
    message: `mirror-style@1.1.0 was published 6 h ago (policy: 7 days). ${WAIT}`,
  },
  {
    package: 'native-addon', version: '5.1.0', rule: 'install-script-changed', severity: 'warning',
    message: 'native-addon@5.1.0 changes the install script since 5.0.1, in a minor release. Read the new command and what it runs before installing, or stay on 5.0.1; a changed install script is a common way to slip malware into a trusted package.',
  },
];

/**
 * The diagnostics on package.json: each on the version string (quotes included) of the dependency
 * that brings the package in, linked to the package's entry in the lockfile.
 */
export function expectedManifestDiagnostics(
  texts: { manifest: string; lockfile: string; lockfilePath: string },
  findings: readonly RiskyAppFinding[] = RISKY_APP_FINDINGS,
): SeenDiagnostic[] {
  return findings
    .map((f) => {
      const declared = f.via ?? f.package;
      const spec = specOf(texts.manifest, declared);
      return {
        range: rangeIn(texts.manifest, spec, `"${declared}"`),
        severity: f.severity,
        message: f.via ? `brings in ${f.package} ${f.version} (via ${f.via} > ${f.package}): ${f.message}` : f.message,
        code: { value: f.rule, target: ruleDocsUrl(f.rule) },
        related: [{ file: texts.lockfilePath, range: rangeIn(texts.lockfile, `"node_modules/${f.package}"`), message: `${f.package}@${f.version} in package-lock.json` }],
      };
    })
    .sort((a, b) => a.range[0] - b.range[0] || a.code.value.localeCompare(b.code.value));
}

/** The diagnostics on the lockfile while it is open: each finding on its package's entry, in the core's own words. */
export function expectedLockfileDiagnostics(lockfile: string, findings: readonly RiskyAppFinding[] = RISKY_APP_FINDINGS): SeenDiagnostic[] {
  return findings
    .map((f) => ({
      range: rangeIn(lockfile, `"node_modules/${f.package}"`),
      severity: f.severity,
      message: f.message,
      code: { value: f.rule, target: ruleDocsUrl(f.rule) },
    }))
    .sort((a, b) => a.range[0] - b.range[0] || a.code.value.localeCompare(b.code.value));
}

/** `"^3.0.0"`: a dependency's version string in package.json, quotes included. */
export function specOf(manifest: string, name: string): string {
  const match = new RegExp(`"${name}": ("[^"]*")`).exec(manifest);
  if (!match?.[1]) throw new Error(`${name} is not declared in package.json`);
  return match[1];
}
