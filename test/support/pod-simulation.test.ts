import { PodSimulationOptions, PodStartError, secretManifest, SimulatedPod, simulatePod } from './pod-simulation';
import { Manifest } from './schema';

// The pod simulation must itself catch what it claims to: each test is a pod a cluster would
// refuse or fail, or a behaviour of volumes and mounts the gateway tests rely on.
jest.setTimeout(30_000);

/* eslint-disable @typescript-eslint/no-explicit-any */
function deployment(spec: Record<string, any>): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', namespace: 'ns' },
    spec: {
      selector: { matchLabels: { app: 'app' } },
      template: {
        metadata: { labels: { app: 'app' } },
        spec: { securityContext: { runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true }, containers: [], ...spec },
      },
    },
  } as Manifest;
}
const configMap: Manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf', namespace: 'ns' }, data: { 'a.conf': 'A\n', 'b.conf': 'B\n' } } as Manifest;
const secret = secretManifest('creds', { k1: 'one', k2: 'two' });
const sh = (name: string, script: string, volumeMounts: any[] = [], extra: Record<string, any> = {}) => ({
  name, image: 'busybox:1.36', command: ['/bin/sh', '-c', script], volumeMounts, ...extra,
});

/** A pod of one container (`main`) running `script` with `volumeMounts`; its result. */
async function runIn(volumes: any[], volumeMounts: any[], script: string, options: Partial<PodSimulationOptions> = {},
  extra: Record<string, any> = {}) {
  const manifests = [deployment({ volumes, containers: [sh('main', script, volumeMounts, extra)] }), configMap];
  const pod = SimulatedPod.create({ manifests, secrets: [secret], ...options });
  try {
    return await pod.run('main');
  } finally {
    pod.dispose();
  }
}

function startError(options: PodSimulationOptions): PodStartError {
  try {
    SimulatedPod.create(options).dispose();
  } catch (e) {
    if (e instanceof PodStartError) return e;
    throw e;
  }
  throw new Error('expected the pod not to start');
}

describe('pod simulation: the pod spec', () => {
  test('a mount of a volume the pod does not have: the pod is rejected', () => {
    const error = startError({ manifests: [deployment({ volumes: [{ name: 'data', emptyDir: {} }], containers: [sh('main', 'true', [{ name: 'config', mountPath: '/etc/app' }])] })] });
    expect(error.problems).toEqual(['container main: volumeMount config at /etc/app: the pod has no volume config']);
    expect(error.message).toBe('the pod of ns/app would not start:\n- container main: volumeMount config at /etc/app: the pod has no volume config');
  });

  test('a missing ConfigMap, Secret or item key stops the pod, unless optional', () => {
    const error = startError({
      manifests: [deployment({
        volumes: [
          { name: 'c', configMap: { name: 'nope' } },
          { name: 's', secret: { secretName: 'creds', items: [{ key: 'k9', path: 'x' }] } },
          { name: 'o', secret: { secretName: 'absent', optional: true } },
          { name: 'h', hostPath: { path: '/etc' } },
        ],
      }), configMap],
      secrets: [secret],
    });
    expect(error.problems).toEqual([
      'volume c: ConfigMap ns/nope does not exist (the kubelet cannot mount it: the pod stays in ContainerCreating)',
      'volume s: Secret ns/creds has no key k9',
      'volume h: hostPath is not simulated (emptyDir, configMap, secret and projected are)',
    ]);
  });

  test('duplicate and relative mount paths, and subPaths that leave the volume, are rejected', () => {
    const error = startError({
      manifests: [deployment({
        volumes: [{ name: 'd', emptyDir: {} }],
        containers: [sh('main', 'true', [
          { name: 'd', mountPath: '/data' }, { name: 'd', mountPath: '/data/' }, { name: 'd', mountPath: 'rel' }, { name: 'd', mountPath: '/x', subPath: '../up' },
        ])],
      })],
    });
    expect(error.problems).toEqual([
      'container main: volumeMount d at /data/: the container mounts /data twice',
      'container main: volumeMount d at rel: the mountPath must be absolute',
      "container main: volumeMount d at /x: subPath ../up must be relative and must not contain '..'",
    ]);
  });
});

