// Binding coverage of s3-paths exports by the IAM policies of real-world shaped binding files.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverBinding, parsePolicy, s3BindingCoverage } from '@blue/core';
import { verifies } from '@blue/testkit';

const FIXTURE_STACK = readFileSync(new URL('../../../fixtures/fungal-image-analysis/cdk/training_tools_access_stack.py', import.meta.url), 'utf8');
const RFC_VALUE = {
  read: ['jobs/*/*/config.json', 'jobs/*/*/manifest.json', 'jobs/*/masks/*', 'training-metrics/*', 'training-runs/*'],
  write: ['jobs/*/*/manifest.json', 'training-metrics/*'],
};
const BUCKET = 'cultivarium-fungal';

const TERRAFORM_DOCUMENT = `
data "aws_iam_policy_document" "harbor" {
  statement {
    sid     = "ReadManifests"
    effect  = "Allow"
    actions = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = [
      "arn:aws:s3:::harbor-data/manifests/*",
      "\${aws_s3_bucket.data.arn}/exports/*", # resolved at apply time
    ]
  }
  statement {
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::harbor-data"]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["manifests/*"]
    }
  }
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::harbor-data/manifests/secret/*"]
  }
}
`;

const TERRAFORM_JSONENCODE = `
locals {
  bucket = "harbor-data"
}

resource "aws_iam_policy" "writer" {
  name   = "writer"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:PutObject"]
        Resource = "arn:aws:s3:::\${local.bucket}/uploads/*"
      },
    ]
  })
}

resource "aws_iam_policy" "reader" {
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [{ "Effect": "Allow", "Action": "s3:Get*", "Resource": ["arn:aws:s3:::harbor-data/reports/*"] }]
    }
  EOF
}
`;

