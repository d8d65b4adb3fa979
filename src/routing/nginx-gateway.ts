/**
 * An NGINX gateway read off the manifests: the container runs `nginx` (with `-c FILE`, else
 * `/etc/nginx/nginx.conf`) and that file comes from a ConfigMap; its `include`s are read from
 * the same mounted files (a relative path from the configuration's directory, globs allowed).
 */
import { GatewayPod } from './engine-pod';
import { NginxFileReader, parseNginxConfig } from './nginx-parse';
import { nginxStructure, NginxStructure } from './nginx-structure';

/** The parsed configuration of the pod's nginx, or undefined when the pod does not run nginx from a mounted configuration. */
export function nginxOfPod(pod: GatewayPod): NginxStructure | undefined {
  const argv = pod.argv;
  if (argv.length === 0 || !/(^|\/)nginx(-debug)?$/.test(argv[0])) return undefined;
  const c = argv.indexOf('-c');
  const file = c >= 0 ? argv[c + 1] : '/etc/nginx/nginx.conf';
  const dir = file.slice(0, file.lastIndexOf('/') + 1);
  const text = pod.files.get(file);
  if (text === undefined) return undefined;
  const read: NginxFileReader = (path) => {
    const full = path.startsWith('/') ? path : `${dir}${path}`;
    if (!full.includes('*')) {
      const found = pod.files.get(full);
      return found === undefined ? undefined : [{ path: full, text: found }];
    }
    const glob = new RegExp(`^${full.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
    const matches = [...pod.files.keys()].filter((k) => glob.test(k)).sort();
    return matches.map((m) => ({ path: m, text: pod.files.get(m)! }));
  };
  return nginxStructure(parseNginxConfig(text, file, read));
}
