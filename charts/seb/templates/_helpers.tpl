{{/* Labels every object of the release carries (with seb.selectorLabels on an application's). */}}
{{- define "seb.labels" -}}
app.kubernetes.io/part-of: seb
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}

{{/* The pod labels of one application ("operator", "broker" or "admission-webhook"). */}}
{{- define "seb.selectorLabels" -}}
app.kubernetes.io/name: seb-{{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{/* The image of one application: <registry>/<component>:<tag>. */}}
{{- define "seb.image" -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.image.tag -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .component $tag -}}
{{- end }}

{{/* The webhook's in-cluster host name. */}}
{{- define "seb.webhook.host" -}}
seb-admission-webhook.{{ .Release.Namespace }}.svc
{{- end }}

{{/* The broker's base URL as the webhook reaches it. */}}
{{- define "seb.notices.brokerUrl" -}}
{{- default (printf "http://seb-broker.%s.svc" .Release.Namespace) .Values.notices.brokerUrl -}}
{{- end }}

{{/* The restricted Pod Security profile, pod level. */}}
{{- define "seb.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* The restricted Pod Security profile, container level. */}}
{{- define "seb.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Environment every application gets: log format and traces. */}}
{{- define "seb.commonEnv" -}}
- name: QUARKUS_LOG_CONSOLE_JSON_ENABLED
  value: {{ eq .Values.logFormat "json" | quote }}
- name: QUARKUS_OTEL_SDK_DISABLED
  value: {{ empty .Values.otel.endpoint | quote }}
{{- with .Values.otel.endpoint }}
- name: QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- end }}

{{/*
  Probes on the applications' health endpoints (SmallRye Health), for the given scheme and port:
  started within two minutes, then live and ready.
*/}}
{{- define "seb.probes" -}}
startupProbe:
  httpGet: { path: /q/health/started, port: {{ .port }}, scheme: {{ .scheme }} }
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet: { path: /q/health/live, port: {{ .port }}, scheme: {{ .scheme }} }
  periodSeconds: 10
  failureThreshold: 3
readinessProbe:
  httpGet: { path: /q/health/ready, port: {{ .port }}, scheme: {{ .scheme }} }
  periodSeconds: 5
  failureThreshold: 2
{{- end }}

{{/* Spreads an application's replicas over nodes and zones where there are several. */}}
{{- define "seb.topologySpread" -}}
{{- range list "kubernetes.io/hostname" "topology.kubernetes.io/zone" }}
- maxSkew: 1
  topologyKey: {{ . }}
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    matchLabels:
      {{- include "seb.selectorLabels" $ | nindent 6 }}
{{- end }}
{{- end }}

{{/* Scheduling settings of one application's values (.values). */}}
{{- define "seb.scheduling" -}}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .root.Values.image.pullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . | quote }}
  {{- end }}
{{- end }}
{{- end }}
