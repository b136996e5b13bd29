import { describe, expect, it } from 'vitest';
import { findS3Paths, normaliseS3Uri, s3PathsValue, S3_EXPORT_NAME, S3_PATHS_SCHEMA, validateAgainstSchema, type S3Finding } from '@blue/core';

/** `key access` of each finding of one file, in order. */
function found(path: string, text: string): string[] {
  return findS3Paths({ path, text }).map((f) => `${f.bucket}/${f.key} ${f.access}`);
}

const py = (text: string): string[] => found('app/code.py', text);

describe('findS3Paths: placeholders and normalisation', () => {
  it('takes plain literals as they are, with file and line', () => {
    const text = 'import boto3\n\nclient.download_file("s3://data-bucket/models/v1.bin", "/tmp/m")\n';
    expect(findS3Paths({ path: 'a.py', text })).toEqual([{ bucket: 'data-bucket', key: 'models/v1.bin', access: 'read', file: 'a.py', line: 3 }]);
  });

  it('turns f-string, str.format and %-format placeholders into *', () => {
    expect(py('read_json(f"s3://b/jobs/{job_id}/{stage}/config.json")')).toEqual(['b/jobs/*/*/config.json read']);
    expect(py('read_json("s3://b/jobs/{}/masks/{name}".format(j, name=n))')).toEqual(['b/jobs/*/masks/* read']);
    expect(py('read_json("s3://b/jobs/%s/%05d.png" % (j, i))')).toEqual(['b/jobs/*/*.png read']);
    expect(py('read_json("s3://b/jobs/%(job)s/x" % {"job": j})')).toEqual(['b/jobs/*/x read']);
    expect(py('read_json(f"s3://b/jobs/{job[\'id\']}/x")')).toEqual(['b/jobs/*/x read']);
  });

  it('turns template literal placeholders into *, in JavaScript and TypeScript', () => {
    const text = 'await uploadFile(`s3://b/jobs/${job.id}/out-${n}.json`, body);\n';
    expect(found('src/upload.ts', text)).toEqual(['b/jobs/*/out-*.json write']);
  });

  it('resolves a bucket placeholder from a string constant of the same file', () => {
    const text = 'BUCKET = "cultivarium-fungal"\n\ndef f(j):\n    return read_json(f"s3://{BUCKET}/jobs/{j}/config.json")\n';
    expect(py(text)).toEqual(['cultivarium-fungal/jobs/*/config.json read']);
    expect(py('read_json(f"s3://{bucket}/x")')).toEqual(['*/x read']);
  });

  it('makes prefixes and bare buckets wildcards, collapses ** and //, drops query strings', () => {
    expect(normaliseS3Uri('s3://b/training-runs/')).toEqual({ bucket: 'b', key: 'training-runs/*' });
    expect(normaliseS3Uri('s3://b')).toEqual({ bucket: 'b', key: '*' });
    expect(normaliseS3Uri('s3://b/')).toEqual({ bucket: 'b', key: '*' });
    expect(normaliseS3Uri('s3://b/logs/**/*.json')).toEqual({ bucket: 'b', key: 'logs/*/*.json' });
    expect(normaliseS3Uri('s3://b/a/{x}{y}/c')).toEqual({ bucket: 'b', key: 'a/*/c' });
    expect(normaliseS3Uri('s3://b//jobs//{id}/')).toEqual({ bucket: 'b', key: 'jobs/*/*' });
    expect(normaliseS3Uri('s3://b/jobs/x.json?versionId=3')).toEqual({ bucket: 'b', key: 'jobs/x.json' });
    expect(normaliseS3Uri('s3://b/jobs/<job_id>/masks/$NAME')).toEqual({ bucket: 'b', key: 'jobs/*/masks/*' });
    expect(normaliseS3Uri('s3://')).toBeUndefined();
    expect(normaliseS3Uri('s3://no spaces/x')).toBeUndefined();
  });

  it('follows + concatenation after a literal prefix', () => {
    expect(py('download_file("s3://b/training-runs/" + run_id, path)')).toEqual(['b/training-runs/* read']);
    expect(py('read_json("s3://b/jobs/" + job.id + "/config.json")')).toEqual(['b/jobs/*/config.json read']);
    expect(py('read_json("s3://b/jobs/" + ids[0].strip() + suffix)')).toEqual(['b/jobs/* read']);
  });

  it('ignores a scheme without a bucket (messages, URIs built from parts)', () => {
    expect(py('raise ValueError(f"not an s3:// URI: {uri}")\nuri = "s3://" + bucket + "/" + key\n')).toEqual([]);
    expect(py('def uri(bucket, key):\n    return read_json(f"s3://{bucket}/{key}")\n')).toEqual([]);
  });
});

