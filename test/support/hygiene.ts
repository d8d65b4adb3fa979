/**
 * Workload hygiene, mirroring kube-linter's default checks for what this library generates
 * (https://docs.kubelinter.io, "default" checks): every finding is `Kind/name: check: detail`.
 */
import { Manifest } from './schema';

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet'];
const SENSITIVE_HOST_PATHS = ['/', '/boot', '/dev', '/etc', '/lib', '/proc', '/sys', '/usr', '/var/run/docker.sock'];

export function hygieneProblems(manifests: readonly Manifest[]): string[] {
  const problems: string[] = [];
  for (const w of manifests.filter((m) => WORKLOADS.includes(m.kind))) {
    const id = `${w.kind}/${w.metadata.name}`;
    const pod = w.spec?.template?.spec ?? {};
    const add = (check: string, detail: string) => problems.push(`${id}: ${check}: ${detail}`);
    if (pod.hostNetwork) add('host-network', 'uses the host network');
    if (pod.hostPID) add('host-pid', 'shares the host PID namespace');
    if (pod.hostIPC) add('host-ipc', 'shares the host IPC namespace');
    for (const v of pod.volumes ?? []) {
      if (v.hostPath && SENSITIVE_HOST_PATHS.some((p) => v.hostPath.path === p || v.hostPath.path.startsWith(`${p}/`))) add('sensitive-host-mounts', v.hostPath.path);
    }
    for (const sysctl of pod.securityContext?.sysctls ?? []) {
      if (/^(kernel\.|vm\.|net\.(?!ipv4\.ip_local_port_range|ipv4\.tcp_syncookies|ipv4\.ping_group_range))/.test(sysctl.name)) add('unsafe-sysctls', sysctl.name);
    }
    if ((w.spec.replicas ?? 1) > 1 && !pod.affinity?.podAntiAffinity) add('no-anti-affinity', 'several replicas without pod anti-affinity');
    for (const c of pod.containers ?? []) {
      const sc = c.securityContext ?? {};
      const name = `container ${c.name}`;
      if (/:latest$/.test(c.image) || !/[:@]/.test(c.image.split('/').pop())) add('latest-tag', `${name} image ${c.image} is not pinned`);
      if (!(sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot)) add('run-as-non-root', `${name} may run as root`);
      if (!sc.readOnlyRootFilesystem) add('no-read-only-root-fs', `${name} has a writable root filesystem`);
      if (sc.privileged) add('privileged-container', name);
      if (sc.allowPrivilegeEscalation !== false) add('privilege-escalation-container', `${name} allows privilege escalation`);
      if (!(sc.capabilities?.drop ?? []).some((d: string) => d === 'ALL' || d === 'NET_RAW')) add('drop-net-raw-capability', `${name} keeps NET_RAW`);
      if (!c.livenessProbe) add('no-liveness-probe', name);
      if (!c.readinessProbe) add('no-readiness-probe', name);
      if (!c.resources?.requests?.cpu || !c.resources?.limits?.cpu) add('unset-cpu-requirements', name);
      if (!c.resources?.requests?.memory || !c.resources?.limits?.memory) add('unset-memory-requirements', name);
      for (const e of c.env ?? []) {
        // kube-linter's parameters: name (?i).*secret.*, any literal value.
        if (/secret/i.test(e.name) && e.value !== undefined && e.value !== '') add('env-var-secret', `${name} has ${e.name} as a literal value`);
      }
    }
  }
  // A Service selects pods of the output (dangling-service) and a PDB selects a workload.
  for (const pdb of manifests.filter((m) => m.kind === 'PodDisruptionBudget')) {
    const labels = pdb.spec.selector?.matchLabels ?? {};
    const selected = manifests.filter((m) => WORKLOADS.includes(m.kind)
      && Object.entries(labels).every(([k, v]) => m.spec.template.metadata?.labels?.[k] === v));
    if (selected.length === 0) problems.push(`PodDisruptionBudget/${pdb.metadata.name}: pdb-selector: selects no workload`);
    for (const s of selected) {
      if (pdb.spec.minAvailable !== undefined && typeof pdb.spec.minAvailable === 'number' && pdb.spec.minAvailable >= (s.spec.replicas ?? 1) && s.spec.replicas !== undefined) {
        problems.push(`PodDisruptionBudget/${pdb.metadata.name}: pdb-min-available: minAvailable ${pdb.spec.minAvailable} blocks every eviction of ${s.metadata.name}`);
      }
    }
  }
  return problems;
}
