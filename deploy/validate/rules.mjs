// Chaser's deployment rules, which no schema expresses: what deploy/README.md promises about
// every rendered overlay. Each returns messages; an empty list means the overlay keeps them.
import { readFileSync } from 'node:fs';

const SERVICES = ['account-service', 'workspace-service', 'session-service', 'api-gateway'];
const DATABASES = ['chaser_account', 'chaser_workspace', 'chaser_session'];
const AGENT_HOST_PATHS = ['/dev/kvm', '/var/lib/chaser'];

/** The topics the launcher creates locally (KafkaBroker.TOPICS): the cluster declares the same. */
function launcherTopics() {
  const source = readFileSync(new URL('../../launcher/src/main/java/sh/chaser/launcher/KafkaBroker.java',
    import.meta.url), 'utf8');
  const list = source.match(/TOPICS\s*=\s*List\.of\(([^)]*)\)/);
  return [...list[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

/** Each identity's grants on the local broker (KafkaAcls.GRANTS): the KafkaUsers must say the same. */
function launcherGrants() {
  const source = readFileSync(new URL('../../launcher/src/main/java/sh/chaser/launcher/KafkaAcls.java',
    import.meta.url), 'utf8');
  const strings = (list) => [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]).sort();
  const grant = /new Grant\("([^"]+)",\s*List\.of\(([^)]*)\),\s*List\.of\(([^)]*)\),\s*List\.of\(([^)]*)\),\s*(null|"[^"]*")\)/g;
  return [...source.matchAll(grant)].map((m) => ({
    user: m[1], writes: strings(m[2]), reads: strings(m[3]), groups: strings(m[4]),
    prefix: m[5] === 'null' ? null : m[5].slice(1, -1),
  }));
}

/** What a KafkaUser's ACLs allow, in the shape of launcherGrants(). */
function userGrants(user) {
  const acls = user.spec?.authorization?.acls ?? [];
  const names = (type, op, pattern = 'literal') => acls
    .filter((a) => a.resource.type === type && (a.resource.patternType ?? 'literal') === pattern
      && a.operations.includes(op) && (a.type ?? 'allow') === 'allow')
    .map((a) => a.resource.name).sort();
  const prefixes = names('group', 'Read', 'prefix');
  return { user: user.metadata.name, writes: names('topic', 'Write'), reads: names('topic', 'Read'),
    groups: names('group', 'Read'), prefix: prefixes.length ? prefixes[0] : null };
}

const matches = (selector, labels) =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v);

function podRules(kind, name, spec, errors) {
  if (spec.automountServiceAccountToken !== false) {
    errors.push(`${kind}/${name}: pods must not mount a service account token`);
  }
  if (spec.terminationGracePeriodSeconds === undefined) {
    errors.push(`${kind}/${name}: terminationGracePeriodSeconds must be set (graceful shutdown)`);
  }
  for (const c of spec.containers ?? []) {
    const where = `${kind}/${name} container ${c.name}`;
    if (!c.readinessProbe?.httpGet) errors.push(`${where}: no readinessProbe on a health endpoint`);
    if (!c.livenessProbe?.httpGet) errors.push(`${where}: no livenessProbe on a health endpoint`);
    for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) {
      if (probe?.httpGet && probe.httpGet.port !== 'management') {
        errors.push(`${where}: probes use the management port (/q/* is never served on the API port)`);
      }
    }
    if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory) errors.push(`${where}: no cpu and memory requests`);
    if (!c.resources?.limits?.memory) errors.push(`${where}: no memory limit`);
    const tls = (c.env ?? []).find((e) => e.name === 'CHASER_TLS_CERT');
    const mounted = (c.volumeMounts ?? []).find((m) => tls?.value?.startsWith(`${m.mountPath}/`));
    const volume = (spec.volumes ?? []).find((v) => v.name === mounted?.name);
    // an agent joins instead: its certificate comes from session-service, the CA from a Secret
    const joins = (c.env ?? []).some((e) => e.name === 'CHASER_JOIN_URL' && e.value?.startsWith('https://'));
    const ca = (c.env ?? []).find((e) => e.name === 'CHASER_TLS_CA');
    const caMount = (c.volumeMounts ?? []).find((m) => ca?.value?.startsWith(`${m.mountPath}/`));
    const caVolume = (spec.volumes ?? []).find((v) => v.name === caMount?.name);
    const joined = joins && caVolume?.secret && (caVolume.secret.items ?? []).every((i) => i.key === 'ca.crt');
    if (!joined && (!tls || !volume?.secret?.secretName?.startsWith('chaser-tls-'))) {
      errors.push(`${where}: no internal certificate (CHASER_TLS_CERT from a chaser-tls-* Secret, or joining `
        + 'with CHASER_JOIN_URL and only the CA of a Secret: mutual TLS)');
    }
    for (const e of c.env ?? []) {
      if (/PASSWORD|SECRET|KEY$/.test(e.name) && e.value !== undefined && !e.value.startsWith('/')) {
        errors.push(`${where}: ${e.name} carries a value; secrets come from Secrets`);
      }
    }
  }
}

