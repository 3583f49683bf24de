{{/* Labels every object of the release carries. */}}
{{- define "seb.labels" -}}
app.kubernetes.io/part-of: seb
app.kubernetes.io/instance: {{ .Release.Name }}
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