describe('findS3Paths: read or write', () => {
  it('reads through get/download/list/head calls and writes through put/upload calls', () => {
    const text = [
      's3.get_object(**split("s3://b/get"))',
      's3.download_file(*split("s3://b/download"), "/tmp/x")',
      's3.list_objects_v2(**split("s3://b/list/"))',
      's3.head_object(**split("s3://b/head"))',
      's3.put_object(Body=data, **split("s3://b/put"))',
      's3.upload_file(path, *split("s3://b/upload"))',
      's3.upload_fileobj(buf, *split("s3://b/fileobj"))',
      's3.delete_object(**split("s3://b/delete"))',
      'df.to_parquet("s3://b/frame.parquet")',
      'frame = pd.read_csv("s3://b/frame.csv")',
    ].join('\n');
    expect(py(text)).toEqual([
      'b/get read',
      'b/download read',
      'b/list/* read',
      'b/head read',
      'b/put write',
      'b/upload write',
      'b/fileobj write',
      'b/delete write',
      'b/frame.parquet write',
      'b/frame.csv read',
    ]);
  });

  it('looks through calls that do not tell (wrappers) to the one that does, over several lines', () => {
    const text = 'client.put_object(\n    Body=payload,\n    **parse_uri(\n        f"s3://b/jobs/{j}/manifest.json",\n    ),\n)\n';
    expect(findS3Paths({ path: 'm.py', text })).toEqual([{ bucket: 'b', key: 'jobs/*/manifest.json', access: 'write', file: 'm.py', line: 4 }]);
  });

  it('reads the mode of open(), the argument order of copies and chained calls', () => {
    expect(py('with smart_open.open("s3://b/out.txt", "w") as f: pass')).toEqual(['b/out.txt write']);
    expect(py('with smart_open.open("s3://b/in.txt") as f: pass')).toEqual(['b/in.txt read']);
    expect(py('fs.copy("s3://b/src", "s3://b/dst")')).toEqual(['b/src read', 'b/dst write']);
    expect(py('S3Path("s3://b/notes.txt").write_text(text)')).toEqual(['b/notes.txt write']);
    expect(found('x.ts', 'const body = await new S3Uri("s3://b/k").getObject();')).toEqual(['b/k read']);
  });

  it('follows a name assigned from a literal to the calls that use it, until it is reassigned', () => {
    const text = [
      'METRICS = "s3://b/training-metrics/"',
      'def publish(p, name):',
      '    storage.upload_file(p, METRICS + name)',
      'def all_metrics():',
      '    return storage.list_objects(METRICS)',
      'uri: str = f"s3://b/jobs/{j}/manifest.json"',
      'if storage.head_object(uri):',
      '    data = storage.read_json(uri)',
      'uri = "elsewhere"',
      'storage.write_json(uri, data)',
    ].join('\n');
    expect(py(text)).toEqual(['b/training-metrics/* read', 'b/training-metrics/* write', 'b/jobs/*/manifest.json read']);
  });

  it('reports a literal whose use cannot be told as a read', () => {
    expect(py('ARCHIVE = "s3://b/archive/"\nprint(ARCHIVE)\n')).toEqual(['b/archive/* read']);
    expect(py('def uri(j):\n    return "s3://b/jobs/%s/manifest.json" % j\n')).toEqual(['b/jobs/*/manifest.json read']);
    expect(py('paths = [\n    "s3://b/one",\n    "s3://b/two"\n]\n')).toEqual(['b/one read', 'b/two read']);
  });
});