export function checkRules(objects) {
  const errors = [];
  const of = (kind) => objects.filter((o) => o.kind === kind);
  const named = (kind, name) => of(kind).find((o) => o.metadata.name === name);

  for (const svc of of('Service')) {
    for (const p of svc.spec.ports ?? []) {
      if (p.targetPort === 'management' || p.name === 'management') {
        errors.push(`Service/${svc.metadata.name}: exposes the management port (/q/metrics, /q/health stay off Services)`);
      }
    }
  }
  for (const s of of('Secret')) {
    errors.push(`Secret/${s.metadata.name}: no Secret is committed; the installer creates them`);
  }
  for (const name of SERVICES) {
    const d = named('Deployment', name);
    if (!d) {
      errors.push(`Deployment/${name} is missing`);
      continue;
    }
    const labels = d.spec.template.metadata.labels;
    podRules('Deployment', name, d.spec.template.spec, errors);
    for (const c of d.spec.template.spec.containers) {
      if (!c.lifecycle?.preStop) errors.push(`Deployment/${name} container ${c.name}: no preStop pause (graceful shutdown)`);
    }
    if (!of('HorizontalPodAutoscaler').some((h) => h.spec.scaleTargetRef?.kind === 'Deployment'
        && h.spec.scaleTargetRef?.name === name)) {
      errors.push(`Deployment/${name}: no HorizontalPodAutoscaler scales it`);
    }
    if (!of('PodDisruptionBudget').some((p) => matches(p.spec.selector, labels))) {
      errors.push(`Deployment/${name}: no PodDisruptionBudget selects its pods`);
    }
    if (!of('NetworkPolicy').some((p) => matches(p.spec.podSelector, labels)
        && Object.keys(p.spec.podSelector.matchLabels ?? {}).length > 0)) {
      errors.push(`Deployment/${name}: no NetworkPolicy of its own`);
    }
  }
  const agent = named('DaemonSet', 'vm-agent');
  if (!agent) {
    errors.push('DaemonSet/vm-agent is missing');
  } else {
    const spec = agent.spec.template.spec;
    podRules('DaemonSet', 'vm-agent', spec, errors);
    if (!spec.nodeSelector || Object.keys(spec.nodeSelector).length === 0) {
      errors.push('DaemonSet/vm-agent: must run only on nodes labelled for sandboxes (nodeSelector)');
    }
    for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
      if (spec[f]) errors.push(`DaemonSet/vm-agent: ${f} is not needed and must stay off`);
    }
    for (const v of spec.volumes ?? []) {
      if (v.hostPath && !AGENT_HOST_PATHS.includes(v.hostPath.path)) {
        errors.push(`DaemonSet/vm-agent: host path ${v.hostPath.path} is not one it needs (${AGENT_HOST_PATHS.join(', ')})`);
      }
    }
  }
  if (!of('NetworkPolicy').some((p) => Object.keys(p.spec.podSelector ?? {}).length === 0
      && (p.spec.policyTypes ?? []).includes('Ingress') && !p.spec.ingress)) {
    errors.push('no default-deny ingress NetworkPolicy');
  }
  const ingress = named('Ingress', 'api-gateway');
  const hosts = (ingress?.spec.rules ?? []).map((r) => r.host ?? '');
  if (!hosts.some((h) => h.startsWith('api.')) || !hosts.some((h) => h.startsWith('*.'))) {
    errors.push('Ingress/api-gateway must route api.<domain> and *.<domain>');
  }
  for (const k of of('Kafka')) {
    if (k.spec.kafka?.config?.['auto.create.topics.enable'] !== false) {
      errors.push(`Kafka/${k.metadata.name}: auto.create.topics.enable must be false`);
    }
    if (k.spec.kafka?.authorization?.type !== 'simple') {
      errors.push(`Kafka/${k.metadata.name}: no ACL authorization (authorization.type simple)`);
    }
    for (const l of k.spec.kafka?.listeners ?? []) {
      if (!l.tls || l.authentication?.type !== 'tls') {
        errors.push(`Kafka/${k.metadata.name}: listener ${l.name} without mutual TLS (tls and authentication tls)`);
      }
    }
  }
  const users = of('KafkaUser');
  for (const grant of launcherGrants()) {
    const user = users.find((u) => u.metadata.name === grant.user);
    if (!user) {
      errors.push(`KafkaUser/${grant.user} is missing (launcher/KafkaAcls grants it)`);
    } else if (JSON.stringify(userGrants(user)) !== JSON.stringify(grant)) {
      errors.push(`KafkaUser/${grant.user}: ACLs differ from launcher/KafkaAcls: ${JSON.stringify(userGrants(user))}`);
    }
  }
  for (const d of of('Deployment')) {
    const spec = d.spec.template.spec;
    if (d.spec.template.metadata?.labels?.['chaser.sh/kafka-client'] === 'true'
        && !(spec.volumes ?? []).some((v) => v.secret?.secretName === d.metadata.name
          && users.some((u) => u.metadata.name === d.metadata.name))) {
      errors.push(`Deployment/${d.metadata.name}: a Kafka client without its KafkaUser's Secret (mutual TLS)`);
    }
  }
  const declared = of('KafkaTopic').map((t) => t.spec.topicName ?? t.metadata.name);
  for (const topic of launcherTopics()) {
    if (!declared.includes(topic)) errors.push(`KafkaTopic for ${topic} is missing`);
  }
  const databases = of('Database').map((d) => d.spec.name);
  for (const db of DATABASES) {
    if (!databases.includes(db)) errors.push(`Database ${db} (CloudNativePG) is missing`);
  }
  return errors;
}