const IAM_JSON = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Everything', Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::cultivarium-fungal/*' },
    { Sid: 'NoMasks', Effect: 'Deny', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::cultivarium-fungal/jobs/*/masks/*' },
  ],
}, null, 2);

const CDK_TYPESCRIPT = `
import * as iam from 'aws-cdk-lib/aws-iam';

const BUCKET_ARN = 'arn:aws:s3:::cultivarium-fungal';
const READ_PATHS: string[] = [\`\${BUCKET_ARN}/jobs/*\`, \`\${BUCKET_ARN}/training-runs/*\`];
const WRITE_PATHS = [...READ_PATHS.slice(0, 0), \`\${BUCKET_ARN}/training-metrics/*\`] as const;

export function grant(role: iam.Role): void {
  role.addToPolicy(new iam.PolicyStatement({ sid: 'Read', actions: ['s3:GetObject'], resources: [...READ_PATHS, \`\${BUCKET_ARN}/training-metrics/*\`] }));
  role.addToPolicy(new iam.PolicyStatement({
    sid: 'Write',
    effect: iam.Effect.ALLOW,
    actions: ['s3:PutObject'],
    resources: [\`\${BUCKET_ARN}/jobs/*/*/manifest.json\`, \`\${BUCKET_ARN}/training-metrics/*\`],
  }));
  role.addToPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:GetObject'], resources: [\`\${BUCKET_ARN}/training-runs/private/*\`] }));
}
`;

describe('s3-paths coverage by the policy of the binding', () => {
  verifies(['binding-iam-matching', 'binding-policy-formats'], "the RFC's CDK stack (Python) covers training-metrics/experiments/* through training-metrics/*", () => {
    const value = { read: [...RFC_VALUE.read, 'training-metrics/experiments/*'], write: [...RFC_VALUE.write, 'training-metrics/experiments/*'] };
    const result = coverBinding({ kind: 's3-paths', value, bucket: BUCKET, path: 'cdk/training_tools_access_stack.py', text: FIXTURE_STACK });
    expect(result).toMatchObject({ coverage: 'policy', format: 'cdk-python', missing: [], unused: [], notes: [] });
    expect(result.values.filter((v) => v.value === 'training-metrics/experiments/*')).toEqual([
      { value: 'training-metrics/experiments/*', access: 'read', covered: true, covered_by: 'arn:aws:s3:::cultivarium-fungal/training-metrics/*', statement: 'ReadTrainingData' },
      { value: 'training-metrics/experiments/*', access: 'write', covered: true, covered_by: 'arn:aws:s3:::cultivarium-fungal/training-metrics/*', statement: 'WriteResults' },
    ]);
  });

  verifies('binding-access-checked', 'a path granted only for reading is missing for writing, with the reason', () => {
    const value = { read: RFC_VALUE.read, write: [...RFC_VALUE.write, 'training-runs/*'] };
    const result = s3BindingCoverage({ value, bucket: BUCKET, path: 'cdk/training_tools_access_stack.py', text: FIXTURE_STACK });
    expect(result.missing).toEqual(['training-runs/*']);
    expect(result.values.find((v) => !v.covered)).toEqual({
      value: 'training-runs/*',
      access: 'write',
      covered: false,
      reason: 'arn:aws:s3:::cultivarium-fungal/training-runs/* is granted by ReadTrainingData only for s3:GetObject, s3:HeadObject; writing needs s3:PutObject',
    });
  });

  verifies(['binding-policy-formats', 'binding-access-checked'], 'Terraform policy documents: statement blocks, conditions not counted, Deny subtracts, interpolations noted', () => {
    const value = { read: ['manifests/2026/*.json', 'manifests/*.json', 'exports/*'], write: [] };
    const result = s3BindingCoverage({ value, bucket: 'harbor-data', path: 'iam.tf', text: TERRAFORM_DOCUMENT });
    expect(result.format).toBe('terraform');
    expect(result.values).toEqual([
      { value: 'manifests/2026/*.json', access: 'read', covered: true, covered_by: 'arn:aws:s3:::harbor-data/manifests/*', statement: 'ReadManifests' },
      // manifests/secret/x.json is one of its keys: the Deny takes it away.
      { value: 'manifests/*.json', access: 'read', covered: false, reason: 'statement 3 denies s3:GetObject on arn:aws:s3:::harbor-data/manifests/secret/*' },
      // The interpolated resource is not resolved: the value counts because the file mentions it.
      { value: 'exports/*', access: 'read', covered: true, textual: true },
    ]);
    expect(result.notes).toEqual([
      'ReadManifests: Blue could not resolve the interpolation ${aws_s3_bucket.data.arn}.',
      'Some values count as granted only because the binding mentions them: Blue could not resolve every resource of its statements.',
    ]);
  });

  verifies('binding-policy-formats', 'Terraform aws_iam_policy: jsonencode with locals, and a JSON heredoc', () => {
    const value = { read: ['reports/*/report.html'], write: ['uploads/2026/a.csv'] };
    const result = s3BindingCoverage({ value, bucket: 'harbor-data', path: 'policies.tf', text: TERRAFORM_JSONENCODE });
    expect(result.values.map((v) => [v.value, v.covered_by])).toEqual([
      ['reports/*/report.html', 'arn:aws:s3:::harbor-data/reports/*'],
      ['uploads/2026/a.csv', 'arn:aws:s3:::harbor-data/uploads/*'],
    ]);
  });

  verifies(['binding-policy-formats', 'binding-access-checked'], 'IAM policy JSON: s3:* grants both, a Deny of writes takes the masks away', () => {
    const result = s3BindingCoverage({ value: RFC_VALUE, bucket: BUCKET, path: 'policy.json', text: IAM_JSON });
    expect(result.format).toBe('iam-json');
    // jobs/x/masks/manifest.json is both a manifest and a mask: the Deny takes part of the pattern away.
    expect(result.missing).toEqual(['jobs/*/*/manifest.json']);
    const masks = s3BindingCoverage({ value: { read: ['jobs/*/masks/*'], write: ['jobs/*'] }, bucket: BUCKET, path: 'policy.json', text: IAM_JSON });
    expect(masks.values).toEqual([
      { value: 'jobs/*/masks/*', access: 'read', covered: true, covered_by: 'arn:aws:s3:::cultivarium-fungal/*', statement: 'Everything' },
      { value: 'jobs/*', access: 'write', covered: false, reason: 'NoMasks denies s3:PutObject on arn:aws:s3:::cultivarium-fungal/jobs/*/masks/*' },
    ]);
  });

  verifies('binding-policy-formats', 'CDK TypeScript: template literals, const arrays, spreads, Effect.DENY', () => {
    const value = { read: ['jobs/*/masks/*', 'training-runs/private/x'], write: ['jobs/*/*/manifest.json', 'training-metrics/experiments/*'] };
    const result = s3BindingCoverage({ value, bucket: BUCKET, path: 'lib/access.ts', text: CDK_TYPESCRIPT });
    expect(result.format).toBe('cdk-typescript');
    expect(result.values.map((v) => [v.value, v.access, v.covered_by ?? v.reason])).toEqual([
      ['jobs/*/masks/*', 'read', 'arn:aws:s3:::cultivarium-fungal/jobs/*'],
      ['training-runs/private/x', 'read', 'statement 3 denies s3:GetObject on arn:aws:s3:::cultivarium-fungal/training-runs/private/*'],
      ['jobs/*/*/manifest.json', 'write', 'arn:aws:s3:::cultivarium-fungal/jobs/*/*/manifest.json'],
      ['training-metrics/experiments/*', 'write', 'arn:aws:s3:::cultivarium-fungal/training-metrics/*'],
    ]);
  });

  verifies('binding-policy-formats', 'a plain list of ARNs covers by resource, with a note that access is not told apart', () => {
    const text = 'PATHS = [\n  "arn:aws:s3:::cultivarium-fungal/jobs/*",\n  "arn:aws:s3:::cultivarium-fungal/training-*",\n]\n';
    const result = s3BindingCoverage({ value: RFC_VALUE, bucket: BUCKET, path: 'paths.py', text });
    expect(result).toMatchObject({ coverage: 'policy', format: 'arn-list', missing: [], notes: ['paths.py lists S3 ARNs without IAM actions, so read and write access is not told apart.'] });
  });

  verifies('binding-policy-formats', 'NotAction, a file without statements, and a malformed policy fall back to the textual test with a note', () => {
    const notAction = JSON.stringify({ Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] });
    const result = s3BindingCoverage({ value: { read: ['jobs/*'], write: [] }, bucket: BUCKET, path: 'p.json', text: notAction });
    expect(result).toMatchObject({ coverage: 'textual', missing: ['jobs/*'], values: [{ value: 'jobs/*', covered: false, reason: 'p.json does not mention it' }] });
    expect(result.notes).toEqual(['Coverage is textual (statement 1 uses NotAction, which Blue does not evaluate): a value counts as granted when the file mentions it.']);
    const prose = s3BindingCoverage({ value: { read: ['jobs/*'], write: [] }, bucket: BUCKET, path: 'NOTES.md', text: 'we grant jobs/* somewhere' });
    expect(prose).toMatchObject({ coverage: 'textual', missing: [] });
    const broken = s3BindingCoverage({ value: { read: ['jobs/*'], write: [] }, bucket: BUCKET, path: 'p.json', text: '{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "Resource": "arn:aws:s3:::cultivarium-fungal/jobs/*"' });
    expect(broken.values).toHaveLength(1);
  });

  verifies('binding-policy-formats', 'never throws, whatever the file holds', () => {
    const fragments = ['{', '}', '[', ']', '(', ')', '"', "'", '`', '${', 'Statement', ':', '=', ',', 'PolicyStatement(', 'statement {', '<<EOF\n', '\nEOF\n', 'arn:aws:s3:::b/*', '#', '//', '/*', 'f"{', '...', '*'];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 4 })), { maxLength: 40 }), fc.constantFrom('a.py', 'a.ts', 'a.tf', 'a.json', 'a.yaml'), (parts, path) => {
        const text = parts.join('');
        expect(() => parsePolicy(path, text)).not.toThrow();
        expect(() => s3BindingCoverage({ value: RFC_VALUE, bucket: BUCKET, path, text })).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  verifies('binding-unused-grants', 'grants no value needs any more are unused (per access), grants of other buckets are not', () => {
    const value = { read: RFC_VALUE.read.filter((p) => p !== 'training-runs/*'), write: ['training-metrics/*'] };
    const extra = `${FIXTURE_STACK}\nOTHER = iam.PolicyStatement(sid="Other", actions=["s3:GetObject"], resources=["arn:aws:s3:::another-bucket/x/*"])\n`;
    const result = s3BindingCoverage({ value, bucket: BUCKET, path: 'cdk/stack.py', text: extra });
    expect(result.missing).toEqual([]);
    expect(result.unused).toEqual([
      { grant: 'arn:aws:s3:::cultivarium-fungal/training-runs/*', statement: 'ReadTrainingData' },
      { grant: 'arn:aws:s3:::cultivarium-fungal/jobs/*/*/manifest.json', statement: 'WriteResults' },
    ]);
  });

  it('generic exports keep the textual test', () => {
    const result = coverBinding({ kind: 'generic', value: { url: 'https://api.example.com', port: 443 }, path: 'config.yaml', text: 'api: https://api.example.com' });
    expect(result).toEqual({ coverage: 'textual', values: [{ value: 'https://api.example.com', covered: true }], missing: [], unused: [], notes: [] });
  });
});