describe('pod simulation: volumes and mounts', () => {
  test('a configMap volume holds every key, in the kubelet\'s layout', async () => {
    const result = await runIn([{ name: 'c', configMap: { name: 'conf' } }], [{ name: 'c', mountPath: '/etc/app' }],
      'ls /etc/app; cat /etc/app/a.conf; readlink /etc/app/a.conf /etc/app/..data');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('a.conf\nb.conf\nA\n..data/a.conf\n..2026_01_01_00_00_00.000000001\n');
  });

  test('subPath mounts one entry of the volume, and nothing else of it', async () => {
    const result = await runIn([{ name: 'c', configMap: { name: 'conf' } }], [{ name: 'c', mountPath: '/etc/app/a.conf', subPath: 'a.conf' }],
      'ls /etc/app; cat /etc/app/a.conf; test -f /etc/app/a.conf && echo file');
    expect(result.stdout).toBe('a.conf\nA\nfile\n');
  });

  test('items remap keys to paths with their own mode; the other keys are not projected', async () => {
    const result = await runIn([{ name: 's', secret: { secretName: 'creds', defaultMode: 0o440, items: [{ key: 'k1', path: 'dir/renamed', mode: 0o400 }, { key: 'k2', path: 'k2' }] } }],
      [{ name: 's', mountPath: '/s' }], 'ls /s; cat /s/dir/renamed; echo; stat -L -c %a /s/dir/renamed /s/k2');
    expect(result.stdout).toBe('dir\nk2\none\n400\n440\n');
  });

  test('a projected volume merges its configMap and secret sources', async () => {
    const result = await runIn([{ name: 'p', projected: { sources: [{ configMap: { name: 'conf', items: [{ key: 'b.conf', path: 'conf/b' }] } }, { secret: { name: 'creds' } }] } }],
      [{ name: 'p', mountPath: '/p' }], 'ls /p; cat /p/conf/b /p/k2');
    expect(result.stdout).toBe('conf\nk1\nk2\nB\ntwo');
  });

  test('readOnly is enforced; configMap and secret volumes are read-only even without it', async () => {
    const result = await runIn([{ name: 'd', emptyDir: {} }, { name: 's', secret: { secretName: 'creds' } }],
      [{ name: 'd', mountPath: '/ro', readOnly: true }, { name: 'd', mountPath: '/rw' }, { name: 's', mountPath: '/s' }],
      'echo x > /rw/f && cat /ro/f; echo y > /ro/g; echo z > /s/k1; rm /s/k2');
    expect(result.stdout).toBe('x\n');
    expect(result.stderr).toMatch(/cannot create \/ro\/g: Read-only file system/);
    expect(result.stderr).toMatch(/cannot create \/s\/k1: Read-only file system/);
    expect(result.stderr).toMatch(/cannot remove '\/s\/k2': Read-only file system/);
  });

  test('readOnlyRootFilesystem: only the volumes are writable', async () => {
    const result = await runIn([{ name: 'd', emptyDir: {} }], [{ name: 'd', mountPath: '/tmp' }], 'touch /tmp/ok && echo ok; touch /etc/x',
      {}, { securityContext: { readOnlyRootFilesystem: true } });
    expect(result.stdout).toBe('ok\n');
    expect(result.stderr).toMatch(/cannot touch '\/etc\/x': Read-only file system/);
  });

  test('exactly the container\'s mounts exist: not another container\'s, not the host\'s files', async () => {
    const pod = SimulatedPod.create({
      manifests: [deployment({
        volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', emptyDir: {} }],
        initContainers: [sh('init', 'ls /; test -e /b || echo no-b; test -e /work || echo no-host', [{ name: 'a', mountPath: '/a' }])],
        containers: [sh('main', 'true', [{ name: 'b', mountPath: '/b' }])],
      })],
    });
    try {
      const lines = (await pod.run('init')).stdout.split('\n').filter((l) => l !== '');
      // The root: its mount, and what the sandbox takes from the host (/lib* as the host has them).
      expect(lines.filter((l) => !/^lib/.test(l))).toEqual(['a', 'bin', 'dev', 'etc', 'proc', 'sbin', 'tmp', 'usr', 'no-b', 'no-host']);
    } finally {
      pod.dispose();
    }
  });

  test('an emptyDir is shared between containers; medium Memory is a tmpfs', async () => {
    const pod = SimulatedPod.create({
      manifests: [deployment({
        volumes: [{ name: 'mem', emptyDir: { medium: 'Memory' } }],
        initContainers: [sh('init', 'stat -f -c %T /out; echo secret > /out/file', [{ name: 'mem', mountPath: '/out' }])],
        containers: [sh('main', 'cat /in/file', [{ name: 'mem', mountPath: '/in', readOnly: true }])],
      })],
    });
    try {
      expect((await pod.run('init')).stdout).toBe('tmpfs\n');
      expect((await pod.run('main')).stdout).toBe('secret\n');
      expect(pod.readFile('main', '/in/file')).toBe('secret\n');
    } finally {
      pod.dispose();
    }
  });
});

