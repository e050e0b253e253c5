import { policyWeakened } from '../../../../src/core/review/rules/policy-weakened';
import { change, config, configInput, reviewRuleTable } from './helpers';

const KEEP = "This review keeps the base revision's policy; once merged, the new one applies to every later install.";
const age = (days: number, origin = '.npmrc min-release-age') => ({ minReleaseAge: { days, origin } });
const evil = change('upgraded', 'evil', '1.2.3', '1.2.5');

reviewRuleTable(policyWeakened, {
  valid: [
    { name: 'the gate raised', input: configInput(config(age(3)), config(age(7))) },
    { name: 'an explicit 7 days removed: the 7-day default still applies', input: configInput(config(age(7)), config()) },
    { name: 'an exclusion removed', input: configInput(config({ minReleaseAgeExclude: ['a'] }), config()) },
    { name: 'an approval turned into a denial', input: configInput(config({ allowScripts: { esbuild: true } }), config({ allowScripts: { esbuild: false } })) },
    { name: 'a new project (nothing to compare)', input: configInput(undefined, config(age(0))) },
  ],
  invalid: [
    {
      name: 'the gate lowered while the change brings in a version',
      input: configInput(config(age(7)), config(age(1)), { changes: [evil] }),
      expected: [
        {
          rule: 'policy-weakened',
          severity: 'error',
          package: '.npmrc',
          version: '',
          message: `.npmrc: the minimum release age goes from 7 days to 1 day in the same change that brings in 1 new version. ${KEEP} Keep the waiting period unless the project decided otherwise.`,
          evidence: { setting: '.npmrc min-release-age', before: 7, after: 1 },
        },
      ],
    },
    {
      name: 'the gate set below the default, with no package change',
      input: configInput(config(), config(age(2, 'pnpm-workspace.yaml minimumReleaseAge (2880 minutes)'))),
      expected: [
        {
          rule: 'policy-weakened',
          severity: 'warning',
          package: 'pnpm-workspace.yaml',
          version: '',
          message: `pnpm-workspace.yaml: the minimum release age goes from the 7 days default to 2 days. ${KEEP} Keep the waiting period unless the project decided otherwise.`,
          evidence: { setting: 'pnpm-workspace.yaml minimumReleaseAge (2880 minutes)', before: null, after: 2 },
        },
      ],
    },
    {
      name: 'an exclusion added together with the version it exempts: one thing',
      input: configInput(config(), config({ minReleaseAgeExclude: ['evil@1.2.5'], minReleaseAgeExcludeOrigin: 'pnpm-workspace.yaml minimumReleaseAgeExclude' }), { changes: [evil] }),
      expected: [
        {
          rule: 'policy-weakened',
          severity: 'error',
          package: 'evil',
          version: '1.2.5',
          message: `pnpm-workspace.yaml: a new release-age exclusion "evil@1.2.5" lets evil@1.2.5 skip the waiting period, which this same change brings in: the change exempts its own packages from the waiting period. ${KEEP}`,
          evidence: { setting: 'pnpm-workspace.yaml minimumReleaseAgeExclude', pattern: 'evil@1.2.5' },
        },
      ],
    },
    {
      name: 'a script approval added for a future version',
      input: configInput(config(), config({ allowScripts: { esbuild: true }, allowScriptsOrigin: 'package.json allowScripts' }), { changes: [evil] }),
      expected: [
        {
          rule: 'policy-weakened',
          severity: 'warning',
          package: 'package.json',
          version: '',
          message: `package.json: the change approves the install scripts of "esbuild". ${KEEP} Read the scripts before approving them.`,
          evidence: { setting: 'package.json allowScripts', approval: 'esbuild' },
        },
      ],
    },
    {
      name: 'the registry moved',
      input: configInput(config(), config({ registry: 'https://npm.evil.example/' })),
      expected: [
        {
          rule: 'policy-weakened',
          severity: 'warning',
          package: '.npmrc',
          version: '',
          message:
            '.npmrc: registry changes from https://registry.npmjs.org/ to https://npm.evil.example/: packages would come from another server. ' +
            "This review asked the base revision's registry, never the new one, and sent no credentials there; make sure the new registry is the project's own.",
          evidence: { setting: 'registry', before: 'https://registry.npmjs.org/', after: 'https://npm.evil.example/' },
        },
      ],
    },
    {
      name: "pnpm's trustPolicy turned off",
      input: configInput(config({ trustPolicy: 'no-downgrade' }), config(), { dir: 'apps/web' }),
      expected: [
        {
          rule: 'policy-weakened',
          severity: 'warning',
          package: 'apps/web/pnpm-workspace.yaml',
          version: '',
          message: `apps/web/pnpm-workspace.yaml: the change turns off pnpm's trustPolicy (no-downgrade), so pnpm will install versions with weaker trust evidence than earlier ones. ${KEEP}`,
          evidence: { setting: 'trustPolicy', before: 'no-downgrade' },
        },
      ],
    },
  ],
});