describe('findS3Paths: what is not code', () => {
  it('skips comments and docstrings in code', () => {
    const text = '"""Reads s3://b/doc/ objects."""\n# s3://b/hash-comment\nx = 1  # s3://b/trailing\n\ndef f():\n    """s3://b/fn-doc"""\n    return read_json("s3://b/real")\n';
    expect(py(text)).toEqual(['b/real read']);
    expect(found('x.js', '// s3://b/line\n/* s3://b/block */\nconst k = getObject("s3://b/real");\n')).toEqual(['b/real read']);
    expect(found('x.go', '// s3://b/line\nobj := Download(`s3://b/raw/${x}`)\n')).toEqual(['b/raw/* read']);
  });

  it('skips documentation files and reads configuration files as reads', () => {
    expect(found('README.md', 'Data lives in `s3://b/jobs/<id>/`.')).toEqual([]);
    expect(found('docs/notes.txt', 's3://b/x')).toEqual([]);
    expect(found('config/train.yaml', '# s3://b/commented\ninput: s3://b/inputs/\nurl: "s3://b/quoted.json" # s3://b/trailing\n')).toEqual(['b/inputs/* read', 'b/quoted.json read']);
    expect(found('settings.json', '{"masks": "s3://b/jobs/{job}/masks/"}')).toEqual(['b/jobs/*/masks/* read']);
  });

  it('tells AWS CLI copies in shell scripts and Dockerfiles apart', () => {
    const text = '#!/bin/sh\n# aws s3 rm s3://b/commented\naws s3 cp s3://b/in/$JOB.json ./in.json\naws s3 cp --quiet ./out.json "s3://b/out/${JOB}.json"\naws s3 rm s3://b/tmp/$JOB\n';
    expect(found('scripts/run.sh', text)).toEqual(['b/in/*.json read', 'b/out/*.json write', 'b/tmp/* write']);
    expect(found('Dockerfile', 'RUN aws s3 sync s3://b/models/ /opt/models\n')).toEqual(['b/models/* read']);
  });

  it('finds nothing in text without s3://', () => {
    expect(findS3Paths({ path: 'a.py', text: 'print("hello")' })).toEqual([]);
  });
});

describe('s3PathsValue', () => {
  const finding = (bucket: string, key: string, access: 'read' | 'write'): S3Finding => ({ bucket, key, access, file: 'f.py', line: 1 });
  const findings = [
    finding('b', 'training-runs/*', 'read'),
    finding('b', 'jobs/*/masks/*', 'read'),
    finding('b', 'jobs/*/*/config.json', 'read'),
    finding('b', 'jobs/*/masks/*', 'read'),
    finding('b', 'Zeta/*', 'write'),
    finding('b', 'alpha/*', 'write'),
    finding('other', 'logs/*', 'read'),
  ];

  it('sorts by code units and removes duplicates, per access', () => {
    expect(s3PathsValue(findings, { bucket: 'b' })).toEqual({ read: ['jobs/*/*/config.json', 'jobs/*/masks/*', 'training-runs/*'], write: ['Zeta/*', 'alpha/*'] });
  });

  it('keeps one bucket when asked, and prefixes keys with their bucket otherwise', () => {
    expect(s3PathsValue(findings, { bucket: 'other' })).toEqual({ read: ['logs/*'], write: [] });
    expect(s3PathsValue(findings, { bucket: 'missing' })).toEqual({ read: [], write: [] });
    expect(s3PathsValue(findings).read).toEqual(['b/jobs/*/*/config.json', 'b/jobs/*/masks/*', 'b/training-runs/*', 'other/logs/*']);
  });
});

describe('S3_PATHS_SCHEMA', () => {
  it('accepts {read, write} string lists and nothing else', () => {
    expect(S3_EXPORT_NAME).toBe('required-s3-permissions');
    expect(validateAgainstSchema(S3_PATHS_SCHEMA, { read: ['a/*'], write: [] })).toEqual([]);
    expect(validateAgainstSchema(S3_PATHS_SCHEMA, { read: ['a/*'], write: [], delete: [] })).not.toEqual([]);
    expect(validateAgainstSchema(S3_PATHS_SCHEMA, { read: [5], write: [] })).not.toEqual([]);
    expect(validateAgainstSchema(S3_PATHS_SCHEMA, { read: [] })).not.toEqual([]);
  });

  it('is frozen and shares no sub-object (YAML would write anchors for shared ones)', () => {
    expect(Object.isFrozen(S3_PATHS_SCHEMA)).toBe(true);
    const properties = S3_PATHS_SCHEMA.properties as Record<string, Record<string, unknown>>;
    expect(properties.read?.items).not.toBe(properties.write?.items);
  });
});