describe('pod simulation: running containers', () => {
  test('an init script that fails stops the pod with its stderr', async () => {
    const error = await simulatePod({
      manifests: [deployment({ volumes: [], initContainers: [sh('setup', 'echo working; echo "boom: no such key" >&2; exit 3')], containers: [sh('main', 'true')] })],
    }).catch((e) => e);
    expect(error).toBeInstanceOf(PodStartError);
    expect(error.problems).toEqual(['init container setup exited with 3; stderr:\nboom: no such key\n']);
  });

  test('a command that runs too long is killed, with everything it started', async () => {
    const started = Date.now();
    const result = await runIn([], [], 'sleep 30 & sleep 30', { timeoutMs: 500 });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('the container\'s user, environment, and Kubernetes\' $(VAR) expansion of command and args', async () => {
    const result = await runIn([], [], 'echo "$(id -u):$(id -g) $GREETING $(WHO) $$HOME $PATH"', {},
      { env: [{ name: 'WHO', value: 'world' }, { name: 'GREETING', value: 'hello $(WHO)' }], securityContext: { runAsUser: 101 } });
    expect(result.stdout).toBe('101:1000 hello world world / /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n');
  });

  test('runAsNonRoot with uid 0 does not start', async () => {
    await expect(runIn([], [], 'true', {}, { securityContext: { runAsUser: 0 } })).rejects.toThrow('runAsNonRoot with runAsUser 0');
  });
});

describe('pod simulation: the files the main container reads', () => {
  const nginx = (mounts: any[] = []) => deployment({
    volumes: [{ name: 'conf', configMap: { name: 'nginx' } }, { name: 'tmp', emptyDir: {} }],
    containers: [{
      name: 'gateway',
      image: 'nginx:1',
      args: ['nginx', '-c', '/etc/nginx/conf/nginx.conf', '-g', 'daemon off;'],
      volumeMounts: [{ name: 'conf', mountPath: '/etc/nginx/conf' }, { name: 'tmp', mountPath: '/tmp' }, ...mounts],
      securityContext: { readOnlyRootFilesystem: true },
    }],
  });
  const nginxConf = (text: string): Manifest => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nginx', namespace: 'ns' }, data: { 'nginx.conf': text } } as Manifest);

  test('every file nginx.conf names must be in the container\'s view', async () => {
    const conf = [
      'pid /tmp/nginx.pid;', 'events {}', 'http {',
      '  include /etc/nginx/conf/missing.conf;',
      '  map $http_x $y { include /etc/nginx/generated/keys.map; }',
      '  client_body_temp_path /var/lib/nginx/body;',
      '  server { listen 8080; ssl_certificate "/etc/nginx/conf/nginx.conf"; auth_basic_user_file /etc/$host.htpasswd; }',
      '}',
    ].join('\n');
    const error = await simulatePod({ manifests: [nginx(), nginxConf(conf)] }).catch((e) => e);
    expect(error.problems).toEqual([
      'container gateway: nginx.conf:7 auth_basic_user_file: /etc/$host.htpasswd names a file by variables; the simulation cannot tell which',
      'container gateway: /etc/nginx/generated/keys.map (nginx.conf:5 include) is on no volume, and the image is not known to have it',
      'container gateway: /etc/nginx/conf/missing.conf: does not exist (nginx.conf:4 include)',
      'container gateway: /var/lib/nginx/body: cannot be created (in /var/lib/nginx) (nginx.conf:6 client_body_temp_path)',
    ]);
  });

  test('included files are followed; a file the image has is taken on trust', async () => {
    const conf = 'events {}\nhttp { include /etc/nginx/conf/more.conf; include /etc/nginx/mime.types; }\n';
    const more = 'server { listen 8080; ssl_certificate /etc/nginx/conf/absent.crt; }\n';
    const manifests = [nginx(), { ...nginxConf(conf), data: { 'nginx.conf': conf, 'more.conf': more } } as Manifest];
    const error = await simulatePod({ manifests, imageFiles: { gateway: ['/etc/nginx/mime.types'] } }).catch((e) => e);
    expect(error.problems).toEqual(['container gateway: /etc/nginx/conf/absent.crt: does not exist (more.conf:1 ssl_certificate)']);
  });

  test('a module is found under nginx\'s prefix, and njs modules next to the configuration', async () => {
    const conf = 'load_module modules/ngx_http_js_module.so;\nevents {}\nhttp { js_path /etc/nginx/conf/; js_import jwt from jwt.js; js_import other.js; }\n';
    const manifests = [nginx(), { ...nginxConf(conf), data: { 'nginx.conf': conf, 'jwt.js': 'export default {};\n' } } as Manifest];
    const error = await simulatePod({ manifests }).catch((e) => e);
    expect(error.problems).toEqual([
      'container gateway: /etc/nginx/modules/ngx_http_js_module.so (nginx.conf:1 load_module) is on no volume, and the image is not known to have it',
      'container gateway: /etc/nginx/conf/other.js: does not exist (nginx.conf:3 js_import)',
    ]);
  });

  test('a file the container cannot read is refused', async () => {
    const conf = 'events {}\nhttp { server { listen 8080; ssl_certificate /etc/nginx/tls/k1; } }\n';
    const manifests = [nginx([{ name: 'tls', mountPath: '/etc/nginx/tls' }]), nginxConf(conf)];
    (manifests[0] as any).spec.template.spec.volumes.push({ name: 'tls', secret: { secretName: 'creds', defaultMode: 0o000 } });
    const error = await simulatePod({ manifests, secrets: [secret] }).catch((e) => e);
    expect(error.problems).toEqual(['container gateway: /etc/nginx/tls/k1: cannot be read (nginx.conf:2 ssl_certificate)']);
  });
});
