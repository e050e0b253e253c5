/** Where the documentation lives: each rule's page, linked from diagnostics and SARIF. */

export const REPOSITORY_URL = 'https://github.com/dependency-risk/dependency-risk';

/** The page that explains a rule: what it flags, why, how to fix it, and which settings tune it. */
export function ruleDocsUrl(ruleId: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${encodeURIComponent(ruleId)}.md`;
}

/** The package's page on the registry's website (npm's, for the public registry). */
export function packagePageUrl(name: string, version?: string): string {
  const path = name.split('/').map(encodeURIComponent).join('/');
  return `https://www.npmjs.com/package/${path}${version ? `/v/${encodeURIComponent(version)}` : ''}`;
}
